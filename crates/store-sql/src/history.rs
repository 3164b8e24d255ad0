//! A customer's points ledger, notes and referrals, and the points owed.

use async_trait::async_trait;
use clientele_domain::{CustomerId, LedgerEntryId, Note};
use clientele_store::area::History;
use clientele_store::{DbResult, LedgerEntry, PointsOwed};
use jiff::Timestamp;

use crate::{Engine, FromColumns, Sql, Statement};

#[async_trait]
impl<E: Engine> History for Sql<E> {
    async fn ledger(
        &self,
        customer_id: CustomerId,
        before: Option<LedgerEntryId>,
        limit: u32,
    ) -> DbResult<Vec<LedgerEntry>> {
        let statement = Statement::new(
            "SELECT e.id, e.customer_id, e.kind, e.points, e.receipt_key, e.till_id, e.user_id,
                    e.comment, e.counterpart_id, o.name AS counterpart_name, e.usable_from,
                    e.expires_at, e.created_at
             FROM ledger_entries e LEFT JOIN customers o ON o.id = e.counterpart_id
             WHERE e.customer_id = $1 AND e.id < $2 ORDER BY e.id DESC LIMIT $3",
        )
        .bind(customer_id.0)
        .bind(before.map_or(i64::MAX, |b| b.0))
        .bind(i64::from(limit));
        self.all(statement, LedgerEntry::from_columns).await
    }

    async fn referrals_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<(CustomerId, String, Timestamp)>> {
        let statement = Statement::new(
            "SELECT id, name, created_at FROM customers WHERE referrer_id = $1
             ORDER BY id DESC LIMIT $2",
        )
        .bind(customer_id.0)
        .bind(i64::from(limit));
        self.all(statement, |row| {
            Ok((
                CustomerId(row.int("id")?),
                row.text("name")?,
                row.time("created_at")?,
            ))
        })
        .await
    }

    async fn points_owed(&self, after: CustomerId, limit: u32) -> DbResult<PointsOwed> {
        let totals = Statement::new(
            "SELECT CAST(COALESCE(SUM(debt), 0) AS bigint) AS total, COUNT(*) AS customers
             FROM customer_loyalty WHERE debt > 0",
        );
        let (total, customers) = self
            .one(totals, |row| Ok((row.int("total")?, row.int("customers")?)))
            .await?
            .unwrap_or((0, 0));
        let page = Statement::new(
            "SELECT l.customer_id, c.name, l.debt
             FROM customer_loyalty l JOIN customers c ON c.id = l.customer_id
             WHERE l.debt > 0 AND l.customer_id > $1
             ORDER BY l.customer_id LIMIT $2",
        )
        .bind(after.0)
        .bind(i64::from(limit));
        let items = self
            .all(page, |row| {
                Ok((
                    CustomerId(row.int("customer_id")?),
                    row.text("name")?,
                    row.int("debt")?,
                ))
            })
            .await?;
        Ok(PointsOwed {
            total,
            customers,
            items,
        })
    }

    async fn notes(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Note>> {
        let sql = format!(
            "SELECT customer_id, id, author, text, created_at FROM customer_notes
             WHERE {} ORDER BY created_at DESC, customer_id, id DESC LIMIT $2",
            E::among_history_owners("customer_id")
        );
        let statement = Statement::new(&sql)
            .bind(customer_id.0)
            .bind(i64::from(limit));
        self.all(statement, Note::from_columns).await
    }
}
