//! The scale-out engine: PostgreSQL through a pool of connections, writes
//! running in parallel in read-committed transactions. Every customer-owned
//! table carries `customer_id`, so the schema can later be sharded by
//! customer.

mod card_import;
mod certificates;
mod customer_page;
mod customers;
mod directory;
mod errors;
mod figures;
mod filter;
mod load;
mod programs;
mod receipts;
mod rows;
mod schema;
mod staff;
mod till_view;

use clientele_domain::posting::CustomerLoyalty;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use clientele_domain::card::Card;
use clientele_domain::certificate::{Certificate, CertificateTemplate, NewCertificateTemplate};
use clientele_domain::property::NewProperty;
use clientele_domain::store::NewStore;
use clientele_domain::{CardGroupId, CertificateId, CertificateTemplateId};
use clientele_domain::{
    CardId, Customer, CustomerFilter, CustomerGroup, CustomerGroupId, CustomerId, LedgerEntryId,
    Login, Permissions, Phone, Program, ProgramId, PropertyDefinition, PropertyId, ReceiptKey,
    RoleId, Store, StoreId, Tier, TierId, TillId, TokenId, UserId,
};
use clientele_store::{
    AdjustOutcome, CardGroup, CardQuery, CommitOutcome, HoldOutcome, LedgerEntry, LoyaltyStore,
    NewCard, NewHold, NewProgram, NewTier, PointsAdjustment, PointsOwed, Purchase, ReceiptCommit,
    Return, ReturnCommit, ReturnOutcome, StoredReceipt,
};
use clientele_store::{
    ApiToken, AuditEntry, AuditQuery, CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches,
    CustomerQuery, Database, GroupChanges, NewAuditEntry, NewCustomerRecord, NewStaffUser, Page,
    Principal, PropertyChanges, Role, Session, StaffChanges, StaffUser, StoreChanges, StoreError,
    StoreResult, Till, WriteOutcome,
};
use clientele_store::{BusinessFigures, FiguresQuery, FormClaim};
use clientele_store::{CertificateMovement, ImportedCard, NewCertificate};
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

    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> StoreResult<u64> {
        customers::count(&self.pool, query, up_to).await
    }

    async fn set_favourite(
        &self,
        user: UserId,
        customer: CustomerId,
        starred: bool,
        at: Timestamp,
    ) -> StoreResult<()> {
        customers::set_favourite(&self.pool, user, customer, starred, at).await
    }

    async fn favourites_among(
        &self,
        user: UserId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerId>> {
        customers::favourites_among(&self.pool, user, customers).await
    }

    async fn birthdays_in_month(
        &self,
        filter: &CustomerFilter,
        month: i8,
    ) -> StoreResult<Vec<(i32, u64)>> {
        customers::birthdays_in_month(&self.pool, filter, month).await
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(errors::backend)?;
        // Writing out what a bulk write left in memory now spares the
        // next commits the wait; only a superuser (or pg_checkpoint) may.
        if let Err(error) = sqlx::query("CHECKPOINT").execute(&self.pool).await {
            tracing::debug!(%error, "no checkpoint after a bulk write");
        }
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

    async fn roles(&self) -> StoreResult<Vec<Role>> {
        staff::roles(&self.pool).await
    }

    async fn role_by_name(&self, name: &str) -> StoreResult<Option<Role>> {
        staff::role_by_name(&self.pool, name).await
    }

    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> StoreResult<Role> {
        staff::save_role(&self.pool, name, permissions, built_in, at).await
    }

    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> StoreResult<Option<Role>> {
        staff::update_role(&self.pool, id, name, permissions).await
    }

    async fn create_staff_user(
        &self,
        user: &NewStaffUser,
        at: Timestamp,
    ) -> StoreResult<StaffUser> {
        staff::create_user(&self.pool, user, at).await
    }

    async fn staff_users(&self) -> StoreResult<Vec<StaffUser>> {
        staff::users(&self.pool).await
    }

    async fn staff_user_by_login(&self, login: &Login) -> StoreResult<Option<(StaffUser, String)>> {
        staff::user_by_login(&self.pool, login).await
    }

    async fn staff_user(&self, id: UserId) -> StoreResult<Option<(StaffUser, String)>> {
        staff::user(&self.pool, id).await
    }

    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> StoreResult<Option<StaffUser>> {
        staff::update_user(&self.pool, id, changes).await
    }

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<ApiToken> {
        staff::create_token(&self.pool, user_id, label, secret_hash, at).await
    }

    async fn api_tokens(&self, user_id: UserId) -> StoreResult<Vec<ApiToken>> {
        staff::tokens(&self.pool, user_id).await
    }

    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> StoreResult<bool> {
        staff::revoke_token(&self.pool, user_id, id, at).await
    }

    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Till> {
        staff::create_till(&self.pool, store_id, name, key_hash, at).await
    }

    async fn tills(&self) -> StoreResult<Vec<Till>> {
        staff::tills(&self.pool).await
    }

    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Option<Till>> {
        staff::rotate_till_key(&self.pool, id, key_hash, at).await
    }

    async fn revoke_till(&self, id: TillId, at: Timestamp) -> StoreResult<Option<Till>> {
        staff::revoke_till(&self.pool, id, at).await
    }

    async fn principal_by_secret(&self, secret_hash: &[u8]) -> StoreResult<Option<Principal>> {
        staff::principal_by_secret(&self.pool, secret_hash).await
    }

    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        staff::create_session(&self.pool, secret_hash, user_id, csrf, at, expires_at).await
    }

    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> StoreResult<Option<Session>> {
        staff::session(&self.pool, secret_hash, now).await
    }

    async fn delete_session(&self, secret_hash: &[u8]) -> StoreResult<()> {
        staff::delete_session(&self.pool, secret_hash).await
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        staff::delete_expired_sessions(&self.pool, now).await
    }

    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<FormClaim> {
        staff::claim_form_token(&self.pool, token, now, stale_before, expires_at).await
    }

    async fn finish_form_token(&self, token: &str, target: &str) -> StoreResult<()> {
        staff::finish_form_token(&self.pool, token, target).await
    }

    async fn release_form_token(&self, token: &str) -> StoreResult<()> {
        staff::release_form_token(&self.pool, token).await
    }

    async fn delete_expired_form_tokens(&self, now: Timestamp) -> StoreResult<u64> {
        staff::delete_expired_form_tokens(&self.pool, now).await
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()> {
        staff::append_audit(&self.pool, entry).await
    }

    async fn audit_entries(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        staff::audit_entries(&self.pool, query).await
    }
}

#[async_trait]
impl LoyaltyStore for PostgresDatabase {
    async fn programs(&self) -> StoreResult<Vec<Program>> {
        programs::programs(&self.pool).await
    }

    async fn program(&self, id: ProgramId) -> StoreResult<Option<Program>> {
        programs::program(&self.pool, id).await
    }

    async fn create_program(&self, program: &NewProgram, at: Timestamp) -> StoreResult<Program> {
        programs::create_program(&self.pool, program, at).await
    }

    async fn update_program(
        &self,
        id: ProgramId,
        program: &NewProgram,
        at: Timestamp,
    ) -> StoreResult<Option<Program>> {
        programs::update_program(&self.pool, id, program, at).await
    }

    async fn create_tier(
        &self,
        program_id: ProgramId,
        tier: &NewTier,
        at: Timestamp,
    ) -> StoreResult<Tier> {
        programs::create_tier(&self.pool, program_id, tier, at).await
    }

    async fn update_tier(&self, id: TierId, tier: &NewTier) -> StoreResult<Option<Tier>> {
        programs::update_tier(&self.pool, id, tier).await
    }

    async fn create_certificate_template(
        &self,
        template: &NewCertificateTemplate,
        at: Timestamp,
    ) -> StoreResult<CertificateTemplate> {
        certificates::create_template(&self.pool, template, at).await
    }

    async fn certificate_templates(&self) -> StoreResult<Vec<CertificateTemplate>> {
        certificates::templates(&self.pool).await
    }

    async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        template: &NewCertificateTemplate,
    ) -> StoreResult<Option<CertificateTemplate>> {
        certificates::update_template(&self.pool, id, template).await
    }

    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        issued: &[NewCertificate],
        at: Timestamp,
    ) -> StoreResult<Vec<Certificate>> {
        certificates::issue(&self.pool, template, issued, at).await
    }

    async fn certificate_by_code(&self, code: &str) -> StoreResult<Option<Certificate>> {
        certificates::by_code(&self.pool, code).await
    }

    async fn certificates_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<Certificate>> {
        certificates::of_customer(&self.pool, customer_id, limit).await
    }

    async fn certificate_movements(
        &self,
        id: CertificateId,
    ) -> StoreResult<Vec<CertificateMovement>> {
        certificates::movements(&self.pool, id).await
    }

    async fn card_groups(&self) -> StoreResult<Vec<CardGroup>> {
        programs::card_groups(&self.pool).await
    }

    async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        at: Timestamp,
    ) -> StoreResult<CardGroup> {
        programs::create_card_group(&self.pool, name, program_id, at).await
    }

    async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
    ) -> StoreResult<Option<CardGroup>> {
        programs::update_card_group(&self.pool, id, name, program_id).await
    }

    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> StoreResult<Vec<Card>> {
        programs::create_cards(&self.pool, cards, at).await
    }

    async fn card(&self, id: CardId) -> StoreResult<Option<Card>> {
        programs::card(&self.pool, id).await
    }

    async fn last_in_store_ean13(&self) -> StoreResult<Option<String>> {
        programs::last_in_store_ean13(&self.pool).await
    }

    async fn card_by_barcode(&self, barcode: &str) -> StoreResult<Option<Card>> {
        programs::card_by_barcode(&self.pool, barcode).await
    }

    async fn cards_by_barcodes(&self, barcodes: &[String]) -> StoreResult<Vec<Card>> {
        programs::cards_by_barcodes(&self.pool, barcodes).await
    }

    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> StoreResult<Vec<Option<CardId>>> {
        card_import::import_cards(&self.pool, cards, at).await
    }

    async fn cards(&self, query: &CardQuery) -> StoreResult<Vec<Card>> {
        programs::cards(&self.pool, query).await
    }

    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> StoreResult<Option<Card>> {
        programs::bind_card(&self.pool, id, customer_id).await
    }

    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> StoreResult<Option<Card>> {
        programs::set_card_blocked(&self.pool, id, blocked).await
    }

    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<Card> {
        programs::replace_card(&self.pool, id, new, reason, at).await
    }

    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()> {
        receipts::merge_points(&self.pool, duplicate, survivor, at).await
    }

    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> StoreResult<()> {
        receipts::set_tier(&self.pool, customer_ids, tier_id, until).await
    }

    async fn customer_at_till(
        &self,
        id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<Option<(Customer, CustomerLoyalty)>> {
        till_view::customer_at_till(&self.pool, id, at).await
    }

    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<CustomerLoyalty> {
        receipts::loyalty(&self.pool, customer_id, at).await
    }

    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> StoreResult<Vec<(CustomerId, CustomerLoyalty)>> {
        receipts::loyalties(&self.pool, customer_ids, at).await
    }

    async fn place_hold(&self, hold: NewHold) -> StoreResult<HoldOutcome> {
        receipts::place_hold(&self.pool, &hold).await
    }

    async fn release_hold(
        &self,
        till_id: TillId,
        hold_id: &str,
        at: Timestamp,
    ) -> StoreResult<bool> {
        receipts::release_hold(&self.pool, till_id, hold_id, at).await
    }

    async fn preferred_products(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(String, String)>> {
        receipts::preferred_products(&self.pool, customer_id, limit).await
    }

    async fn receipt(
        &self,
        till_id: TillId,
        receipt_id: &str,
    ) -> StoreResult<Option<StoredReceipt>> {
        receipts::receipt(&self.pool, till_id, receipt_id).await
    }

    async fn commit_receipt(&self, receipt: ReceiptCommit) -> StoreResult<CommitOutcome> {
        receipts::commit(&self.pool, receipt).await
    }

    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> StoreResult<Vec<CommitOutcome>> {
        receipts::load(&self.pool, receipts).await
    }

    async fn return_receipt(&self, request: ReturnCommit) -> StoreResult<ReturnOutcome> {
        receipts::return_receipt(&self.pool, request).await
    }

    async fn stored_return(
        &self,
        receipt: ReceiptKey,
        return_id: &str,
    ) -> StoreResult<Option<(Vec<u8>, Vec<u8>)>> {
        receipts::stored_return(&self.pool, receipt, return_id).await
    }

    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> StoreResult<AdjustOutcome> {
        receipts::adjust(&self.pool, adjustment).await
    }

    async fn purchases(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Purchase>> {
        receipts::purchases(&self.pool, customer_id, limit).await
    }

    async fn referrals_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(CustomerId, String, Timestamp)>> {
        receipts::referrals_of(&self.pool, customer_id, limit).await
    }

    async fn returns(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Return>> {
        receipts::returns(&self.pool, customer_id, limit).await
    }

    async fn claim_slot(&self, job: &str, slot: &str, at: Timestamp) -> StoreResult<bool> {
        receipts::claim_slot(&self.pool, job, slot, at).await
    }

    async fn referrals_due(&self, limit: u32) -> StoreResult<Vec<(CustomerId, CustomerId)>> {
        receipts::referrals_due(&self.pool, limit).await
    }

    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        ids: (CustomerId, CustomerId),
    ) -> StoreResult<u64> {
        receipts::recompute_tiers(&self.pool, ladder, since, at, ids).await
    }

    async fn last_customer_id(&self) -> StoreResult<Option<CustomerId>> {
        receipts::last_customer_id(&self.pool).await
    }

    async fn points_owed(&self, after: CustomerId, limit: u32) -> StoreResult<PointsOwed> {
        receipts::points_owed(&self.pool, after, limit).await
    }

    async fn business_figures(&self, query: &FiguresQuery) -> StoreResult<BusinessFigures> {
        figures::business_figures(&self.pool, query).await
    }

    async fn customer_ids(&self, after: CustomerId, limit: u32) -> StoreResult<Vec<CustomerId>> {
        receipts::customer_ids(&self.pool, after, limit).await
    }

    async fn expire_points(&self, at: Timestamp, customers: u32) -> StoreResult<u32> {
        receipts::expire_points(&self.pool, at, customers).await
    }

    async fn ledger(
        &self,
        customer_id: CustomerId,
        before: Option<LedgerEntryId>,
        limit: u32,
    ) -> StoreResult<Vec<LedgerEntry>> {
        receipts::ledger(&self.pool, customer_id, before, limit).await
    }
}
