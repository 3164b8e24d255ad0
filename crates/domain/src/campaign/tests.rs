use jiff::Timestamp;

use super::*;
use crate::ids::{CampaignId, CustomerId, TemplateId};
use crate::message::{Channel, MessageState};

fn now() -> Timestamp {
    "2026-12-06T10:00:00Z".parse().expect("time")
}

fn input() -> CampaignInput {
    CampaignInput {
        name: " Зимняя распродажа ".to_owned(),
        template_id: Some(TemplateId(3)),
        channels: vec!["email".to_owned(), "sms".to_owned()],
        ..CampaignInput::default()
    }
}

#[test]
fn a_campaign_takes_defaults_and_starts_now_at_the_earliest() {
    let past = "2026-12-01T00:00:00Z".parse().expect("time");
    let terms = CampaignInput {
        starts_at: Some(past),
        ..input()
    }
    .validate(now())
    .expect("valid");
    assert_eq!(terms.name, "Зимняя распродажа");
    assert_eq!(terms.channels, vec![Channel::Email, Channel::Sms]);
    assert_eq!(terms.cancel_window_mins, DEFAULT_CANCEL_WINDOW_MINS);
    assert_eq!(terms.report_days, DEFAULT_REPORT_DAYS);
    assert_eq!(terms.starts_at, now());
    assert_eq!(
        terms.sends_from(now()),
        "2026-12-06T10:10:00Z".parse::<Timestamp>().expect("time")
    );
}

#[test]
fn every_bad_field_is_named() {
    let errors = CampaignInput {
        name: "  ".to_owned(),
        template_id: None,
        channels: vec!["fax".to_owned(), "sms".to_owned(), "sms".to_owned()],
        holdout_bp: Some(6000),
        cancel_window_mins: Some(-1),
        report_days: Some(0),
        ..CampaignInput::default()
    }
    .validate(now())
    .expect_err("invalid");
    let named: Vec<(&str, &str)> = errors
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        named,
        vec![
            ("name", "required"),
            ("template_id", "required"),
            ("channels", "unknown_channel"),
            ("channels", "repeated"),
            ("holdout_bp", "out_of_range"),
            ("cancel_window_mins", "out_of_range"),
            ("report_days", "out_of_range"),
        ]
    );
}

#[test]
fn the_control_group_is_the_share_asked_and_stable() {
    let audience: Vec<CustomerId> = (1..=20_000).map(CustomerId).collect();
    let (sent, held) = split_audience(CampaignId(7), 1000, &audience);
    assert_eq!(sent.len() + held.len(), audience.len());
    assert!((1_800..=2_200).contains(&held.len()), "{}", held.len());
    assert_eq!(split_audience(CampaignId(7), 1000, &audience).1, held);
    assert_ne!(split_audience(CampaignId(8), 1000, &audience).1, held);
    assert!(split_audience(CampaignId(7), 0, &audience).1.is_empty());
}

#[test]
fn counts_leave_the_control_group_out() {
    let rows = vec![
        (MessageState::Sent, None, 5),
        (MessageState::Delivered, None, 2),
        (MessageState::Queued, None, 4),
        (
            MessageState::NoConsent,
            Some("consent_not_given".to_owned()),
            3,
        ),
        (MessageState::Failed, Some("refused".to_owned()), 1),
        (MessageState::Cancelled, Some("holdout".to_owned()), 9),
    ];
    let counts = CampaignCounts::of(&rows);
    assert_eq!(counts.sent, 7);
    assert_eq!(counts.delivered, 2);
    assert_eq!(counts.waiting, 4);
    assert_eq!(counts.failed, 1);
    assert_eq!(counts.by_reason.get("consent_not_given"), Some(&3));
    assert_eq!(counts.by_reason.get("holdout"), None);
    assert_eq!(counts.by_state.get("cancelled"), None);
}
