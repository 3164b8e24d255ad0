//! SQLite's errors in the database layer's terms.

use clientele_store::DbError;
use sqlx::error::ErrorKind;

pub fn backend(error: sqlx::Error) -> DbError {
    DbError::backend(error)
}

/// Turns constraint violations into the database layer's errors; `fields` maps a
/// `table.column` of a unique constraint to the field name callers know.
pub fn constraint(error: sqlx::Error, fields: &[(&str, &'static str)]) -> DbError {
    if let sqlx::Error::Database(db) = &error {
        match db.kind() {
            ErrorKind::UniqueViolation => {
                let message = db.message();
                let field = fields
                    .iter()
                    .find(|(column, _)| message.contains(column))
                    .map_or("value", |(_, field)| *field);
                return DbError::Conflict {
                    field,
                    existing_customer: None,
                };
            }
            ErrorKind::ForeignKeyViolation => {
                return DbError::MissingReference { field: "reference" };
            }
            _ => {}
        }
    }
    backend(error)
}
