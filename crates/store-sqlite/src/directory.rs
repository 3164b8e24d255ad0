//! The reference records customers point at: groups, the store hierarchy and
//! custom property definitions.

use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{
    CustomerGroup, CustomerGroupId, PropertyDefinition, PropertyId, PropertyKind, PropertyName,
    Store, StoreId, StoreKind,
};
use clientele_store::{DbError, DbResult, GroupChanges, PropertyChanges, StoreChanges};
use jiff::Timestamp;

use crate::SqliteDatabase;
use crate::errors::{backend, constraint};
use crate::rows::{json, micros, timestamp};
use async_trait::async_trait;
use clientele_store::area::Directory;

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: i64,
    name: String,
    is_default: bool,
    created_at: i64,
}

impl GroupRow {
    fn into_group(self) -> DbResult<CustomerGroup> {
        Ok(CustomerGroup {
            id: CustomerGroupId(self.id),
            name: self.name,
            is_default: self.is_default,
            created_at: timestamp(self.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StoreRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    address: Option<String>,
    created_at: i64,
}

impl StoreRow {
    fn into_store(self) -> DbResult<Store> {
        Ok(Store {
            id: StoreId(self.id),
            code: self.code,
            name: self.name,
            kind: StoreKind::parse(&self.kind)
                .map_err(|e| DbError::Backend(format!("store row: {}", e.message).into()))?,
            parent_id: self.parent_id.map(StoreId),
            address: self.address,
            created_at: timestamp(self.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PropertyRow {
    id: i64,
    name: String,
    label: String,
    kind: String,
    choices: String,
    created_at: i64,
}

impl PropertyRow {
    fn into_definition(self) -> DbResult<PropertyDefinition> {
        let corrupt = |what: String| DbError::Backend(format!("property row: {what}").into());
        Ok(PropertyDefinition {
            id: PropertyId(self.id),
            name: PropertyName::from_stored(self.name),
            label: self.label,
            kind: PropertyKind::parse(&self.kind).map_err(|e| corrupt(e.message))?,
            choices: serde_json::from_str(&self.choices).map_err(|e| corrupt(e.to_string()))?,
            created_at: timestamp(self.created_at)?,
        })
    }
}

#[async_trait]
impl Directory for SqliteDatabase {
    async fn customer_groups(&self) -> DbResult<Vec<CustomerGroup>> {
        let rows: Vec<GroupRow> = sqlx::query_as(
            "SELECT id, name, is_default, created_at FROM customer_groups ORDER BY name",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(GroupRow::into_group).collect()
    }

    async fn customer_group(&self, id: CustomerGroupId) -> DbResult<Option<CustomerGroup>> {
        let row: Option<GroupRow> = sqlx::query_as(
            "SELECT id, name, is_default, created_at FROM customer_groups WHERE id = ?1",
        )
        .bind(id.0)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(GroupRow::into_group).transpose()
    }

    async fn default_customer_group(&self) -> DbResult<CustomerGroup> {
        let row: Option<GroupRow> = sqlx::query_as(
            "SELECT id, name, is_default, created_at FROM customer_groups WHERE is_default = 1",
        )
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.ok_or_else(|| DbError::Backend("no default customer group".into()))?
            .into_group()
    }

    async fn create_customer_group(&self, name: &str, at: Timestamp) -> DbResult<CustomerGroup> {
        let row: GroupRow = sqlx::query_as(
            "INSERT INTO customer_groups (name, is_default, created_at) VALUES (?1, 0, ?2)
             RETURNING id, name, is_default, created_at",
        )
        .bind(name)
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[("customer_groups.name", "name")]))?;
        row.into_group()
    }

    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> DbResult<Option<CustomerGroup>> {
        let mut tx = self
            .write
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        if changes.is_default == Some(true) {
            // Exactly one default: the old one steps down in the same transaction.
            sqlx::query("UPDATE customer_groups SET is_default = 0 WHERE is_default = 1 AND id <> ?1 AND EXISTS (SELECT 1 FROM customer_groups WHERE id = ?1)")
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        let row: Option<GroupRow> = sqlx::query_as(
            "UPDATE customer_groups SET name = COALESCE(?2, name),
                 is_default = CASE WHEN ?3 = 1 THEN 1 ELSE is_default END
             WHERE id = ?1 RETURNING id, name, is_default, created_at",
        )
        .bind(id.0)
        .bind(changes.name.as_deref())
        .bind(changes.is_default == Some(true))
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| constraint(e, &[("customer_groups.name", "name")]))?;
        tx.commit().await.map_err(backend)?;
        row.map(GroupRow::into_group).transpose()
    }

    async fn delete_customer_group(&self, id: CustomerGroupId) -> DbResult<bool> {
        let mut tx = self
            .write
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        let state: Option<(bool, bool)> = sqlx::query_as(
            "SELECT is_default, EXISTS (SELECT 1 FROM customers WHERE group_id = ?1)
             FROM customer_groups WHERE id = ?1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        match state {
            None => Ok(false),
            Some((true, _)) => Err(DbError::InUse("the default group cannot be deleted")),
            Some((_, true)) => Err(DbError::InUse("the group still has customers")),
            Some((false, false)) => {
                sqlx::query("DELETE FROM customer_groups WHERE id = ?1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                tx.commit().await.map_err(backend)?;
                Ok(true)
            }
        }
    }

    async fn stores(&self) -> DbResult<Vec<Store>> {
        let rows: Vec<StoreRow> = sqlx::query_as(
            "SELECT id, code, name, kind, parent_id, address, created_at FROM stores ORDER BY code",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(StoreRow::into_store).collect()
    }

    async fn store(&self, id: StoreId) -> DbResult<Option<Store>> {
        let row: Option<StoreRow> = sqlx::query_as(
            "SELECT id, code, name, kind, parent_id, address, created_at FROM stores WHERE id = ?1",
        )
        .bind(id.0)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(StoreRow::into_store).transpose()
    }

    async fn store_by_code(&self, code: &str) -> DbResult<Option<Store>> {
        let row: Option<StoreRow> = sqlx::query_as(
            "SELECT id, code, name, kind, parent_id, address, created_at FROM stores WHERE code = ?1",
        )
        .bind(code)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(StoreRow::into_store).transpose()
    }

    async fn create_store(&self, store: &NewStore, at: Timestamp) -> DbResult<Store> {
        let row: StoreRow = sqlx::query_as(
            "INSERT INTO stores (code, name, kind, parent_id, address, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             RETURNING id, code, name, kind, parent_id, address, created_at",
        )
        .bind(&store.code)
        .bind(&store.name)
        .bind(store.kind.as_str())
        .bind(store.parent_id.map(|id| id.0))
        .bind(store.address.as_deref())
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[("stores.code", "code")]))?;
        row.into_store()
    }

    async fn update_store(&self, id: StoreId, changes: &StoreChanges) -> DbResult<Option<Store>> {
        let row: Option<StoreRow> = sqlx::query_as(
            "UPDATE stores SET
                 name = COALESCE(?2, name),
                 parent_id = CASE WHEN ?3 THEN ?4 ELSE parent_id END,
                 address = CASE WHEN ?5 THEN ?6 ELSE address END
             WHERE id = ?1
             RETURNING id, code, name, kind, parent_id, address, created_at",
        )
        .bind(id.0)
        .bind(changes.name.as_deref())
        .bind(changes.parent_id.is_some())
        .bind(changes.parent_id.flatten().map(|id| id.0))
        .bind(changes.address.is_some())
        .bind(changes.address.clone().flatten())
        .fetch_optional(&self.write)
        .await
        .map_err(|e| constraint(e, &[]))?;
        row.map(StoreRow::into_store).transpose()
    }

    async fn property_definitions(&self) -> DbResult<Vec<PropertyDefinition>> {
        let rows: Vec<PropertyRow> = sqlx::query_as(
            "SELECT id, name, label, kind, choices, created_at FROM property_definitions ORDER BY id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(PropertyRow::into_definition).collect()
    }

    async fn create_property_definition(
        &self,
        property: &NewProperty,
        at: Timestamp,
    ) -> DbResult<PropertyDefinition> {
        let row: PropertyRow = sqlx::query_as(
            "INSERT INTO property_definitions (name, label, kind, choices, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             RETURNING id, name, label, kind, choices, created_at",
        )
        .bind(property.name.as_str())
        .bind(&property.label)
        .bind(property.kind.as_str())
        .bind(json(&property.choices))
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[("property_definitions.name", "name")]))?;
        row.into_definition()
    }

    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> DbResult<Option<PropertyDefinition>> {
        let row: Option<PropertyRow> = sqlx::query_as(
            "UPDATE property_definitions SET label = COALESCE(?2, label), choices = COALESCE(?3, choices)
             WHERE id = ?1
             RETURNING id, name, label, kind, choices, created_at",
        )
        .bind(id.0)
        .bind(changes.label.as_deref())
        .bind(
            changes
                .choices
                .as_ref()
                .map(json),
        )
        .fetch_optional(&self.write)
        .await
        .map_err(backend)?;
        row.map(PropertyRow::into_definition).transpose()
    }
}
