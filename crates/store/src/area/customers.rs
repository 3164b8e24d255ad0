//! Customers: their profiles, search and lists, notes, and the bulk
//! paths of import and the demo.

use async_trait::async_trait;
use clientele_domain::{Customer, CustomerFilter, CustomerId, Note, Phone};
use jiff::Timestamp;

use crate::{
    CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches, CustomerQuery, DbResult,
    NewCustomerRecord, NewNote, Page, WriteOutcome,
};

#[async_trait]
pub trait Customers: Send + Sync {
    async fn create_customer(&self, customer: &NewCustomerRecord) -> DbResult<Customer>;
    async fn customer(&self, id: CustomerId) -> DbResult<Option<Customer>>;
    async fn customer_by_phone(&self, phone: &Phone) -> DbResult<Option<Customer>>;
    /// Writes a changed customer if nobody changed it since it was read
    /// (`version`); answers the stored result.
    async fn update_customer(&self, customer: &Customer, at: Timestamp) -> DbResult<Customer>;
    /// Merges `duplicate` into `survivor` in one transaction: the survivor
    /// takes its new profile, the duplicate is archived pointing at it and
    /// gives up the unique values the survivor took, and everyone the
    /// duplicate referred now counts as referred by the survivor.
    async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> DbResult<Customer>;
    async fn list_customers(&self, query: &CustomerQuery) -> DbResult<Page<Customer>>;
    /// The engine's plan for one page of the list, for tuning indexes.
    async fn explain_customer_list(&self, query: &CustomerQuery) -> DbResult<String>;
    /// How many customers a filter selects; with `up_to`, counting stops
    /// there (a screen says "more than 1,000" without reading a million).
    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> DbResult<u64>;
    /// The birthdays of `month` among the customers a filter selects (its own
    /// birthday range aside): `(MMDD, customers)` for each day that has any,
    /// in day order.
    async fn birthdays_in_month(
        &self,
        filter: &CustomerFilter,
        month: i8,
    ) -> DbResult<Vec<(i32, u64)>>;
    /// Settles the database after a bulk write: refreshes the planner's
    /// statistics, so filtered lists pick the index that suits the data
    /// rather than a guess, marks what was written as visible to every
    /// reader where the engine keeps such a map (so an index is read
    /// without its rows), and folds back any write-ahead log it left.
    async fn refresh_statistics(&self) -> DbResult<()>;
    async fn match_customers(&self, keys: &CustomerKeys) -> DbResult<CustomerMatches>;
    /// Writes a batch in one transaction. A row whose unique value is taken
    /// (or whose version is stale) is skipped, not fatal to the batch.
    async fn write_customers(&self, batch: &CustomerBatch) -> DbResult<Vec<WriteOutcome>>;
    /// Starts a [`CustomerLoad`] if the customer base is empty and the engine
    /// has a faster way to fill it; `None` means: write batches instead.
    async fn begin_customer_load(&self) -> DbResult<Option<Box<dyn CustomerLoad>>>;
    /// Adds a note to a customer: numbered after their others, signed and
    /// dated. Engines number notes their own way.
    async fn add_note(&self, note: &NewNote) -> DbResult<Note>;
}
