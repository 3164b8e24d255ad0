//! What the background jobs read and write beside the points: their slots,
//! the customers to walk and the referral rewards due.

use async_trait::async_trait;
use clientele_domain::CustomerId;
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
    /// The highest customer id, for walking them in ranges.
    async fn last_customer_id(&self) -> DbResult<Option<CustomerId>>;
    /// Ids of customers not merged into another, ascending, after `after`.
    async fn customer_ids(&self, after: CustomerId, limit: u32) -> DbResult<Vec<CustomerId>>;
}
