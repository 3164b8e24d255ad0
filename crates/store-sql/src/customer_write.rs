//! One customer as the columns of `customers` they are written to: a JSON
//! object (a batch of them is one statement) or bound column by column.

use std::marker::PhantomData;

use clientele_domain::{
    Consents, Customer, CustomerId, CustomerProfile, Document, Email, Gender, Phone,
};
use clientele_store::NewCustomerRecord;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::Engine;

/// A customer's row; times are written as the engine `E` keeps them.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct CustomerWrite<'a, E: Engine> {
    pub id: i64,
    pub name: &'a str,
    pub search_name: String,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub gender: Option<&'static str>,
    pub birth_date: Option<Date>,
    /// Where the engine does not compute it itself.
    pub birthday_md: Option<i32>,
    pub address: Option<&'a str>,
    pub region: Option<&'a str>,
    pub city: Option<&'a str>,
    pub documents: &'a [Document],
    pub group_id: i64,
    pub status: &'static str,
    pub blocked: bool,
    pub blocked_reason: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub referrer_id: Option<i64>,
    pub channel: &'static str,
    pub store_id: Option<i64>,
    pub external_id: Option<&'a str>,
    pub consents: &'a Consents,
    pub consent_flags: i64,
    pub merged_into: Option<i64>,
    #[serde(serialize_with = "E::time_in_json")]
    pub created_at: Timestamp,
    #[serde(serialize_with = "E::time_in_json")]
    pub updated_at: Timestamp,
    pub version: i64,
    #[serde(skip)]
    engine: PhantomData<fn() -> E>,
}

impl<'a, E: Engine> CustomerWrite<'a, E> {
    /// A customer just registered, as `record` holds them: the first
    /// version, merged into nobody.
    pub fn registered(id: i64, record: &'a NewCustomerRecord) -> CustomerWrite<'a, E> {
        let at = record.created_at;
        CustomerWrite::new(id, &record.profile, None, (at, at), 1)
    }

    /// A stored customer as changed `at`, written only over `version`.
    pub fn updated(customer: &'a Customer, at: Timestamp) -> CustomerWrite<'a, E> {
        CustomerWrite::new(
            customer.id.0,
            &customer.profile,
            customer.merged_into.as_ref().map(|m| m.id),
            (customer.created_at, at),
            customer.version,
        )
    }

    fn new(
        id: i64,
        profile: &'a CustomerProfile,
        merged_into: Option<CustomerId>,
        (created_at, updated_at): (Timestamp, Timestamp),
        version: i64,
    ) -> CustomerWrite<'a, E> {
        CustomerWrite {
            id,
            name: &profile.name,
            search_name: profile.search_name(),
            phone: profile.phone.as_ref().map(Phone::as_str),
            email: profile.email.as_ref().map(Email::as_str),
            gender: profile.gender.map(Gender::as_str),
            birth_date: profile.birth_date,
            birthday_md: profile.birthday_md(),
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
            created_at,
            updated_at,
            version,
            engine: PhantomData,
        }
    }

    /// The values no other customer may hold, by the field named in a
    /// conflict.
    pub fn unique_values(&self) -> [(&'static str, Option<&'a str>); 3] {
        [
            ("phone", self.phone),
            ("email", self.email),
            ("external_id", self.external_id),
        ]
    }
}
