//! Two customers merged: the duplicate hands its open lots (with their
//! dates), its debt and its purchase figures to the survivor. Each side's
//! entries are of kind `merge` and name the other customer.

use jiff::Timestamp;

use super::{CustomerLoyalty, LedgerKind, LotTerms, PostedEntry, Posting, merged_figures};
use crate::points::Shortfall;

/// The two postings of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub duplicate: Posting,
    pub survivor: Posting,
}

pub fn merge(
    mut duplicate: CustomerLoyalty,
    mut survivor: CustomerLoyalty,
    at: Timestamp,
) -> Merged {
    let (lots, debt) = duplicate.account.hand_over();
    let entry = |points, lot| PostedEntry {
        kind: LedgerKind::Merge,
        points,
        lot,
    };
    let (mut gone, mut came) = (Vec::new(), Vec::new());
    let (mut gone_taken, mut came_taken) = (Vec::new(), Vec::new());
    let mut owed = 0;
    if debt > 0 {
        // The survivor owes it now: from what they have, the rest as debt.
        gone.push(entry(debt, None));
        let spent = survivor
            .account
            .spend(debt, at, Shortfall::Owe)
            .unwrap_or_default();
        came_taken.extend(spent.from_lots);
        owed = spent.debt_added;
        came.push(entry(-debt, None));
    }
    for lot in &lots {
        gone.push(entry(-lot.remaining, None));
        gone_taken.push((lot.entry, lot.remaining));
        let terms = LotTerms::of(lot);
        let left = survivor.open_lot(lot.remaining, terms);
        came.push(entry(lot.remaining, Some((terms, left))));
    }
    merged_figures(&mut survivor, &mut duplicate);
    Merged {
        duplicate: Posting {
            entries: gone,
            taken: gone_taken,
            points_available: duplicate.account.available(at),
            points_owed: 0,
            loyalty: duplicate,
        },
        survivor: Posting {
            entries: came,
            taken: came_taken,
            points_available: survivor.account.available(at),
            points_owed: owed,
            loyalty: survivor,
        },
    }
}
