//! A customer's notes, one of their receipts opened, and a blank card
//! given to them at the desk.

use clientele_domain::{CustomerId, Note, ReceiptKey};
use clientele_store::{DbResult, NewNote, ReceiptDetail};

use crate::SqliteDatabase;
use crate::errors::{backend, constraint};
use crate::receipts::{PurchaseRow, ReturnRow, history_owners};
use crate::rows::micros;

type LineRow = crate::rows::Stored<clientele_store::ReceiptLine>;

pub(crate) async fn add_note(db: &SqliteDatabase, note: &NewNote) -> DbResult<Note> {
    // One writer: the next number of the customer's notes is free.
    let row: crate::rows::Stored<Note> = sqlx::query_as(
        "INSERT INTO customer_notes (customer_id, id, author, text, created_at)
         SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4
         FROM customer_notes WHERE customer_id = ?1
         RETURNING customer_id, id, author, text, created_at",
    )
    .bind(note.customer_id.0)
    .bind(&note.author)
    .bind(note.text.as_str())
    .bind(micros(note.at))
    .fetch_one(&db.write)
    .await
    .map_err(|e| constraint(e, &[]))?;
    Ok(row.0)
}

pub(crate) async fn receipt_of(
    db: &SqliteDatabase,
    customer_id: CustomerId,
    key: ReceiptKey,
) -> DbResult<Option<ReceiptDetail>> {
    let mut conn = db.read.acquire().await.map_err(backend)?;
    let purchase: Option<PurchaseRow> = sqlx::query_as(concat!(
        "SELECT r.id, r.customer_id, r.till_id, r.store_id, r.receipt_id, r.created_at,
                r.total_minor, r.discount_minor, r.points_paid, r.points_accrued,
                r.to_pay_minor,
                (SELECT COUNT(*) FROM receipt_lines l WHERE l.receipt_key = r.id) AS lines
         FROM receipts r WHERE r.id = ?2 AND r.customer_id IN (",
        history_owners!(),
        ")"
    ))
    .bind(customer_id.0)
    .bind(key.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    let Some(purchase) = purchase else {
        return Ok(None);
    };
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT line, sku, name, category, quantity_milli, price_minor, amount_minor,
                discount_minor, points_paid, points_accrued, to_pay_minor
         FROM receipt_lines WHERE receipt_key = ?1 ORDER BY line",
    )
    .bind(key.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let returns: Vec<ReturnRow> = sqlx::query_as(
        "SELECT receipt_key, customer_id, return_id, created_at, refund_minor,
                points_returned, points_taken_back
         FROM returns WHERE receipt_key = ?1 ORDER BY created_at, id",
    )
    .bind(key.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(Some(ReceiptDetail {
        purchase: purchase.0,
        lines: lines.into_iter().map(|row| row.0).collect(),
        returns: returns.into_iter().map(|row| row.0).collect(),
    }))
}
