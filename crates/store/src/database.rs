use std::collections::HashMap;
use std::path::Path;

use async_trait::async_trait;
use clientele_domain::{Customer, CustomerId, Email, NewCustomer, Phone, StoreId};
use jiff::Timestamp;

use crate::area::{
    Addresses, Campaigns, CardReads, Cards, Channels, Chats, Customers, Directory, Figures,
    History, Jobs, Offers, Outbox, Programs, Receipts, Reports, Rollups, Segments, Staff, Triggers,
};
use crate::backup::Backup;
use crate::error::DbResult;
use crate::schema::Migration;

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
    pub time_zone: Option<Option<String>>,
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
    async fn insert(&mut self, customers: &[NewCustomerRecord]) -> DbResult<Vec<CustomerId>>;
    /// Builds the indexes and commits.
    async fn finish(self: Box<Self>) -> DbResult<()>;
}

/// The areas written once for every engine (crate `clientele-store-sql`):
/// an engine hands them over as one value.
pub trait Portable:
    Staff
    + Directory
    + Programs
    + History
    + CardReads
    + Jobs
    + Segments
    + Offers
    + Outbox
    + Campaigns
    + Triggers
    + Channels
    + Chats
    + Addresses
    + Rollups
    + Reports
{
}

impl<T> Portable for T where
    T: Staff
        + Directory
        + Programs
        + History
        + CardReads
        + Jobs
        + Segments
        + Offers
        + Outbox
        + Campaigns
        + Triggers
        + Channels
        + Chats
        + Addresses
        + Rollups
        + Reports
{
}

/// Everything Clientele keeps, behind one interface per engine: the
/// schema here, the rest by area. An area written once for every engine is
/// reached through its accessor.
#[async_trait]
pub trait Database: Customers + Cards + Receipts + Figures + Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// The areas written once for every engine, over this engine.
    fn portable(&self) -> &dyn Portable;

    /// Staff, access and the audit log.
    fn staff(&self) -> &dyn Staff {
        self.portable()
    }
    /// Customer groups, stores and custom properties.
    fn directory(&self) -> &dyn Directory {
        self.portable()
    }
    /// Programs, tiers, card groups and certificate templates.
    fn programs(&self) -> &dyn Programs {
        self.portable()
    }
    /// A customer's points ledger, purchases, returns, notes and
    /// referrals, and the points owed.
    fn history(&self) -> &dyn History {
        self.portable()
    }
    /// Cards and certificates by id, barcode or code, and a customer's.
    fn card_reads(&self) -> &dyn CardReads {
        self.portable()
    }
    /// The scheduled jobs' slots, the customers to walk and the referral
    /// rewards due.
    fn jobs(&self) -> &dyn Jobs {
        self.portable()
    }
    /// Segments, their members and the customers a rule holds for.
    fn segments(&self) -> &dyn Segments {
        self.portable()
    }
    /// Personal offers and their coupons.
    fn offers(&self) -> &dyn Offers {
        self.portable()
    }
    /// The outbox: messages to customers and where each is.
    fn outbox(&self) -> &dyn Outbox {
        self.portable()
    }
    /// Message templates and campaigns.
    fn campaigns(&self) -> &dyn Campaigns {
        self.portable()
    }
    /// Triggers and the occasions they send on.
    fn triggers(&self) -> &dyn Triggers {
        self.portable()
    }
    /// The channels' settings and their providers' delivery reports.
    fn channels(&self) -> &dyn Channels {
        self.portable()
    }
    /// Chats with customers who wrote.
    fn chats(&self) -> &dyn Chats {
        self.portable()
    }
    /// The devices and messenger handles customers are reached at.
    fn addresses(&self) -> &dyn Addresses {
        self.portable()
    }
    /// The day figures reports read, kept by a job.
    fn rollups(&self) -> &dyn Rollups {
        self.portable()
    }
    /// What the reports read beyond the day figures.
    fn reports(&self) -> &dyn Reports {
        self.portable()
    }

    /// Applies the migrations this binary carries; refuses a newer schema.
    async fn migrate(&self) -> DbResult<()>;
    /// The schema version applied (0 for a new database).
    async fn applied_version(&self) -> DbResult<i64>;

    /// The schema version applied, and the newest this binary knows.
    async fn schema_version(&self) -> DbResult<(i64, i64)> {
        let applied = self.applied_version().await?;
        Ok((applied, crate::schema::newest(&self.migrations())))
    }
    /// Checks the schema is exactly what this binary expects.
    async fn check_schema(&self) -> DbResult<()> {
        let (database, binary) = self.schema_version().await?;
        crate::schema::is_current(database, binary)
    }
    /// Every migration this binary carries.
    fn migrations(&self) -> Vec<Migration>;

    /// The migrations [`Database::migrate`] would apply, oldest first;
    /// refuses a schema newer than this binary.
    async fn pending_migrations(&self) -> DbResult<Vec<Migration>> {
        let (database, _) = self.schema_version().await?;
        crate::schema::pending(self.migrations(), database)
    }
    /// Writes a consistent copy of the whole database to `to` while it
    /// keeps serving, and answers its size. `to` is replaced only by a whole
    /// copy: a backup that fails leaves the previous one as it was.
    async fn write_backup(&self, to: &Path) -> DbResult<u64>;

    /// [`Database::write_backup`], with the schema version the copy holds.
    async fn backup(&self, to: &Path) -> DbResult<Backup> {
        let (schema_version, _) = self.schema_version().await?;
        let bytes = self.write_backup(to).await?;
        Ok(Backup {
            bytes,
            schema_version,
        })
    }
}
