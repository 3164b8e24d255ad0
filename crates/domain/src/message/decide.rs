//! Whether a message may leave now, and over which channel: decided when
//! the worker takes it, from the customer as they are at that moment.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use super::{Channel, MessageState, Purpose};
use crate::consent::Consents;
use crate::email::Email;
use crate::phone::Phone;

/// The customer a message goes to, read when it is sent.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// The device their app registered last, for push.
    pub device: Option<String>,
    /// Their messenger handle (the chat their bot talks in).
    pub handle: Option<String>,
    pub consents: Consents,
    /// Their time zone: quiet hours and caps count in their day.
    pub zone: TimeZone,
    /// When their marketing messages of the last seven days left.
    pub sent: Vec<Timestamp>,
}

impl Recipient {
    /// Where a channel reaches them.
    pub fn address(&self, channel: Channel) -> Option<&str> {
        match channel {
            Channel::Email => self.email.as_ref().map(Email::as_str),
            Channel::Sms | Channel::Viber => self.phone.as_ref().map(Phone::as_str),
            Channel::Push => self.device.as_deref(),
            Channel::Messenger => self.handle.as_deref(),
        }
    }
}

/// The hours of the customer's day in which marketing may arrive:
/// `from` up to `to` (`to` before `from` spans midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: Time,
    pub to: Time,
}

impl QuietHours {
    pub fn allows(&self, at: Time) -> bool {
        if self.from <= self.to {
            self.from <= at && at < self.to
        } else {
            at >= self.from || at < self.to
        }
    }

    /// The next start of the window after `now`, in `now`'s zone.
    fn next_start(&self, now: &Zoned) -> Timestamp {
        let today = now.date().to_datetime(self.from);
        let start = match today.to_zoned(now.time_zone().clone()) {
            Ok(start) if start > *now => start,
            _ => today
                .checked_add(1.day())
                .and_then(|d| d.to_zoned(now.time_zone().clone()))
                .unwrap_or_else(|_| now.clone()),
        };
        start.timestamp()
    }
}

/// At most so many marketing messages a customer gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caps {
    pub per_day: Option<u32>,
    pub per_week: Option<u32>,
}

/// The shop's rules for marketing, and the channels it has set up.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub daytime: Option<QuietHours>,
    pub caps: Caps,
    pub channels: Vec<Channel>,
    /// How long a message sent over a channel that reports delivery waits
    /// for its report before it goes on to its next channel.
    pub cascade_after: Option<jiff::SignedDuration>,
}

/// A message as the decision needs it.
#[derive(Debug, Clone)]
pub struct Sent<'a> {
    pub purpose: Purpose,
    /// The channels to try, in order.
    pub channels: &'a [Channel],
    pub expires_at: Timestamp,
}

/// What the worker does with a message now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Send {
        channel: Channel,
        address: String,
    },
    /// Wait for the customer's daytime.
    Hold {
        until: Timestamp,
    },
    /// It does not leave: the state and the reason it ends with.
    Stop {
        state: MessageState,
        reason: &'static str,
    },
}

fn stop(state: MessageState, reason: &'static str) -> Decision {
    Decision::Stop { state, reason }
}

/// Decides a message's fate now: the first of its channels the shop has set
/// up, the customer has an address for and, for marketing, agreed to.
pub fn decide(
    message: &Sent<'_>,
    recipient: &Recipient,
    policy: &Policy,
    now: Timestamp,
) -> Decision {
    if now >= message.expires_at {
        return stop(MessageState::Expired, "lifetime_passed");
    }
    let set_up: Vec<Channel> = message
        .channels
        .iter()
        .copied()
        .filter(|c| policy.channels.contains(c))
        .collect();
    if set_up.is_empty() {
        return stop(MessageState::Failed, "no_channel_set_up");
    }
    let reachable: Vec<(Channel, &str)> = set_up
        .iter()
        .filter_map(|&c| recipient.address(c).map(|a| (c, a)))
        .collect();
    if reachable.is_empty() {
        return stop(MessageState::NoContact, "no_address");
    }
    let marketing = message.purpose == Purpose::Marketing;
    let chosen = reachable
        .iter()
        .find(|(c, _)| !marketing || recipient.consents.is_granted(c.consent()));
    let Some(&(channel, address)) = chosen else {
        let withdrawn = reachable.iter().any(|(c, _)| {
            recipient
                .consents
                .0
                .get(&c.consent())
                .is_some_and(|consent| consent.withdrawn_at.is_some())
        });
        return stop(
            MessageState::NoConsent,
            if withdrawn {
                "consent_withdrawn"
            } else {
                "consent_not_given"
            },
        );
    };
    if marketing {
        let local = now.to_zoned(recipient.zone.clone());
        if let Some(daytime) = policy.daytime
            && !daytime.allows(local.time())
        {
            let until = daytime.next_start(&local);
            if until >= message.expires_at {
                return stop(MessageState::Expired, "quiet_hours_outlast_lifetime");
            }
            return Decision::Hold { until };
        }
        if let Some(reason) = over_cap(&recipient.sent, policy.caps, &local) {
            return stop(MessageState::Capped, reason);
        }
    }
    Decision::Send {
        channel,
        address: address.to_owned(),
    }
}

/// Whether another marketing message would pass a cap, counted in the
/// customer's day and week (from Monday).
fn over_cap(sent: &[Timestamp], caps: Caps, local: &Zoned) -> Option<&'static str> {
    let day_start = local.start_of_day().ok()?;
    let days_into_week = i64::from(local.weekday().to_monday_zero_offset());
    let week_start = day_start
        .checked_sub(days_into_week.days())
        .unwrap_or_else(|_| day_start.clone());
    let since = |start: &Zoned| sent.iter().filter(|&&t| t >= start.timestamp()).count();
    let reached = |cap: Option<u32>, count: usize| cap.is_some_and(|cap| count >= cap as usize);
    if reached(caps.per_day, since(&day_start)) {
        return Some("daily_cap");
    }
    if reached(caps.per_week, since(&week_start)) {
        return Some("weekly_cap");
    }
    None
}
