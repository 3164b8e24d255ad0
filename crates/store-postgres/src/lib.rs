//! The scale-out engine: PostgreSQL through a pool of connections, writes
//! running in parallel in read-committed transactions. Every customer-owned
//! table carries `customer_id`, so the schema can later be sharded by
//! customer.

mod customers;
mod directory;
mod errors;
mod filter;
mod load;
mod rows;
mod schema;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{
    Customer, CustomerGroup, CustomerGroupId, CustomerId, Phone, PropertyDefinition, PropertyId,
    Store, StoreId,
};
use clientele_store::{
    CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches, CustomerQuery, Database,
    GroupChanges, NewCustomerRecord, Page, PropertyChanges, StoreChanges, StoreError, StoreResult,
    WriteOutcome,
};
use jiff::Timestamp;
use sqlx::ConnectOptions;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

/// How long opening waits for the server, and a query for a free connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Statements slower than this are logged at info level: index builds and
/// migrations take seconds by nature, and tills' latencies are in /metrics.
const SLOW_STATEMENT: Duration = Duration::from_secs(1);

pub struct PostgresDatabase {
    pool: PgPool,
}

impl PostgresDatabase {
    /// Connects to the database at a `postgres://` URL.
    /// Does not migrate: call [`Database::migrate`] or [`Database::check_schema`].
    pub async fn open(url: &str) -> StoreResult<PostgresDatabase> {
        // Messages name the host and database, never the URL: it may hold a password.
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| {
                StoreError::Open(format!("the database URL is not a PostgreSQL URL: {e}"))
            })?
            .application_name("clientele")
            // Short queries only: JIT compilation costs more than it saves here.
            .options([("jit", "off")])
            .log_slow_statements(log::LevelFilter::Info, SLOW_STATEMENT);
        let target = format!(
            "database «{}» on {}:{}",
            options.get_database().unwrap_or(options.get_username()),
            options.get_host(),
            options.get_port()
        );
        // One connection first: a pool retries until its timeout and then
        // reports only that, while this says why (refused, no such database…).
        let failed = |why: String| StoreError::Open(format!("cannot connect to {target}: {why}"));
        match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
            Ok(Ok(probe)) => probe.close().await.map_err(|e| failed(e.to_string()))?,
            Ok(Err(e)) => return Err(failed(e.to_string())),
            Err(_) => return Err(failed(format!("no answer within {CONNECT_TIMEOUT:?}"))),
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_lazy_with(options);
        Ok(PostgresDatabase { pool })
    }
}

#[async_trait]
impl Database for PostgresDatabase {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> StoreResult<()> {
        schema::migrate(&self.pool).await
    }

    async fn check_schema(&self) -> StoreResult<()> {
        schema::check(&self.pool).await
    }

    async fn schema_version(&self) -> StoreResult<(i64, i64)> {
        schema::version(&self.pool).await
    }

    async fn customer_groups(&self) -> StoreResult<Vec<CustomerGroup>> {
        directory::groups(&self.pool).await
    }

    async fn customer_group(&self, id: CustomerGroupId) -> StoreResult<Option<CustomerGroup>> {
        directory::group(&self.pool, id).await
    }

    async fn default_customer_group(&self) -> StoreResult<CustomerGroup> {
        directory::default_group(&self.pool).await
    }

    async fn create_customer_group(&self, name: &str, at: Timestamp) -> StoreResult<CustomerGroup> {
        directory::create_group(&self.pool, name, at).await
    }

    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> StoreResult<Option<CustomerGroup>> {
        directory::update_group(&self.pool, id, changes).await
    }

    async fn delete_customer_group(&self, id: CustomerGroupId) -> StoreResult<bool> {
        directory::delete_group(&self.pool, id).await
    }

    async fn stores(&self) -> StoreResult<Vec<Store>> {
        directory::stores(&self.pool).await
    }

    async fn store(&self, id: StoreId) -> StoreResult<Option<Store>> {
        directory::store(&self.pool, id).await
    }

    async fn store_by_code(&self, code: &str) -> StoreResult<Option<Store>> {
        directory::store_by_code(&self.pool, code).await
    }

    async fn create_store(&self, store: &NewStore, at: Timestamp) -> StoreResult<Store> {
        directory::create_store(&self.pool, store, at).await
    }

    async fn update_store(
        &self,
        id: StoreId,
        changes: &StoreChanges,
    ) -> StoreResult<Option<Store>> {
        directory::update_store(&self.pool, id, changes).await
    }

    async fn property_definitions(&self) -> StoreResult<Vec<PropertyDefinition>> {
        directory::properties(&self.pool).await
    }

    async fn create_property_definition(
        &self,
        property: &NewProperty,
        at: Timestamp,
    ) -> StoreResult<PropertyDefinition> {
        directory::create_property(&self.pool, property, at).await
    }

    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> StoreResult<Option<PropertyDefinition>> {
        directory::update_property(&self.pool, id, changes).await
    }

    async fn create_customer(&self, customer: &NewCustomerRecord) -> StoreResult<Customer> {
        customers::create(&self.pool, customer).await
    }

    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>> {
        customers::by_id(&self.pool, id).await
    }

    async fn customer_by_phone(&self, phone: &Phone) -> StoreResult<Option<Customer>> {
        customers::by_phone(&self.pool, phone).await
    }

    async fn update_customer(&self, customer: &Customer, at: Timestamp) -> StoreResult<Customer> {
        customers::update(&self.pool, customer, at).await
    }

    async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> StoreResult<Customer> {
        customers::merge(&self.pool, survivor, duplicate, at).await
    }

    async fn list_customers(&self, query: &CustomerQuery) -> StoreResult<Page<Customer>> {
        customers::list(&self.pool, query).await
    }

    async fn explain_customer_list(&self, query: &CustomerQuery) -> StoreResult<String> {
        customers::explain_list(&self.pool, query).await
    }

    async fn count_customers(&self, query: &CustomerQuery) -> StoreResult<u64> {
        customers::count(&self.pool, query).await
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        sqlx::query("ANALYZE customers, customer_properties")
            .execute(&self.pool)
            .await
            .map_err(errors::backend)?;
        Ok(())
    }

    async fn match_customers(&self, keys: &CustomerKeys) -> StoreResult<CustomerMatches> {
        customers::matches(&self.pool, keys).await
    }

    async fn write_customers(&self, batch: &CustomerBatch) -> StoreResult<Vec<WriteOutcome>> {
        customers::write_batch(&self.pool, batch).await
    }

    async fn begin_customer_load(&self) -> StoreResult<Option<Box<dyn CustomerLoad>>> {
        Ok(load::begin(&self.pool)
            .await?
            .map(|load| Box::new(load) as Box<dyn CustomerLoad>))
    }
}
