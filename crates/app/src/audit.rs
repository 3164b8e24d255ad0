//! What goes into the audit log about a customer's change. The log is
//! append-only and outlives an erasure (152-FZ), so it names the personal
//! fields that changed without keeping their values.

use std::collections::BTreeMap;

use clientele_domain::{CustomerId, CustomerProfile, StoreId};
use clientele_store::{Actor, NewAuditEntry};
use jiff::Timestamp;
use serde_json::{Value, json};

/// Who acts, from where, and which customers they may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedBy {
    pub actor: Actor,
    /// The client's address, when the change came over the network.
    pub ip: Option<String>,
    /// The stores whose customers the actor may reach; `None`: all.
    pub scope: Option<Vec<StoreId>>,
}

impl ChangedBy {
    pub fn system(name: &str) -> ChangedBy {
        ChangedBy {
            actor: Actor::System { name: name.into() },
            ip: None,
            scope: None,
        }
    }

    /// Someone not yet known, at a network address (a failed sign-in).
    pub fn unknown(name: &str, client: &str) -> ChangedBy {
        ChangedBy {
            ip: Some(client.to_owned()),
            ..ChangedBy::system(name)
        }
    }
}

/// Stands for a personal value in the log.
const HIDDEN: &str = "•••";

fn hidden<T>(value: &Option<T>) -> Value {
    match value {
        Some(_) => json!(HIDDEN),
        None => Value::Null,
    }
}

/// A profile as the audit log shows it.
fn view(profile: &CustomerProfile) -> BTreeMap<&'static str, Value> {
    let consents: BTreeMap<&str, bool> = profile
        .consents
        .0
        .iter()
        .map(|(kind, consent)| (kind.as_str(), consent.granted))
        .collect();
    BTreeMap::from([
        ("name", json!(HIDDEN)),
        ("phone", hidden(&profile.phone)),
        ("email", hidden(&profile.email)),
        ("birth_date", hidden(&profile.birth_date)),
        ("address", hidden(&profile.address)),
        (
            "documents",
            if profile.documents.is_empty() {
                Value::Null
            } else {
                json!(HIDDEN)
            },
        ),
        ("gender", json!(profile.gender.map(|g| g.as_str()))),
        ("region", json!(profile.region)),
        ("city", json!(profile.city)),
        ("group_id", json!(profile.group_id)),
        ("status", json!(profile.status.as_str())),
        ("blocked", json!(profile.blocked)),
        ("blocked_reason", json!(profile.blocked_reason)),
        ("notes", hidden(&profile.notes)),
        ("referrer_id", json!(profile.referrer_id)),
        ("channel", json!(profile.channel.as_str())),
        ("store_id", json!(profile.store_id)),
        ("external_id", json!(profile.external_id)),
        ("consents", json!(consents)),
        ("properties", json!(profile.properties)),
    ])
}

/// The fields that differ, before and after; a personal field that changed
/// shows as changed, its values hidden.
pub fn profile_change(
    before: Option<&CustomerProfile>,
    after: &CustomerProfile,
) -> (Option<Value>, Value) {
    let after_view = view(after);
    let Some(before) = before else {
        let set: BTreeMap<_, _> = after_view
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .collect();
        return (None, json!(set));
    };
    let before_view = view(before);
    let personal_changed = |key: &str| match key {
        "name" => before.name != after.name,
        "phone" => before.phone != after.phone,
        "email" => before.email != after.email,
        "birth_date" => before.birth_date != after.birth_date,
        "address" => before.address != after.address,
        "documents" => before.documents != after.documents,
        "notes" => before.notes != after.notes,
        _ => false,
    };
    let mut old = BTreeMap::new();
    let mut new = BTreeMap::new();
    for (key, value) in after_view {
        let previous = &before_view[key];
        if *previous != value || personal_changed(key) {
            old.insert(key, previous.clone());
            new.insert(key, value);
        }
    }
    (Some(json!(old)), json!(new))
}

/// An audit entry of `action` by `by` on the record `entity` `id`, with no
/// change attached; callers add `before`, `after` or `customer_id`.
pub fn entry(
    by: &ChangedBy,
    at: Timestamp,
    action: &str,
    entity: &str,
    id: impl std::fmt::Display,
) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: by.actor.clone(),
        ip: by.ip.clone(),
        action: action.into(),
        entity: entity.into(),
        entity_id: Some(id.to_string()),
        customer_id: None,
        before: None,
        after: None,
    }
}

/// One audit entry about a customer.
pub fn customer_entry(
    by: &ChangedBy,
    at: Timestamp,
    action: &str,
    customer: CustomerId,
    (before, after): (Option<Value>, Value),
) -> NewAuditEntry {
    NewAuditEntry {
        customer_id: Some(customer),
        before,
        after: Some(after),
        ..entry(by, at, action, "customer", customer)
    }
}

impl crate::App {
    /// The newest entries of the audit log about a customer within the
    /// caller's reach: their page's audit trail.
    pub async fn customer_audit(
        &self,
        customer: CustomerId,
        limit: u32,
        by: &ChangedBy,
    ) -> crate::AppResult<Vec<clientele_store::AuditEntry>> {
        self.customer_for(customer, by).await?;
        self.audit_entries(&clientele_store::AuditQuery {
            customer_id: Some(customer),
            limit,
            ..Default::default()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_domain::customer::CustomerRules;
    use clientele_domain::{CustomerChanges, CustomerGroupId, CustomerInput};

    fn rules() -> CustomerRules<'static> {
        CustomerRules {
            properties: &[],
            default_group: CustomerGroupId(1),
            today: jiff::civil::date(2026, 11, 23),
            now: Timestamp::from_second(1_795_000_000).unwrap(),
            source: "test",
        }
    }

    #[test]
    fn changes_name_fields_and_hide_personal_values() {
        let before = CustomerInput {
            name: Some("Иванова Анна".into()),
            phone: Some(Some("+79123456789".into())),
            city: Some(Some("Тула".into())),
            ..Default::default()
        }
        .into_new(&rules())
        .unwrap();
        let after = CustomerChanges {
            phone: Some(Some("+79120000000".into())),
            city: Some(Some("Казань".into())),
            ..Default::default()
        }
        .apply_to(before.clone(), &rules())
        .unwrap();
        let (old, new) = profile_change(Some(&before), &after);
        assert_eq!(old.unwrap(), json!({"phone": HIDDEN, "city": "Тула"}));
        assert_eq!(new, json!({"phone": HIDDEN, "city": "Казань"}));
        let logged = new.to_string();
        assert!(
            !logged.contains("7912"),
            "no phone digits in the log: {logged}"
        );

        let (old, created) = profile_change(None, &before);
        assert!(old.is_none());
        assert_eq!(created["name"], HIDDEN);
        assert_eq!(created["city"], "Тула");
        assert!(!created.to_string().contains("Иванова"));
    }
}
