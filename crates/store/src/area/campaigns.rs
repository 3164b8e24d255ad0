//! Message templates and campaigns: what the marketer writes once and to
//! whom it goes.

use async_trait::async_trait;
use clientele_domain::campaign::{CampaignState, CampaignTerms};
use clientele_domain::message::{Channel, MessageState};
use clientele_domain::points::Account;
use clientele_domain::template::Locale;
use clientele_domain::{CampaignId, CustomerId, OfferId, SegmentId, StoreId, TemplateId, UserId};
use jiff::Timestamp;

use crate::DbResult;

/// A template's words as kept (checked by the domain before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord {
    pub name: String,
    pub locale: Locale,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptTemplate {
    pub id: TemplateId,
    pub record: TemplateRecord,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// A campaign to keep: its terms and the words of its template, copied so
/// that a template edited later does not change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    pub terms: CampaignTerms,
    pub words: TemplateRecord,
    /// Only customers registered in these stores (a user limited to them).
    pub stores: Option<Vec<StoreId>>,
    pub author: Option<UserId>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCampaign {
    pub id: CampaignId,
    pub name: String,
    pub template_id: TemplateId,
    pub channels: Vec<Channel>,
    pub segment_id: Option<SegmentId>,
    pub offer_id: Option<OfferId>,
    pub holdout_bp: i64,
    pub cancel_window_mins: i64,
    pub report_days: i64,
    pub starts_at: Timestamp,
    pub state: CampaignState,
    /// The words as they go out (their `name` is the campaign's).
    pub words: TemplateRecord,
    pub stores: Option<Vec<StoreId>>,
    /// Customers it was queued for, and those held out as its control group.
    pub recipients: i64,
    pub held_out: i64,
    pub queued_at: Option<Timestamp>,
    pub cancelled_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub author: Option<UserId>,
}

impl KeptCampaign {
    /// When its messages may first leave: its start plus its cancel window.
    pub fn sends_from(&self) -> Timestamp {
        clientele_domain::campaign::sends_from(self.starts_at, self.cancel_window_mins)
    }
}

/// A slice of a campaign's audience to queue.
#[derive(Debug, Clone, Copy)]
pub struct CampaignSlice<'a> {
    pub campaign: &'a KeptCampaign,
    pub recipients: &'a [CustomerId],
    /// Kept as cancelled with reason `holdout`: counted, never sent.
    pub held_out: &'a [CustomerId],
    /// When the messages may leave: the start plus the cancel window.
    pub due_at: Timestamp,
    pub expires_at: Timestamp,
    pub at: Timestamp,
}

/// A campaign's messages of one state and reason, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTally {
    pub campaign_id: CampaignId,
    pub state: MessageState,
    pub reason: Option<String>,
    pub messages: i64,
    /// Of them, those whose customer unsubscribed by their link.
    pub unsubscribed: i64,
}

/// What a message's placeholders are filled from, read when it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalFacts {
    pub customer_id: CustomerId,
    pub name: String,
    pub account: Account,
    pub tier: Option<String>,
    /// An unused coupon of the campaign's offer issued to them.
    pub coupon: Option<String>,
}

#[async_trait]
pub trait Campaigns: Send + Sync {
    async fn templates(&self) -> DbResult<Vec<KeptTemplate>>;
    async fn template(&self, id: TemplateId) -> DbResult<Option<KeptTemplate>>;
    /// A name already used is a conflict on `name`.
    async fn create_template(
        &self,
        record: &TemplateRecord,
        at: Timestamp,
    ) -> DbResult<KeptTemplate>;
    /// Replaces the words if the template is still at `version`.
    async fn update_template(
        &self,
        id: TemplateId,
        record: &TemplateRecord,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptTemplate>>;

    /// Newest first.
    async fn campaigns(&self) -> DbResult<Vec<KeptCampaign>>;
    async fn campaign(&self, id: CampaignId) -> DbResult<Option<KeptCampaign>>;
    /// A name already used is a conflict on `name`.
    async fn create_campaign(&self, campaign: &NewCampaign) -> DbResult<KeptCampaign>;
    /// The campaigns whose messages are to be queued now: those scheduled
    /// to start by `now` (from then on `queueing`) and those whose queueing
    /// was cut off.
    async fn campaigns_to_queue(&self, now: Timestamp) -> DbResult<Vec<KeptCampaign>>;
    /// Queues a slice of the audience, each customer once however often
    /// it is repeated, and nothing once the campaign is cancelled; answers
    /// the messages added.
    async fn queue_campaign(&self, slice: CampaignSlice<'_>) -> DbResult<u64>;
    /// Ends the queueing: `queued`, with its messages counted.
    async fn finish_queueing(&self, id: CampaignId, at: Timestamp) -> DbResult<()>;
    /// Cancels the campaign and withdraws what has not left; answers the
    /// messages withdrawn, None when it was cancelled already.
    async fn cancel_campaign(&self, id: CampaignId, at: Timestamp) -> DbResult<Option<u64>>;
    /// The campaigns' messages counted by state and reason, in one read.
    async fn campaign_counts(&self, ids: &[CampaignId]) -> DbResult<Vec<CampaignTally>>;
    /// Everyone the campaign was queued for, and whether held out.
    async fn campaign_members(&self, id: CampaignId) -> DbResult<Vec<(CustomerId, bool)>>;
    /// A segment's members (or every customer not merged into another),
    /// only those registered in `stores` when given, by id.
    async fn campaign_audience(
        &self,
        segment: Option<SegmentId>,
        stores: Option<&[StoreId]>,
    ) -> DbResult<Vec<CustomerId>>;
    /// What the placeholders of `ids`' messages are filled from, with
    /// `offer`'s coupons.
    async fn personal_facts(
        &self,
        ids: &[CustomerId],
        offer: Option<OfferId>,
    ) -> DbResult<Vec<PersonalFacts>>;
}
