//! How domain records map to SQLite rows: read through `FromRow`, written as
//! JSON rows that one statement unpacks with `json_each`, so a batch of any
//! size is a single prepared statement.

use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::Sqlite;
use sqlx::query_builder::Separated;

/// A customer's columns as SQLite gathers them ([`clientele_store_sql::customer_columns`]).
macro_rules! customer_columns {
    () => {
        clientele_store_sql::customer_columns!("json_group_object")
    };
}
pub(crate) use customer_columns;

/// A customer read the way every engine reads one.
pub type CustomerRow = Stored<clientele_domain::Customer>;

/// A value read the way every engine reads it.
pub type Stored<T> = clientele_store_sql::Stored<crate::engine::SqliteEngine, T>;

/// A stored value this binary cannot read back.
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> DbError {
    DbError::Backend(format!("a stored record with an unreadable {what}: {detail}").into())
}

/// A value as the JSON text SQLite keeps or unpacks with `json_each`.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("records serialise")
}

pub fn timestamp(micros: i64) -> DbResult<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|e| corrupt("time", e))
}

pub fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// One customer as the columns of `customers` they are written to.
pub type CustomerWrite<'a> = clientele_store_sql::CustomerWrite<'a, crate::engine::SqliteEngine>;

/// Binds every column of a customer, in the order of `INSERT_CUSTOMERS`.
pub fn bind_customer(customer: &CustomerWrite<'_>, mut row: Separated<'_, Sqlite, &'static str>) {
    row.push_bind(customer.id)
        .push_bind(customer.name)
        .push_bind(customer.search_name.as_str())
        .push_bind(customer.phone)
        .push_bind(customer.email)
        .push_bind(customer.gender)
        .push_bind(customer.birth_date.map(|d| d.to_string()))
        .push_bind(customer.birthday_md)
        .push_bind(customer.address)
        .push_bind(customer.region)
        .push_bind(customer.city)
        .push_bind(json(customer.documents))
        .push_bind(customer.group_id)
        .push_bind(customer.status)
        .push_bind(customer.blocked)
        .push_bind(customer.blocked_reason)
        .push_bind(customer.notes)
        .push_bind(customer.referrer_id)
        .push_bind(customer.channel)
        .push_bind(customer.store_id)
        .push_bind(customer.external_id)
        .push_bind(json(customer.consents))
        .push_bind(customer.consent_flags)
        .push_bind(customer.merged_into)
        .push_bind(micros(customer.created_at))
        .push_bind(micros(customer.updated_at))
        .push_bind(customer.version);
}

/// One property value to write.
#[derive(Serialize)]
pub struct PropertyWrite<'a> {
    pub customer_id: i64,
    pub property_id: i64,
    pub value: &'a str,
}
