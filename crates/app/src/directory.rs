//! Customer groups, the store hierarchy and custom property definitions.

use std::collections::HashMap;

use clientele_domain::property::PropertyInput;
use clientele_domain::store::StoreInput;
use clientele_domain::{
    CustomerGroup, CustomerGroupId, CustomerGroupInput, FieldError, PropertyDefinition, PropertyId,
    PropertyKind, Store, StoreId, ValidationErrors,
};
use clientele_store::{GroupChanges, PropertyChanges, StoreChanges};

use clientele_store::NewAuditEntry;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

impl App {
    /// Logs a change to a reference record.
    async fn log_change(
        &self,
        by: &ChangedBy,
        action: &str,
        entity: &str,
        id: i64,
        before: Option<Value>,
        after: Value,
    ) -> AppResult<()> {
        self.record(NewAuditEntry {
            before,
            after: Some(after),
            ..entry(by, self.clock().now(), action, entity, id)
        })
        .await
    }

    pub async fn customer_groups(&self) -> AppResult<Vec<CustomerGroup>> {
        Ok(self.db().directory().customer_groups().await?)
    }

    pub async fn customer_group(&self, id: CustomerGroupId) -> AppResult<CustomerGroup> {
        self.db()
            .directory()
            .customer_group(id)
            .await?
            .ok_or(AppError::NotFound("customer group"))
    }

    pub async fn create_customer_group(
        &self,
        input: CustomerGroupInput,
        by: &ChangedBy,
    ) -> AppResult<CustomerGroup> {
        let name = input.validate()?;
        let group = self
            .db()
            .directory()
            .create_customer_group(&name, self.clock().now())
            .await?;
        self.log_change(
            by,
            "customer_group.create",
            "customer_group",
            group.id.0,
            None,
            json!(group),
        )
        .await?;
        Ok(group)
    }

    pub async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        name: Option<String>,
        is_default: Option<bool>,
        by: &ChangedBy,
    ) -> AppResult<CustomerGroup> {
        let name = name
            .map(|name| CustomerGroupInput { name }.validate())
            .transpose()?;
        let before = self.customer_group(id).await?;
        // A group steps down only by another's stepping up.
        let is_default = match is_default {
            Some(false) if before.is_default => {
                return Err(AppError::Conflict {
                    message: "make another group the default instead".into(),
                    field: None,
                    existing_customer: None,
                });
            }
            Some(false) => None,
            other => other,
        };
        let group = self
            .db()
            .directory()
            .update_customer_group(id, &GroupChanges { name, is_default })
            .await?
            .ok_or(AppError::NotFound("customer group"))?;
        self.log_change(
            by,
            "customer_group.update",
            "customer_group",
            id.0,
            Some(json!(before)),
            json!(group),
        )
        .await?;
        Ok(group)
    }

    pub async fn delete_customer_group(
        &self,
        id: CustomerGroupId,
        by: &ChangedBy,
    ) -> AppResult<()> {
        let before = self.customer_group(id).await?;
        if !self.db().directory().delete_customer_group(id).await? {
            return Err(AppError::NotFound("customer group"));
        }
        self.log_change(
            by,
            "customer_group.delete",
            "customer_group",
            id.0,
            Some(json!(before)),
            json!(null),
        )
        .await
    }

    pub async fn stores(&self) -> AppResult<Vec<Store>> {
        Ok(self.db().directory().stores().await?)
    }

    /// Each store's time zone where it has one (its own or a parent's):
    /// its customers' day, and its receipts' day, are counted in it.
    pub(crate) async fn store_zones(&self) -> AppResult<HashMap<StoreId, TimeZone>> {
        let stores = self.db().directory().stores().await?;
        Ok(stores
            .iter()
            .filter_map(|s| {
                let name = Store::time_zone_of(&stores, s.id)?;
                Some((s.id, TimeZone::get(name).ok()?))
            })
            .collect())
    }

    pub async fn store(&self, id: StoreId) -> AppResult<Store> {
        self.db()
            .directory()
            .store(id)
            .await?
            .ok_or(AppError::NotFound("store"))
    }

    pub async fn create_store(&self, input: StoreInput, by: &ChangedBy) -> AppResult<Store> {
        let store = input.validate()?;
        if let Some(parent_id) = store.parent_id {
            self.check_parent(store.kind, parent_id, None).await?;
        }
        let store = self
            .db()
            .directory()
            .create_store(&store, self.clock().now())
            .await?;
        self.log_change(by, "store.create", "store", store.id.0, None, json!(store))
            .await?;
        Ok(store)
    }

    pub async fn update_store(
        &self,
        id: StoreId,
        changes: StoreChanges,
        by: &ChangedBy,
    ) -> AppResult<Store> {
        let current = self.store(id).await?;
        let mut changes = changes;
        if let Some(name) = &changes.name {
            changes.name = Some(clientele_domain::text::clean_name(name, 200).ok_or_else(
                || {
                    ValidationErrors::one(
                        "name",
                        "required",
                        "a name is required (up to 200 characters)",
                    )
                },
            )?);
        }
        if let Some(zone) = &changes.time_zone {
            let zone = clientele_domain::store::parse_time_zone(zone.as_deref())
                .map_err(AppError::from_field)?;
            changes.time_zone = Some(zone);
        }
        if let Some(Some(parent_id)) = changes.parent_id {
            self.check_parent(current.kind, parent_id, Some(id)).await?;
        }
        let store = self
            .db()
            .directory()
            .update_store(id, &changes)
            .await?
            .ok_or(AppError::NotFound("store"))?;
        self.log_change(
            by,
            "store.update",
            "store",
            id.0,
            Some(json!(current)),
            json!(store),
        )
        .await?;
        Ok(store)
    }

    /// The parent exists, is of a wider kind, and is not the store itself or below it.
    async fn check_parent(
        &self,
        kind: clientele_domain::StoreKind,
        parent_id: StoreId,
        own: Option<StoreId>,
    ) -> AppResult<()> {
        let invalid = |message: String| -> AppError {
            ValidationErrors::one("parent_id", "invalid_parent", message).into()
        };
        let Some(parent) = self.db().directory().store(parent_id).await? else {
            return Err(invalid(format!("there is no store {parent_id}")));
        };
        if !kind.may_be_under(parent.kind) {
            return Err(invalid(format!(
                "a {} cannot be placed under a {}",
                kind.as_str(),
                parent.kind.as_str()
            )));
        }
        if own == Some(parent_id) {
            return Err(invalid("a store cannot be its own parent".into()));
        }
        Ok(())
    }

    pub async fn property_definitions(&self) -> AppResult<Vec<PropertyDefinition>> {
        Ok(self.db().directory().property_definitions().await?)
    }

    pub async fn create_property_definition(
        &self,
        input: PropertyInput,
        by: &ChangedBy,
    ) -> AppResult<PropertyDefinition> {
        let property = input.validate()?;
        let created = self
            .db()
            .directory()
            .create_property_definition(&property, self.clock().now())
            .await?;
        self.forget_definitions();
        self.log_change(
            by,
            "property.create",
            "property",
            created.id.0,
            None,
            json!(created),
        )
        .await?;
        Ok(created)
    }

    pub async fn update_property_definition(
        &self,
        id: PropertyId,
        label: Option<String>,
        choices: Option<Vec<String>>,
        by: &ChangedBy,
    ) -> AppResult<PropertyDefinition> {
        let current = self
            .db()
            .directory()
            .property_definitions()
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound("property"))?;
        let mut errors = ValidationErrors::default();
        let label = label.and_then(|label| {
            let cleaned = clientele_domain::text::clean_name(&label, 200);
            if cleaned.is_none() {
                errors.push(FieldError::new(
                    "label",
                    "required",
                    "a label is required (up to 200 characters)",
                ));
            }
            cleaned
        });
        if let Some(choices) = &choices {
            if current.kind != PropertyKind::Choice {
                errors.push(FieldError::new(
                    "choices",
                    "not_allowed",
                    "only a choice property has choices",
                ));
            } else if let Some(missing) = current.choices.iter().find(|c| !choices.contains(c)) {
                // Stored values must stay valid: choices can be added, not removed.
                errors.push(FieldError::new(
                    "choices",
                    "choice_in_use",
                    format!("«{missing}» cannot be removed"),
                ));
            }
        }
        errors.finish(|| ())?;
        let updated = self
            .db()
            .directory()
            .update_property_definition(id, &PropertyChanges { label, choices })
            .await?
            .ok_or(AppError::NotFound("property"))?;
        self.forget_definitions();
        self.log_change(
            by,
            "property.update",
            "property",
            id.0,
            Some(json!(current)),
            json!(updated),
        )
        .await?;
        Ok(updated)
    }
}
