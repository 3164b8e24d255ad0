//! The outbox's worker, its settings and the public unsubscribe: messages
//! leave over the channels the shop set up, each when the domain's rules
//! let it, and every marketing e-mail says how to stop them.

pub mod channels;
mod deliver;
mod listing;
mod pace;
mod unsubscribe;

use std::sync::Arc;

use clientele_channels::Courier;
use clientele_domain::message::{Caps, Channel, Policy, QuietHours};

pub use deliver::DeliveryReport;
pub use pace::Pace;
pub use unsubscribe::Unsubscribed;

/// How the shop reaches its customers: its channels' couriers and its
/// rules for marketing.
#[derive(Clone, Default)]
pub struct Messaging {
    pub email: Option<Arc<dyn Courier>>,
    /// The hours of the customer's day in which marketing may arrive.
    pub daytime: Option<QuietHours>,
    pub caps: Caps,
    /// How long a message sent over a channel that reports delivery waits
    /// for its report before going on to its next channel.
    pub cascade_after: Option<jiff::SignedDuration>,
    /// Where customers reach this server, for the links in messages
    /// (`https://club.example.ru/`).
    pub public_url: String,
    /// How many sends a second the worker makes at most.
    pub pace: Pace,
}

impl Messaging {
    /// A channel's courier as the configuration file sets it up (e-mail
    /// only; the console's settings may set up any).
    pub(crate) fn configured(&self, channel: Channel) -> Option<Arc<dyn Courier>> {
        match channel {
            Channel::Email => self.email.clone(),
            Channel::Sms | Channel::Viber | Channel::Push | Channel::Messenger => None,
        }
    }
}

impl crate::App {
    /// Where customers and providers reach this server.
    pub fn public_url(&self) -> &str {
        &self.messaging().public_url
    }

    /// The shop's rules for marketing over the channels set up now.
    async fn policy(&self) -> crate::AppResult<Policy> {
        let mut channels = Vec::new();
        for channel in Channel::ALL {
            if self.courier(channel).await?.is_some() {
                channels.push(channel);
            }
        }
        Ok(Policy {
            daytime: self.messaging().daytime,
            caps: self.messaging().caps,
            channels,
            cascade_after: self.messaging().cascade_after,
        })
    }
}
