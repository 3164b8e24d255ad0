//! Messages to customers: the channels they go over, the states a message
//! passes through in the outbox, and the rules deciding whether one may
//! leave now (consent, contact, quiet hours, caps, lifetime), which are
//! applied when it is sent, never when it was queued.

mod address;
mod cascade;
mod decide;
mod retry;
#[cfg(test)]
mod tests;

pub use address::{MAX_ADDRESS_CHARS, address_label, device_address, registers_addresses};
pub use cascade::{cascade_at, channels_after};
pub use decide::{Caps, Decision, Policy, QuietHours, Recipient, Sent, decide};
pub use retry::{MAX_ATTEMPTS, after_failure};

use jiff::SignedDuration;

use crate::consent::ConsentKind;
use crate::validation::{FieldError, ValidationErrors};

/// A way of reaching a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Email,
    Sms,
    Viber,
    Push,
    Messenger,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Sms,
        Channel::Viber,
        Channel::Push,
        Channel::Messenger,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Viber => "viber",
            Channel::Push => "push",
            Channel::Messenger => "messenger",
        }
    }

    pub fn parse(raw: &str) -> Result<Channel, FieldError> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "channel",
                    "unknown_channel",
                    format!("unknown channel «{raw}»; known: email, sms, viber, push, messenger"),
                )
            })
    }

    /// The customer's consent that lets marketing through this channel.
    pub fn consent(self) -> ConsentKind {
        match self {
            Channel::Email => ConsentKind::Email,
            Channel::Sms => ConsentKind::Sms,
            Channel::Viber => ConsentKind::Viber,
            Channel::Push => ConsentKind::Push,
            Channel::Messenger => ConsentKind::Messenger,
        }
    }
}

/// A message's channels in the order given (none: [`DEFAULT_ORDER`]),
/// each known and listed once; every fault recorded under `channels`.
pub fn channel_order(raw: &[String], errors: &mut ValidationErrors) -> Vec<Channel> {
    if raw.is_empty() {
        return DEFAULT_ORDER.to_vec();
    }
    let mut channels = Vec::new();
    for name in raw {
        match Channel::parse(name) {
            Ok(channel) if channels.contains(&channel) => errors.push(FieldError::new(
                "channels",
                "repeated",
                format!("the channel «{name}» is listed twice"),
            )),
            Ok(channel) => channels.push(channel),
            Err(error) => errors.push(error.at("channels")),
        }
    }
    channels
}

/// The order channels are tried in where the shop has not set one: the
/// cheapest to the customer's eye first.
pub const DEFAULT_ORDER: [Channel; 4] =
    [Channel::Push, Channel::Viber, Channel::Sms, Channel::Email];

/// Every reason a message may give for its state, as filters offer them:
/// the domain's decisions, a provider's refusal, a retry, a crash, an
/// erasure, and the messages kept from before there was an outbox.
pub const REASONS: [&str; 19] = [
    "quiet_hours",
    "daily_cap",
    "weekly_cap",
    "consent_not_given",
    "consent_withdrawn",
    "no_address",
    "lifetime_passed",
    "quiet_hours_outlast_lifetime",
    "retrying",
    "refused",
    "tries_spent",
    "no_channel_set_up",
    "interrupted",
    "customer_erased",
    "before_outbox",
    "not_delivered",
    "not_delivered_in_time",
    "campaign_cancelled",
    "holdout",
];

/// Where a message is on its way to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageState {
    /// Waiting for the outbox's worker.
    Queued,
    /// Waiting for the channel's daytime window in the customer's time.
    Held,
    /// Not sent: the customer had their marketing messages for the day or week.
    Capped,
    /// Not sent: no channel the customer agreed to for marketing.
    NoConsent,
    /// Not sent: the customer left no address for any of its channels.
    NoContact,
    /// Not sent: its lifetime passed first.
    Expired,
    /// Claimed by a worker and handed to the provider.
    Sending,
    /// The provider took it.
    Sent,
    /// The provider reported it delivered.
    Delivered,
    /// The provider refused it, or every try failed.
    Failed,
    /// Withdrawn by staff before it left.
    Cancelled,
}

impl MessageState {
    pub const ALL: [MessageState; 11] = [
        MessageState::Queued,
        MessageState::Held,
        MessageState::Capped,
        MessageState::NoConsent,
        MessageState::NoContact,
        MessageState::Expired,
        MessageState::Sending,
        MessageState::Sent,
        MessageState::Delivered,
        MessageState::Failed,
        MessageState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageState::Queued => "queued",
            MessageState::Held => "held",
            MessageState::Capped => "capped",
            MessageState::NoConsent => "no_consent",
            MessageState::NoContact => "no_contact",
            MessageState::Expired => "expired",
            MessageState::Sending => "sending",
            MessageState::Sent => "sent",
            MessageState::Delivered => "delivered",
            MessageState::Failed => "failed",
            MessageState::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<MessageState, FieldError> {
        MessageState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "state",
                    "unknown_state",
                    format!(
                        "unknown message state «{raw}»; known: queued, held, capped, no_consent, \
                         no_contact, expired, sending, sent, delivered, failed, cancelled"
                    ),
                )
            })
    }

    /// Whether the worker will still look at it.
    pub fn is_waiting(self) -> bool {
        matches!(self, MessageState::Queued | MessageState::Held)
    }
}

/// What a message is for, which decides the rules it meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Needs the channel's consent when it leaves; waits out quiet hours;
    /// counts against the caps.
    Marketing,
    /// A receipt, a one-time code, an answer in a chat the customer opened:
    /// only needs an address the customer gave.
    Transactional,
}

/// What made a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageSource {
    /// A staff user's message with points by hand.
    Manual,
    /// The birthday greeting with the birthday points.
    Birthday,
    Campaign,
    Trigger,
    /// A staff user's answer in a chat.
    Chat,
    Receipt,
    /// A one-time code.
    Code,
}

impl MessageSource {
    pub const ALL: [MessageSource; 7] = [
        MessageSource::Manual,
        MessageSource::Birthday,
        MessageSource::Campaign,
        MessageSource::Trigger,
        MessageSource::Chat,
        MessageSource::Receipt,
        MessageSource::Code,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageSource::Manual => "manual",
            MessageSource::Birthday => "birthday",
            MessageSource::Campaign => "campaign",
            MessageSource::Trigger => "trigger",
            MessageSource::Chat => "chat",
            MessageSource::Receipt => "receipt",
            MessageSource::Code => "code",
        }
    }

    pub fn parse(raw: &str) -> Result<MessageSource, FieldError> {
        MessageSource::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "source",
                    "unknown_source",
                    format!(
                        "unknown message source «{raw}»; known: manual, birthday, campaign, \
                         trigger, chat, receipt, code"
                    ),
                )
            })
    }

    /// How long a message of this source is worth sending: after that it
    /// expires unsent (a code after minutes, a greeting after a day).
    pub fn lifetime(self) -> SignedDuration {
        let hours = |h: i64| SignedDuration::from_hours(h);
        match self {
            MessageSource::Code => SignedDuration::from_mins(10),
            MessageSource::Manual | MessageSource::Campaign => hours(72),
            MessageSource::Birthday
            | MessageSource::Trigger
            | MessageSource::Chat
            | MessageSource::Receipt => hours(24),
        }
    }

    pub fn purpose(self) -> Purpose {
        match self {
            MessageSource::Manual
            | MessageSource::Birthday
            | MessageSource::Campaign
            | MessageSource::Trigger => Purpose::Marketing,
            MessageSource::Chat | MessageSource::Receipt | MessageSource::Code => {
                Purpose::Transactional
            }
        }
    }
}
