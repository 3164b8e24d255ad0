//! The embedded engine: one SQLite file in WAL mode, created and migrated on
//! first start. Reads go through a pool; writes through a single connection,
//! since SQLite has one writer anyway and queuing in-process is cheaper than
//! waiting on the file lock.

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
mod writer;

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
    CardId, LedgerEntryId, Program, ProgramId, ReceiptKey, RoleId, Tier, TierId,
};
use clientele_domain::{
    Customer, CustomerFilter, CustomerGroup, CustomerGroupId, CustomerId, Login, Permissions,
    Phone, PropertyDefinition, PropertyId, Store, StoreId, TillId, TokenId, UserId,
};
use clientele_store::{
    AdjustOutcome, CardGroup, CardQuery, CommitOutcome, HoldOutcome, LedgerEntry, LoyaltyStore,
    NewCard, NewHold, NewProgram, NewTier, PointsAdjustment, PointsOwed, Purchase, ReceiptCommit,
    Return, ReturnCommit, ReturnOutcome, StoredReceipt,
};
use clientele_store::{
    ApiToken, AuditEntry, AuditQuery, NewAuditEntry, NewStaffUser, Principal, Role, Session,
    StaffChanges, StaffUser, Till,
};
use clientele_store::{BusinessFigures, FiguresQuery, FormClaim};
use clientele_store::{CertificateMovement, ImportedCard, NewCertificate};
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
    /// Receipts, returns and points by hand, grouped into shared transactions.
    writer: writer::Writer,
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
        let writer = writer::Writer::start(write.clone());
        Ok(SqliteDatabase {
            read,
            write,
            writer,
        })
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

    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> StoreResult<u64> {
        customers::count(&self.read, query, up_to).await
    }

    async fn set_favourite(
        &self,
        user: UserId,
        customer: CustomerId,
        starred: bool,
        at: Timestamp,
    ) -> StoreResult<()> {
        customers::set_favourite(&self.write, user, customer, starred, at).await
    }

    async fn favourites_among(
        &self,
        user: UserId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerId>> {
        customers::favourites_among(&self.read, user, customers).await
    }

    async fn birthdays_in_month(
        &self,
        filter: &CustomerFilter,
        month: i8,
    ) -> StoreResult<Vec<(i32, u64)>> {
        customers::birthdays_in_month(&self.read, filter, month).await
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&self.write)
            .await
            .map_err(errors::backend)?;
        // A bulk write leaves a long log behind (readers kept it from being
        // folded back meanwhile); folding it now spares the next commits.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
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

    async fn roles(&self) -> StoreResult<Vec<Role>> {
        staff::roles(&self.read).await
    }

    async fn role_by_name(&self, name: &str) -> StoreResult<Option<Role>> {
        staff::role_by_name(&self.read, name).await
    }

    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> StoreResult<Role> {
        staff::save_role(&self.write, name, permissions, built_in, at).await
    }

    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> StoreResult<Option<Role>> {
        staff::update_role(&self.write, id, name, permissions).await
    }

    async fn create_staff_user(
        &self,
        user: &NewStaffUser,
        at: Timestamp,
    ) -> StoreResult<StaffUser> {
        staff::create_user(&self.write, user, at).await
    }

    async fn staff_users(&self) -> StoreResult<Vec<StaffUser>> {
        staff::users(&self.read).await
    }

    async fn staff_user_by_login(&self, login: &Login) -> StoreResult<Option<(StaffUser, String)>> {
        staff::user_by_login(&self.read, login).await
    }

    async fn staff_user(&self, id: UserId) -> StoreResult<Option<(StaffUser, String)>> {
        staff::user(&self.read, id).await
    }

    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> StoreResult<Option<StaffUser>> {
        staff::update_user(&self.write, id, changes).await
    }

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<ApiToken> {
        staff::create_token(&self.write, user_id, label, secret_hash, at).await
    }

    async fn api_tokens(&self, user_id: UserId) -> StoreResult<Vec<ApiToken>> {
        staff::tokens(&self.read, user_id).await
    }

    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> StoreResult<bool> {
        staff::revoke_token(&self.write, user_id, id, at).await
    }

    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Till> {
        staff::create_till(&self.write, store_id, name, key_hash, at).await
    }

    async fn tills(&self) -> StoreResult<Vec<Till>> {
        staff::tills(&self.read).await
    }

    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> StoreResult<Option<Till>> {
        staff::rotate_till_key(&self.write, id, key_hash, at).await
    }

    async fn revoke_till(&self, id: TillId, at: Timestamp) -> StoreResult<Option<Till>> {
        staff::revoke_till(&self.write, id, at).await
    }

    async fn principal_by_secret(&self, secret_hash: &[u8]) -> StoreResult<Option<Principal>> {
        staff::principal_by_secret(&self.read, secret_hash).await
    }

    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        staff::create_session(&self.write, secret_hash, user_id, csrf, at, expires_at).await
    }

    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> StoreResult<Option<Session>> {
        staff::session(&self.read, secret_hash, now).await
    }

    async fn delete_session(&self, secret_hash: &[u8]) -> StoreResult<()> {
        staff::delete_session(&self.write, secret_hash).await
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        staff::delete_expired_sessions(&self.write, now).await
    }

    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<FormClaim> {
        staff::claim_form_token(&self.write, token, now, stale_before, expires_at).await
    }

    async fn finish_form_token(&self, token: &str, target: &str) -> StoreResult<()> {
        staff::finish_form_token(&self.write, token, target).await
    }

    async fn release_form_token(&self, token: &str) -> StoreResult<()> {
        staff::release_form_token(&self.write, token).await
    }

    async fn delete_expired_form_tokens(&self, now: Timestamp) -> StoreResult<u64> {
        staff::delete_expired_form_tokens(&self.write, now).await
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<()> {
        staff::append_audit(&self.write, entry).await
    }

    async fn audit_entries(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        staff::audit_entries(&self.read, query).await
    }
}

#[async_trait]
impl LoyaltyStore for SqliteDatabase {
    async fn programs(&self) -> StoreResult<Vec<Program>> {
        programs::programs(&self.read).await
    }

    async fn program(&self, id: ProgramId) -> StoreResult<Option<Program>> {
        programs::program(&self.read, id).await
    }

    async fn create_program(&self, program: &NewProgram, at: Timestamp) -> StoreResult<Program> {
        programs::create_program(&self.write, program, at).await
    }

    async fn update_program(
        &self,
        id: ProgramId,
        program: &NewProgram,
        at: Timestamp,
    ) -> StoreResult<Option<Program>> {
        if !programs::update_program(&self.write, id, program, at).await? {
            return Ok(None);
        }
        programs::program(&self.write, id).await
    }

    async fn create_tier(
        &self,
        program_id: ProgramId,
        tier: &NewTier,
        at: Timestamp,
    ) -> StoreResult<Tier> {
        programs::create_tier(&self.write, program_id, tier, at).await
    }

    async fn update_tier(&self, id: TierId, tier: &NewTier) -> StoreResult<Option<Tier>> {
        programs::update_tier(&self.write, id, tier).await
    }

    async fn create_certificate_template(
        &self,
        template: &NewCertificateTemplate,
        at: Timestamp,
    ) -> StoreResult<CertificateTemplate> {
        certificates::create_template(&self.write, template, at).await
    }

    async fn certificate_templates(&self) -> StoreResult<Vec<CertificateTemplate>> {
        certificates::templates(&self.read).await
    }

    async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        template: &NewCertificateTemplate,
    ) -> StoreResult<Option<CertificateTemplate>> {
        certificates::update_template(&self.write, id, template).await
    }

    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        issued: &[NewCertificate],
        at: Timestamp,
    ) -> StoreResult<Vec<Certificate>> {
        certificates::issue(&self.write, template, issued, at).await
    }

    async fn certificate_by_code(&self, code: &str) -> StoreResult<Option<Certificate>> {
        certificates::by_code(&self.read, code).await
    }

    async fn certificates_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<Certificate>> {
        certificates::of_customer(&self.read, customer_id, limit).await
    }

    async fn certificate_movements(
        &self,
        id: CertificateId,
    ) -> StoreResult<Vec<CertificateMovement>> {
        certificates::movements(&self.read, id).await
    }

    async fn card_groups(&self) -> StoreResult<Vec<CardGroup>> {
        programs::card_groups(&self.read).await
    }

    async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        at: Timestamp,
    ) -> StoreResult<CardGroup> {
        programs::create_card_group(&self.write, name, program_id, at).await
    }

    async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
    ) -> StoreResult<Option<CardGroup>> {
        programs::update_card_group(&self.write, id, name, program_id).await
    }

    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> StoreResult<Vec<Card>> {
        programs::create_cards(&self.write, cards, at).await
    }

    async fn card(&self, id: CardId) -> StoreResult<Option<Card>> {
        programs::card(&self.read, id).await
    }

    async fn last_in_store_ean13(&self) -> StoreResult<Option<String>> {
        programs::last_in_store_ean13(&self.read).await
    }

    async fn card_by_barcode(&self, barcode: &str) -> StoreResult<Option<Card>> {
        programs::card_by_barcode(&self.read, barcode).await
    }

    async fn cards_by_barcodes(&self, barcodes: &[String]) -> StoreResult<Vec<Card>> {
        programs::cards_by_barcodes(&self.read, barcodes).await
    }

    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> StoreResult<Vec<Option<CardId>>> {
        let work = (cards.to_vec(), at);
        self.writer
            .send(|reply| writer::Job::ImportCards(writer::Pending::new(work, reply)))
            .await
    }

    async fn cards(&self, query: &CardQuery) -> StoreResult<Vec<Card>> {
        programs::cards(&self.read, query).await
    }

    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> StoreResult<Option<Card>> {
        programs::bind_card(&self.write, id, customer_id).await
    }

    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> StoreResult<Option<Card>> {
        programs::set_card_blocked(&self.write, id, blocked).await
    }

    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<Card> {
        programs::replace_card(&self.write, id, new, reason, at).await
    }

    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.writer
            .send(|reply| {
                writer::Job::Merge(writer::Pending::new((duplicate, survivor, at), reply))
            })
            .await
    }

    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> StoreResult<()> {
        receipts::set_tier(&self.write, customer_ids, tier_id, until).await
    }

    async fn customer_at_till(
        &self,
        id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<Option<(Customer, CustomerLoyalty)>> {
        till_view::customer_at_till(&self.read, id, at).await
    }

    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<CustomerLoyalty> {
        let mut conn = self.read.acquire().await.map_err(errors::backend)?;
        receipts::loyalty(&mut conn, customer_id, at).await
    }

    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> StoreResult<Vec<(CustomerId, CustomerLoyalty)>> {
        receipts::loyalties(&self.read, customer_ids, at).await
    }

    async fn place_hold(&self, hold: NewHold) -> StoreResult<HoldOutcome> {
        self.writer
            .send(|reply| writer::Job::Hold(writer::Pending::new(hold, reply)))
            .await
    }

    async fn release_hold(
        &self,
        till_id: TillId,
        hold_id: &str,
        at: Timestamp,
    ) -> StoreResult<bool> {
        receipts::release_hold(&self.write, till_id, hold_id, at).await
    }

    async fn preferred_products(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(String, String)>> {
        receipts::preferred_products(&self.read, customer_id, limit).await
    }

    async fn receipt(
        &self,
        till_id: TillId,
        receipt_id: &str,
    ) -> StoreResult<Option<StoredReceipt>> {
        let mut conn = self.read.acquire().await.map_err(errors::backend)?;
        receipts::receipt(&mut conn, till_id, receipt_id).await
    }

    async fn commit_receipt(&self, receipt: ReceiptCommit) -> StoreResult<CommitOutcome> {
        self.writer
            .send(|reply| writer::Job::Commit(Box::new(writer::Pending::new(receipt, reply))))
            .await
    }

    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> StoreResult<Vec<CommitOutcome>> {
        self.writer
            .send(|reply| writer::Job::Load(writer::Pending::new(receipts, reply)))
            .await
    }

    async fn return_receipt(&self, request: ReturnCommit) -> StoreResult<ReturnOutcome> {
        self.writer
            .send(|reply| writer::Job::Return(writer::Pending::new(request, reply)))
            .await
    }

    async fn stored_return(
        &self,
        receipt: ReceiptKey,
        return_id: &str,
    ) -> StoreResult<Option<(Vec<u8>, Vec<u8>)>> {
        let mut conn = self.read.acquire().await.map_err(errors::backend)?;
        receipts::stored_return(&mut conn, receipt, return_id).await
    }

    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> StoreResult<AdjustOutcome> {
        let adjustment = adjustment.clone();
        self.writer
            .send(|reply| writer::Job::Adjust(writer::Pending::new(adjustment, reply)))
            .await
    }

    async fn purchases(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Purchase>> {
        receipts::purchases(&self.read, customer_id, limit).await
    }

    async fn referrals_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(CustomerId, String, Timestamp)>> {
        receipts::referrals_of(&self.read, customer_id, limit).await
    }

    async fn returns(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Return>> {
        receipts::returns(&self.read, customer_id, limit).await
    }

    async fn claim_slot(&self, job: &str, slot: &str, at: Timestamp) -> StoreResult<bool> {
        receipts::claim_slot(&self.write, job, slot, at).await
    }

    async fn referrals_due(&self, limit: u32) -> StoreResult<Vec<(CustomerId, CustomerId)>> {
        receipts::referrals_due(&self.read, limit).await
    }

    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        ids: (CustomerId, CustomerId),
    ) -> StoreResult<u64> {
        let pools = (&self.read, &self.write);
        receipts::recompute_tiers(pools, ladder, since, at, ids).await
    }

    async fn last_customer_id(&self) -> StoreResult<Option<CustomerId>> {
        receipts::last_customer_id(&self.read).await
    }

    async fn points_owed(&self, after: CustomerId, limit: u32) -> StoreResult<PointsOwed> {
        receipts::points_owed(&self.read, after, limit).await
    }

    async fn business_figures(&self, query: &FiguresQuery) -> StoreResult<BusinessFigures> {
        figures::business_figures(&self.read, query).await
    }

    async fn customer_ids(&self, after: CustomerId, limit: u32) -> StoreResult<Vec<CustomerId>> {
        receipts::customer_ids(&self.read, after, limit).await
    }

    async fn expire_points(&self, at: Timestamp, customers: u32) -> StoreResult<u32> {
        self.writer
            .send(|reply| writer::Job::Expire(writer::Pending::new((at, customers), reply)))
            .await
    }

    async fn ledger(
        &self,
        customer_id: CustomerId,
        before: Option<LedgerEntryId>,
        limit: u32,
    ) -> StoreResult<Vec<LedgerEntry>> {
        receipts::ledger(&self.read, customer_id, before, limit).await
    }
}
