use std::collections::HashMap;

use async_trait::async_trait;
use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{
    Customer, CustomerFilter, CustomerGroup, CustomerGroupId, CustomerId, Email, Login,
    NewCustomer, Permissions, Phone, PropertyDefinition, PropertyId, RoleId, Store, StoreId,
    TillId, TokenId, UserId,
};
use jiff::Timestamp;

use crate::customer_page::CustomerPageStore;
use crate::error::StoreResult;
use crate::loyalty::LoyaltyStore;
use crate::page::{CustomerQuery, Page};
use crate::staff::{
    ApiToken, AuditEntry, AuditQuery, FormClaim, NewAuditEntry, NewStaffUser, Principal, Role,
    Session, StaffChanges, StaffUser, Till,
};

/// A new customer with the time it was registered (an import or the demo
/// data may register customers in the past).
#[derive(Debug, Clone)]
pub struct NewCustomerRecord {
    pub profile: NewCustomer,
    pub created_at: Timestamp,
}

/// Customers to write in one transaction: the bulk path of import and demo.
#[derive(Debug, Clone, Default)]
pub struct CustomerBatch {
    pub inserts: Vec<NewCustomerRecord>,
    /// Changed customers, each written only if its `version` is still current.
    pub updates: Vec<Customer>,
    pub at: Timestamp,
}

/// What became of one customer of a batch, in the batch's order (inserts first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    Inserted(CustomerId),
    Updated(CustomerId),
    /// A unique value was taken meanwhile, or the customer changed meanwhile.
    Skipped {
        field: &'static str,
    },
}

/// The keys an import looks customers up by.
#[derive(Debug, Clone, Default)]
pub struct CustomerKeys {
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub external_ids: Vec<String>,
}

/// Customers found for [`CustomerKeys`].
#[derive(Debug, Clone, Default)]
pub struct CustomerMatches {
    pub by_phone: HashMap<Phone, Customer>,
    pub by_external_id: HashMap<String, Customer>,
    pub email_owners: HashMap<Email, CustomerId>,
}

#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub name: Option<String>,
    pub is_default: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct StoreChanges {
    pub name: Option<String>,
    pub parent_id: Option<Option<StoreId>>,
    pub address: Option<Option<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct PropertyChanges {
    pub label: Option<String>,
    pub choices: Option<Vec<String>>,
}

/// New customers written into an empty customer base in one transaction,
/// the way a first import or the demo data arrive: the engine may drop its
/// indexes at the start and build them once at the end, which is several
/// times faster than keeping them up to date row by row. Nobody else can
/// write customers meanwhile, and nobody sees the rows before [`finish`].
/// Dropped without `finish`, the load leaves nothing behind.
///
/// The caller hands over customers whose phones, e-mails and external ids
/// differ from one another; a repeat fails `finish` with a conflict.
///
/// [`finish`]: CustomerLoad::finish
#[async_trait]
pub trait CustomerLoad: Send {
    /// Writes customers; their ids follow one another in the order given.
    async fn insert(&mut self, customers: &[NewCustomerRecord]) -> StoreResult<Vec<CustomerId>>;
    /// Builds the indexes and commits.
    async fn finish(self: Box<Self>) -> StoreResult<()>;
}

/// Everything Clientele keeps, behind one interface per engine.
#[async_trait]
pub trait Database: LoyaltyStore + CustomerPageStore + Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// Applies the migrations this binary carries; refuses a newer schema.
    async fn migrate(&self) -> StoreResult<()>;
    /// Checks the schema is exactly what this binary expects.
    async fn check_schema(&self) -> StoreResult<()>;
    /// The schema version applied, and the newest this binary knows.
    async fn schema_version(&self) -> StoreResult<(i64, i64)>;

    async fn customer_groups(&self) -> StoreResult<Vec<CustomerGroup>>;
    async fn customer_group(&self, id: CustomerGroupId) -> StoreResult<Option<CustomerGroup>>;
    async fn default_customer_group(&self) -> StoreResult<CustomerGroup>;
    async fn create_customer_group(&self, name: &str, at: Timestamp) -> StoreResult<CustomerGroup>;
    async fn update_customer_group(
        &self,
        id: CustomerGroupId,
        changes: &GroupChanges,
    ) -> StoreResult<Option<CustomerGroup>>;
    /// Removes an empty group that is not the default; `false` if there was none.
    async fn delete_customer_group(&self, id: CustomerGroupId) -> StoreResult<bool>;

    async fn stores(&self) -> StoreResult<Vec<Store>>;
    async fn store(&self, id: StoreId) -> StoreResult<Option<Store>>;
    async fn store_by_code(&self, code: &str) -> StoreResult<Option<Store>>;
    async fn create_store(&self, store: &NewStore, at: Timestamp) -> StoreResult<Store>;
    async fn update_store(&self, id: StoreId, changes: &StoreChanges)
    -> StoreResult<Option<Store>>;

    async fn property_definitions(&self) -> StoreResult<Vec<PropertyDefinition>>;
    async fn create_property_definition(
        &self,
        property: &NewProperty,
        at: Timestamp,
    ) -> StoreResult<PropertyDefinition>;
    async fn update_property_definition(
        &self,
        id: PropertyId,
        changes: &PropertyChanges,
    ) -> StoreResult<Option<PropertyDefinition>>;

    async fn create_customer(&self, customer: &NewCustomerRecord) -> StoreResult<Customer>;
    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>>;
    async fn customer_by_phone(&self, phone: &Phone) -> StoreResult<Option<Customer>>;
    /// Writes a changed customer if nobody changed it since it was read
    /// (`version`); answers the stored result.
    async fn update_customer(&self, customer: &Customer, at: Timestamp) -> StoreResult<Customer>;
    /// Merges `duplicate` into `survivor` in one transaction: the survivor
    /// takes its new profile, the duplicate is archived pointing at it and
    /// gives up the unique values the survivor took, and everyone the
    /// duplicate referred now counts as referred by the survivor.
    async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> StoreResult<Customer>;
    async fn list_customers(&self, query: &CustomerQuery) -> StoreResult<Page<Customer>>;
    /// The engine's plan for one page of the list, for tuning indexes.
    async fn explain_customer_list(&self, query: &CustomerQuery) -> StoreResult<String>;
    /// How many customers a filter selects; with `up_to`, counting stops
    /// there (a screen says "more than 1,000" without reading a million).
    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> StoreResult<u64>;
    /// Stars a customer for a staff user, or takes the star away.
    async fn set_favourite(
        &self,
        user: UserId,
        customer: CustomerId,
        starred: bool,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Which of these customers the user starred.
    async fn favourites_among(
        &self,
        user: UserId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerId>>;
    /// The birthdays of `month` among the customers a filter selects (its own
    /// birthday range aside): `(MMDD, customers)` for each day that has any,
    /// in day order.
    async fn birthdays_in_month(
        &self,
        filter: &CustomerFilter,
        month: i8,
    ) -> StoreResult<Vec<(i32, u64)>>;

    /// Settles the database after a bulk write: refreshes the planner's
    /// statistics, so filtered lists pick the index that suits the data
    /// rather than a guess, and folds back any write-ahead log it left.
    async fn refresh_statistics(&self) -> StoreResult<()>;

    async fn match_customers(&self, keys: &CustomerKeys) -> StoreResult<CustomerMatches>;
    /// Writes a batch in one transaction. A row whose unique value is taken
    /// (or whose version is stale) is skipped, not fatal to the batch.
    async fn write_customers(&self, batch: &CustomerBatch) -> StoreResult<Vec<WriteOutcome>>;
    /// Starts a [`CustomerLoad`] if the customer base is empty and the engine
    /// has a faster way to fill it; `None` means: write batches instead.
    async fn begin_customer_load(&self) -> StoreResult<Option<Box<dyn CustomerLoad>>>;

    async fn roles(&self) -> StoreResult<Vec<Role>>;
    async fn role_by_name(&self, name: &str) -> StoreResult<Option<Role>>;
    /// Creates a role, or with `built_in` replaces the permissions of the
    /// built-in role of that name (the binary's definition wins).
    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> StoreResult<Role>;

    /// Renames a role made by staff and sets its rights; built-in roles are
    /// left as they are (`None`, as for an unknown id).
    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> StoreResult<Option<Role>>;

    async fn create_staff_user(&self, user: &NewStaffUser, at: Timestamp)
    -> StoreResult<StaffUser>;
    async fn staff_users(&self) -> StoreResult<Vec<StaffUser>>;
    /// The user and their password hash, for a sign-in.
    async fn staff_user_by_login(&self, login: &Login) -> StoreResult<Option<(StaffUser, String)>>;
    async fn staff_user(&self, id: UserId) -> StoreResult<Option<(StaffUser, String)>>;
    /// `None` if there is no such user.
    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> StoreResult<Option<StaffUser>>;

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<ApiToken>;
    async fn api_tokens(&self, user_id: UserId) -> StoreResult<Vec<ApiToken>>;
    /// `false` if there was no such token of that user.
    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> StoreResult<bool>;

    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Till>;
    async fn tills(&self) -> StoreResult<Vec<Till>>;
    /// Replaces a live till's key; `None` if there is none such.
    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Option<Till>>;
    async fn revoke_till(&self, id: TillId, at: Timestamp) -> StoreResult<Option<Till>>;

    /// Whose live token or till key has this SHA-256.
    async fn principal_by_secret(&self, secret_hash: &[u8]) -> StoreResult<Option<Principal>>;

    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()>;
    /// The live session of an active user with this SHA-256, at `now`.
    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> StoreResult<Option<Session>>;
    async fn delete_session(&self, secret_hash: &[u8]) -> StoreResult<()>;
    /// Removes sessions that expired before `now`; answers how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    /// Claims a console form's one-time token at `now`, kept until
    /// `expires_at`: first if nobody had it, or if its earlier claim expired,
    /// or was still working when `stale_before` came (its server is gone).
    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<FormClaim>;
    /// The token's work is done and led to `target`.
    async fn finish_form_token(&self, token: &str, target: &str) -> StoreResult<()>;
    /// The token's work was not done: it may be sent again.
    async fn release_form_token(&self, token: &str) -> StoreResult<()>;
    /// Removes tokens that expired before `now`; answers how many.
    async fn delete_expired_form_tokens(&self, now: Timestamp) -> StoreResult<u64>;

    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()>;
    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
}
