//! Properties of [`apply`] over any offers and baskets: lines add up, nothing
//! goes below zero, excluded lines stay untouched, budgets hold, stacking
//! holds, and the order offers come in does not matter.

use proptest::prelude::*;

use super::fixtures::{Till, line, offer};
use super::*;
use crate::ids::{CouponId, CustomerId};
use crate::pricing::Basket;
use crate::quantity::Quantity;

const CATEGORIES: [Option<&str>; 4] = [None, Some("dairy"), Some("bakery"), Some("tobacco")];

fn any_basket() -> impl Strategy<Value = (Basket, Vec<LineBase>)> {
    prop::collection::vec(
        (
            0usize..6,
            0usize..4,
            0i64..200_000,
            1i64..5000,
            0u8..=100,
            0i64..20_000,
        ),
        1..20,
    )
    .prop_map(|lines| {
        let (lines, base) = lines
            .into_iter()
            .map(|(sku, category, amount, milli, paid, accrued)| {
                let mut basket_line = line(&format!("s{sku}"), CATEGORIES[category], amount);
                basket_line.quantity = Quantity::from_milli(milli).unwrap();
                // The program may already have taken part of the line.
                let payable_minor = amount - amount * i64::from(paid) / 100;
                let base = LineBase {
                    payable_minor,
                    points_accrued: accrued,
                };
                (basket_line, base)
            })
            .unzip();
        (Basket::parse(lines).unwrap(), base)
    })
}

fn any_reward() -> impl Strategy<Value = Reward> {
    prop_oneof![
        (10_001i64..=100_000).prop_map(|multiplier_bp| Reward::ExtraPoints { multiplier_bp }),
        (1i64..50_000).prop_map(|points| Reward::BonusPoints { points }),
        (1i64..=10_000).prop_map(|rate_bp| Reward::PercentOff { rate_bp }),
        (1i64..300_000).prop_map(|amount_minor| Reward::AmountOff { amount_minor }),
    ]
}

fn any_caps() -> impl Strategy<Value = Caps> {
    let cap = || prop::option::weighted(0.3, 1i64..20_000);
    (cap(), cap(), cap(), cap()).prop_map(|(total, per_customer, per_day, per_month)| Caps {
        total,
        per_customer,
        per_day,
        per_month,
    })
}

fn any_usage() -> impl Strategy<Value = Usage> {
    (0i64..12_000, 0i64..12_000, 0i64..12_000, 0i64..12_000).prop_map(
        |(total, customer, day, month)| Usage {
            total,
            customer,
            day,
            month,
        },
    )
}

/// An offer of id `id` with anything in it, and what its budget has used.
fn any_offer(id: i64) -> impl Strategy<Value = (Offer, BudgetUsed)> {
    let target = (
        prop::sample::subsequence(vec!["s0", "s1", "s2"], 0..=2),
        prop::sample::subsequence(vec!["dairy", "tobacco"], 0..=1),
    );
    let condition = (
        prop::option::weighted(0.2, 0i64..300_000),
        prop::option::weighted(0.2, (1i64..4, any::<bool>())),
    );
    (
        (any_reward(), -2i32..3, 0usize..3, target, condition),
        (0usize..4, any_caps(), any_caps(), any_usage(), any_usage()),
        prop_oneof![Just(0i64), 0i64..=5000],
    )
        .prop_map(
            move |(
                (reward, priority, stacking, (skus, categories), (min_total, nth)),
                (coupon, points, money, points_used, money_used),
                holdout_bp,
            )| {
                let mut offer = offer(id, reward);
                let terms = &mut offer.terms;
                terms.priority = priority;
                terms.stacking = [Stacking::Stack, Stacking::Exclusive, Stacking::Best][stacking];
                terms.target = Target {
                    skus: skus.into_iter().map(Into::into).collect(),
                    categories: categories.into_iter().map(Into::into).collect(),
                };
                terms.condition = Condition {
                    min_total_minor: min_total,
                    nth_purchase: nth.map(|(n, repeat)| NthPurchase { n, repeat }),
                };
                terms.coupon = match coupon {
                    1 => Some(CouponRule::Shared(CouponCode::parse("SPRING").unwrap())),
                    2 => Some(CouponRule::Unique),
                    _ => None,
                };
                terms.budget = Budget { points, money };
                terms.holdout_bp = holdout_bp;
                let used = BudgetUsed {
                    points: points_used,
                    money: money_used,
                };
                (offer, used)
            },
        )
}

fn any_offers() -> impl Strategy<Value = Vec<(Offer, BudgetUsed)>> {
    (0usize..8).prop_flat_map(|n| (1..=n as i64).map(any_offer).collect::<Vec<_>>())
}

/// A till where the customer presented the shared code and a single-use
/// coupon of every other offer.
fn till(offers: &[(Offer, BudgetUsed)], customer: i64, purchases_before: i64) -> Till {
    let mut till = Till::new();
    till.customer_id = CustomerId(customer);
    till.purchases_before = purchases_before;
    till.budgets_used = offers.iter().map(|(o, used)| (o.id, *used)).collect();
    till.coupons.push(PresentedCoupon {
        code: CouponCode::parse("spring").unwrap(),
        issued: None,
    });
    for (offer, _) in offers.iter().filter(|(o, _)| o.id.0 % 2 == 0) {
        till.coupons.push(PresentedCoupon {
            code: CouponCode::parse(&format!("ONE-{}", offer.id)).unwrap(),
            issued: Some(IssuedCoupon {
                id: CouponId(offer.id.0 * 10),
                offer_id: offer.id,
            }),
        });
    }
    till
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn applying_keeps_every_rule(
        (basket, base) in any_basket(),
        offers in any_offers(),
        customer in 1i64..1_000_000,
        purchases_before in 0i64..10,
    ) {
        let till = till(&offers, customer, purchases_before);
        let refs: Vec<&Offer> = offers.iter().map(|(o, _)| o).collect();
        let applied = apply(&refs, &till.ctx(), &basket, &base);

        // Every offer is either applied or skipped, once.
        prop_assert_eq!(applied.offers.len() + applied.skipped.len(), offers.len());
        // Lines add up to the totals, and offers to their lines.
        let sum = |f: fn(&LineOffers) -> i64| applied.lines.iter().map(f).sum::<i64>();
        prop_assert_eq!(applied.discount_minor, sum(|l| l.discount_minor));
        prop_assert_eq!(applied.points_accrued, sum(|l| l.points_accrued));
        prop_assert_eq!(applied.discount_minor, applied.offers.iter().map(|o| o.discount_minor).sum::<i64>());
        prop_assert_eq!(applied.points_accrued, applied.offers.iter().map(|o| o.points_accrued).sum::<i64>());
        for line in &applied.lines {
            prop_assert_eq!(line.discount_minor, line.offers.iter().map(|o| o.discount_minor).sum::<i64>());
            prop_assert_eq!(line.points_accrued, line.offers.iter().map(|o| o.points_accrued).sum::<i64>());
        }
        for given in &applied.offers {
            let on_lines = |f: fn(&LineOffer) -> i64| applied.lines.iter()
                .flat_map(|l| &l.offers)
                .filter(|o| o.offer_id == given.offer_id)
                .map(f)
                .sum::<i64>();
            prop_assert_eq!(given.discount_minor, on_lines(|o| o.discount_minor));
            prop_assert_eq!(given.points_accrued, on_lines(|o| o.points_accrued));
        }

        for ((given, line), base) in applied.lines.iter().zip(basket.lines()).zip(&base) {
            // No line below zero.
            prop_assert!(given.discount_minor >= 0 && given.points_accrued >= 0);
            prop_assert!(given.discount_minor <= base.payable_minor);
            for entry in &given.offers {
                prop_assert!(entry.discount_minor >= 0 && entry.points_accrued >= 0);
            }
            // Tobacco untouched.
            if till.program.excludes(&line.sku, line.category.as_deref()) {
                prop_assert!(given.offers.is_empty());
            }
            // An exclusive offer is alone on its lines.
            let exclusive = given.offers.iter().any(|entry| {
                offers.iter().any(|(o, _)| o.id == entry.offer_id && o.terms.stacking == Stacking::Exclusive)
            });
            if exclusive {
                prop_assert_eq!(given.offers.len(), 1);
            }
        }

        // No budget given is exceeded.
        for given in &applied.offers {
            let (offer, used) = offers.iter().find(|(o, _)| o.id == given.offer_id).unwrap();
            let left = offer.terms.budget.left(used);
            prop_assert!(left.money.is_none_or(|left| given.discount_minor <= left));
            prop_assert!(left.points.is_none_or(|left| given.points_accrued <= left));
            prop_assert!(given.discount_minor + given.points_accrued > 0);
        }
        let best = applied.offers.iter().filter(|given| {
            offers.iter().any(|(o, _)| o.id == given.offer_id && o.terms.stacking == Stacking::Best)
        });
        prop_assert!(best.count() <= 1);
    }

    #[test]
    fn the_order_offers_come_in_does_not_matter(
        (basket, base) in any_basket(),
        (offers, shuffled) in any_offers().prop_flat_map(|offers| {
            (Just(offers.clone()), Just(offers).prop_shuffle())
        }),
        customer in 1i64..1_000_000,
    ) {
        let till = till(&offers, customer, 4);
        let refs: Vec<&Offer> = offers.iter().map(|(o, _)| o).collect();
        let shuffled: Vec<&Offer> = shuffled.iter().map(|(o, _)| o).collect();
        prop_assert_eq!(
            apply(&refs, &till.ctx(), &basket, &base),
            apply(&shuffled, &till.ctx(), &basket, &base)
        );
    }

    #[test]
    fn a_cut_never_exceeds_what_is_left_and_still_adds_up(
        discounts in prop::collection::vec(0i64..100_000, 1..30),
        points in prop::collection::vec(0i64..100_000, 1..30),
        money_left in prop::option::of(0i64..500_000),
        points_left in prop::option::of(0i64..500_000),
    ) {
        let n = discounts.len().min(points.len());
        let effect = Effect {
            discount_minor: discounts[..n].to_vec(),
            points_accrued: points[..n].to_vec(),
        };
        let cut = effect.clone().cut(Left { points: points_left, money: money_left });
        let expect = |whole: i64, left: Option<i64>| left.map_or(whole, |left| whole.min(left));
        prop_assert_eq!(cut.discount_total(), expect(effect.discount_total(), money_left));
        prop_assert_eq!(cut.points_total(), expect(effect.points_total(), points_left));
        for i in 0..n {
            prop_assert!(0 <= cut.discount_minor[i] && cut.discount_minor[i] <= effect.discount_minor[i]);
            prop_assert!(0 <= cut.points_accrued[i] && cut.points_accrued[i] <= effect.points_accrued[i]);
        }
    }

    #[test]
    fn a_basket_priced_with_offers_adds_up_and_pays_no_line_below_zero(
        (basket, _) in any_basket(),
        offers in any_offers(),
        points_share in 0i64..=100,
    ) {
        let till = till(&offers, 7, 0);
        let pricing = crate::pricing::Pricing { program: &till.program, tier: None, points_available: None };
        let offers: Vec<&Offer> = offers.iter().map(|(o, _)| o).collect();
        let plain = crate::pricing::price(&basket, pricing, 0).unwrap();
        let (unpaid, applied) = price_with_offers(&basket, pricing, 0, &offers, &till.ctx()).unwrap();
        prop_assert_eq!(unpaid.discount_minor, plain.discount_minor + applied.discount_minor);
        let points = unpaid.points_payable_max * points_share / 100;
        let (calc, again) = price_with_offers(&basket, pricing, points, &offers, &till.ctx()).unwrap();
        prop_assert_eq!(&again, &applied);
        prop_assert_eq!(calc.points_paid, points);
        for (i, (line, priced)) in basket.lines().iter().zip(&calc.lines).enumerate() {
            prop_assert!(priced.to_pay_minor >= 0);
            prop_assert_eq!(
                line.amount_minor,
                priced.discount_minor + priced.points_paid + priced.to_pay_minor
            );
            prop_assert!(priced.points_accrued >= applied.lines[i].points_accrued);
        }
        prop_assert_eq!(calc.to_pay_minor, calc.lines.iter().map(|l| l.to_pay_minor).sum::<i64>());
        prop_assert_eq!(calc.points_accrued, calc.lines.iter().map(|l| l.points_accrued).sum::<i64>());
        prop_assert_eq!(calc.discount_minor, calc.lines.iter().map(|l| l.discount_minor).sum::<i64>());
    }
}

#[test]
fn an_id_given_twice_counts_once() {
    let bonus = offer(1, Reward::BonusPoints { points: 100 });
    let basket = Basket::parse(vec![line("a", None, 1000)]).unwrap();
    let applied = Till::new().apply(&[&bonus, &bonus], &basket);
    assert_eq!(applied.points_accrued, 100);
    assert_eq!(applied.offers.len(), 1);
    assert!(applied.skipped.is_empty());
}
