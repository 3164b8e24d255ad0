//! The reference records customers point at: groups, the store hierarchy
//! and custom property definitions.

use async_trait::async_trait;
use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{
    CustomerGroup, CustomerGroupId, PropertyDefinition, PropertyId, PropertyKind, PropertyName,
    Store, StoreId, StoreKind,
};
use clientele_store::area::Directory;
use clientele_store::{DbError, DbResult, GroupChanges, PropertyChanges, StoreChanges};
use jiff::Timestamp;

use crate::sql::{self, commit, unanswered};
use crate::{Engine, FromColumns, Got, Sql, Statement, Value, unreadable};

const GROUP: &str = "id, name, is_default, created_at";
const STORE: &str = "id, code, name, kind, parent_id, address, time_zone, created_at";
const PROPERTY: &str = "id, name, label, kind, choices, created_at";

impl FromColumns for CustomerGroup {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<CustomerGroup> {
        Ok(CustomerGroup {
            id: CustomerGroupId(row.int("id")?),
            name: row.text("name")?,
            is_default: row.flag("is_default")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for Store {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Store> {
        Ok(Store {
            id: StoreId(row.int("id")?),
            code: row.text("code")?,
            name: row.text("name")?,
            kind: StoreKind::parse(&row.text("kind")?)
                .map_err(|e| unreadable("kind", e.message))?,
            parent_id: row.int_or_null("parent_id")?.map(StoreId),
            address: row.text_or_null("address")?,
            time_zone: row.text_or_null("time_zone")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for PropertyDefinition {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<PropertyDefinition> {
        Ok(PropertyDefinition {
            id: PropertyId(row.int("id")?),
            name: PropertyName::from_stored(row.text("name")?),
            label: row.text("label")?,
            kind: PropertyKind::parse(&row.text("kind")?)
                .map_err(|e| unreadable("kind", e.message))?,
            choices: row.json("choices")?,
            created_at: row.time("created_at")?,
        })
    }
}

/// A store's only reference is its parent.
fn no_parent(error: DbError) -> DbError {
    match error {
        DbError::MissingReference { .. } => DbError::MissingReference { field: "parent_id" },
        other => other,
    }
}

#[async_trait]
impl<E: Engine> Directory for Sql<E> {
    async fn customer_groups(&self) -> DbResult<Vec<CustomerGroup>> {
        let sql = format!("SELECT {GROUP} FROM customer_groups ORDER BY name");
        self.all(Statement::new(&sql), CustomerGroup::from_columns)
            .await
    }

    async fn customer_group(&self, id: CustomerGroupId) -> DbResult<Option<CustomerGroup>> {
        let sql = format!("SELECT {GROUP} FROM customer_groups WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), CustomerGroup::from_columns)
            .await
    }

    async fn default_customer_group(&self) -> DbResult<CustomerGroup> {
        let sql = format!("SELECT {GROUP} FROM customer_groups WHERE is_default");
        self.one(Statement::new(&sql), CustomerGroup::from_columns)
            .await?
            .ok_or_else(|| DbError::Backend("no default customer group".into()))
    }

    async fn create_customer_group(&self, name: &str, at: Timestamp) -> DbResult<CustomerGroup> {
        let sql = format!(
            "INSERT INTO customer_groups (name, is_default, created_at) VALUES ($1, false, $2)
             RETURNING {GROUP}"
        );
        let statement = Statement::new(&sql).bind(name).bind(at);
        self.written(
            statement,
            &[("customer_groups.name", "name")],
            CustomerGroup::from_columns,
        )
        .await?
        .ok_or_else(unanswered)
    }

    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> DbResult<Option<CustomerGroup>> {
        let mut tx = self.begin().await?;
        if changes.is_default == Some(true) {
            // Exactly one default: the old one steps down in the same
            // transaction (the partial unique index refuses a second one).
            let step_down = Statement::new(
                "UPDATE customer_groups SET is_default = false
                 WHERE is_default AND id <> $1 AND EXISTS (SELECT 1 FROM customer_groups WHERE id = $1)",
            )
            .bind(id.0);
            sql::execute::<E>(&mut *tx, step_down).await?;
        }
        let update = format!(
            "UPDATE customer_groups SET name = COALESCE($2, name), is_default = is_default OR $3
             WHERE id = $1 RETURNING {GROUP}"
        );
        let statement = Statement::new(&update)
            .bind(id.0)
            .bind(changes.name.as_deref())
            .bind(changes.is_default == Some(true));
        let updated = sql::written::<E, _>(
            &mut *tx,
            statement,
            &[("customer_groups.name", "name")],
            CustomerGroup::from_columns,
        )
        .await?;
        commit::<E>(tx).await?;
        Ok(updated)
    }

    async fn delete_customer_group(&self, id: CustomerGroupId) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        let check = format!(
            "SELECT is_default, EXISTS (SELECT 1 FROM customers WHERE group_id = $1) AS has_customers
             FROM customer_groups WHERE id = $1 {}",
            E::ROW_LOCK
        );
        let state = sql::one::<E, _>(&mut *tx, Statement::new(&check).bind(id.0), |row| {
            Ok((row.flag("is_default")?, row.flag("has_customers")?))
        })
        .await?;
        let has_customers = DbError::InUse("the group still has customers");
        match state {
            None => Ok(false),
            Some((true, _)) => Err(DbError::InUse("the default group cannot be deleted")),
            Some((_, true)) => Err(has_customers),
            Some((false, false)) => {
                // A customer may have joined since the check; the foreign key says so.
                let delete = Statement::new("DELETE FROM customer_groups WHERE id = $1").bind(id.0);
                match sql::execute::<E>(&mut *tx, delete).await {
                    Err(DbError::MissingReference { .. }) => return Err(has_customers),
                    deleted => deleted?,
                };
                commit::<E>(tx).await?;
                Ok(true)
            }
        }
    }

    async fn stores(&self) -> DbResult<Vec<Store>> {
        let sql = format!("SELECT {STORE} FROM stores ORDER BY code");
        self.all(Statement::new(&sql), Store::from_columns).await
    }

    async fn store(&self, id: StoreId) -> DbResult<Option<Store>> {
        let sql = format!("SELECT {STORE} FROM stores WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), Store::from_columns)
            .await
    }

    async fn store_by_code(&self, code: &str) -> DbResult<Option<Store>> {
        let sql = format!("SELECT {STORE} FROM stores WHERE code = $1");
        self.one(Statement::new(&sql).bind(code), Store::from_columns)
            .await
    }

    async fn create_store(&self, new: &NewStore, at: Timestamp) -> DbResult<Store> {
        let sql = format!(
            "INSERT INTO stores (code, name, kind, parent_id, address, time_zone, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING {STORE}"
        );
        let statement = Statement::new(&sql)
            .bind(&new.code)
            .bind(&new.name)
            .bind(new.kind.as_str())
            .bind(new.parent_id.map(|id| id.0))
            .bind(new.address.as_deref())
            .bind(new.time_zone.as_deref())
            .bind(at);
        self.written(statement, &[("stores.code", "code")], Store::from_columns)
            .await
            .map_err(no_parent)?
            .ok_or_else(unanswered)
    }

    async fn update_store(&self, id: StoreId, changes: &StoreChanges) -> DbResult<Option<Store>> {
        let sql = format!(
            "UPDATE stores SET
                 name = COALESCE($2, name),
                 parent_id = CASE WHEN $3 THEN $4 ELSE parent_id END,
                 address = CASE WHEN $5 THEN $6 ELSE address END,
                 time_zone = CASE WHEN $7 THEN $8 ELSE time_zone END
             WHERE id = $1
             RETURNING {STORE}"
        );
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(changes.name.as_deref())
            .bind(changes.parent_id.is_some())
            .bind(changes.parent_id.flatten().map(|id| id.0))
            .bind(changes.address.is_some())
            .bind(changes.address.as_ref().and_then(|a| a.as_deref()))
            .bind(changes.time_zone.is_some())
            .bind(changes.time_zone.as_ref().and_then(|z| z.as_deref()));
        self.written(statement, &[], Store::from_columns)
            .await
            .map_err(no_parent)
    }

    async fn property_definitions(&self) -> DbResult<Vec<PropertyDefinition>> {
        let sql = format!("SELECT {PROPERTY} FROM property_definitions ORDER BY id");
        self.all(Statement::new(&sql), PropertyDefinition::from_columns)
            .await
    }

    async fn create_property_definition(
        &self,
        new: &NewProperty,
        at: Timestamp,
    ) -> DbResult<PropertyDefinition> {
        let sql = format!(
            "INSERT INTO property_definitions (name, label, kind, choices, created_at)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING {PROPERTY}"
        );
        let statement = Statement::new(&sql)
            .bind(new.name.as_str())
            .bind(&new.label)
            .bind(new.kind.as_str())
            .bind(Value::json(&new.choices))
            .bind(at);
        self.written(
            statement,
            &[("property_definitions.name", "name")],
            PropertyDefinition::from_columns,
        )
        .await?
        .ok_or_else(unanswered)
    }

    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> DbResult<Option<PropertyDefinition>> {
        let sql = format!(
            "UPDATE property_definitions SET label = COALESCE($2, label), choices = COALESCE($3, choices)
             WHERE id = $1
             RETURNING {PROPERTY}"
        );
        let choices = changes
            .choices
            .as_ref()
            .map_or(Value::Json(None), Value::json);
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(changes.label.as_deref())
            .bind(choices);
        self.written(statement, &[], PropertyDefinition::from_columns)
            .await
    }
}
