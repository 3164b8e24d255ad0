//! Segment rules: parsing, each field's meaning, and the laws tying the
//! JSON form, `holds` and `members` together.

mod fields;
mod history;
mod laws;
mod parse;

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::{Date, date};

use super::{Facts, RawRule, Rule};
use crate::customer::{CustomerStatus, RegistrationChannel};
use crate::ids::{CustomerGroupId, PropertyId};
use crate::property::{PropertyDefinition, PropertyKind, PropertyName};
use crate::validation::ValidationErrors;

fn property(id: i64, name: &str, kind: PropertyKind, choices: &[&str]) -> PropertyDefinition {
    PropertyDefinition {
        id: PropertyId(id),
        name: PropertyName::parse(name).unwrap(),
        label: name.to_uppercase(),
        kind,
        choices: choices.iter().map(|c| c.to_string()).collect(),
        created_at: Timestamp::UNIX_EPOCH,
    }
}

/// One custom property of each kind.
fn properties() -> Vec<PropertyDefinition> {
    vec![
        property(1, "vision", PropertyKind::Number, &[]),
        property(2, "pet", PropertyKind::Choice, &["Кошка", "Собака"]),
        property(3, "visit", PropertyKind::Date, &[]),
        property(4, "vip", PropertyKind::Bool, &[]),
        property(5, "note", PropertyKind::String, &[]),
    ]
}

fn parse(json: serde_json::Value) -> Result<Rule, ValidationErrors> {
    let raw: RawRule = serde_json::from_value(json).expect("any JSON reads as a raw rule");
    Rule::parse(&raw, &properties())
}

fn rule(json: serde_json::Value) -> Rule {
    parse(json).unwrap_or_else(|errors| panic!("{errors}"))
}

/// A customer registered on 1 January 2020 with nothing else known.
fn blank() -> Facts {
    Facts {
        gender: None,
        birth_date: None,
        group_id: CustomerGroupId(1),
        status: CustomerStatus::Active,
        tier: None,
        store_path: Vec::new(),
        channel: RegistrationChannel::Pos,
        created_on: date(2020, 1, 1),
        consents: BTreeSet::new(),
        has_phone: false,
        has_email: false,
        properties: BTreeMap::new(),
        balance_points: 0,
        points_expire_on: Vec::new(),
        purchases: Vec::new(),
        rfm: None,
    }
}

/// Whether the rule written as JSON holds for the facts on `today`.
fn holds(json: serde_json::Value, facts: &Facts, today: Date) -> bool {
    rule(json).holds(facts, today)
}
