//! Postings: what a loyalty event writes, decided here once for every
//! engine. From a customer's loaded account and the event, a posting
//! function answers the ledger entries to append, what they take from open
//! lots, the account as it stands afterwards and the figures the answer
//! tells; or a refusal. An engine locks, loads, calls one and writes what it
//! answers.

mod by_hand;
mod commit;
mod expiry;
mod hold;
mod kind;
mod loyalty;
mod merge;
mod returned;
#[cfg(test)]
mod tests;
mod tier;

pub use by_hand::by_hand;
pub use commit::{ReceiptPoints, commit};
pub use expiry::expiry;
pub use hold::hold;
pub use kind::LedgerKind;
pub use loyalty::{CustomerLoyalty, LotTerms, merged_figures, raised_tier};
pub use merge::{Merged, merge};
pub use returned::{ReturnPoints, returned};
pub use tier::{Recount, TierStanding, recount, recounted_tier};

use crate::ids::LedgerEntryId;

/// One ledger entry a posting appends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostedEntry {
    pub kind: LedgerKind,
    pub points: i64,
    /// The lot the entry opens: its terms and the points left in it after
    /// any debt was settled first (a lot with none left is not kept).
    pub lot: Option<(LotTerms, i64)>,
}

/// What one event writes for one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub entries: Vec<PostedEntry>,
    /// Points taken from open lots, by the entry that opened each.
    pub taken: Vec<(LedgerEntryId, i64)>,
    /// The customer's account and figures afterwards.
    pub loyalty: CustomerLoyalty,
    /// Usable points afterwards, for the answer.
    pub points_available: i64,
    /// Points taken beyond what was left by this event, now owed.
    pub points_owed: i64,
}
