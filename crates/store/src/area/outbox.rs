//! The outbox: every message to a customer and where it is on its way.

use async_trait::async_trait;
use clientele_domain::message::{Channel, DEFAULT_ORDER, MessageSource, MessageState};
use clientele_domain::{
    CampaignId, Consents, CustomerId, Email, MessageId, Phone, StoreId, TriggerId, UserId,
};
use jiff::Timestamp;

use crate::DbResult;

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub customer_id: CustomerId,
    pub source: MessageSource,
    /// The channels to try, in order.
    pub channels: Vec<Channel>,
    pub subject: Option<String>,
    pub body: String,
    pub at: Timestamp,
    pub expires_at: Timestamp,
    pub author: Option<UserId>,
    /// The trigger it is sent by: its words are the trigger's template's,
    /// filled in for the customer when it leaves.
    pub trigger_id: Option<TriggerId>,
    /// What it is sent on (`birthday:2026`): queued once per customer.
    pub occasion: Option<String>,
}

/// A message written once for many customers (points by hand, a job's
/// greeting): what each of them gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDraft {
    pub source: MessageSource,
    pub channels: Vec<Channel>,
    pub subject: Option<String>,
    pub body: String,
    pub trigger_id: Option<TriggerId>,
    pub occasion: Option<String>,
}

impl MessageDraft {
    /// A message of `source` over the shop's usual channels.
    pub fn new(source: MessageSource, body: String) -> MessageDraft {
        MessageDraft {
            source,
            channels: DEFAULT_ORDER.to_vec(),
            subject: None,
            body,
            trigger_id: None,
            occasion: None,
        }
    }

    /// The message to one customer, queued at `at`, living as long as its
    /// source says.
    pub fn to(&self, customer_id: CustomerId, at: Timestamp, author: Option<UserId>) -> NewMessage {
        NewMessage {
            customer_id,
            source: self.source,
            channels: self.channels.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            at,
            expires_at: at.checked_add(self.source.lifetime()).unwrap_or(at),
            author,
            trigger_id: self.trigger_id,
            occasion: self.occasion.clone(),
        }
    }
}

/// A message as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub customer_id: CustomerId,
    pub source: MessageSource,
    pub channels: Vec<Channel>,
    pub subject: Option<String>,
    pub body: String,
    pub state: MessageState,
    /// Why it is in its state: `quiet_hours`, `daily_cap`, `consent_withdrawn`, …
    pub reason: Option<String>,
    /// The channel and address it left over.
    pub channel: Option<Channel>,
    pub address: Option<String>,
    pub attempts: i64,
    pub due_at: Timestamp,
    pub expires_at: Timestamp,
    pub created_at: Timestamp,
    pub author: Option<UserId>,
    pub sent_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub provider_id: Option<String>,
    /// The provider's answer to the last failure.
    pub answer: Option<String>,
    /// The campaign it belongs to: its words are the campaign's, filled in
    /// for the customer when it leaves.
    pub campaign_id: Option<CampaignId>,
    pub trigger_id: Option<TriggerId>,
    pub unsubscribed_at: Option<Timestamp>,
}

/// A message the worker claimed, with its customer as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub message: Message,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// The device their app registered last, for push.
    pub device: Option<String>,
    /// Their latest messenger handle.
    pub handle: Option<String>,
    pub consents: Consents,
    /// The store the customer belongs to: their time zone's.
    pub store_id: Option<StoreId>,
    /// When the customer's marketing messages of the last eight days left.
    pub marketing_sent: Vec<Timestamp>,
}

/// What became of a claimed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    Sent {
        channel: Channel,
        address: String,
        provider_id: Option<String>,
        at: Timestamp,
        /// When it goes on to its next channel unless delivered first.
        cascade_at: Option<Timestamp>,
    },
    /// Waits for the customer's daytime; the claim's try does not count.
    Held { until: Timestamp },
    /// A passing failure: tried again at `at`.
    Retry { at: Timestamp, answer: String },
    /// Ends here without leaving (or failed for good).
    Stopped {
        state: MessageState,
        reason: String,
        answer: Option<String>,
    },
}

/// Which messages to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageQuery {
    pub customer_id: Option<CustomerId>,
    pub state: Option<MessageState>,
    pub reason: Option<String>,
    /// Only customers registered in these stores (a user limited to them).
    pub stores: Option<Vec<StoreId>>,
    /// Only those older than this one (the next page).
    pub before: Option<MessageId>,
    pub limit: u32,
}

#[async_trait]
pub trait Outbox: Send + Sync {
    /// Queues messages; one whose occasion its customer had already is
    /// left out. Answers the ids of those queued.
    async fn queue_messages(&self, messages: &[NewMessage]) -> DbResult<Vec<MessageId>>;
    /// Claims up to `limit` messages due at `now`, oldest due first: each is
    /// `sending` from then on, and no other worker, here or on another
    /// server, takes it.
    async fn claim_messages(&self, now: Timestamp, limit: u32) -> DbResult<Vec<Claimed>>;
    /// Records what became of claimed messages, in one transaction.
    async fn settle_messages(&self, settled: &[(Message, Settlement)]) -> DbResult<()>;
    /// Messages sent whose delivery was not reported by their cascade
    /// time: each goes back to the queue for the channels after the one it
    /// left by. Answers how many.
    async fn cascade_due(&self, now: Timestamp, limit: u32) -> DbResult<u64>;
    /// Messages left `sending` since before `before` by a worker that
    /// stopped (a crash): failed as `interrupted`, never sent twice.
    async fn fail_interrupted(&self, before: Timestamp) -> DbResult<u64>;
    async fn messages(&self, query: &MessageQuery) -> DbResult<Vec<Message>>;
    async fn message(&self, customer: CustomerId, id: MessageId) -> DbResult<Option<Message>>;
    /// Erases what a customer's messages said and where they went (the
    /// personal-data right), keeping each one's state for the counts; those
    /// still waiting are cancelled.
    async fn erase_messages(&self, customer: CustomerId) -> DbResult<u64>;
    /// Notes that the customer unsubscribed by this message's link (the
    /// first time only), for its campaign's report.
    async fn mark_unsubscribed(
        &self,
        customer: CustomerId,
        id: MessageId,
        at: Timestamp,
    ) -> DbResult<()>;
    /// The shop's key `name`: `fresh` becomes it if there is none yet, and
    /// every caller after gets the same.
    async fn shop_key(&self, name: &str, fresh: &[u8]) -> DbResult<Vec<u8>>;
}
