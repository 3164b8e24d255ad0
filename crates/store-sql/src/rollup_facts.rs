//! The facts the figures are rolled up from: what was committed within a
//! span, read by the time it was committed, each kind in that order.

use clientele_domain::report::{
    DisplacedFirst, Facts, LineFact, ReceiptFact, ReturnFact, ReturnLineFact,
};
use clientele_domain::{CustomerId, StoreId};
use clientele_store::DbResult;
use jiff::Timestamp;

use crate::history::lines_of_receipt;
use crate::{Engine, Got, Sql, Statement};

fn receipt<E: Engine>(row: &Got<'_, E>) -> DbResult<ReceiptFact> {
    Ok(ReceiptFact {
        store_id: StoreId(row.int("store_id")?),
        customer_id: row.int_or_null("customer_id")?.map(CustomerId),
        created_at: row.time("created_at")?,
        total_minor: row.int("total_minor")?,
        discount_minor: row.int("discount_minor")?,
        points_accrued: row.int("points_accrued")?,
        points_paid: row.int("points_paid")?,
        first_purchase: row.int("first_purchase")? == 1,
    })
}

fn displaced_first<E: Engine>(row: &Got<'_, E>) -> DbResult<DisplacedFirst> {
    Ok(DisplacedFirst {
        store_id: StoreId(row.int("store_id")?),
        created_at: row.time("created_at")?,
    })
}

fn taken_back<E: Engine>(row: &Got<'_, E>) -> DbResult<ReturnFact> {
    Ok(ReturnFact {
        store_id: StoreId(row.int("store_id")?),
        created_at: row.time("created_at")?,
        refund_minor: row.int("refund_minor")?,
        points_returned: row.int("points_returned")?,
        points_taken_back: row.int("points_taken_back")?,
    })
}

fn line<E: Engine>(row: &Got<'_, E>) -> DbResult<LineFact> {
    Ok(LineFact {
        store_id: StoreId(row.int("store_id")?),
        customer_id: row.int_or_null("customer_id")?.map(CustomerId),
        created_at: row.time("created_at")?,
        sku: row.text("sku")?,
        name: row.text("name")?,
        category: row.text_or_null("category")?,
        quantity_milli: row.int("quantity_milli")?,
        amount_minor: row.int("amount_minor")?,
        discount_minor: row.int("discount_minor")?,
        points_paid: row.int("points_paid")?,
        points_accrued: row.int("points_accrued")?,
    })
}

fn line_returned<E: Engine>(row: &Got<'_, E>) -> DbResult<ReturnLineFact> {
    Ok(ReturnLineFact {
        store_id: StoreId(row.int("store_id")?),
        created_at: row.time("created_at")?,
        sku: row.text("sku")?,
        name: row.text("name")?,
        category: row.text_or_null("category")?,
        quantity_milli: row.int("quantity_milli")?,
        refund_minor: row.int("refund_minor")?,
    })
}

/// The receipts committed after `after` up to `up_to` (both bound first
/// and second), and the returns taken in that time, with their lines.
pub(crate) async fn facts<E: Engine>(
    sql: &Sql<E>,
    after: Timestamp,
    up_to: Timestamp,
) -> DbResult<Facts> {
    // A customer's first purchase is their earliest receipt rolled up so
    // far: counted where it is, and taken off the day of the one counted
    // before when a receipt uploaded late came before it. A rebuild, which
    // rolls every receipt up, counts each customer's earliest once.
    let owner = E::RECEIPT_OWNER;
    let customer = E::CUSTOMER_RECEIPT;
    let before = |o: &str, r: &str, up_to: &str| {
        format!(
            "SELECT 1 FROM receipts {o} WHERE {o}.{owner} = {r}.{owner} AND {o}.committed_at <= {up_to}
               AND ({o}.created_at < {r}.created_at
                    OR ({o}.created_at = {r}.created_at AND {o}.id < {r}.id))"
        )
    };
    let receipts = format!(
        "SELECT r.store_id, r.customer_id, r.created_at, r.total_minor, r.discount_minor,
                r.points_accrued, r.points_paid,
                CASE WHEN {customer} AND NOT EXISTS ({}) THEN 1 ELSE 0 END AS first_purchase
         FROM receipts r
         WHERE r.committed_at > $1 AND r.committed_at <= $2
         ORDER BY r.committed_at, r.id",
        before("o", "r", "$2")
    );
    let displaced = format!(
        "SELECT p.store_id, p.created_at
         FROM receipts r JOIN receipts p ON p.{owner} = r.{owner} AND p.committed_at <= $1
         WHERE r.committed_at > $1 AND r.committed_at <= $2 AND {customer}
           AND NOT EXISTS ({}) AND NOT EXISTS ({})",
        before("o", "r", "$2"),
        before("q", "p", "$1")
    );
    // Lines in the order committed: a product is named by its last sale.
    let lines = format!(
        "SELECT r.store_id, r.customer_id, r.created_at, l.sku, l.name, l.category,
                l.quantity_milli, l.amount_minor, l.discount_minor, l.points_paid,
                l.points_accrued
         FROM receipts r JOIN receipt_lines l ON {}
         WHERE r.committed_at > $1 AND r.committed_at <= $2
         ORDER BY r.committed_at, r.id, l.line",
        lines_of_receipt::<E>()
    );
    // A return counts in the store of the till that took it; its line
    // names the receipt's line it gives back, which has the product.
    let returns = "SELECT t.store_id, rt.created_at, rt.refund_minor, rt.points_returned,
                          rt.points_taken_back
                   FROM returns rt JOIN tills t ON t.id = rt.till_id
                   WHERE rt.created_at > $1 AND rt.created_at <= $2
                   ORDER BY rt.created_at, rt.id";
    let (return_owner, line_owner) = match E::LINE_OWNER {
        Some(owner) => (
            format!(" AND rl.{owner} = rt.{}", E::RECEIPT_OWNER),
            format!(" AND li.{owner} = rl.{owner}"),
        ),
        None => Default::default(),
    };
    let returned = format!(
        "SELECT t.store_id, rt.created_at, li.sku, li.name, li.category, rl.quantity_milli,
                rl.refund_minor
         FROM returns rt JOIN tills t ON t.id = rt.till_id
         JOIN return_lines rl ON rl.return_key = rt.id{return_owner}
         JOIN receipt_lines li ON li.receipt_key = rl.receipt_key AND li.line = rl.line{line_owner}
         WHERE rt.created_at > $1 AND rt.created_at <= $2
         ORDER BY rt.created_at, rt.id, rl.line"
    );
    let span = |sql| Statement::new(sql).bind(after).bind(up_to);
    Ok(Facts {
        receipts: sql.all(span(&receipts), receipt).await?,
        returns: sql.all(span(returns), taken_back).await?,
        lines: sql.all(span(&lines), line).await?,
        returned: sql.all(span(&returned), line_returned).await?,
        displaced: sql.all(span(&displaced), displaced_first).await?,
    })
}
