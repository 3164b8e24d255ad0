//! Points expired: every lot whose date has passed is emptied, one ledger
//! entry per lot, so the history says which accrual they came from.

use jiff::Timestamp;

use super::{CustomerLoyalty, LedgerKind, PostedEntry, Posting};

/// The posting that writes off what has expired by `at` (no entries when
/// nothing has).
pub fn expiry(mut loyalty: CustomerLoyalty, at: Timestamp) -> Posting {
    let taken = loyalty.account.expire(at);
    Posting {
        entries: taken
            .iter()
            .map(|(_, points)| PostedEntry {
                kind: LedgerKind::Expiry,
                points: -points,
                lot: None,
            })
            .collect(),
        taken,
        points_available: loyalty.account.available(at),
        points_owed: 0,
        loyalty,
    }
}
