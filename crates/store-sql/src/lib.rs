//! The store's areas written once, for every engine.
//!
//! Most of what the store says to a database reads the same in SQLite and
//! PostgreSQL: `$1` placeholders, `RETURNING`, `ON CONFLICT`, `true` and
//! `false`. That SQL lives here once, with the rows it reads turned into
//! the store's types. An engine says only what differs: how a value is
//! bound (a time is microseconds in SQLite and `timestamptz` in
//! PostgreSQL), how a column is read, how a statement runs, and which field
//! a refused constraint names ([`Engine`]).

mod addresses;
mod campaigns;
mod card_reads;
mod channel_list;
mod channels;
mod chats;
mod customer;
mod customer_write;
mod customer_writes;
mod directory;
mod engine;
pub mod filter;
mod history;
mod holders;
mod jobs;
mod month_figures;
mod offer_uses;
mod offers;
mod outbox;
mod packed;
mod programs;
mod readers;
mod reports;
mod rollup_facts;
mod rollup_keep;
mod rollup_reads;
mod rollups;
mod row;
pub mod schema;
mod segment_rule;
mod segments;
mod sql;
mod staff;
mod statement;
mod stored;
mod triggers;

/// Statements slower than this are logged at info level: index builds and
/// migrations take seconds by nature, and tills' latencies are in /metrics.
pub const SLOW_STATEMENT: std::time::Duration = std::time::Duration::from_secs(1);

pub use customer_write::CustomerWrite;
pub use customer_writes::CustomerWrites;
pub use engine::Engine;
pub use offer_uses::{free_coupons, record_offers, refused_offer, reserve_offers};
pub use outbox::queue_message;
pub use readers::Readers;
pub use row::{Got, unreadable};
pub use sql::Sql;
pub use statement::{Statement, Value};
pub use stored::{FromColumns, Stored};
