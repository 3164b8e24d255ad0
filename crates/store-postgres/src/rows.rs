//! How domain records map to PostgreSQL rows: read through `FromRow` (times
//! and dates through jiff-sqlx, JSON columns through `Json`), written as a
//! JSON array that `jsonb_populate_recordset` turns into typed rows of the
//! table, so a batch of any size is one statement.

use std::collections::BTreeMap;

use clientele_domain::{
    Consents, Customer, CustomerGroupId, CustomerId, CustomerProfile, CustomerStatus, Document,
    Email, Gender, NamedCustomer, Phone, PropertyName, RegistrationChannel, StoreId,
};
use clientele_store::{DbError, DbResult, NewCustomerRecord};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::types::Json;

use crate::customer_keys::KINDS;

/// The columns [`CustomerRow`] reads, with the property values gathered into
/// one JSON object per customer, so a list is a single query.
macro_rules! customer_columns {
    () => {
        "c.id, c.name, c.phone, c.email, c.gender, c.birth_date, c.address, c.region, c.city, \
         c.documents, c.group_id, c.status, c.blocked, c.blocked_reason, c.notes, c.referrer_id, \
         c.channel, c.store_id, c.external_id, c.consents, c.merged_into, \
         (SELECT s.name FROM customers s WHERE s.id = c.merged_into) AS merged_into_name, c.created_at, \
         c.updated_at, c.version, \
         (SELECT jsonb_object_agg(d.name, cp.value) \
          FROM customer_properties cp JOIN property_definitions d ON d.id = cp.property_id \
          WHERE cp.customer_id = c.id) AS properties"
    };
}
pub(crate) use customer_columns;

#[derive(sqlx::FromRow)]
pub struct CustomerRow {
    id: i64,
    name: String,
    phone: Option<String>,
    email: Option<String>,
    gender: Option<String>,
    birth_date: Option<jiff_sqlx::Date>,
    address: Option<String>,
    region: Option<String>,
    city: Option<String>,
    documents: Json<Vec<Document>>,
    group_id: i64,
    status: String,
    blocked: bool,
    blocked_reason: Option<String>,
    notes: Option<String>,
    referrer_id: Option<i64>,
    channel: String,
    store_id: Option<i64>,
    external_id: Option<String>,
    consents: Json<Consents>,
    merged_into: Option<i64>,
    merged_into_name: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
    version: i64,
    properties: Option<Json<BTreeMap<String, String>>>,
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> DbError {
    DbError::Backend(format!("customer row with an unreadable {what}: {detail}").into())
}

/// One field of each row, as an array that `UNNEST` turns back into a column.
pub fn column<'a, R: 'a, T>(
    rows: impl IntoIterator<Item = &'a R>,
    field: impl FnMut(&'a R) -> T,
) -> Vec<T> {
    rows.into_iter().map(field).collect()
}

/// A time as PostgreSQL keeps it: to the microsecond.
pub fn time(at: Timestamp) -> jiff_sqlx::Timestamp {
    use jiff_sqlx::ToSqlx;
    micro_time(at).to_sqlx()
}

/// `at` to the microsecond, as PostgreSQL keeps it; truncated, as jiff-sqlx
/// truncates the times it binds, so both ways of writing agree.
pub fn micro_time(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at)
}

impl CustomerRow {
    pub fn into_customer(self) -> DbResult<Customer> {
        let enum_field = |what: &str, e: clientele_domain::FieldError| corrupt(what, e.message);
        let properties = self
            .properties
            .map(|Json(values)| {
                values
                    .into_iter()
                    .map(|(name, value)| (PropertyName::from_stored(name), value))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Customer {
            id: CustomerId(self.id),
            profile: CustomerProfile {
                name: self.name,
                phone: self.phone.map(Phone::from_stored),
                email: self.email.map(Email::from_stored),
                gender: self
                    .gender
                    .map(|g| Gender::parse(&g).map_err(|e| enum_field("gender", e)))
                    .transpose()?,
                birth_date: self.birth_date.map(jiff_sqlx::Date::to_jiff),
                address: self.address,
                region: self.region,
                city: self.city,
                documents: self.documents.0,
                group_id: CustomerGroupId(self.group_id),
                status: CustomerStatus::parse(&self.status).map_err(|e| enum_field("status", e))?,
                blocked: self.blocked,
                blocked_reason: self.blocked_reason,
                notes: self.notes,
                referrer_id: self.referrer_id.map(CustomerId),
                channel: RegistrationChannel::parse(&self.channel)
                    .map_err(|e| enum_field("channel", e))?,
                store_id: self.store_id.map(StoreId),
                external_id: self.external_id,
                consents: self.consents.0,
                properties,
            },
            merged_into: self.merged_into.map(|id| NamedCustomer {
                id: CustomerId(id),
                name: self.merged_into_name.unwrap_or_default(),
            }),
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
            version: self.version,
        })
    }
}

/// One customer as a JSON object whose keys are the columns of `customers`
/// it is written to (`birthday_md` is generated by the database).
#[derive(Clone, Serialize)]
pub struct CustomerWrite<'a> {
    pub id: i64,
    name: &'a str,
    search_name: String,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    gender: Option<&'static str>,
    birth_date: Option<Date>,
    address: Option<&'a str>,
    region: Option<&'a str>,
    city: Option<&'a str>,
    documents: &'a [Document],
    group_id: i64,
    status: &'static str,
    blocked: bool,
    blocked_reason: Option<&'a str>,
    notes: Option<&'a str>,
    referrer_id: Option<i64>,
    channel: &'static str,
    store_id: Option<i64>,
    external_id: Option<&'a str>,
    consents: &'a Consents,
    consent_flags: i64,
    merged_into: Option<i64>,
    created_at: Timestamp,
    updated_at: Timestamp,
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
            birth_date: profile.birth_date,
            address: profile.address.as_deref(),
            region: profile.region.as_deref(),
            city: profile.city.as_deref(),
            documents: &profile.documents,
            group_id: profile.group_id.0,
            status: profile.status.as_str(),
            blocked: profile.blocked,
            blocked_reason: profile.blocked_reason.as_deref(),
            notes: profile.notes.as_deref(),
            referrer_id: profile.referrer_id.map(|id| id.0),
            channel: profile.channel.as_str(),
            store_id: profile.store_id.map(|id| id.0),
            external_id: profile.external_id.as_deref(),
            consents: &profile.consents,
            consent_flags: profile.consents.granted_flags(),
            merged_into: merged_into.map(|id| id.0),
            created_at: micro_time(created_at),
            updated_at: micro_time(updated_at),
            version,
        }
    }

    /// The values no other customer may hold, by field.
    pub fn unique_values(&self) -> [(&'static str, Option<&'a str>); 3] {
        let values = [self.phone, self.email, self.external_id];
        std::array::from_fn(|i| (KINDS[i], values[i]))
    }
}
