//! The outbox's worker, its settings and the public unsubscribe: messages
//! leave over the channels the shop set up, each when the domain's rules
//! let it, and every marketing e-mail says how to stop them.

mod deliver;
mod listing;
mod unsubscribe;

use std::sync::Arc;

use clientele_channels::Courier;
use clientele_domain::message::{Caps, Channel, Policy, QuietHours};

pub use deliver::DeliveryReport;
pub use unsubscribe::Unsubscribed;

/// How the shop reaches its customers: its channels' couriers and its
/// rules for marketing.
#[derive(Clone, Default)]
pub struct Messaging {
    pub email: Option<Arc<dyn Courier>>,
    /// The hours of the customer's day in which marketing may arrive.
    pub daytime: Option<QuietHours>,
    pub caps: Caps,
    /// Where customers reach this server, for the links in messages
    /// (`https://club.example.ru/`).
    pub public_url: String,
}

impl Messaging {
    fn policy(&self) -> Policy {
        Policy {
            daytime: self.daytime,
            caps: self.caps,
            channels: Channel::ALL
                .into_iter()
                .filter(|&c| self.courier(c).is_some())
                .collect(),
        }
    }

    fn courier(&self, channel: Channel) -> Option<&Arc<dyn Courier>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms | Channel::Viber | Channel::Push | Channel::Messenger => None,
        }
    }
}
