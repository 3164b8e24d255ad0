//! What the background jobs read and write: their slots, expiry, the
//! daily tier recount and referral rewards due.

use async_trait::async_trait;
use clientele_domain::{CustomerId, TierId};
use jiff::Timestamp;

use crate::DbResult;

#[async_trait]
pub trait Jobs: Send + Sync {
    /// Claims one slot of a scheduled job (`expiry`, `2026-11-23T18`): `true`
    /// for the first caller only, whichever server and however often asked.
    async fn claim_slot(&self, job: &str, slot: &str, at: Timestamp) -> DbResult<bool>;
    /// Customers who have bought and whose referrer was not yet rewarded for
    /// them (no `referral` slot of theirs): `(customer, referrer)`.
    async fn referrals_due(&self, limit: u32) -> DbResult<Vec<(CustomerId, CustomerId)>>;
    /// Gives customers of ids `from..=to` the tier of `ladder` their spend
    /// since `since` reaches (returns deducted), as
    /// [`recounted_tier`](clientele_domain::posting::recounted_tier)
    /// decides; answers how many it recounted.
    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        ids: (CustomerId, CustomerId),
    ) -> DbResult<u64>;
    /// The highest customer id, for walking them in ranges.
    async fn last_customer_id(&self) -> DbResult<Option<CustomerId>>;
    /// Ids of customers not merged into another, ascending, after `after`.
    async fn customer_ids(&self, after: CustomerId, limit: u32) -> DbResult<Vec<CustomerId>>;
    /// Writes off the points expired by `at` of up to `customers` customers,
    /// one ledger entry per expired lot; answers how many customers it did.
    async fn expire_points(&self, at: Timestamp, customers: u32) -> DbResult<u32>;
}
