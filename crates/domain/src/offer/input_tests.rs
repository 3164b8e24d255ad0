//! Checking an offer as the marketer sends it.

use jiff::civil::{date, time};

use super::*;
use crate::ids::{SegmentId, StoreId};
use crate::validation::ValidationErrors;

fn input() -> OfferInput {
    OfferInput {
        name: "  Double   points on dairy ".into(),
        active: true,
        reward: "extra_points".into(),
        reward_value: 20_000,
        categories: vec![" dairy ".into(), "dairy".into()],
        ..OfferInput::default()
    }
}

fn codes(result: Result<OfferTerms, ValidationErrors>) -> Vec<(String, &'static str)> {
    result
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn a_plain_offer_is_cleaned_up() {
    let terms = input().validate().unwrap();
    assert_eq!(terms.name, "Double points on dairy");
    assert_eq!(terms.audience, Audience::Everyone);
    assert_eq!(terms.stacking, Stacking::Stack);
    assert_eq!(
        terms.reward,
        Reward::ExtraPoints {
            multiplier_bp: 20_000
        }
    );
    assert_eq!(terms.target.categories, ["dairy"]);
    assert_eq!(terms.schedule, Schedule::default());
    assert_eq!(terms.coupon, None);
}

#[test]
fn every_field_is_read() {
    let terms = OfferInput {
        segment_id: Some(SegmentId(4)),
        valid_from: Some("2025-03-01".into()),
        valid_to: Some("2025-03-31".into()),
        store_ids: vec![StoreId(9), StoreId(2), StoreId(9)],
        days: vec!["sunday".into(), "saturday".into(), "sunday".into()],
        hours_from: Some("22:00".into()),
        hours_to: Some("02:00".into()),
        priority: -5,
        stacking: Some("best".into()),
        reward: "amount_off".into(),
        reward_value: 50_000,
        skus: vec!["A-1".into()],
        min_total_minor: Some(300_000),
        nth_purchase: Some(3),
        every_nth: true,
        coupon: Some("shared".into()),
        coupon_code: Some(" spring-25 ".into()),
        budget: Budget {
            money: Caps {
                total: Some(1_000_000),
                per_day: Some(50_000),
                ..Caps::default()
            },
            ..Budget::default()
        },
        ..input()
    }
    .validate()
    .unwrap();
    assert_eq!(terms.audience, Audience::Segment(SegmentId(4)));
    assert_eq!(terms.schedule.valid_from, Some(date(2025, 3, 1)));
    assert_eq!(terms.schedule.valid_to, Some(date(2025, 3, 31)));
    assert_eq!(terms.schedule.days, [Day::Saturday, Day::Sunday]);
    assert_eq!(
        terms.schedule.hours,
        Some(Hours {
            from: time(22, 0, 0, 0),
            to: time(2, 0, 0, 0)
        })
    );
    assert_eq!(terms.stores, [StoreId(2), StoreId(9)]);
    assert_eq!((terms.priority, terms.stacking), (-5, Stacking::Best));
    assert_eq!(
        terms.condition.nth_purchase,
        Some(NthPurchase { n: 3, repeat: true })
    );
    assert_eq!(
        terms.coupon,
        Some(CouponRule::Shared(CouponCode::parse("SPRING-25").unwrap()))
    );
}

#[test]
fn every_problem_is_reported_at_its_field() {
    let bad = OfferInput {
        name: " ".into(),
        valid_from: Some("2025-04-01".into()),
        valid_to: Some("2025-03-01".into()),
        days: vec!["friday".into(), "пятница".into()],
        hours_from: Some("9".into()),
        hours_to: Some("18:00".into()),
        stacking: Some("always".into()),
        reward: "extra_points".into(),
        reward_value: 10_000,
        skus: vec!["ok".into(), "  ".into()],
        min_total_minor: Some(0),
        nth_purchase: Some(0),
        holdout_bp: 5001,
        priority: 2_000_000,
        ..input()
    };
    assert_eq!(
        codes(bad.validate()),
        [
            ("name".into(), "required"),
            ("valid_to".into(), "before_start"),
            ("hours_from".into(), "invalid_time"),
            ("days[1]".into(), "invalid_value"),
            ("min_total_minor".into(), "out_of_range"),
            ("nth_purchase".into(), "out_of_range"),
            ("stacking".into(), "invalid_value"),
            ("reward_value".into(), "out_of_range"),
            ("skus[1]".into(), "invalid_value"),
            ("priority".into(), "out_of_range"),
            ("holdout_bp".into(), "out_of_range"),
        ]
    );
}

#[test]
fn hours_need_both_ends_and_some_length() {
    let one = OfferInput {
        hours_to: Some("10:00".into()),
        ..input()
    };
    assert_eq!(codes(one.validate()), [("hours_from".into(), "required")]);
    let empty = OfferInput {
        hours_from: Some("10:00".into()),
        hours_to: Some("10:00".into()),
        ..input()
    };
    assert_eq!(
        codes(empty.validate()),
        [("hours_to".into(), "empty_window")]
    );
}

#[test]
fn every_nth_purchase_needs_its_n() {
    let every = OfferInput {
        every_nth: true,
        ..input()
    };
    assert_eq!(
        codes(every.validate()),
        [("every_nth".into(), "not_applicable")]
    );
}

#[test]
fn rewards_are_checked_by_kind() {
    let reward = |kind: &str, value| {
        OfferInput {
            reward: kind.into(),
            reward_value: value,
            ..input()
        }
        .validate()
    };
    assert!(reward("percent_off", 10_000).is_ok());
    assert_eq!(codes(reward("percent_off", 10_001))[0].1, "out_of_range");
    assert_eq!(codes(reward("extra_points", 100_001))[0].1, "out_of_range");
    assert_eq!(codes(reward("bonus_points", 0))[0].1, "out_of_range");
    assert_eq!(codes(reward("amount_off", -1))[0].1, "out_of_range");
    assert_eq!(
        codes(reward("cashback", 1))[0],
        ("reward".into(), "invalid_value")
    );
}

#[test]
fn coupons_shared_with_a_code_unique_without() {
    let coupon = |kind: Option<&str>, code: Option<&str>| {
        OfferInput {
            coupon: kind.map(Into::into),
            coupon_code: code.map(Into::into),
            ..input()
        }
        .validate()
    };
    assert_eq!(
        coupon(Some("unique"), None).unwrap().coupon,
        Some(CouponRule::Unique)
    );
    assert_eq!(codes(coupon(Some("shared"), None))[0].1, "required");
    assert_eq!(
        codes(coupon(Some("shared"), Some("no")))[0].1,
        "invalid_code"
    );
    assert_eq!(
        codes(coupon(Some("unique"), Some("ABCD")))[0].1,
        "not_applicable"
    );
    assert_eq!(codes(coupon(None, Some("ABCD")))[0].1, "not_applicable");
    assert_eq!(codes(coupon(Some("paper"), None))[0].1, "invalid_value");
    let held = OfferInput {
        coupon: Some("unique".into()),
        holdout_bp: 1000,
        ..input()
    };
    assert_eq!(
        codes(held.validate()),
        [("holdout_bp".into(), "not_applicable")]
    );
}

#[test]
fn a_budget_caps_what_the_offer_gives() {
    let capped = |budget| OfferInput { budget, ..input() }.validate();
    let points = Caps {
        per_customer: Some(10_000),
        ..Caps::default()
    };
    assert!(
        capped(Budget {
            points,
            ..Budget::default()
        })
        .is_ok()
    );
    assert_eq!(
        codes(capped(Budget {
            money: points,
            ..Budget::default()
        })),
        [("budget.money".into(), "not_applicable")]
    );
    let zero = Caps {
        per_month: Some(0),
        ..Caps::default()
    };
    assert_eq!(
        codes(capped(Budget {
            points: zero,
            ..Budget::default()
        })),
        [("budget.points.per_month".into(), "out_of_range")]
    );
}
