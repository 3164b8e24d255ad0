//! Clientele's use cases. Handlers and commands call these; these call the
//! domain's rules and the store.

pub mod audit;
pub mod birthdays;
pub mod certificates;
mod clock;
mod credentials;
pub mod customers;
mod definitions;
pub mod demo;
pub mod demo_receipts;
pub mod directory;
mod error;
pub mod export;
mod favourites;
pub mod figures;
mod fresh;
pub mod history;
pub mod import;
pub mod jobs;
pub mod personal_data;
pub mod points;
pub mod pos;
pub mod programs;
pub mod progress;
mod seed;
pub mod sessions;
pub mod staff;
pub mod throttle;

use std::sync::Arc;

use clientele_store::Database;

pub use clock::Clock;
pub use error::{AppError, AppResult};
pub use seed::{DemoShop, SeedReport, ShopReport};

/// Wrong passwords a user may give within 15 minutes before being locked out.
const PASSWORD_ATTEMPTS: u32 = 5;

/// Bad credentials (tokens, sign-in passwords) a client address may present
/// within a minute.
const ADDRESS_FAILURES: u32 = 100;

/// The application: a database and a clock, shared by every request.
#[derive(Clone)]
pub struct App {
    db: Arc<dyn Database>,
    clock: Clock,
    definitions: fresh::Fresh<Vec<clientele_domain::PropertyDefinition>>,
    programs: fresh::Fresh<Vec<clientele_domain::Program>>,
    password_cost: staff::PasswordCost,
    /// See `App::check_password`.
    decoy: Arc<std::sync::OnceLock<String>>,
    credentials: credentials::CredentialCache,
    figures: figures::FiguresCache,
    /// Failed password confirmations, per user.
    password_failures: throttle::Throttle,
    /// Bad bearer credentials and wrong sign-in passwords, per client address.
    address_failures: throttle::Throttle,
}

impl App {
    pub fn new(db: Arc<dyn Database>, clock: Clock) -> App {
        App {
            db,
            clock,
            definitions: Default::default(),
            programs: Default::default(),
            password_cost: Default::default(),
            decoy: Default::default(),
            credentials: Default::default(),
            figures: Default::default(),
            password_failures: throttle::Throttle::new(
                PASSWORD_ATTEMPTS,
                std::time::Duration::from_secs(15 * 60),
            ),
            address_failures: throttle::Throttle::new(
                ADDRESS_FAILURES,
                std::time::Duration::from_secs(60),
            ),
        }
    }

    /// The same application hashing passwords at another cost (tests).
    pub fn with_password_cost(mut self, cost: staff::PasswordCost) -> App {
        self.password_cost = cost;
        self
    }

    fn password_cost(&self) -> staff::PasswordCost {
        self.password_cost
    }

    pub fn db(&self) -> &dyn Database {
        self.db.as_ref()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}
