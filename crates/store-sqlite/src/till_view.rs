//! A customer as a till sees them: the record and the account, read by one
//! statement, since every step at the till needs both; while offers run,
//! their segments and what capped offers gave them come in the same read.

use clientele_domain::OfferId;
use clientele_store::area::{CustomerAtTill, OfferStanding, TillKey};
use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::errors::backend;
use crate::receipts::{LoyaltyRow, loyalty_columns};
use crate::rows::{CustomerRow, customer_columns, micros};

#[derive(sqlx::FromRow)]
struct TillRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    #[sqlx(flatten)]
    loyalty: LoyaltyRow,
    /// `[segment_id, …]`, read when offers run.
    segments: Option<String>,
    /// `[[offer_id, points, money], …]`, one per use of a capped offer.
    offers_given: Option<String>,
}

/// The read of a customer at the till, ending in its `WHERE`: the
/// standing's subqueries run only when offers are named (?3 not NULL).
macro_rules! at_till {
    ($where:literal) => {
        concat!(
            "SELECT ",
            customer_columns!(),
            ", ",
            loyalty_columns!("c.id"),
            ", CASE WHEN ?3 IS NOT NULL THEN
                   (SELECT json_group_array(m.segment_id) FROM segment_members m
                    WHERE m.customer_id = c.id) END AS segments,
               CASE WHEN ?3 IS NOT NULL THEN
                   (SELECT json_group_array(json_array(u.offer_id, u.points_accrued, u.discount_minor))
                    FROM offer_uses u WHERE u.customer_id = c.id
                      AND u.offer_id IN (SELECT value FROM json_each(?3))) END AS offers_given
             FROM customers c LEFT JOIN customer_loyalty l ON l.customer_id = c.id ",
            $where
        )
    };
}

pub async fn customer_at_till(
    conn: &mut SqliteConnection,
    key: TillKey<'_>,
    at: Timestamp,
    offers: Option<&[OfferId]>,
) -> DbResult<Option<CustomerAtTill>> {
    let offers = offers.map(|ids| {
        let ids: Vec<String> = ids.iter().map(|o| o.0.to_string()).collect();
        format!("[{}]", ids.join(","))
    });
    let query = match key {
        TillKey::Id(id) => sqlx::query_as(at_till!("WHERE c.id = ?1")).bind(id.0),
        TillKey::Phone(phone) => {
            sqlx::query_as(at_till!("WHERE c.phone = ?1")).bind(phone.as_str())
        }
    };
    let row: Option<TillRow> = query
        .bind(micros(at))
        .bind(offers)
        .fetch_optional(conn)
        .await
        .map_err(backend)?;
    row.map(TillRow::into_customer).transpose()
}

impl TillRow {
    fn into_customer(self) -> DbResult<CustomerAtTill> {
        let standing = match (self.segments, self.offers_given) {
            (Some(segments), Some(given)) => {
                let read = |what: &str, e: serde_json::Error| {
                    DbError::Backend(format!("a customer's {what}: {e}").into())
                };
                let segments: Vec<i64> =
                    serde_json::from_str(&segments).map_err(|e| read("segments", e))?;
                let given: Vec<(i64, i64, i64)> =
                    serde_json::from_str(&given).map_err(|e| read("offers", e))?;
                Some(OfferStanding::of(segments, &given))
            }
            _ => None,
        };
        Ok(CustomerAtTill {
            customer: self.customer.0,
            loyalty: self.loyalty.into_loyalty()?,
            standing,
        })
    }
}
