//! Points given or taken outside a receipt: by a person, by a scheduled
//! reward (a birthday, a referral) or brought from another system. Points
//! given open a lot, which settles any debt first; points taken come from
//! the usable lots, never beyond them.

use jiff::Timestamp;

use super::{CustomerLoyalty, LedgerKind, LotTerms, PostedEntry, Posting};
use crate::points::{Insufficient, Shortfall};

/// The posting of `points` (negative: taken) of `kind`, or the points that
/// could not be taken.
pub fn by_hand(
    mut loyalty: CustomerLoyalty,
    kind: LedgerKind,
    points: i64,
    lot: LotTerms,
    at: Timestamp,
) -> Result<Posting, Insufficient> {
    let (taken, lot) = if points < 0 {
        let taken = loyalty.account.spend(-points, at, Shortfall::Refuse)?;
        (taken.from_lots, None)
    } else {
        let left = loyalty.open_lot(points, lot);
        (Vec::new(), Some((lot, left)))
    };
    Ok(Posting {
        entries: vec![PostedEntry { kind, points, lot }],
        taken,
        points_available: loyalty.account.available(at),
        points_owed: 0,
        loyalty,
    })
}
