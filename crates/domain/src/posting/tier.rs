//! A tier recounted: once a day the program gives each customer the tier
//! their spend over its period reaches, down as well as up. A tier set by
//! hand holds until its date (for ever when it has none).

use jiff::Timestamp;

use super::loyalty::reached;
use crate::ids::TierId;

/// A customer's tier and how it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierStanding {
    pub tier_id: Option<TierId>,
    /// Set by hand: holds until `until`.
    pub manual: bool,
    pub until: Option<Timestamp>,
}

/// The standing a recount gives at `at` for `spent` over the period: the
/// highest tier of `ladder` it reaches (none below the lowest), or `None`
/// while a tier set by hand holds.
pub fn recounted_tier(
    standing: TierStanding,
    ladder: &[(i64, TierId)],
    spent: i64,
    at: Timestamp,
) -> Option<TierStanding> {
    if standing.manual && standing.until.is_none_or(|until| until > at) {
        return None;
    }
    Some(TierStanding {
        tier_id: reached(ladder, spent).map(|(_, tier)| *tier),
        manual: false,
        until: None,
    })
}

/// What a recount of many customers does: how many it recounted, and each
/// standing it changes, `(customer, found, new)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recount<K> {
    pub recounted: u64,
    pub changed: Vec<(K, TierStanding, TierStanding)>,
}

/// Recounts customers, each given with their standing and the period's
/// spend, as [`recounted_tier`] does one.
pub fn recount<K>(
    customers: impl IntoIterator<Item = (K, TierStanding, i64)>,
    ladder: &[(i64, TierId)],
    at: Timestamp,
) -> Recount<K> {
    let mut recount = Recount {
        recounted: 0,
        changed: Vec::new(),
    };
    for (customer, found, spent) in customers {
        let Some(new) = recounted_tier(found, ladder, spent, at) else {
            continue;
        };
        recount.recounted += 1;
        if new != found {
            recount.changed.push((customer, found, new));
        }
    }
    recount
}
