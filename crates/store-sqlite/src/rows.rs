//! How domain records map to SQLite rows: read through `FromRow`, written as
//! JSON rows that one statement unpacks with `json_each`, so a batch of any
//! size is a single prepared statement.

use clientele_domain::{Customer, CustomerId, CustomerProfile, Email, Gender, Phone};
use clientele_store::{DbError, DbResult, NewCustomerRecord};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::Sqlite;
use sqlx::query_builder::Separated;

/// The columns of `customers` in the order [`CustomerRow`] reads them, and
/// the customer's property values as one JSON object, so that a page of
/// customers is one statement (each statement is a hand-off to SQLite's
/// worker thread and back).
macro_rules! customer_columns {
    () => {
        "c.id, c.name, c.phone, c.email, c.gender, c.birth_date, c.address, c.region, c.city, \
         c.documents, c.group_id, c.status, c.blocked, c.blocked_reason, c.notes, c.referrer_id, \
         c.channel, c.store_id, c.external_id, c.consents, c.merged_into, \
         (SELECT s.name FROM customers s WHERE s.id = c.merged_into) AS merged_into_name, c.created_at, \
         c.updated_at, c.version, \
         (SELECT json_group_object(d.name, cp.value) \
          FROM customer_properties cp JOIN property_definitions d ON d.id = cp.property_id \
          WHERE cp.customer_id = c.id) AS properties"
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

/// One customer as a JSON object whose keys are the columns it is written to.
#[derive(Serialize)]
pub struct CustomerWrite<'a> {
    pub id: i64,
    name: &'a str,
    search_name: String,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    gender: Option<&'static str>,
    birth_date: Option<String>,
    birthday_md: Option<i32>,
    address: Option<&'a str>,
    region: Option<&'a str>,
    city: Option<&'a str>,
    documents: String,
    group_id: i64,
    status: &'static str,
    blocked: bool,
    blocked_reason: Option<&'a str>,
    notes: Option<&'a str>,
    referrer_id: Option<i64>,
    channel: &'static str,
    store_id: Option<i64>,
    external_id: Option<&'a str>,
    consents: String,
    consent_flags: i64,
    merged_into: Option<i64>,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

impl<'a> CustomerWrite<'a> {
    /// A customer just registered, as `record` holds them: the first
    /// version, merged into nobody.
    pub fn registered(id: i64, record: &'a NewCustomerRecord) -> CustomerWrite<'a> {
        CustomerWrite::new(
            id,
            &record.profile,
            None,
            record.created_at,
            record.created_at,
            1,
        )
    }

    /// A stored customer as changed `at`, written only over `version`.
    pub fn updated(customer: &'a Customer, at: Timestamp) -> CustomerWrite<'a> {
        CustomerWrite::new(
            customer.id.0,
            &customer.profile,
            customer.merged_into.as_ref().map(|m| m.id),
            customer.created_at,
            at,
            customer.version,
        )
    }

    pub fn new(
        id: i64,
        profile: &'a CustomerProfile,
        merged_into: Option<CustomerId>,
        created_at: Timestamp,
        updated_at: Timestamp,
        version: i64,
    ) -> CustomerWrite<'a> {
        CustomerWrite {
            id,
            name: &profile.name,
            search_name: profile.search_name(),
            phone: profile.phone.as_ref().map(Phone::as_str),
            email: profile.email.as_ref().map(Email::as_str),
            gender: profile.gender.map(Gender::as_str),
            birth_date: profile.birth_date.map(|d| d.to_string()),
            birthday_md: profile.birthday_md(),
            address: profile.address.as_deref(),
            region: profile.region.as_deref(),
            city: profile.city.as_deref(),
            documents: json(&profile.documents),
            group_id: profile.group_id.0,
            status: profile.status.as_str(),
            blocked: profile.blocked,
            blocked_reason: profile.blocked_reason.as_deref(),
            notes: profile.notes.as_deref(),
            referrer_id: profile.referrer_id.map(|id| id.0),
            channel: profile.channel.as_str(),
            store_id: profile.store_id.map(|id| id.0),
            external_id: profile.external_id.as_deref(),
            consents: json(&profile.consents),
            consent_flags: profile.consents.granted_flags(),
            merged_into: merged_into.map(|id| id.0),
            created_at: micros(created_at),
            updated_at: micros(updated_at),
            version,
        }
    }
}

impl CustomerWrite<'_> {
    /// Binds every column, in the order of `INSERT_CUSTOMERS`.
    pub fn bind_all(&self, mut row: Separated<'_, Sqlite, &'static str>) {
        row.push_bind(self.id)
            .push_bind(self.name)
            .push_bind(self.search_name.as_str())
            .push_bind(self.phone)
            .push_bind(self.email)
            .push_bind(self.gender)
            .push_bind(self.birth_date.as_deref())
            .push_bind(self.birthday_md)
            .push_bind(self.address)
            .push_bind(self.region)
            .push_bind(self.city)
            .push_bind(self.documents.as_str())
            .push_bind(self.group_id)
            .push_bind(self.status)
            .push_bind(self.blocked)
            .push_bind(self.blocked_reason)
            .push_bind(self.notes)
            .push_bind(self.referrer_id)
            .push_bind(self.channel)
            .push_bind(self.store_id)
            .push_bind(self.external_id)
            .push_bind(self.consents.as_str())
            .push_bind(self.consent_flags)
            .push_bind(self.merged_into)
            .push_bind(self.created_at)
            .push_bind(self.updated_at)
            .push_bind(self.version);
    }
}

/// One property value to write.
#[derive(Serialize)]
pub struct PropertyWrite<'a> {
    pub customer_id: i64,
    pub property_id: i64,
    pub value: &'a str,
}
