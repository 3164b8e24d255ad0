//! The cascade: a message sent over a channel whose delivery is not
//! reported in time goes on to its next channels (Viber, then SMS).

use jiff::{SignedDuration, Timestamp};

use super::Channel;

/// The channels after `sent_over` in a message's order.
pub fn channels_after(channels: &[Channel], sent_over: Channel) -> Vec<Channel> {
    channels
        .iter()
        .skip_while(|c| **c != sent_over)
        .skip(1)
        .copied()
        .collect()
}

/// When a message sent over `sent_over` at `at` goes on to its next
/// channels unless delivered first: never from e-mail (SMTP reports no
/// delivery), nor from its last channel, nor when the shop keeps no
/// cascade.
pub fn cascade_at(
    channels: &[Channel],
    sent_over: Channel,
    at: Timestamp,
    after: Option<SignedDuration>,
) -> Option<Timestamp> {
    let after = after?;
    if sent_over == Channel::Email || channels_after(channels, sent_over).is_empty() {
        return None;
    }
    at.checked_add(after).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viber_goes_on_to_sms_when_not_delivered_in_time() {
        let at: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
        let order = [Channel::Viber, Channel::Sms, Channel::Email];
        let ten = Some(SignedDuration::from_mins(10));
        assert_eq!(
            cascade_at(&order, Channel::Viber, at, ten),
            Some("2026-12-06T10:10:00Z".parse().unwrap())
        );
        assert_eq!(
            channels_after(&order, Channel::Viber),
            vec![Channel::Sms, Channel::Email]
        );
        assert_eq!(
            cascade_at(&order, Channel::Email, at, ten),
            None,
            "no report from SMTP"
        );
        assert_eq!(
            cascade_at(&[Channel::Sms], Channel::Sms, at, ten),
            None,
            "nothing after"
        );
        assert_eq!(
            cascade_at(&order, Channel::Viber, at, None),
            None,
            "no cascade kept"
        );
    }
}
