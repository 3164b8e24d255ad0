//! A customer's standing in the loyalty program: their points account,
//! tier and purchase figures, as one row keeps them.

use jiff::Timestamp;

use crate::ids::{LedgerEntryId, TierId};
use crate::points::{Account, Lot};

/// What a customer has in the loyalty engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerLoyalty {
    pub account: Account,
    pub tier_id: Option<TierId>,
    /// A tier set by hand holds until then (for ever when `None` and manual).
    pub tier_manual: bool,
    pub tier_until: Option<Timestamp>,
    pub spent_minor: i64,
    pub purchases: i64,
    pub first_purchase_at: Option<Timestamp>,
    pub last_purchase_at: Option<Timestamp>,
}

impl CustomerLoyalty {
    /// Counts a purchase of `spent` (after discounts) made at `at`.
    pub fn record_purchase(&mut self, spent: i64, at: Timestamp) {
        self.spent_minor += spent;
        self.purchases += 1;
        self.first_purchase_at = Some(self.first_purchase_at.map_or(at, |f| f.min(at)));
        self.last_purchase_at = Some(self.last_purchase_at.map_or(at, |l| l.max(at)));
    }

    /// Opens a lot of `points` on `terms` (its entry gets its id once
    /// written); any debt is settled from it first. Answers the points left
    /// in the lot.
    pub fn open_lot(&mut self, points: i64, terms: LotTerms) -> i64 {
        let settled = self.account.add_lot(Lot {
            entry: LedgerEntryId(0),
            remaining: points,
            usable_from: terms.usable_from,
            expires_at: terms.expires_at,
        });
        points - settled
    }

    /// Raises the tier to the highest of `ladder` that `spent` reaches, if
    /// it is above the current one; a raise ends a tier set by hand.
    pub fn raise_tier(&mut self, ladder: &[(i64, TierId)], spent: i64) {
        if let Some(tier) = raised_tier(ladder, self.tier_id, spent) {
            self.tier_id = Some(tier);
            self.tier_manual = false;
            self.tier_until = None;
        }
    }
}

/// When points accrued now become usable and when they expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotTerms {
    pub usable_from: Timestamp,
    pub expires_at: Option<Timestamp>,
}

impl LotTerms {
    /// The terms of a lot already open.
    pub fn of(lot: &Lot) -> LotTerms {
        LotTerms {
            usable_from: lot.usable_from,
            expires_at: lot.expires_at,
        }
    }
}

/// The highest rung of a ladder (threshold, tier) that `spent` reaches.
pub(super) fn reached(ladder: &[(i64, TierId)], spent: i64) -> Option<&(i64, TierId)> {
    ladder
        .iter()
        .filter(|(threshold, _)| *threshold <= spent)
        .max_by_key(|(threshold, _)| *threshold)
}

/// The highest tier of a ladder that `spent` reaches, if it is above `current`.
pub fn raised_tier(
    ladder: &[(i64, TierId)],
    current: Option<TierId>,
    spent: i64,
) -> Option<TierId> {
    let reached = reached(ladder, spent)?;
    let current_threshold = current
        .and_then(|c| ladder.iter().find(|(_, id)| *id == c))
        .map(|(t, _)| *t);
    (current_threshold.is_none_or(|t| reached.0 > t)).then_some(reached.1)
}

/// The survivor's figures after a merge: both customers' purchases, the
/// earlier first purchase, the later last one, and the tier if it had none.
pub fn merged_figures(survivor: &mut CustomerLoyalty, duplicate: &mut CustomerLoyalty) {
    survivor.spent_minor += std::mem::take(&mut duplicate.spent_minor);
    survivor.purchases += std::mem::take(&mut duplicate.purchases);
    survivor.first_purchase_at = match (survivor.first_purchase_at, duplicate.first_purchase_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    survivor.last_purchase_at = match (survivor.last_purchase_at, duplicate.last_purchase_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    if survivor.tier_id.is_none() {
        survivor.tier_id = duplicate.tier_id;
        survivor.tier_manual = duplicate.tier_manual;
        survivor.tier_until = duplicate.tier_until;
    }
}
