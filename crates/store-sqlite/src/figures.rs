//! The home page's figures. Each is a scan (the receipts' through an index
//! that holds every column they read, migration 0014); the app keeps the
//! answer for a minute rather than asking on every page.

use clientele_store::{BusinessFigures, DaySales, DbResult, FiguresQuery};

use crate::SqliteDatabase;
use crate::errors::backend;
use crate::rows::{json, micros};
use async_trait::async_trait;
use clientele_store::area::Figures;

#[async_trait]
impl Figures for SqliteDatabase {
    async fn business_figures(&self, query: &FiguresQuery) -> DbResult<BusinessFigures> {
        let stores: Option<String> = query
            .stores
            .as_ref()
            .map(|stores| json(&stores.iter().map(|s| s.0).collect::<Vec<_>>()));
        let days = json(
            &query
                .days
                .iter()
                .map(|(start, end)| [micros(*start), micros(*end)])
                .collect::<Vec<_>>(),
        );
        let mut conn = self.reader().await?;
        let customers: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customers
             WHERE status <> 'archived' AND merged_into IS NULL
               AND (?1 IS NULL OR store_id IN (SELECT value FROM json_each(?1)))",
        )
        .bind(&stores)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        let active: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT customer_id) FROM receipts
             WHERE created_at >= ?2 AND customer_id IS NOT NULL
               AND (?1 IS NULL OR store_id IN (SELECT value FROM json_each(?1)))",
        )
        .bind(&stores)
        .bind(micros(query.active_since))
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        let outstanding: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(l.remaining), 0) FROM point_lots l
             WHERE l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > ?2)
               AND (?1 IS NULL OR l.customer_id IN (
                   SELECT id FROM customers WHERE store_id IN (SELECT value FROM json_each(?1))))",
        )
        .bind(&stores)
        .bind(micros(query.now))
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        let sales: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT d.key, COUNT(k.id), COALESCE(SUM(k.total_minor - k.discount_minor), 0)
             FROM (SELECT key, value ->> 0 AS day_start, value ->> 1 AS day_end
                   FROM json_each(?1)) d
             LEFT JOIN receipts k
               ON k.created_at >= d.day_start AND k.created_at < d.day_end
              AND (?2 IS NULL OR k.store_id IN (SELECT value FROM json_each(?2)))
             GROUP BY d.key ORDER BY d.key",
        )
        .bind(&days)
        .bind(&stores)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let refunds: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT d.key, COALESCE(SUM(r.refund_minor), 0)
             FROM (SELECT key, value ->> 0 AS day_start, value ->> 1 AS day_end
                   FROM json_each(?1)) d
             LEFT JOIN returns r
               ON r.created_at >= d.day_start AND r.created_at < d.day_end
              AND (?2 IS NULL OR r.receipt_key IN (
                  SELECT id FROM receipts WHERE store_id IN (SELECT value FROM json_each(?2))))
             GROUP BY d.key ORDER BY d.key",
        )
        .bind(&days)
        .bind(&stores)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        Ok(BusinessFigures {
            customers: u64::try_from(customers).unwrap_or_default(),
            active_customers: u64::try_from(active).unwrap_or_default(),
            points_outstanding: outstanding,
            days: sales
                .into_iter()
                .zip(refunds)
                .map(
                    |((_, receipts, revenue_minor), (_, refunds_minor))| DaySales {
                        receipts: u64::try_from(receipts).unwrap_or_default(),
                        revenue_minor,
                        refunds_minor,
                    },
                )
                .collect(),
        })
    }
}
