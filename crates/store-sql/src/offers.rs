//! Personal offers and their coupons, the same on every engine.

use async_trait::async_trait;
use clientele_domain::offer::{BudgetUsed, CouponCode, Offer, OfferTerms};
use clientele_domain::{CustomerId, OfferId, SegmentId};
use clientele_store::area::{
    Coupon, CouponHolder, CustomerReach, KeptOffer, OfferStanding, Offers,
};
use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::reports::{NOT_MERGED, push_customers};
use crate::sql::unanswered;
use crate::{Engine, Got, Sql, Statement, Value, unreadable};

/// A span of at least 1 / `LONG_SPAN` of the history is read in customer
/// order: past that, reading every customer's receipts in order costs less
/// than sorting the span's by customer (about a fifth, measured on SQLite).
const LONG_SPAN: i32 = 5;

const OFFER: &str = "id, terms, created_at, updated_at, version";
const COUPON: &str = "code, offer_id, customer_id, issued_at, used_at";

fn offer<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptOffer> {
    Ok(KeptOffer {
        offer: Offer {
            id: OfferId(row.int("id")?),
            terms: row.json("terms")?,
        },
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}

fn coupon<E: Engine>(row: &Got<'_, E>) -> DbResult<Coupon> {
    Ok(Coupon {
        code: CouponCode::parse(&row.text("code")?).map_err(|e| unreadable("code", e.message))?,
        offer_id: OfferId(row.int("offer_id")?),
        customer_id: row.int_or_null("customer_id")?.map(CustomerId),
        issued_at: row.time("issued_at")?,
        used_at: row.time_or_null("used_at")?,
    })
}

fn segment_of(terms: &OfferTerms) -> Option<i64> {
    terms.audience.segment().map(|segment| segment.0)
}

/// The columns a refused offer names.
const OFFER_FIELDS: &[(&str, &str)] = &[("offers.name", "name")];

#[async_trait]
impl<E: Engine> Offers for Sql<E> {
    async fn offers(&self) -> DbResult<Vec<KeptOffer>> {
        let sql = format!("SELECT {OFFER} FROM offers ORDER BY name");
        self.all(Statement::new(&sql), offer).await
    }

    async fn offer(&self, id: OfferId) -> DbResult<Option<KeptOffer>> {
        let sql = format!("SELECT {OFFER} FROM offers WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), offer).await
    }

    async fn create_offer(&self, terms: &OfferTerms, at: Timestamp) -> DbResult<KeptOffer> {
        let sql = format!(
            "INSERT INTO offers (name, terms, active, segment_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {OFFER}"
        );
        let statement = Statement::new(&sql)
            .bind(terms.name.as_str())
            .bind(Value::json(terms))
            .bind(terms.active)
            .bind(segment_of(terms))
            .bind(at);
        let kept = self.written(statement, OFFER_FIELDS, offer).await;
        kept.map_err(segment_missing)?.ok_or_else(unanswered)
    }

    async fn update_offer(
        &self,
        id: OfferId,
        terms: &OfferTerms,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptOffer>> {
        let sql = format!(
            "UPDATE offers SET name = $1, terms = $2, active = $3, segment_id = $4,
                    updated_at = $5, version = version + 1
             WHERE id = $6 AND version = $7 RETURNING {OFFER}"
        );
        let statement = Statement::new(&sql)
            .bind(terms.name.as_str())
            .bind(Value::json(terms))
            .bind(terms.active)
            .bind(segment_of(terms))
            .bind(at)
            .bind(id.0)
            .bind(version);
        match self
            .written(statement, OFFER_FIELDS, offer)
            .await
            .map_err(segment_missing)?
        {
            Some(kept) => Ok(Some(kept)),
            None if self.offer(id).await?.is_some() => Err(DbError::StaleVersion),
            None => Ok(None),
        }
    }

    async fn offers_for_segment(&self, segment: SegmentId) -> DbResult<Vec<KeptOffer>> {
        let sql = format!("SELECT {OFFER} FROM offers WHERE segment_id = $1 ORDER BY name");
        self.all(Statement::new(&sql).bind(segment.0), offer).await
    }

    async fn add_coupons(
        &self,
        offer: OfferId,
        coupons: &[(CouponCode, Option<CustomerId>)],
        at: Timestamp,
    ) -> DbResult<Vec<CouponCode>> {
        let mut kept = Vec::with_capacity(coupons.len());
        let mut tx = self.begin().await?;
        for (code, customer) in coupons {
            let statement = Statement::new(
                "INSERT INTO coupons (code, offer_id, customer_id, issued_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(code.as_str())
            .bind(offer.0)
            .bind(customer.map(|c| c.0))
            .bind(at);
            if crate::sql::execute::<E>(&mut *tx, statement).await? == 1 {
                kept.push(code.clone());
            }
        }
        crate::sql::commit::<E>(tx).await?;
        Ok(kept)
    }

    async fn coupon(&self, code: &CouponCode) -> DbResult<Option<Coupon>> {
        let sql = format!("SELECT {COUPON} FROM coupons WHERE code = $1");
        self.one(Statement::new(&sql).bind(code.as_str()), coupon)
            .await
    }

    async fn unused_coupon_holders(
        &self,
        offer: OfferId,
        ids: &[CustomerId],
    ) -> DbResult<Vec<CustomerId>> {
        let sql = format!(
            "SELECT DISTINCT customer_id FROM coupons
             WHERE offer_id = $2 AND used_at IS NULL AND {}",
            E::among_ids("customer_id", "$1")
        );
        let ids = ids.iter().map(|id| id.0).collect();
        let statement = Statement::new(&sql)
            .bind(Value::Ids(Some(ids)))
            .bind(offer.0);
        self.all(statement, |row| Ok(CustomerId(row.int("customer_id")?)))
            .await
    }

    async fn coupons_of(
        &self,
        offer: OfferId,
        after: Option<&CouponCode>,
        limit: u32,
    ) -> DbResult<Vec<Coupon>> {
        let sql = format!(
            "SELECT {COUPON} FROM coupons WHERE offer_id = $1 AND code > $2 ORDER BY code LIMIT $3"
        );
        let statement = Statement::new(&sql)
            .bind(offer.0)
            .bind(after.map_or("", CouponCode::as_str))
            .bind(i64::from(limit));
        self.all(statement, coupon).await
    }

    async fn coupon_holders(&self, ids: &[CustomerId]) -> DbResult<Vec<CouponHolder>> {
        crate::holders::coupon_holders(self, ids).await
    }

    async fn audience(&self, segment: Option<SegmentId>) -> DbResult<Vec<CustomerId>> {
        let everyone = format!("SELECT c.id FROM customers c WHERE {NOT_MERGED}");
        let statement = match segment {
            Some(segment) => Statement::new(
                "SELECT customer_id AS id FROM segment_members WHERE segment_id = $1",
            )
            .bind(segment.0),
            None => Statement::new(&everyone),
        };
        let ids = self.packed(statement, ["id"]).await?;
        Ok(ids.into_iter().map(|[id]| CustomerId(id)).collect())
    }

    async fn purchases_between(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, i64, i64)>> {
        // A span of most of the history is read in the customers' order,
        // a shorter one by time.
        let first = Statement::new("SELECT MIN(created_at) AS first FROM receipts");
        let first = self.one(first, |row| row.time_or_null("first")).await?;
        let long = first
            .flatten()
            .is_some_and(|first| to.duration_since(from) * LONG_SPAN >= to.duration_since(first));
        let sql = format!(
            "SELECT r.customer_id, COUNT(*) AS receipts,
                    CAST(SUM(r.total_minor - r.discount_minor) AS bigint) AS paid
             FROM {}
             WHERE r.created_at >= $1 AND r.created_at < $2 AND r.customer_id IS NOT NULL",
            if long {
                E::RECEIPTS_BY_CUSTOMER
            } else {
                "receipts r"
            }
        );
        let mut statement = Statement::new(&sql).bind(from).bind(to);
        if let Some(stores) = &reach.stores {
            statement.push_among::<E>("r.store_id", stores.iter().map(|s| s.0).collect());
        }
        push_customers(&mut statement, "r.customer_id", reach);
        statement.push(" GROUP BY r.customer_id");
        let bought = self
            .packed(statement, ["customer_id", "receipts", "paid"])
            .await?;
        Ok(bought
            .into_iter()
            .map(|[customer, receipts, paid]| (CustomerId(customer), receipts, paid))
            .collect())
    }

    async fn coupons_for(&self, customer: CustomerId, limit: u32) -> DbResult<Vec<Coupon>> {
        let sql = format!(
            "SELECT {COUPON} FROM coupons
             WHERE customer_id = $1 AND used_at IS NULL ORDER BY code LIMIT $2"
        );
        let statement = Statement::new(&sql).bind(customer.0).bind(i64::from(limit));
        self.all(statement, coupon).await
    }

    async fn budgets_given(
        &self,
        offers: &[OfferId],
        date: Date,
    ) -> DbResult<Vec<(OfferId, BudgetUsed)>> {
        let period = budget_periods(date);
        let sql = format!(
            "SELECT offer_id, period, points_given, discount_given FROM offer_budgets
             WHERE {} AND period IN ($2, $3, $4)",
            E::among_ids("offer_id", "$1")
        );
        let statement = Statement::new(&sql)
            .bind(Value::Ids(Some(offers.iter().map(|o| o.0).collect())))
            .bind(period[0].as_str())
            .bind(period[1].as_str())
            .bind(period[2].as_str());
        let counted = self
            .all(statement, |row| {
                Ok((
                    row.int("offer_id")?,
                    row.text("period")?,
                    row.int("points_given")?,
                    row.int("discount_given")?,
                ))
            })
            .await?;
        Ok(offers
            .iter()
            .map(|&offer| {
                let mut used = BudgetUsed::default();
                for (_, kind, points, money) in counted.iter().filter(|c| c.0 == offer.0) {
                    count_period(&mut used, &period, kind, *points, *money);
                }
                (offer, used)
            })
            .collect())
    }

    async fn offer_standing(
        &self,
        customer: CustomerId,
        offers: &[OfferId],
    ) -> DbResult<OfferStanding> {
        // One read on the till's path: the segments, then the offers' sums.
        let sql = format!(
            "SELECT 0 AS kind, segment_id AS id, 0 AS points, 0 AS money
             FROM segment_members WHERE customer_id = $1
             UNION ALL
             SELECT 1, offer_id, CAST(SUM(points_accrued) AS bigint),
                    CAST(SUM(discount_minor) AS bigint)
             FROM offer_uses WHERE customer_id = $1 AND {} GROUP BY offer_id",
            E::among_ids("offer_id", "$2")
        );
        let statement = Statement::new(&sql)
            .bind(customer.0)
            .bind(Value::Ids(Some(offers.iter().map(|o| o.0).collect())));
        let rows = self
            .all(statement, |row| {
                Ok((
                    row.int("kind")?,
                    row.int("id")?,
                    row.int("points")?,
                    row.int("money")?,
                ))
            })
            .await?;
        let mut standing = OfferStanding::default();
        for (kind, id, points, money) in rows {
            if kind == 0 {
                standing.segments.push(SegmentId(id));
            } else {
                standing.given.push((OfferId(id), points, money));
            }
        }
        Ok(standing)
    }
}

/// What an offer's budget row for `period` says, put in its place.
pub(crate) fn count_period(
    used: &mut BudgetUsed,
    periods: &[String; 3],
    period: &str,
    points: i64,
    money: i64,
) {
    let (p, m) = if period == periods[0] {
        (&mut used.points.total, &mut used.money.total)
    } else if period == periods[1] {
        (&mut used.points.day, &mut used.money.day)
    } else {
        (&mut used.points.month, &mut used.money.month)
    };
    (*p, *m) = (points, money);
}

/// The periods an offer's budget is counted in for a sale on `date`: in
/// all, that day, that month.
pub(crate) fn budget_periods(date: Date) -> [String; 3] {
    [
        "all".to_owned(),
        date.to_string(),
        format!("{:04}-{:02}", date.year(), date.month()),
    ]
}

/// The one reference an offer has is its segment.
fn segment_missing(error: DbError) -> DbError {
    match error {
        DbError::MissingReference { .. } => DbError::MissingReference {
            field: "segment_id",
        },
        other => other,
    }
}
