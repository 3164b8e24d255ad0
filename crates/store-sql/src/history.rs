//! A customer's points ledger, purchases, returns, notes and referrals, and
//! the points owed.

use async_trait::async_trait;
use clientele_domain::{CustomerId, LedgerEntryId, Note, ReceiptKey};
use clientele_store::area::History;
use clientele_store::{
    DbResult, LedgerEntry, PointsOwed, Purchase, ReceiptDetail, ReceiptLine, Return,
};
use jiff::Timestamp;

use crate::sql::{all, one};
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

    async fn purchases(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Purchase>> {
        let sql = format!(
            "{} WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
            purchase_columns::<E>(),
            E::among_history_owners(&format!("r.{}", E::RECEIPT_OWNER))
        );
        let statement = Statement::new(&sql)
            .bind(customer_id.0)
            .bind(i64::from(limit));
        self.all(statement, Purchase::from_columns).await
    }

    async fn returns(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Return>> {
        let sql = format!(
            "{RETURN_COLUMNS} WHERE {} ORDER BY created_at DESC, id DESC LIMIT $2",
            E::among_history_owners(E::RECEIPT_OWNER)
        );
        let statement = Statement::new(&sql)
            .bind(customer_id.0)
            .bind(i64::from(limit));
        self.all(statement, Return::from_columns).await
    }

    async fn receipt_of(
        &self,
        customer_id: CustomerId,
        key: ReceiptKey,
    ) -> DbResult<Option<ReceiptDetail>> {
        let mut conn = self.reader().await?;
        let sql = format!(
            "{} WHERE r.id = $2 AND {}",
            purchase_columns::<E>(),
            E::among_history_owners(&format!("r.{}", E::RECEIPT_OWNER))
        );
        let statement = Statement::new(&sql).bind(customer_id.0).bind(key.0);
        let Some(purchase) = one::<E, _>(&mut conn, statement, Purchase::from_columns).await?
        else {
            return Ok(None);
        };
        // The receipt is one of the history's owners': its lines and returns
        // too, found beside it.
        let sql = format!(
            "SELECT l.line, l.sku, l.name, l.category, l.quantity_milli, l.price_minor,
                    l.amount_minor, l.discount_minor, l.points_paid, l.points_accrued,
                    l.to_pay_minor
             FROM receipt_lines l JOIN receipts r ON {}
             WHERE r.id = $2 AND {} ORDER BY l.line",
            lines_of_receipt::<E>(),
            E::among_history_owners(&format!("r.{}", E::RECEIPT_OWNER))
        );
        let statement = Statement::new(&sql).bind(customer_id.0).bind(key.0);
        let lines = all::<E, _>(&mut conn, statement, ReceiptLine::from_columns).await?;
        let sql = format!(
            "{RETURN_COLUMNS} WHERE receipt_key = $2 AND {} ORDER BY created_at, id",
            E::among_history_owners(E::RECEIPT_OWNER)
        );
        let statement = Statement::new(&sql).bind(customer_id.0).bind(key.0);
        let returns = all::<E, _>(&mut conn, statement, Return::from_columns).await?;
        Ok(Some(ReceiptDetail {
            purchase,
            lines,
            returns,
        }))
    }
}

const RETURN_COLUMNS: &str = "SELECT receipt_key, customer_id, return_id, created_at, refund_minor,
        points_returned, points_taken_back
 FROM returns";

/// A purchase's columns from `receipts r`, with its count of lines.
fn purchase_columns<E: Engine>() -> String {
    format!(
        "SELECT r.id, r.customer_id, r.till_id, r.store_id, r.receipt_id, r.created_at,
                r.total_minor, r.discount_minor, r.points_paid, r.points_accrued, r.to_pay_minor,
                (SELECT COUNT(*) FROM receipt_lines l WHERE {}) AS lines
         FROM receipts r",
        lines_of_receipt::<E>()
    )
}

/// `receipt_lines l` of `receipts r`: by the receipt, and by its owner
/// where the lines carry it (a table sharded by owner finds them by it).
pub(crate) fn lines_of_receipt<E: Engine>() -> String {
    match E::LINE_OWNER {
        Some(owner) => format!(
            "l.{owner} = r.{} AND l.receipt_key = r.id",
            E::RECEIPT_OWNER
        ),
        None => "l.receipt_key = r.id".into(),
    }
}
