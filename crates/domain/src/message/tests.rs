use jiff::civil::time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;
use crate::consent::{ConsentChange, ConsentKind, Consents};
use crate::{Email, Phone};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn moscow() -> TimeZone {
    TimeZone::get("Europe/Moscow").unwrap()
}

fn consents(granted: &[ConsentKind], withdrawn: &[ConsentKind]) -> Consents {
    let mut consents = Consents::default();
    for (&kind, granted) in granted
        .iter()
        .map(|k| (k, true))
        .chain(withdrawn.iter().map(|k| (k, false)))
    {
        consents.apply(ConsentChange {
            kind,
            granted,
            at: at("2026-01-01T00:00:00Z"),
            source: Some("console".into()),
        });
    }
    consents
}

fn recipient(granted: &[ConsentKind]) -> Recipient {
    Recipient {
        email: Some(Email::parse("anna@example.ru").unwrap()),
        phone: Some(Phone::parse("+79123456789").unwrap()),
        device: None,
        handle: None,
        consents: consents(granted, &[]),
        zone: moscow(),
        sent: vec![],
    }
}

fn policy() -> Policy {
    Policy {
        daytime: Some(QuietHours {
            from: time(9, 0, 0, 0),
            to: time(21, 0, 0, 0),
        }),
        caps: Caps {
            per_day: Some(2),
            per_week: Some(3),
        },
        channels: vec![Channel::Email, Channel::Sms],
        cascade_after: None,
    }
}

const EMAIL_THEN_SMS: &[Channel] = &[Channel::Email, Channel::Sms];

fn marketing(expires_at: Timestamp) -> Sent<'static> {
    Sent {
        purpose: Purpose::Marketing,
        channels: EMAIL_THEN_SMS,
        expires_at,
    }
}

// 12:00 in Moscow.
const NOON: &str = "2026-12-02T09:00:00Z";
const LATER: &str = "2026-12-09T00:00:00Z";

#[test]
fn marketing_goes_to_the_first_channel_agreed_to() {
    let decision = decide(
        &marketing(at(LATER)),
        &recipient(&[ConsentKind::Sms]),
        &policy(),
        at(NOON),
    );
    assert_eq!(
        decision,
        Decision::Send {
            channel: Channel::Sms,
            address: "+79123456789".into()
        }
    );
}

#[test]
fn push_reaches_the_registered_device_and_a_messenger_the_handle() {
    let channels = [Channel::Push, Channel::Messenger, Channel::Sms];
    let sent = Sent {
        purpose: Purpose::Marketing,
        channels: &channels,
        expires_at: at(LATER),
    };
    let mut rules = policy();
    rules.channels = channels.to_vec();
    let mut customer = recipient(&[ConsentKind::Push, ConsentKind::Messenger, ConsentKind::Sms]);
    // Nothing registered: the phone.
    assert!(matches!(
        decide(&sent, &customer, &rules, at(NOON)),
        Decision::Send {
            channel: Channel::Sms,
            ..
        }
    ));
    customer.handle = Some("42".into());
    assert_eq!(
        decide(&sent, &customer, &rules, at(NOON)),
        Decision::Send {
            channel: Channel::Messenger,
            address: "42".into()
        }
    );
    customer.device = Some("fcm-token".into());
    assert_eq!(
        decide(&sent, &customer, &rules, at(NOON)),
        Decision::Send {
            channel: Channel::Push,
            address: "fcm-token".into()
        }
    );
}

#[test]
fn a_withdrawn_consent_stops_marketing_and_says_so() {
    let mut customer = recipient(&[]);
    customer.consents = consents(&[], &[ConsentKind::Email, ConsentKind::Sms]);
    let decision = decide(&marketing(at(LATER)), &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::NoConsent,
            reason: "consent_withdrawn"
        }
    );
    let never = decide(&marketing(at(LATER)), &recipient(&[]), &policy(), at(NOON));
    assert_eq!(
        never,
        Decision::Stop {
            state: MessageState::NoConsent,
            reason: "consent_not_given"
        }
    );
}

#[test]
fn a_transactional_message_needs_an_address_only() {
    let message = Sent {
        purpose: Purpose::Transactional,
        channels: EMAIL_THEN_SMS,
        expires_at: at(LATER),
    };
    // 02:00 in Moscow, no consent, caps spent: it goes all the same.
    let mut customer = recipient(&[]);
    customer.sent = vec![at(NOON); 5];
    let decision = decide(&message, &customer, &policy(), at("2026-12-02T23:00:00Z"));
    assert!(matches!(
        decision,
        Decision::Send {
            channel: Channel::Email,
            ..
        }
    ));
    customer.email = None;
    customer.phone = None;
    let decision = decide(&message, &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::NoContact,
            reason: "no_address"
        }
    );
}

#[test]
fn marketing_at_night_waits_for_the_customers_morning() {
    // 23:30 in Moscow: held until 09:00 Moscow the next day.
    let decision = decide(
        &marketing(at(LATER)),
        &recipient(&[ConsentKind::Email]),
        &policy(),
        at("2026-12-02T20:30:00Z"),
    );
    assert_eq!(
        decision,
        Decision::Hold {
            until: at("2026-12-03T06:00:00Z")
        }
    );
    // 05:00 in Moscow: held until 09:00 the same day.
    let decision = decide(
        &marketing(at(LATER)),
        &recipient(&[ConsentKind::Email]),
        &policy(),
        at("2026-12-02T02:00:00Z"),
    );
    assert_eq!(
        decision,
        Decision::Hold {
            until: at("2026-12-02T06:00:00Z")
        }
    );
    // A lifetime ending before the morning expires it now.
    let decision = decide(
        &marketing(at("2026-12-03T01:00:00Z")),
        &recipient(&[ConsentKind::Email]),
        &policy(),
        at("2026-12-02T20:30:00Z"),
    );
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::Expired,
            reason: "quiet_hours_outlast_lifetime"
        }
    );
}

#[test]
fn caps_count_in_the_customers_day_and_week() {
    let mut customer = recipient(&[ConsentKind::Email]);
    // Two today (Wednesday in Moscow): the daily cap of two is reached.
    customer.sent = vec![at("2026-12-02T06:00:00Z"), at("2026-12-02T07:00:00Z")];
    let decision = decide(&marketing(at(LATER)), &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::Capped,
            reason: "daily_cap"
        }
    );
    // One yesterday at 23:30 Moscow (20:30 UTC) counts for yesterday: one
    // today, three this week (Monday's and Tuesday's).
    customer.sent = vec![
        at("2026-11-30T10:00:00Z"),
        at("2026-12-01T20:30:00Z"),
        at("2026-12-02T06:00:00Z"),
    ];
    let decision = decide(&marketing(at(LATER)), &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::Capped,
            reason: "weekly_cap"
        }
    );
    // Last week's do not count.
    customer.sent = vec![at("2026-11-29T10:00:00Z"); 3];
    let decision = decide(&marketing(at(LATER)), &customer, &policy(), at(NOON));
    assert!(matches!(decision, Decision::Send { .. }));
}

#[test]
fn a_message_past_its_lifetime_or_without_a_channel_set_up_does_not_leave() {
    let customer = recipient(&[ConsentKind::Email]);
    let decision = decide(&marketing(at(NOON)), &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::Expired,
            reason: "lifetime_passed"
        }
    );
    let viber_only = Sent {
        purpose: Purpose::Marketing,
        channels: &[Channel::Viber],
        expires_at: at(LATER),
    };
    let decision = decide(&viber_only, &customer, &policy(), at(NOON));
    assert_eq!(
        decision,
        Decision::Stop {
            state: MessageState::Failed,
            reason: "no_channel_set_up"
        }
    );
}

#[test]
fn retries_double_and_stop_at_the_last_try_or_the_lifetime() {
    let now = at(NOON);
    let far = at(LATER);
    let wait = |attempts| after_failure(attempts, now, far).map(|t| t.duration_since(now));
    assert_eq!(wait(1), Some(SignedDuration::from_secs(30)));
    assert_eq!(wait(2), Some(SignedDuration::from_secs(60)));
    assert_eq!(wait(7), Some(SignedDuration::from_secs(1920)));
    assert_eq!(wait(MAX_ATTEMPTS), None);
    assert_eq!(after_failure(1, now, at("2026-12-02T09:00:10Z")), None);
}

#[test]
fn names_read_back() {
    for state in MessageState::ALL {
        assert_eq!(MessageState::parse(state.as_str()).unwrap(), state);
    }
    for channel in Channel::ALL {
        assert_eq!(Channel::parse(channel.as_str()).unwrap(), channel);
    }
    for source in MessageSource::ALL {
        assert_eq!(MessageSource::parse(source.as_str()).unwrap(), source);
    }
    assert_eq!(Channel::parse("fax").unwrap_err().field, "channel");
}

fn any_kinds() -> impl Strategy<Value = Vec<ConsentKind>> {
    proptest::sample::subsequence(
        vec![ConsentKind::Email, ConsentKind::Sms, ConsentKind::Viber],
        0..=3,
    )
}

proptest! {
    /// Whatever the hour, the caps and the consents: marketing leaves only
    /// over a channel the customer agreed to, inside their daytime, under
    /// the caps; a hold ends in their daytime, later than now, before the
    /// lifetime; a transactional message is never held, capped or stopped
    /// for consent.
    #[test]
    fn marketing_leaves_only_where_and_when_it_may(
        minutes in 0i64..(14 * 24 * 60),
        granted in any_kinds(),
        sent_hours_ago in proptest::collection::vec(0i64..(10 * 24), 0..6),
        per_day in proptest::option::of(1u32..4),
        per_week in proptest::option::of(1u32..8),
        transactional in any::<bool>(),
    ) {
        let now = at("2026-11-30T00:00:00Z")
            .checked_add(SignedDuration::from_mins(minutes))
            .unwrap();
        let expires_at = now.checked_add(SignedDuration::from_hours(72)).unwrap();
        let mut customer = recipient(&granted);
        customer.sent = sent_hours_ago
            .iter()
            .map(|h| now.checked_sub(SignedDuration::from_hours(*h)).unwrap())
            .collect();
        let mut rules = policy();
        rules.caps = Caps { per_day, per_week };
        rules.channels = vec![Channel::Email, Channel::Sms, Channel::Viber];
        let channels = [Channel::Viber, Channel::Sms, Channel::Email];
        let purpose = if transactional { Purpose::Transactional } else { Purpose::Marketing };
        let message = Sent { purpose, channels: &channels, expires_at };
        let daytime = rules.daytime.unwrap();
        match decide(&message, &customer, &rules, now) {
            Decision::Send { channel, .. } => {
                if !transactional {
                    prop_assert!(granted.contains(&channel.consent()));
                    let local = now.to_zoned(moscow()).time();
                    prop_assert!(daytime.allows(local));
                }
            }
            Decision::Hold { until } => {
                prop_assert!(!transactional);
                prop_assert!(until > now && until < expires_at);
                prop_assert!(daytime.allows(until.to_zoned(moscow()).time()));
            }
            Decision::Stop { state, reason } => {
                prop_assert!(REASONS.contains(&reason), "{reason} is not listed");
                prop_assert!(!transactional || state == MessageState::NoContact);
                if state == MessageState::NoConsent {
                    prop_assert!(granted.is_empty());
                }
                if state == MessageState::Capped {
                    prop_assert!(per_day.is_some() || per_week.is_some());
                }
            }
        }
    }
}
