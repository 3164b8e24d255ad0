//! A basket priced with the program and the customer's offers together.
//!
//! The program's discount comes first; the offers are applied to what the
//! lines cost after it, with the program's accrual as it would be on those
//! lines ([`LineBase`]); points then pay part of what is left, and the
//! program accrues on what is paid in money. An offer's points are added
//! to its lines' accrual.

use jiff::civil::Date;

use super::apply::{LineBase, OfferContext, apply};
use super::holdout::in_holdout;
use super::outcome::Applied;
use super::terms::{Audience, Offer};
use crate::ids::{CustomerId, SegmentId};
use crate::pricing::{self, Basket, Calculation, Pricing, PricingError};

/// Prices `basket` for a customer with the offers that may apply to them.
pub fn price_with_offers(
    basket: &Basket,
    pricing: Pricing<'_>,
    points_to_pay: i64,
    offers: &[&Offer],
    ctx: &OfferContext<'_>,
) -> Result<(Calculation, Applied), PricingError> {
    // No offer runs: the program alone prices the basket, once.
    if offers.is_empty() {
        let calc = pricing::price(basket, pricing, points_to_pay)?;
        return Ok((calc, Applied::new(basket.lines().len())));
    }
    let before = pricing::price(
        basket,
        Pricing {
            points_available: None,
            ..pricing
        },
        0,
    )?;
    let base: Vec<LineBase> = before.lines.iter().map(LineBase::from).collect();
    let applied = apply(offers, ctx, basket, &base);
    let offered: Vec<i64> = applied.lines.iter().map(|l| l.discount_minor).collect();
    let mut calc = pricing::price_after_offers(basket, pricing, points_to_pay, &offered)?;
    for (line, offers) in calc.lines.iter_mut().zip(&applied.lines) {
        line.points_accrued += offers.points_accrued;
    }
    calc.points_accrued = calc.lines.iter().map(|l| l.points_accrued).sum();
    Ok((calc, applied))
}

/// The offers a customer has, as a till lists them: running, for everyone
/// or a segment they are in, not ended by `today`, and not held back from
/// them as the offer's control group.
pub fn personal_offers<'o>(
    offers: &'o [Offer],
    customer: CustomerId,
    segments: &[SegmentId],
    today: Date,
) -> Vec<&'o Offer> {
    offers
        .iter()
        .filter(|offer| {
            let terms = &offer.terms;
            terms.active
                && match terms.audience {
                    Audience::Everyone => true,
                    Audience::Segment(segment) => segments.contains(&segment),
                }
                && terms.schedule.valid_to.is_none_or(|last| last >= today)
                && !in_holdout(offer.id, customer, terms.holdout_bp)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::fixtures::{Till, line, offer};
    use crate::offer::{Reward, Target};

    #[test]
    fn an_offer_discount_comes_before_points_and_the_program_accrues_on_the_rest() {
        let till = Till::new();
        let basket = Basket::parse(vec![
            line("MILK", Some("dairy"), 10_000),
            line("BREAD", None, 5_000),
        ])
        .unwrap();
        let mut milk = offer(1, Reward::PercentOff { rate_bp: 2_000 });
        milk.terms.target = Target {
            skus: vec!["MILK".into()],
            categories: vec![],
        };
        let pricing = Pricing {
            program: &till.program,
            tier: None,
            points_available: Some(1_000_000),
        };
        let (calc, applied) =
            price_with_offers(&basket, pricing, 1_000, &[&milk], &till.ctx()).unwrap();
        let plain = pricing::price(&basket, pricing, 1_000).unwrap();
        assert_eq!(applied.lines[0].discount_minor, 2_000);
        assert_eq!(
            calc.lines[0].discount_minor,
            plain.lines[0].discount_minor + 2_000
        );
        assert_eq!(calc.discount_minor, plain.discount_minor + 2_000);
        assert_eq!(calc.points_paid, 1_000);
        assert_eq!(calc.to_pay_minor, plain.to_pay_minor - 2_000);
        assert!(calc.points_accrued < plain.points_accrued);
        assert_eq!(
            calc.lines.iter().map(|l| l.to_pay_minor).sum::<i64>(),
            calc.to_pay_minor
        );
    }

    #[test]
    fn a_customer_has_the_running_offers_of_their_segments() {
        let mut everyone = offer(1, Reward::BonusPoints { points: 100 });
        everyone.terms.schedule.valid_to = Some(jiff::civil::date(2025, 3, 5));
        let mut theirs = offer(2, Reward::BonusPoints { points: 100 });
        theirs.terms.audience = Audience::Segment(SegmentId(7));
        let mut others = offer(3, Reward::BonusPoints { points: 100 });
        others.terms.audience = Audience::Segment(SegmentId(8));
        let mut paused = offer(4, Reward::BonusPoints { points: 100 });
        paused.terms.active = false;
        let offers = [everyone, theirs, others, paused];
        let ids = |today| {
            personal_offers(&offers, CustomerId(1), &[SegmentId(7)], today)
                .iter()
                .map(|o| o.id.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(jiff::civil::date(2025, 3, 5)), [1, 2]);
        assert_eq!(ids(jiff::civil::date(2025, 3, 6)), [2]);
    }

    #[test]
    fn offer_points_add_to_the_lines_accrual() {
        let till = Till::new();
        let basket = Basket::parse(vec![line("MILK", Some("dairy"), 10_000)]).unwrap();
        let double = offer(
            1,
            Reward::ExtraPoints {
                multiplier_bp: 20_000,
            },
        );
        let pricing = Pricing {
            program: &till.program,
            tier: None,
            points_available: None,
        };
        let (calc, applied) =
            price_with_offers(&basket, pricing, 0, &[&double], &till.ctx()).unwrap();
        let plain = pricing::price(&basket, pricing, 0).unwrap();
        assert!(plain.points_accrued > 0);
        assert_eq!(calc.points_accrued, plain.points_accrued * 2);
        assert_eq!(applied.points_accrued, plain.points_accrued);
    }
}
