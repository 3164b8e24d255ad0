//! A customer's notes, one of their receipts opened, and a blank card
//! given to them at the desk.

use clientele_domain::{CustomerId, Note, ReceiptKey};
use clientele_store::{DbResult, NewNote, ReceiptDetail};

use crate::PostgresDatabase;
use crate::errors::{backend, constraint};
use crate::receipts::{PurchaseRow, ReturnRow, history_owners};
use crate::rows::micro_time;
use jiff_sqlx::ToSqlx;

type LineRow = crate::rows::Stored<clientele_store::ReceiptLine>;

pub(crate) async fn add_note(db: &PostgresDatabase, note: &NewNote) -> DbResult<Note> {
    let row: crate::rows::Stored<Note> = sqlx::query_as(
        "INSERT INTO customer_notes (customer_id, author, text, created_at)
         VALUES ($1, $2, $3, $4)
         RETURNING customer_id, id, author, text, created_at",
    )
    .bind(note.customer_id.0)
    .bind(&note.author)
    .bind(note.text.as_str())
    .bind(micro_time(note.at).to_sqlx())
    .fetch_one(&db.pool)
    .await
    .map_err(constraint)?;
    Ok(row.0)
}

pub(crate) async fn receipt_of(
    db: &PostgresDatabase,
    customer_id: CustomerId,
    key: ReceiptKey,
) -> DbResult<Option<ReceiptDetail>> {
    let mut conn = db.pool.acquire().await.map_err(backend)?;
    let purchase: Option<PurchaseRow> = sqlx::query_as(concat!(
        "SELECT r.id, r.customer_id, r.till_id, r.store_id, r.receipt_id, r.created_at,
                r.total_minor, r.discount_minor, r.points_paid, r.points_accrued,
                r.to_pay_minor,
                (SELECT COUNT(*) FROM receipt_lines l
                 WHERE l.owner_id = r.owner_id AND l.receipt_key = r.id) AS lines
         FROM receipts r WHERE r.id = $2 AND r.owner_id = ANY(",
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
    // The receipt is one of the history's owners': its lines and returns too.
    let lines: Vec<LineRow> = sqlx::query_as(concat!(
        "SELECT line, sku, name, category, quantity_milli, price_minor, amount_minor,
                discount_minor, points_paid, points_accrued, to_pay_minor
         FROM receipt_lines WHERE receipt_key = $2 AND owner_id = ANY(",
        history_owners!(),
        ") ORDER BY line"
    ))
    .bind(customer_id.0)
    .bind(key.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let returns: Vec<ReturnRow> = sqlx::query_as(concat!(
        "SELECT receipt_key, customer_id, return_id, created_at, refund_minor,
                points_returned, points_taken_back
         FROM returns WHERE receipt_key = $2 AND owner_id = ANY(",
        history_owners!(),
        ") ORDER BY created_at, id"
    ))
    .bind(customer_id.0)
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
