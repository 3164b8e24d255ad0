//! The embedded engine: one SQLite file in WAL mode, created and migrated on
//! first start. Reads go through a pool; writes through a single connection,
//! since SQLite has one writer anyway and queuing in-process is cheaper than
//! waiting on the file lock.

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
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Statements slower than this are logged at info level: index builds and
/// migrations take seconds by nature, and tills' latencies are in /metrics.
const SLOW_STATEMENT: Duration = Duration::from_secs(1);

pub struct SqliteDatabase {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteDatabase {
    /// Opens (creating if missing) the database at a `sqlite://PATH` URL.
    /// Does not migrate: call [`Database::migrate`] or [`Database::check_schema`].
    pub async fn open(url: &str) -> StoreResult<SqliteDatabase> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Open(format!("«{url}» is not a SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a receipt answered is a receipt on disk, even on power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-262144")
            .pragma("mmap_size", "1073741824")
            .pragma("temp_store", "memory")
            .log_slow_statements(log::LevelFilter::Info, SLOW_STATEMENT);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Open(format!("cannot open {url}: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| StoreError::Open(format!("cannot open {url}: {e}")))?;
        Ok(SqliteDatabase { read, write })
    }
}

#[async_trait]
impl Database for SqliteDatabase {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    async fn migrate(&self) -> StoreResult<()> {
        schema::migrate(&self.write).await
    }

    async fn check_schema(&self) -> StoreResult<()> {
        schema::check(&self.read).await
    }

    async fn schema_version(&self) -> StoreResult<(i64, i64)> {
        schema::version(&self.read).await
    }

    async fn customer_groups(&self) -> StoreResult<Vec<CustomerGroup>> {
        directory::groups(&self.read).await
    }

    async fn customer_group(&self, id: CustomerGroupId) -> StoreResult<Option<CustomerGroup>> {
        directory::group(&self.read, id).await
    }

    async fn default_customer_group(&self) -> StoreResult<CustomerGroup> {
        directory::default_group(&self.read).await
    }

    async fn create_customer_group(&self, name: &str, at: Timestamp) -> StoreResult<CustomerGroup> {
        directory::create_group(&self.write, name, at).await
    }

    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> StoreResult<Option<CustomerGroup>> {
        directory::update_group(&self.write, id, changes).await
    }

    async fn delete_customer_group(&self, id: CustomerGroupId) -> StoreResult<bool> {
        directory::delete_group(&self.write, id).await
    }

    async fn stores(&self) -> StoreResult<Vec<Store>> {
        directory::stores(&self.read).await
    }

    async fn store(&self, id: StoreId) -> StoreResult<Option<Store>> {
        directory::store(&self.read, id).await
    }

    async fn store_by_code(&self, code: &str) -> StoreResult<Option<Store>> {
        directory::store_by_code(&self.read, code).await
    }

    async fn create_store(&self, store: &NewStore, at: Timestamp) -> StoreResult<Store> {
        directory::create_store(&self.write, store, at).await
    }

    async fn update_store(
        &self,
        id: StoreId,
        changes: &StoreChanges,
    ) -> StoreResult<Option<Store>> {
        directory::update_store(&self.write, id, changes).await
    }

    async fn property_definitions(&self) -> StoreResult<Vec<PropertyDefinition>> {
        directory::properties(&self.read).await
    }

    async fn create_property_definition(
        &self,
        property: &NewProperty,
        at: Timestamp,
    ) -> StoreResult<PropertyDefinition> {
        directory::create_property(&self.write, property, at).await
    }

    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> StoreResult<Option<PropertyDefinition>> {
        directory::update_property(&self.write, id, changes).await
    }

    async fn create_customer(&self, customer: &NewCustomerRecord) -> StoreResult<Customer> {
        customers::create(&self.write, customer).await
    }

    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>> {
        customers::by_id(&self.read, id).await
    }

    async fn customer_by_phone(&self, phone: &Phone) -> StoreResult<Option<Customer>> {
        customers::by_phone(&self.read, phone).await
    }

    async fn update_customer(&self, customer: &Customer, at: Timestamp) -> StoreResult<Customer> {
        customers::update(&self.write, customer, at).await
    }

    async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> StoreResult<Customer> {
        customers::merge(&self.write, survivor, duplicate, at).await
    }

    async fn list_customers(&self, query: &CustomerQuery) -> StoreResult<Page<Customer>> {
        customers::list(&self.read, query).await
    }

    async fn explain_customer_list(&self, query: &CustomerQuery) -> StoreResult<String> {
        customers::explain_list(&self.read, query).await
    }

    async fn count_customers(&self, query: &CustomerQuery) -> StoreResult<u64> {
        customers::count(&self.read, query).await
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&self.write)
            .await
            .map_err(errors::backend)?;
        Ok(())
    }

    async fn match_customers(&self, keys: &CustomerKeys) -> StoreResult<CustomerMatches> {
        customers::matches(&self.read, keys).await
    }

    async fn write_customers(&self, batch: &CustomerBatch) -> StoreResult<Vec<WriteOutcome>> {
        customers::write_batch(&self.write, batch).await
    }

    async fn begin_customer_load(&self) -> StoreResult<Option<Box<dyn CustomerLoad>>> {
        Ok(load::begin(&self.write)
            .await?
            .map(|load| Box::new(load) as Box<dyn CustomerLoad>))
    }
}
