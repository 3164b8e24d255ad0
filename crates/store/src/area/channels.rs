//! The channels' settings as the shop saved them, and the delivery
//! reports their providers send back.

use async_trait::async_trait;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerId, MessageId};
use jiff::Timestamp;

use crate::DbResult;

/// A channel's settings as kept: the provider's, as JSON (the channels
/// crate reads them), and the key its delivery reports must show.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptChannel {
    pub channel: Channel,
    pub settings: serde_json::Value,
    pub webhook_key: String,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// What a provider reported of a message it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Not delivered, for the provider's reason.
    Failed(String),
}

#[async_trait]
pub trait Channels: Send + Sync {
    async fn channel_settings(&self) -> DbResult<Vec<KeptChannel>>;
    /// Saves a channel's settings, replacing those it had.
    async fn save_channel(
        &self,
        channel: Channel,
        settings: &serde_json::Value,
        webhook_key: &str,
        at: Timestamp,
    ) -> DbResult<KeptChannel>;
    /// The message a provider's id names.
    async fn message_by_provider_id(
        &self,
        channel: Channel,
        provider_id: &str,
    ) -> DbResult<Option<(CustomerId, MessageId)>>;
    /// Records a delivery report on a message that was sent; answers
    /// whether it changed (a repeated report changes nothing).
    async fn report_delivery(
        &self,
        customer: CustomerId,
        id: MessageId,
        delivery: &Delivery,
        at: Timestamp,
    ) -> DbResult<bool>;
}
