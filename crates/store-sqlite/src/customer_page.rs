//! A customer's note, numbered by the engine.

use clientele_domain::Note;
use clientele_store::{DbResult, NewNote};

use crate::SqliteDatabase;
use crate::errors::constraint;
use crate::rows::micros;

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
