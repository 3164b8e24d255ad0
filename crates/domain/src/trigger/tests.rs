use super::*;
use crate::message::DEFAULT_ORDER;

#[test]
fn a_trigger_that_counts_days_needs_them() {
    let input = |kind: &str, days: Option<i64>| TriggerInput {
        kind: kind.into(),
        template_id: Some(TemplateId(1)),
        days,
        active: true,
        ..TriggerInput::default()
    };
    let codes = |input: TriggerInput| -> Vec<(String, &'static str)> {
        input
            .validate()
            .err()
            .map(|e| e.0.into_iter().map(|e| (e.field, e.code)).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        codes(input("win_back", None)),
        vec![("days".into(), "required")]
    );
    assert_eq!(
        codes(input("points_expiring", Some(0))),
        vec![("days".into(), "out_of_range")]
    );
    assert_eq!(
        codes(input("party", None)),
        vec![("kind".into(), "unknown_trigger")]
    );
    let terms = input("welcome", Some(5)).validate().unwrap();
    assert_eq!(terms.days, None, "a welcome counts no days");
    assert_eq!(terms.channels, DEFAULT_ORDER.to_vec());
    assert_eq!(
        input("win_back", Some(60)).validate().unwrap().days,
        Some(60)
    );
}

#[test]
fn each_occasion_has_its_own_key() {
    let at: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
    let day = jiff::civil::date(2027, 1, 15);
    let keys = [
        Occasion::Welcome.key(),
        Occasion::FirstPurchase.key(),
        Occasion::Birthday { year: 2026 }.key(),
        Occasion::WinBack { last_purchase: at }.key(),
        Occasion::PointsExpiring { on: day }.key(),
        Occasion::Tier {
            to: Some(TierId(3)),
            at: day,
        }
        .key(),
        Occasion::Tier { to: None, at: day }.key(),
    ];
    let mut unique = keys.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "{keys:?}");
    assert_eq!(keys[2], "birthday:2026");
    assert_eq!(keys[4], "points_expiring:2027-01-15");
}

#[test]
fn a_tier_move_is_a_raise_or_a_fall_by_threshold() {
    assert_eq!(tier_move(None, Some(0)), Some(TriggerKind::TierRaised));
    assert_eq!(
        tier_move(Some(100), Some(500)),
        Some(TriggerKind::TierRaised)
    );
    assert_eq!(
        tier_move(Some(500), Some(100)),
        Some(TriggerKind::TierLowered)
    );
    assert_eq!(tier_move(Some(500), None), Some(TriggerKind::TierLowered));
    assert_eq!(tier_move(Some(500), Some(500)), None);
    assert_eq!(tier_move(None, None), None);
}
