//! Field shapes the derive cannot say alone: the words a domain type parses
//! (taken from the domain's own lists), and the formats of our own that the
//! contract run teaches schemathesis (.ci/schemathesis_hooks.py).

use clientele_domain::customer::{CustomerStatus, Gender, RegistrationChannel};
use clientele_domain::{ConsentKind, Module};
use utoipa::openapi::schema::{AnyOfBuilder, Schema, SchemaFormat, SchemaType};
use utoipa::openapi::{Object, ObjectBuilder, Type};

/// One of these words.
fn words<'a>(words: impl IntoIterator<Item = &'a str>, nullable: bool) -> Object {
    let mut values: Vec<serde_json::Value> = words.into_iter().map(Into::into).collect();
    let mut types = vec![Type::String];
    if nullable {
        values.push(serde_json::Value::Null);
        types.push(Type::Null);
    }
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter(types))
        .enum_values(Some(values))
        .build()
}

pub fn store_kind() -> Object {
    words(["region", "city", "district", "store"], true)
}

pub fn property_kind() -> Object {
    words(["string", "number", "date", "bool", "choice"], false)
}

pub fn status() -> Object {
    words(CustomerStatus::ALL.iter().map(|s| s.as_str()), true)
}

pub fn channel() -> Object {
    words(RegistrationChannel::ALL.iter().map(|c| c.as_str()), true)
}

pub fn symbology() -> Object {
    words(["ean13", "code128", "qr"], true)
}

/// Module → `view` or `edit`.
pub fn permissions() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(words(Module::ALL.iter().map(|m| m.as_str()), false)))
        .additional_properties(Some(ObjectBuilder::from(words(["view", "edit"], false))))
        .build()
}

/// A string of a format, a blank string or `null`: blank and `null` both
/// clear the field.
fn clearable(format: &str) -> Schema {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom(format.into()))),
        )
        .item(blank())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// Nothing but white space.
fn blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(r"^\s*$"))
        .build()
}

pub fn clearable_phone() -> Schema {
    clearable("phone")
}

pub fn clearable_email() -> Schema {
    clearable("email")
}

pub fn clearable_date() -> Schema {
    clearable("date")
}

pub fn clearable_gender() -> Schema {
    AnyOfBuilder::new()
        .item(words(Gender::ALL.iter().map(|g| g.as_str()), true))
        .item(blank())
        .build()
        .into()
}

/// Consent kind → given (`true`) or withdrawn (`false`).
pub fn consents() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(words(
            ConsentKind::ALL.iter().map(|k| k.as_str()),
            false,
        )))
        .additional_properties(Some(ObjectBuilder::new().schema_type(Type::Boolean)))
        .build()
}

/// Property name → text, a number, a boolean, or `null` to remove it.
pub fn property_values() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(ObjectBuilder::new().schema_type(
            SchemaType::from_iter([Type::String, Type::Number, Type::Boolean, Type::Null]),
        )))
        .build()
}

/// A string of a format of ours, or `null`.
fn formatted(format: &str) -> Schema {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom(format.into()))),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// A phone as people write it (libphonenumber's rules; Russian when no
/// country code is given).
pub fn phone() -> Schema {
    formatted("phone")
}

/// A barcode as scanned: 1 to 256 characters, none of them a control
/// character, white space around them ignored.
pub fn scanned() -> Schema {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom("barcode".into())))
                .min_length(Some(1))
                .max_length(Some(256)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}
