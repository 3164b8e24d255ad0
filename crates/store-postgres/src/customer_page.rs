//! A customer's note, numbered by the engine.

use clientele_domain::Note;
use clientele_store::{DbResult, NewNote};

use crate::PostgresDatabase;
use crate::errors::constraint;
use crate::rows::micro_time;
use jiff_sqlx::ToSqlx;

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
