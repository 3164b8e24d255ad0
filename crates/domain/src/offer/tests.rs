//! Applying offers: each reward, each check, stacking and budgets.

use jiff::civil::date;

use super::fixtures::{Till, line, offer};
use super::*;
use crate::ids::{CouponId, CustomerId, OfferId, SegmentId, StoreId};
use crate::pricing::Basket;

fn groceries() -> Basket {
    Basket::parse(vec![
        line("milk", Some("dairy"), 10_000),
        line("cheese", Some("dairy"), 30_000),
        line("bread", Some("bakery"), 5_001),
        line("cigs", Some("tobacco"), 20_000),
    ])
    .unwrap()
}

fn reasons(applied: &Applied) -> Vec<(i64, &'static str)> {
    applied
        .skipped
        .iter()
        .map(|s| (s.offer_id.0, s.reason.as_str()))
        .collect()
}

fn per_line(applied: &Applied) -> Vec<(i64, i64)> {
    applied
        .lines
        .iter()
        .map(|l| (l.discount_minor, l.points_accrued))
        .collect()
}

fn on(mut offer: Offer, skus: &[&str], categories: &[&str]) -> Offer {
    offer.terms.target = Target {
        skus: skus.iter().map(|s| s.to_string()).collect(),
        categories: categories.iter().map(|s| s.to_string()).collect(),
    };
    offer
}

#[test]
fn extra_points_multiply_the_programs_accrual_on_the_target() {
    let double = on(
        offer(
            1,
            Reward::ExtraPoints {
                multiplier_bp: 20_000,
            },
        ),
        &[],
        &["dairy"],
    );
    let applied = Till::new().apply(&[&double], &groceries());
    assert_eq!(per_line(&applied), [(0, 500), (0, 1500), (0, 0), (0, 0)]);
    assert_eq!(applied.points_accrued, 2000);
    assert_eq!(applied.offers[0].name, "offer 1");
}

#[test]
fn bonus_points_are_spread_by_amount_and_skip_tobacco() {
    let bonus = offer(1, Reward::BonusPoints { points: 1000 });
    let applied = Till::new().apply(&[&bonus], &groceries());
    // 1000 over 10000 : 30000 : 5001, largest remainders first.
    assert_eq!(per_line(&applied), [(0, 222), (0, 667), (0, 111), (0, 0)]);
    assert_eq!(applied.points_accrued, 1000);
    assert!(applied.lines[3].offers.is_empty());
}

#[test]
fn a_percent_off_skus_rounds_down_per_line() {
    let cheap = on(
        offer(1, Reward::PercentOff { rate_bp: 1500 }),
        &["bread", "cigs"],
        &[],
    );
    let applied = Till::new().apply(&[&cheap], &groceries());
    assert_eq!(per_line(&applied), [(0, 0), (0, 0), (750, 0), (0, 0)]);
    assert_eq!(applied.discount_minor, 750);
}

#[test]
fn an_amount_off_is_spread_over_the_category_and_capped_at_its_cost() {
    let off = on(
        offer(1, Reward::AmountOff { amount_minor: 1001 }),
        &[],
        &["dairy"],
    );
    let applied = Till::new().apply(&[&off], &groceries());
    assert_eq!(per_line(&applied), [(250, 0), (751, 0), (0, 0), (0, 0)]);
    let huge = on(
        offer(
            2,
            Reward::AmountOff {
                amount_minor: 99_999,
            },
        ),
        &["milk"],
        &[],
    );
    let applied = Till::new().apply(&[&huge], &groceries());
    assert_eq!(applied.lines[0].discount_minor, 10_000);
}

#[test]
fn a_threshold_counts_the_targets_lines_before_loyalty_without_tobacco() {
    let mut over = offer(1, Reward::BonusPoints { points: 500 });
    over.terms.condition.min_total_minor = Some(45_002);
    let till = Till::new();
    assert_eq!(
        reasons(&till.apply(&[&over], &groceries())),
        [(1, "threshold_not_reached")]
    );
    over.terms.condition.min_total_minor = Some(45_001);
    assert_eq!(till.apply(&[&over], &groceries()).points_accrued, 500);
    let dairy = on(over, &[], &["dairy"]);
    assert_eq!(
        reasons(&till.apply(&[&dairy], &groceries())),
        [(1, "threshold_not_reached")]
    );
}

#[test]
fn the_nth_purchase_once_or_every_time() {
    let mut fifth = offer(1, Reward::BonusPoints { points: 100 });
    fifth.terms.condition.nth_purchase = Some(NthPurchase {
        n: 5,
        repeat: false,
    });
    let mut till = Till::new();
    let gets = |till: &Till, offer: &Offer| till.apply(&[offer], &groceries()).points_accrued > 0;
    till.purchases_before = 3;
    assert!(!gets(&till, &fifth));
    assert_eq!(
        reasons(&till.apply(&[&fifth], &groceries())),
        [(1, "not_nth_purchase")]
    );
    till.purchases_before = 4;
    assert!(gets(&till, &fifth));
    till.purchases_before = 9;
    assert!(!gets(&till, &fifth));
    fifth.terms.condition.nth_purchase = Some(NthPurchase { n: 5, repeat: true });
    assert!(gets(&till, &fifth));
}

#[test]
fn period_day_hours_and_store_are_each_reported() {
    let till = Till::new();
    let basket = groceries();
    let mut late = offer(1, Reward::BonusPoints { points: 100 });
    late.terms.schedule.valid_from = Some(date(2025, 3, 6));
    let mut weekend = offer(2, Reward::BonusPoints { points: 100 });
    weekend.terms.schedule.days = vec![Day::Saturday, Day::Sunday];
    let mut morning = offer(3, Reward::BonusPoints { points: 100 });
    morning.terms.schedule.hours = Some(Hours {
        from: jiff::civil::time(8, 0, 0, 0),
        to: jiff::civil::time(11, 0, 0, 0),
    });
    let mut elsewhere = offer(4, Reward::BonusPoints { points: 100 });
    elsewhere.terms.stores = vec![StoreId(3)];
    let mut our_region = offer(5, Reward::BonusPoints { points: 100 });
    our_region.terms.stores = vec![StoreId(3), StoreId(1)];
    let mut paused = offer(6, Reward::BonusPoints { points: 100 });
    paused.terms.active = false;
    let mut vip = offer(7, Reward::BonusPoints { points: 100 });
    vip.terms.audience = Audience::Segment(SegmentId(42));
    let all = [
        &late,
        &weekend,
        &morning,
        &elsewhere,
        &our_region,
        &paused,
        &vip,
    ];
    let applied = till.apply(&all, &basket);
    assert_eq!(
        reasons(&applied),
        [
            (1, "not_in_period"),
            (2, "not_on_this_day"),
            (3, "outside_hours"),
            (4, "not_in_store"),
            (6, "paused"),
            (7, "not_in_audience"),
        ]
    );
    assert_eq!(applied.offers[0].offer_id, OfferId(5));
    let mut member = Till::new();
    member.segments = vec![SegmentId(42)];
    assert_eq!(member.apply(&[&vip], &basket).offers.len(), 1);
}

#[test]
fn excluded_categories_get_nothing_whatever_the_offer() {
    let all_off = offer(1, Reward::PercentOff { rate_bp: 10_000 });
    let tobacco = on(
        offer(2, Reward::BonusPoints { points: 100 }),
        &["cigs"],
        &["tobacco"],
    );
    let nothing = on(
        offer(3, Reward::BonusPoints { points: 100 }),
        &["caviar"],
        &[],
    );
    let applied = Till::new().apply(&[&all_off, &tobacco, &nothing], &groceries());
    assert_eq!(per_line(&applied)[3], (0, 0));
    assert_eq!(applied.discount_minor, 45_001);
    assert_eq!(
        reasons(&applied),
        [(2, "excluded_category"), (3, "no_matching_lines")]
    );
}

#[test]
fn discounts_that_stack_add_up_but_never_below_zero() {
    let ten = offer(1, Reward::PercentOff { rate_bp: 1000 });
    let twenty = offer(2, Reward::PercentOff { rate_bp: 2000 });
    let basket = Basket::parse(vec![line("milk", None, 10_000)]).unwrap();
    let applied = Till::new().apply(&[&ten, &twenty], &basket);
    assert_eq!(applied.discount_minor, 3000);
    assert_eq!(applied.lines[0].offers.len(), 2);
    let all = offer(3, Reward::PercentOff { rate_bp: 9500 });
    let applied = Till::new().apply(&[&ten, &twenty, &all], &basket);
    assert_eq!(applied.discount_minor, 10_000);
    assert_eq!(applied.offers[2].discount_minor, 7000);
    let more = offer(4, Reward::AmountOff { amount_minor: 100 });
    let applied = Till::new().apply(&[&ten, &twenty, &all, &more], &basket);
    assert_eq!(reasons(&applied), [(4, "nothing_to_give")]);
}

#[test]
fn an_exclusive_offer_takes_its_lines_from_those_after_it() {
    let mut dairy = on(
        offer(1, Reward::PercentOff { rate_bp: 3000 }),
        &[],
        &["dairy"],
    );
    dairy.terms.stacking = Stacking::Exclusive;
    dairy.terms.priority = 10;
    let double = offer(
        2,
        Reward::ExtraPoints {
            multiplier_bp: 20_000,
        },
    );
    let applied = Till::new().apply(&[&double, &dairy], &groceries());
    assert_eq!(per_line(&applied), [(3000, 0), (9000, 0), (0, 250), (0, 0)]);
    assert_eq!(applied.offers[0].offer_id, OfferId(1));

    // Lower than the stacking offer, it finds its lines in use.
    dairy.terms.priority = -1;
    let applied = Till::new().apply(&[&double, &dairy], &groceries());
    assert_eq!(reasons(&applied), [(1, "outranked")]);
    assert_eq!(applied.discount_minor, 0);
}

#[test]
fn only_the_best_offer_worth_most_applies() {
    let mut points = offer(1, Reward::BonusPoints { points: 2000 });
    let mut percent = offer(2, Reward::PercentOff { rate_bp: 500 });
    let mut small = offer(3, Reward::AmountOff { amount_minor: 100 });
    for best in [&mut points, &mut percent, &mut small] {
        best.terms.stacking = Stacking::Best;
    }
    small.terms.priority = 99;
    let stacked = offer(4, Reward::BonusPoints { points: 1 });
    let applied = Till::new().apply(&[&points, &percent, &small, &stacked], &groceries());
    // 5 % of 45001, rounded down line by line, is 2250: more than 2000 points.
    assert_eq!(applied.offers[0].offer_id, OfferId(2));
    assert_eq!(applied.offers[0].discount_minor, 2250);
    assert_eq!(applied.offers[1].offer_id, OfferId(4));
    assert_eq!(reasons(&applied), [(3, "outranked"), (1, "outranked")]);
    // Equal worth goes to the higher priority.
    let mut same = offer(5, Reward::BonusPoints { points: 2250 });
    same.terms.stacking = Stacking::Best;
    same.terms.priority = 1;
    let applied = Till::new().apply(&[&percent, &same], &groceries());
    assert_eq!(applied.offers[0].offer_id, OfferId(5));
}

#[test]
fn a_budget_cuts_what_is_given_and_stops_it_at_zero() {
    let mut bonus = offer(1, Reward::BonusPoints { points: 1000 });
    bonus.terms.budget.points = Caps {
        total: Some(10_000),
        per_customer: Some(2_000),
        ..Caps::default()
    };
    let mut till = Till::new();
    let used = |customer| BudgetUsed {
        points: Usage {
            total: 5_000,
            customer,
            ..Usage::default()
        },
        ..BudgetUsed::default()
    };
    till.budgets_used = vec![(OfferId(1), used(1_700))];
    let applied = till.apply(&[&bonus], &groceries());
    assert_eq!(applied.points_accrued, 300);
    assert!(applied.offers[0].cut_by_budget);
    assert_eq!(
        applied.lines.iter().map(|l| l.points_accrued).sum::<i64>(),
        300
    );
    till.budgets_used = vec![(OfferId(1), used(2_000))];
    let applied = till.apply(&[&bonus], &groceries());
    assert_eq!(reasons(&applied), [(1, "budget_exhausted")]);
    till.budgets_used = vec![];
    assert!(!till.apply(&[&bonus], &groceries()).offers[0].cut_by_budget);
}

#[test]
fn coupons_shared_or_single_use() {
    let code = |raw: &str| CouponCode::parse(raw).unwrap();
    let mut flyer = offer(1, Reward::PercentOff { rate_bp: 1000 });
    flyer.terms.coupon = Some(CouponRule::Shared(code("SPRING-25")));
    let mut personal = offer(2, Reward::BonusPoints { points: 100 });
    personal.terms.coupon = Some(CouponRule::Unique);
    let mut till = Till::new();
    let applied = till.apply(&[&flyer, &personal], &groceries());
    assert_eq!(
        reasons(&applied),
        [(1, "coupon_missing"), (2, "coupon_missing")]
    );

    let issued = |id, offer| PresentedCoupon {
        code: code(&format!("CODE-{id}")),
        issued: Some(IssuedCoupon {
            id: CouponId(id),
            offer_id: OfferId(offer),
        }),
    };
    till.coupons = vec![
        PresentedCoupon {
            code: code("spring-25"),
            issued: None,
        },
        issued(9, 2),
        issued(8, 2),
        issued(3, 77),
    ];
    let applied = till.apply(&[&flyer, &personal], &groceries());
    assert!(applied.skipped.is_empty());
    let used: Vec<_> = applied
        .offers
        .iter()
        .map(|o| o.coupon.clone().unwrap())
        .collect();
    assert_eq!(used[0].code.as_str(), "SPRING-25");
    assert_eq!(used[0].coupon_id, None);
    assert_eq!(used[1].coupon_id, Some(CouponId(8)));

    // Beaten by an exclusive offer, the flyer's presented coupon gave
    // nothing: the till is told why, as it is not of an offer beaten
    // without one.
    let mut first = offer(3, Reward::PercentOff { rate_bp: 500 });
    first.terms.stacking = Stacking::Exclusive;
    first.terms.priority = 10;
    flyer.terms.stacking = Stacking::Exclusive;
    let mut plain = offer(4, Reward::PercentOff { rate_bp: 500 });
    plain.terms.stacking = Stacking::Exclusive;
    let applied = till.apply(&[&first, &flyer, &plain], &groceries());
    assert_eq!(reasons(&applied), [(1, "outranked"), (4, "outranked")]);
    let told: Vec<_> = applied.skipped.iter().map(|s| s.tells_the_till()).collect();
    assert_eq!(told, [true, false]);
    assert_eq!(applied.skipped[0].name.as_deref(), Some("offer 1"));
    assert_eq!(applied.skipped[1].name, None);
}

#[test]
fn the_control_group_gets_nothing_and_is_told_so() {
    let mut held = offer(1, Reward::BonusPoints { points: 100 });
    held.terms.holdout_bp = 5000;
    let customers: Vec<i64> = (1..100).collect();
    let inside = customers
        .iter()
        .find(|&&c| in_holdout(OfferId(1), CustomerId(c), 5000))
        .unwrap();
    let outside = customers
        .iter()
        .find(|&&c| !in_holdout(OfferId(1), CustomerId(c), 5000))
        .unwrap();
    let mut till = Till::new();
    till.customer_id = CustomerId(*inside);
    assert_eq!(
        reasons(&till.apply(&[&held], &groceries())),
        [(1, "holdout")]
    );
    till.customer_id = CustomerId(*outside);
    assert_eq!(till.apply(&[&held], &groceries()).offers.len(), 1);
}
