//! Receipts and points: commits, returns, holds, points by hand, merges'
//! points, the ledger and a customer's loyalty history.

use async_trait::async_trait;
use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{CustomerId, LedgerEntryId, Note, OfferId, ReceiptKey, TierId, TillId};
use jiff::Timestamp;

use super::offers::{CustomerAtTill, TillKey};

use crate::{
    AdjustOutcome, CommitOutcome, DbResult, HoldOutcome, KeptReturn, LedgerEntry, NewHold,
    PointsAdjustment, PointsOwed, Purchase, ReceiptCommit, ReceiptDetail, ReceiptRef, Return,
    ReturnCommit, ReturnOutcome, StoredReceipt,
};

#[async_trait]
pub trait Receipts: Send + Sync {
    /// A customer's account and figures, with the holds live at `at`.
    /// Moves a merged customer's points (open lots with their dates, and any
    /// debt), purchase totals and cards to the survivor, as `merge` entries
    /// of both ledgers. Moving nothing twice: a second call finds nothing.
    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> DbResult<()>;
    /// Sets the tier of customers by hand (`None` clears it), until `until`
    /// or for good; all or none.
    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> DbResult<()>;
    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> DbResult<CustomerLoyalty>;
    /// The accounts of these customers at `at`, each with its customer, in
    /// one read (a page of the list); customers that do not exist are left
    /// out.
    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> DbResult<Vec<(CustomerId, CustomerLoyalty)>>;
    /// A customer and their account, read together as every step at the
    /// till needs them, and with `offers` (the offers capped per customer)
    /// their standing with the running offers; `None` if there is no such
    /// customer.
    async fn customer_at_till(
        &self,
        key: TillKey<'_>,
        at: Timestamp,
        offers: Option<&[OfferId]>,
    ) -> DbResult<Option<CustomerAtTill>>;
    /// Reserves points if they are available, in the same order as receipts.
    async fn place_hold(&self, hold: NewHold) -> DbResult<HoldOutcome>;
    /// Frees a live hold of this till; `false` if there was none.
    async fn release_hold(&self, till_id: TillId, hold_id: &str, at: Timestamp) -> DbResult<bool>;
    /// The customer's most recent purchases' SKUs and names, most bought first.
    async fn preferred_products(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<(String, String)>>;
    async fn receipt(&self, till_id: TillId, receipt_id: &str) -> DbResult<Option<StoredReceipt>>;
    /// Writes a receipt, its lines and its ledger entries in one durable
    /// transaction, unless this till already committed that receipt id.
    async fn commit_receipt(&self, receipt: ReceiptCommit) -> DbResult<CommitOutcome>;
    /// Writes past receipts (demo data, a history brought over), each as
    /// [`commit_receipt`](Self::commit_receipt) would, in bulk: durable
    /// together once answered rather than one by one.
    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> DbResult<Vec<CommitOutcome>>;
    async fn return_receipt(&self, request: ReturnCommit) -> DbResult<ReturnOutcome>;
    /// A return already made, with its request's hash.
    async fn stored_return(
        &self,
        receipt: ReceiptRef,
        return_id: &str,
    ) -> DbResult<Option<(Vec<u8>, KeptReturn)>>;
    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> DbResult<AdjustOutcome>;
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
    /// Writes off the points expired by `at` of up to `customers` customers,
    /// one ledger entry per expired lot; answers how many customers it did.
    async fn expire_points(&self, at: Timestamp, customers: u32) -> DbResult<u32>;
}

/// What the console reads of a customer beside their profile, the same on
/// every engine: their points ledger, purchases, returns and notes, the
/// customers they referred, and the points owed across the base.
#[async_trait]
pub trait History: Send + Sync {
    /// Newest first, before `before` when given.
    async fn ledger(
        &self,
        customer_id: CustomerId,
        before: Option<LedgerEntryId>,
        limit: u32,
    ) -> DbResult<Vec<LedgerEntry>>;
    /// The customers this one referred, newest first: `(id, name, registered)`.
    async fn referrals_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<(CustomerId, String, Timestamp)>>;
    /// The points owed, with a page of the customers who owe them, by id
    /// after `after`.
    async fn points_owed(&self, after: CustomerId, limit: u32) -> DbResult<PointsOwed>;
    /// A customer's notes with those of the customers merged into them,
    /// newest first; none for a customer merged into another.
    async fn notes(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Note>>;
    /// A customer's purchases with those of the customers merged into
    /// them, newest first; none for a customer merged into another (they
    /// are the survivor's now).
    async fn purchases(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Purchase>>;
    /// A customer's returns with those of the customers merged into them,
    /// newest first; none for a customer merged into another.
    async fn returns(&self, customer_id: CustomerId, limit: u32) -> DbResult<Vec<Return>>;
    /// A receipt of the customer's history (theirs, or of a customer merged
    /// into them); `None` for anyone else's.
    async fn receipt_of(
        &self,
        customer_id: CustomerId,
        key: ReceiptKey,
    ) -> DbResult<Option<ReceiptDetail>>;
}
