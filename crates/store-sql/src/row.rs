//! A row as the portable code reads it, through its engine.

use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use serde::de::DeserializeOwned;

use crate::Engine;

/// One row of an engine's answer; columns are read by name.
pub struct Got<'r, E: Engine> {
    row: &'r <E::Db as sqlx::Database>::Row,
}

impl<'r, E: Engine> Got<'r, E> {
    pub fn new(row: &'r <E::Db as sqlx::Database>::Row) -> Got<'r, E> {
        Got { row }
    }

    pub fn int(&self, column: &str) -> DbResult<i64> {
        E::int(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn int_or_null(&self, column: &str) -> DbResult<Option<i64>> {
        E::int(self.row, column)
    }

    pub fn text(&self, column: &str) -> DbResult<String> {
        E::text(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn text_or_null(&self, column: &str) -> DbResult<Option<String>> {
        E::text(self.row, column)
    }

    pub fn flag(&self, column: &str) -> DbResult<bool> {
        E::flag(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn time(&self, column: &str) -> DbResult<Timestamp> {
        E::time(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn time_or_null(&self, column: &str) -> DbResult<Option<Timestamp>> {
        E::time(self.row, column)
    }

    pub fn json<T: DeserializeOwned>(&self, column: &str) -> DbResult<T> {
        self.json_or_null(column)?.ok_or_else(|| missing(column))
    }

    pub fn json_or_null<T: DeserializeOwned>(&self, column: &str) -> DbResult<Option<T>> {
        E::json(self.row, column)
    }

    pub fn date(&self, column: &str) -> DbResult<jiff::civil::Date> {
        E::date(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn date_or_null(&self, column: &str) -> DbResult<Option<jiff::civil::Date>> {
        E::date(self.row, column)
    }

    pub fn bytes(&self, column: &str) -> DbResult<Vec<u8>> {
        E::bytes(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn ids(&self, column: &str) -> DbResult<Vec<i64>> {
        E::ids(self.row, column)?.ok_or_else(|| missing(column))
    }

    pub fn ids_or_null(&self, column: &str) -> DbResult<Option<Vec<i64>>> {
        E::ids(self.row, column)
    }
}

fn missing(column: &str) -> DbError {
    unreadable(column, "no value")
}

/// A stored value the store cannot read: a fault of the database, never of
/// a caller.
pub fn unreadable(column: &str, detail: impl std::fmt::Display) -> DbError {
    DbError::Backend(format!("the column {column} holds what cannot be read: {detail}").into())
}
