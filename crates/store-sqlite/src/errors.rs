//! SQLite's errors in the store's terms.

use clientele_store::StoreError;
use sqlx::error::ErrorKind;

pub fn backend(error: sqlx::Error) -> StoreError {
    StoreError::backend(error)
}

/// Turns constraint violations into the store's errors; `fields` maps a
/// `table.column` of a unique constraint to the field name callers know.
pub fn constraint(error: sqlx::Error, fields: &[(&str, &'static str)]) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        match db.kind() {
            ErrorKind::UniqueViolation => {
                let message = db.message();
                let field = fields
                    .iter()
                    .find(|(column, _)| message.contains(column))
                    .map_or("value", |(_, field)| *field);
                return StoreError::Conflict {
                    field,
                    existing_customer: None,
                };
            }
            ErrorKind::ForeignKeyViolation => {
                return StoreError::MissingReference { field: "reference" };
            }
            _ => {}
        }
    }
    backend(error)
}
