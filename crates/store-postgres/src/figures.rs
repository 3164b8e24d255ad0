//! The home page's figures. Each is a scan (the receipts' through an index
//! that holds every column they read, migration 0013); the app keeps the
//! answer for a minute rather than asking on every page.

use clientele_store::{BusinessFigures, DaySales, DbResult, FiguresQuery};

use crate::PostgresDatabase;
use crate::errors::backend;
use crate::rows::time;
use async_trait::async_trait;
use clientele_store::area::Figures;

#[async_trait]
impl Figures for PostgresDatabase {
    async fn business_figures(&self, query: &FiguresQuery) -> DbResult<BusinessFigures> {
        let stores: Option<Vec<i64>> = query
            .stores
            .as_ref()
            .map(|stores| stores.iter().map(|s| s.0).collect());
        let starts: Vec<i64> = query.days.iter().map(|(s, _)| s.as_microsecond()).collect();
        let ends: Vec<i64> = query.days.iter().map(|(_, e)| e.as_microsecond()).collect();
        let (customers, active, outstanding): (i64, i64, i64) = sqlx::query_as(
            "SELECT
               (SELECT COUNT(*) FROM customers
                 WHERE status <> 'archived' AND merged_into IS NULL
                   AND ($1::bigint[] IS NULL OR store_id = ANY($1))),
               (SELECT COUNT(DISTINCT customer_id) FROM receipts
                 WHERE created_at >= $2 AND customer_id IS NOT NULL
                   AND ($1::bigint[] IS NULL OR store_id = ANY($1))),
               (SELECT COALESCE(SUM(l.remaining), 0)::bigint FROM point_lots l
                 WHERE l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > $3)
                   AND ($1::bigint[] IS NULL OR l.customer_id IN (
                       SELECT id FROM customers WHERE store_id = ANY($1))))",
        )
        .bind(&stores)
        .bind(time(query.active_since))
        .bind(time(query.now))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        let days: Vec<(i64, i64, i64)> = sqlx::query_as(
            "WITH d AS (
               SELECT n, timestamptz 'epoch' + day_start * interval '1 microsecond' AS day_start,
                         timestamptz 'epoch' + day_end * interval '1 microsecond' AS day_end
               FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS d (day_start, day_end, n))
             SELECT
               (SELECT COUNT(*) FROM receipts k
                 WHERE k.created_at >= d.day_start AND k.created_at < d.day_end
                   AND ($3::bigint[] IS NULL OR k.store_id = ANY($3))),
               (SELECT COALESCE(SUM(k.total_minor - k.discount_minor), 0)::bigint FROM receipts k
                 WHERE k.created_at >= d.day_start AND k.created_at < d.day_end
                   AND ($3::bigint[] IS NULL OR k.store_id = ANY($3))),
               (SELECT COALESCE(SUM(r.refund_minor), 0)::bigint FROM returns r
                 WHERE r.created_at >= d.day_start AND r.created_at < d.day_end
                   AND ($3::bigint[] IS NULL OR (r.owner_id, r.receipt_key) IN (
                       SELECT owner_id, id FROM receipts WHERE store_id = ANY($3))))
             FROM d ORDER BY d.n",
        )
        .bind(&starts)
        .bind(&ends)
        .bind(&stores)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(BusinessFigures {
            customers: u64::try_from(customers).unwrap_or_default(),
            active_customers: u64::try_from(active).unwrap_or_default(),
            points_outstanding: outstanding,
            days: days
                .into_iter()
                .map(|(receipts, revenue_minor, refunds_minor)| DaySales {
                    receipts: u64::try_from(receipts).unwrap_or_default(),
                    revenue_minor,
                    refunds_minor,
                })
                .collect(),
        })
    }
}
