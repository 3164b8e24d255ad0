//! A customer as a till sees them: the record and the account, read by one
//! statement (one round trip), since every step at the till needs both;
//! while offers run, their segments and what capped offers gave them come
//! in the same read.

use clientele_domain::points::{Account, Lot};
use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{LedgerEntryId, OfferId, TierId};
use clientele_store::area::{CustomerAtTill, OfferStanding, TillKey};
use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use sqlx::PgPool;
use sqlx::types::Json;

use crate::errors::backend;
use crate::rows::{CustomerRow, customer_columns, time};

/// An open lot as `[entry_id, remaining, usable_from µs, expires_at µs]`.
type LotColumns = (i64, i64, i64, Option<i64>);

#[derive(sqlx::FromRow)]
struct TillRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    debt: Option<i64>,
    tier_id: Option<i64>,
    tier_manual: Option<bool>,
    tier_until: Option<jiff_sqlx::Timestamp>,
    spent_minor: Option<i64>,
    purchases: Option<i64>,
    first_purchase_at: Option<jiff_sqlx::Timestamp>,
    last_purchase_at: Option<jiff_sqlx::Timestamp>,
    lots: Json<Vec<LotColumns>>,
    held: i64,
    /// Read when offers run.
    segments: Option<Vec<i64>>,
    /// `[offer_id, points, money]`, one per use of a capped offer.
    offers_given: Option<Json<Vec<(i64, i64, i64)>>>,
}

/// The read of a customer at the till, ending in its `WHERE`: the
/// standing's subqueries run only when offers are named ($3 not NULL).
macro_rules! at_till {
    ($where:literal) => {
        concat!(
            "SELECT ",
            customer_columns!(),
            ", a.debt, a.tier_id, a.tier_manual, a.tier_until, a.spent_minor, a.purchases,
               a.first_purchase_at, a.last_purchase_at,
               (SELECT COALESCE(jsonb_agg(jsonb_build_array(
                           l.entry_id, l.remaining,
                           (extract(epoch FROM l.usable_from) * 1000000)::bigint,
                           (extract(epoch FROM l.expires_at) * 1000000)::bigint)), '[]')
                FROM point_lots l WHERE l.customer_id = c.id AND l.remaining > 0) AS lots,
               (SELECT COALESCE(SUM(h.points), 0)::bigint FROM holds h
                WHERE h.customer_id = c.id AND h.released_at IS NULL AND h.receipt_key IS NULL
                  AND h.expires_at > $2) AS held,
               CASE WHEN $3::bigint[] IS NOT NULL THEN
                   ARRAY(SELECT m.segment_id FROM segment_members m WHERE m.customer_id = c.id)
               END AS segments,
               CASE WHEN $3::bigint[] IS NOT NULL THEN
                   (SELECT COALESCE(jsonb_agg(jsonb_build_array(
                               u.offer_id, u.points_accrued, u.discount_minor)), '[]')
                    FROM offer_uses u WHERE u.customer_id = c.id AND u.offer_id = ANY($3))
               END AS offers_given
             FROM customers c LEFT JOIN customer_loyalty a ON a.customer_id = c.id ",
            $where
        )
    };
}

pub async fn customer_at_till(
    pool: &PgPool,
    key: TillKey<'_>,
    at: Timestamp,
    offers: Option<&[OfferId]>,
) -> DbResult<Option<CustomerAtTill>> {
    let offers: Option<Vec<i64>> = offers.map(|ids| ids.iter().map(|o| o.0).collect());
    let query = match key {
        TillKey::Id(id) => sqlx::query_as(at_till!("WHERE c.id = $1")).bind(id.0),
        TillKey::Phone(phone) => sqlx::query_as(at_till!(
            "WHERE c.id = (SELECT customer_id FROM customer_keys WHERE value = $1 AND kind = 'phone')"
        ))
        .bind(phone.as_str()),
    };
    let row: Option<TillRow> = query
        .bind(time(at))
        .bind(offers)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    row.map(TillRow::into_customer).transpose()
}

impl TillRow {
    fn into_customer(self) -> DbResult<CustomerAtTill> {
        let micros = |t: i64| {
            Timestamp::from_microsecond(t)
                .map_err(|e| DbError::Backend(format!("a point lot's time: {e}").into()))
        };
        let lots = self
            .lots
            .0
            .into_iter()
            .map(|(entry, remaining, usable_from, expires_at)| {
                Ok(Lot {
                    entry: LedgerEntryId(entry),
                    remaining,
                    usable_from: micros(usable_from)?,
                    expires_at: expires_at.map(micros).transpose()?,
                })
            })
            .collect::<DbResult<Vec<Lot>>>()?;
        let optional = |t: Option<jiff_sqlx::Timestamp>| t.map(jiff_sqlx::Timestamp::to_jiff);
        let loyalty = CustomerLoyalty {
            account: Account {
                lots,
                debt: self.debt.unwrap_or(0),
                held: self.held,
            },
            tier_id: self.tier_id.map(TierId),
            tier_manual: self.tier_manual.unwrap_or(false),
            tier_until: optional(self.tier_until),
            spent_minor: self.spent_minor.unwrap_or(0),
            purchases: self.purchases.unwrap_or(0),
            first_purchase_at: optional(self.first_purchase_at),
            last_purchase_at: optional(self.last_purchase_at),
        };
        let standing = match (self.segments, self.offers_given) {
            (Some(segments), Some(given)) => Some(OfferStanding::of(segments, &given.0)),
            _ => None,
        };
        Ok(CustomerAtTill {
            customer: self.customer.0,
            loyalty,
            standing,
        })
    }
}
