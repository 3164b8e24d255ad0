//! Triggers and the occasions they send on, found by scanning the base.

use async_trait::async_trait;
use clientele_domain::message::Channel;
use clientele_domain::trigger::{TriggerKind, TriggerTerms};
use clientele_domain::{CustomerId, TemplateId, TierId, TriggerId};
use jiff::Timestamp;

use crate::DbResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptTrigger {
    pub id: TriggerId,
    pub kind: TriggerKind,
    pub template_id: TemplateId,
    pub channels: Vec<Channel>,
    pub days: Option<i64>,
    pub active: bool,
    /// When it was last switched on: occasions before are not sent.
    pub activated_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// A customer's tier as they were last told it, and as it is now, each
/// with its threshold (none: no tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierMove {
    pub customer_id: CustomerId,
    pub seen: Option<(TierId, i64)>,
    pub now: Option<(TierId, i64)>,
}

/// What a trigger's messages made since a time: those that left and
/// those that ended without leaving (no consent, no contact, capped,
/// expired, failed, cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerTally {
    pub trigger_id: TriggerId,
    pub sent: i64,
    pub stopped: i64,
}

#[async_trait]
pub trait Triggers: Send + Sync {
    async fn triggers(&self) -> DbResult<Vec<KeptTrigger>>;
    async fn trigger(&self, id: TriggerId) -> DbResult<Option<KeptTrigger>>;
    /// A kind that has its trigger already is a conflict on `kind`.
    async fn create_trigger(&self, terms: &TriggerTerms, at: Timestamp) -> DbResult<KeptTrigger>;
    /// Replaces the terms if the trigger is still at `version`; switching
    /// it on sets `activated_at`.
    async fn update_trigger(
        &self,
        id: TriggerId,
        terms: &TriggerTerms,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptTrigger>>;

    /// Customers registered since `since`, not merged into another.
    async fn joined_since(&self, since: Timestamp) -> DbResult<Vec<CustomerId>>;
    /// Customers whose first purchase was made since `since`.
    async fn first_bought_since(&self, since: Timestamp) -> DbResult<Vec<CustomerId>>;
    /// Customers whose last purchase was made from `from` to `to`, with it.
    async fn last_bought_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, Timestamp)>>;
    /// Customers whose next points expire after `from` and by `to`, with
    /// when.
    async fn expiring_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, Timestamp)>>;
    /// Each trigger's messages made since `since`, one read of them.
    async fn trigger_tallies(&self, since: Timestamp) -> DbResult<Vec<TriggerTally>>;
    /// Up to `limit` customers whose tier is not the one they were last
    /// told.
    async fn tier_moves(&self, limit: u32) -> DbResult<Vec<TierMove>>;
    /// Notes the tiers customers are told (or are now, when a trigger is
    /// switched on: `None` notes every customer's).
    async fn see_tiers(&self, seen: Option<&[(CustomerId, Option<TierId>)]>) -> DbResult<()>;
}
