//! A customer as both engines read one: the columns of `customers`, the
//! name of the customer merged into, and the property values as one JSON
//! object.

/// The columns of `customers c` a [`Customer`] reads, with the name of the
/// customer merged into and the property values gathered into one JSON
/// object by the engine's aggregate (`$object_agg`), so that a page of
/// customers is one statement.
#[macro_export]
macro_rules! customer_columns {
    ($object_agg:literal) => {
        concat!(
            "c.id, c.name, c.phone, c.email, c.gender, c.birth_date, c.address, c.region, \
             c.city, c.documents, c.group_id, c.status, c.blocked, c.blocked_reason, c.notes, \
             c.referrer_id, c.channel, c.store_id, c.external_id, c.consents, c.merged_into, \
             (SELECT s.name FROM customers s WHERE s.id = c.merged_into) AS merged_into_name, \
             c.created_at, c.updated_at, c.version, \
             (SELECT ",
            $object_agg,
            "(d.name, cp.value) \
              FROM customer_properties cp JOIN property_definitions d ON d.id = cp.property_id \
              WHERE cp.customer_id = c.id) AS properties"
        )
    };
}

use std::collections::BTreeMap;

use clientele_domain::{
    Customer, CustomerGroupId, CustomerId, CustomerProfile, CustomerStatus, Email, Gender,
    NamedCustomer, Phone, PropertyName, RegistrationChannel, StoreId,
};
use clientele_store::DbResult;

use crate::{Engine, FromColumns, Got, unreadable};

impl FromColumns for Customer {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Customer> {
        customer(row)
    }
}

fn customer<E: Engine>(row: &Got<'_, E>) -> DbResult<Customer> {
    let named = |column: &str, e: clientele_domain::FieldError| unreadable(column, e.message);
    let properties = row
        .json_or_null::<BTreeMap<String, String>>("properties")?
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| (PropertyName::from_stored(name), value))
        .collect();
    let merged_into = match row.int_or_null("merged_into")? {
        Some(id) => Some(NamedCustomer {
            id: CustomerId(id),
            name: row.text_or_null("merged_into_name")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Customer {
        id: CustomerId(row.int("id")?),
        profile: CustomerProfile {
            name: row.text("name")?,
            phone: row.text_or_null("phone")?.map(Phone::from_stored),
            email: row.text_or_null("email")?.map(Email::from_stored),
            gender: row
                .text_or_null("gender")?
                .map(|g| Gender::parse(&g).map_err(|e| named("gender", e)))
                .transpose()?,
            birth_date: row.date_or_null("birth_date")?,
            address: row.text_or_null("address")?,
            region: row.text_or_null("region")?,
            city: row.text_or_null("city")?,
            documents: row.json("documents")?,
            group_id: CustomerGroupId(row.int("group_id")?),
            status: CustomerStatus::parse(&row.text("status")?).map_err(|e| named("status", e))?,
            blocked: row.flag("blocked")?,
            blocked_reason: row.text_or_null("blocked_reason")?,
            notes: row.text_or_null("notes")?,
            referrer_id: row.int_or_null("referrer_id")?.map(CustomerId),
            channel: RegistrationChannel::parse(&row.text("channel")?)
                .map_err(|e| named("channel", e))?,
            store_id: row.int_or_null("store_id")?.map(StoreId),
            external_id: row.text_or_null("external_id")?,
            consents: row.json("consents")?,
            properties,
        },
        merged_into,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}
