//! A tier recounted: once a day the program gives each customer the tier
//! their spend over its period reaches, down as well as up. A tier set by
//! hand holds until its date (for ever when it has none).

use jiff::Timestamp;

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
    let reached = ladder
        .iter()
        .filter(|(threshold, _)| *threshold <= spent)
        .max_by_key(|(threshold, _)| *threshold)
        .map(|(_, tier)| *tier);
    Some(TierStanding {
        tier_id: reached,
        manual: false,
        until: None,
    })
}
