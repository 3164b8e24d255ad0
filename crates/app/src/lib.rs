//! Clientele's use cases. Handlers and commands call these; these call the
//! domain's rules and the store.

pub mod addresses;
pub mod audit;
pub mod backups;
pub mod birthdays;
pub mod campaigns;
pub mod certificates;
pub mod chats;
mod clock;
mod credentials;
pub mod customers;
mod definitions;
pub mod demo;
pub mod demo_offers;
mod demo_receipts;
pub mod directory;
mod error;
pub mod export;
mod favourites;
pub mod figures;
pub mod forms;
mod fresh;
pub mod history;
pub mod import;
pub mod jobs;
mod measure;
pub mod notes;
pub mod offers;
pub mod outbox;
pub mod personal_data;
pub mod points;
pub mod pos;
pub mod programs;
pub mod progress;
pub mod reports;
mod rfm;
pub mod rollup;
mod seed;
pub mod segment_lists;
pub mod segments;
pub mod sessions;
pub mod staff;
pub mod throttle;
pub mod triggers;

use std::sync::Arc;

use clientele_store::Database;

/// The records the use cases take and answer, as the store keeps them.
pub use clientele_store::{
    Actor, AddressAdded, ApiToken, AuditEntry, AuditQuery, CardGroup, CardQuery, ChatMessage,
    ChatThread, Coupon, CouponHolder, CustomerAddress, KeptCampaign, KeptOffer, KeptTemplate,
    KeptTrigger, LedgerEntry, Message, MessageQuery, NewAuditEntry, NewTier, Principal,
    ReceiptDetail, ReceiptLine, Return, Role, SegmentFigures, Session, StaffUser, StoreChanges,
    Till,
};
pub use clock::Clock;
pub use error::{AppError, AppResult};
pub use seed::{DemoShop, SeedReport, ShopReport};

/// Wrong passwords a user may give within 15 minutes before being locked out.
const PASSWORD_ATTEMPTS: u32 = 5;

/// Bad credentials (tokens, sign-in passwords) a client address may present
/// within a minute.
const ADDRESS_FAILURES: u32 = 100;

/// A healthy database, as `/healthz` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub engine: &'static str,
    pub schema_version: i64,
}

/// The application: a database and a clock, shared by every request.
#[derive(Clone)]
pub struct App {
    db: Arc<dyn Database>,
    clock: Clock,
    definitions: fresh::Fresh<Vec<clientele_domain::PropertyDefinition>>,
    programs: fresh::Fresh<Vec<clientele_domain::Program>>,
    /// The running offers, as every basket is priced with them.
    running: fresh::Fresh<pos::offers::Running>,
    /// What offers capped for everyone gave today.
    given: fresh::Fresh<pos::offers::Given>,
    password_cost: staff::PasswordCost,
    /// See `App::check_password`.
    decoy: Arc<std::sync::OnceLock<String>>,
    credentials: credentials::CredentialCache,
    figures: figures::FiguresCache,
    form_sweeps: forms::Sweeps,
    /// Failed password confirmations, per user.
    password_failures: throttle::Throttle,
    /// Bad bearer credentials and wrong sign-in passwords, per client address.
    address_failures: throttle::Throttle,
    /// Wrong channel keys on providers' posts, per client address: apart
    /// from credentials, so a provider's misconfiguration locks out no till.
    webhook_failures: throttle::Throttle,
    /// The channels messages leave by, and the rules for marketing.
    messaging: Arc<outbox::Messaging>,
    /// The channels set up in the settings, with their couriers.
    channels: fresh::Fresh<outbox::channels::SetUp>,
    /// The key unsubscribe links are signed with, once read.
    unsubscribe_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

impl App {
    pub fn new(db: Arc<dyn Database>, clock: Clock) -> App {
        App {
            db,
            clock,
            definitions: Default::default(),
            programs: Default::default(),
            running: Default::default(),
            given: Default::default(),
            password_cost: Default::default(),
            decoy: Default::default(),
            credentials: Default::default(),
            figures: Default::default(),
            form_sweeps: Default::default(),
            password_failures: throttle::Throttle::new(
                PASSWORD_ATTEMPTS,
                std::time::Duration::from_secs(15 * 60),
            ),
            address_failures: throttle::Throttle::new(
                ADDRESS_FAILURES,
                std::time::Duration::from_secs(60),
            ),
            webhook_failures: throttle::Throttle::new(
                ADDRESS_FAILURES,
                std::time::Duration::from_secs(60),
            ),
            messaging: Default::default(),
            channels: Default::default(),
            unsubscribe_key: Default::default(),
        }
    }

    /// The same application sending messages over these channels.
    pub fn with_messaging(mut self, messaging: outbox::Messaging) -> App {
        self.messaging = Arc::new(messaging);
        self
    }

    fn messaging(&self) -> &outbox::Messaging {
        &self.messaging
    }

    /// The same application hashing passwords at another cost (tests).
    pub fn with_password_cost(mut self, cost: staff::PasswordCost) -> App {
        self.password_cost = cost;
        self
    }

    fn password_cost(&self) -> staff::PasswordCost {
        self.password_cost
    }

    pub(crate) fn db(&self) -> &dyn Database {
        self.db.as_ref()
    }

    /// The database engine's name: `sqlite`, `postgres`.
    pub fn engine(&self) -> &'static str {
        self.db.engine()
    }

    /// Whether the database serves this binary: up, and at its schema.
    pub async fn health(&self) -> AppResult<Health> {
        let (schema, binary) = self.db.schema_version().await?;
        clientele_store::schema::is_current(schema, binary)?;
        Ok(Health {
            engine: self.db.engine(),
            schema_version: schema,
        })
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}
