//! The shop's directory: customer groups, stores and custom properties.

use async_trait::async_trait;
use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{
    CustomerGroup, CustomerGroupId, PropertyDefinition, PropertyId, Store, StoreId,
};
use jiff::Timestamp;

use crate::{DbResult, GroupChanges, PropertyChanges, StoreChanges};

#[async_trait]
pub trait Directory: Send + Sync {
    async fn customer_groups(&self) -> DbResult<Vec<CustomerGroup>>;
    async fn customer_group(&self, id: CustomerGroupId) -> DbResult<Option<CustomerGroup>>;
    async fn default_customer_group(&self) -> DbResult<CustomerGroup>;
    async fn create_customer_group(&self, name: &str, at: Timestamp) -> DbResult<CustomerGroup>;
    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> DbResult<Option<CustomerGroup>>;
    /// Removes an empty group that is not the default; `false` if there was none.
    async fn delete_customer_group(&self, id: CustomerGroupId) -> DbResult<bool>;
    async fn stores(&self) -> DbResult<Vec<Store>>;
    async fn store(&self, id: StoreId) -> DbResult<Option<Store>>;
    async fn store_by_code(&self, code: &str) -> DbResult<Option<Store>>;
    async fn create_store(&self, store: &NewStore, at: Timestamp) -> DbResult<Store>;
    async fn update_store(&self, id: StoreId, changes: &StoreChanges) -> DbResult<Option<Store>>;
    async fn property_definitions(&self) -> DbResult<Vec<PropertyDefinition>>;
    async fn create_property_definition(
        &self,
        property: &NewProperty,
        at: Timestamp,
    ) -> DbResult<PropertyDefinition>;
    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> DbResult<Option<PropertyDefinition>>;
}
