//! Applying a customer's offers to a basket (the stacking rules are in the
//! module's documentation, `offer/mod.rs`).

use jiff::civil::DateTime;

use super::budget::BudgetUsed;
use super::coupon::{PresentedCoupon, UsedCoupon};
use super::holdout::in_holdout;
use super::outcome::{Applied, Reason};
use super::reward::effect;
use super::terms::{Audience, CouponRule, Offer, Stacking};
use crate::ids::{CustomerId, OfferId, SegmentId, StoreId};
use crate::pricing::{Basket, PricedLine};
use crate::program::Program;

/// Who buys, where and when, as the caller found it.
#[derive(Debug, Clone, Copy)]
pub struct OfferContext<'a> {
    /// Its excluded categories and SKUs get nothing from any offer.
    pub program: &'a Program,
    pub customer_id: CustomerId,
    /// The segments the customer is in.
    pub segments: &'a [SegmentId],
    /// Purchases the customer made before this one.
    pub purchases_before: i64,
    /// The till's local date and time.
    pub now: DateTime,
    /// The till's store and every node above it.
    pub store_path: &'a [StoreId],
    pub coupons: &'a [PresentedCoupon],
    /// What each offer with a budget has used so far, read under lock; an
    /// offer not listed has used nothing.
    pub budgets_used: &'a [(OfferId, BudgetUsed)],
}

/// What the program does to a line before offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineBase {
    /// The most offers may take off the line: what it still costs.
    pub payable_minor: i64,
    /// The program's accrual on it, which `extra_points` multiplies.
    pub points_accrued: i64,
}

/// A line as the program priced it: offers come after.
impl From<&PricedLine> for LineBase {
    fn from(line: &PricedLine) -> LineBase {
        LineBase {
            payable_minor: line.to_pay_minor,
            points_accrued: line.points_accrued,
        }
    }
}

/// An offer that may apply: everything but stacking and budget holds.
struct Candidate<'o> {
    offer: &'o Offer,
    /// Its target's lines, excluded ones left out.
    lines: Vec<usize>,
    coupon: Option<UsedCoupon>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Free,
    /// Some `stack` or `best` offer gave something on it.
    Shared,
    /// An `exclusive` offer took it.
    Taken,
}

/// Applies `offers` to a basket whose lines the program priced as `base`
/// (one per line). Offers may come in any order; an id given twice counts
/// once.
pub fn apply(
    offers: &[&Offer],
    ctx: &OfferContext<'_>,
    basket: &Basket,
    base: &[LineBase],
) -> Applied {
    let lines = basket.lines();
    assert_eq!(base.len(), lines.len(), "one base per basket line");
    let mut order = offers.to_vec();
    order.sort_by(|a, b| {
        b.terms
            .priority
            .cmp(&a.terms.priority)
            .then(a.id.cmp(&b.id))
    });
    order.dedup_by_key(|offer| offer.id);
    let excluded: Vec<bool> = lines
        .iter()
        .map(|line| ctx.program.excludes(&line.sku, line.category.as_deref()))
        .collect();
    let admitted: Vec<(&Offer, Result<Candidate<'_>, Reason>)> = order
        .into_iter()
        .map(|offer| (offer, admit(offer, ctx, basket, &excluded)))
        .collect();

    let untouched: Vec<i64> = base.iter().map(|b| b.payable_minor.max(0)).collect();
    let budgeted = |candidate: &Candidate<'_>, left: &[i64], open: &[usize]| {
        let offer = candidate.offer;
        let wanted = effect(offer.terms.reward, basket, base, left, open);
        let given = wanted
            .clone()
            .cut(offer.terms.budget.left(&used(ctx, offer.id)));
        (wanted, given)
    };
    // The `best` offer worth most on the basket as it comes; ties go to the
    // first in order.
    let mut best: Option<(OfferId, i64)> = None;
    for candidate in admitted.iter().filter_map(|(_, c)| c.as_ref().ok()) {
        if candidate.offer.terms.stacking == Stacking::Best {
            let value = budgeted(candidate, &untouched, &candidate.lines).1.value();
            if value > best.map_or(0, |(_, v)| v) {
                best = Some((candidate.offer.id, value));
            }
        }
    }

    let mut applied = Applied::new(lines.len());
    let mut left = untouched;
    let mut claims = vec![Claim::Free; lines.len()];
    for (offer, admission) in admitted {
        let candidate = match admission {
            Ok(candidate) => candidate,
            Err(reason) => {
                applied.skip(offer, reason, false);
                continue;
            }
        };
        let stacking = offer.terms.stacking;
        if stacking == Stacking::Best && best.is_some_and(|(id, _)| id != offer.id) {
            applied.skip(offer, Reason::Outranked, candidate.coupon.is_some());
            continue;
        }
        let open: Vec<usize> = candidate
            .lines
            .iter()
            .copied()
            .filter(|&i| match stacking {
                Stacking::Exclusive => claims[i] == Claim::Free,
                Stacking::Stack | Stacking::Best => claims[i] != Claim::Taken,
            })
            .collect();
        let (wanted, given) = budgeted(&candidate, &left, &open);
        if given.value() == 0 {
            let reason = if wanted.value() > 0 {
                Reason::BudgetExhausted
            } else if open.len() < candidate.lines.len() {
                Reason::Outranked
            } else {
                Reason::NothingToGive
            };
            applied.skip(offer, reason, candidate.coupon.is_some());
            continue;
        }
        for i in 0..lines.len() {
            if given.touches(i) {
                left[i] -= given.discount_minor[i];
                claims[i] = match stacking {
                    Stacking::Exclusive => Claim::Taken,
                    Stacking::Stack | Stacking::Best => Claim::Shared,
                };
            }
        }
        applied.add(offer, &given, candidate.coupon, given != wanted);
    }
    applied
}

fn used(ctx: &OfferContext<'_>, offer: OfferId) -> BudgetUsed {
    ctx.budgets_used
        .iter()
        .find(|(id, _)| *id == offer)
        .map(|(_, used)| *used)
        .unwrap_or_default()
}

/// Checks everything that does not depend on the other offers. The
/// control group is checked last, so that those held out are exactly the
/// customers who would have got the offer.
fn admit<'o>(
    offer: &'o Offer,
    ctx: &OfferContext<'_>,
    basket: &Basket,
    excluded: &[bool],
) -> Result<Candidate<'o>, Reason> {
    let terms = &offer.terms;
    if !terms.active {
        return Err(Reason::Paused);
    }
    if let Audience::Segment(segment) = terms.audience
        && !ctx.segments.contains(&segment)
    {
        return Err(Reason::NotInAudience);
    }
    terms.schedule.check(ctx.now)?;
    if !terms.stores.is_empty() && !terms.stores.iter().any(|s| ctx.store_path.contains(s)) {
        return Err(Reason::NotInStore);
    }
    let coupon = match &terms.coupon {
        None => None,
        Some(rule) => Some(presented(rule, offer.id, ctx.coupons).ok_or(Reason::CouponMissing)?),
    };
    let matching: Vec<usize> = (0..excluded.len())
        .filter(|&i| terms.target.matches(&basket.lines()[i]))
        .collect();
    if matching.is_empty() {
        return Err(Reason::NoMatchingLines);
    }
    let lines: Vec<usize> = matching.into_iter().filter(|&i| !excluded[i]).collect();
    if lines.is_empty() {
        return Err(Reason::ExcludedCategory);
    }
    if let Some(min) = terms.condition.min_total_minor {
        let total: i64 = lines.iter().map(|&i| basket.lines()[i].amount_minor).sum();
        if total < min {
            return Err(Reason::ThresholdNotReached);
        }
    }
    if let Some(nth) = terms.condition.nth_purchase
        && !nth.is_due(ctx.purchases_before)
    {
        return Err(Reason::NotNthPurchase);
    }
    if in_holdout(offer.id, ctx.customer_id, terms.holdout_bp) {
        return Err(Reason::Holdout);
    }
    Ok(Candidate {
        offer,
        lines,
        coupon,
    })
}

/// The presented coupon that satisfies the rule: the shared code, or the
/// single-use coupon of this offer with the lowest id.
fn presented(rule: &CouponRule, offer: OfferId, coupons: &[PresentedCoupon]) -> Option<UsedCoupon> {
    match rule {
        CouponRule::Shared(code) => coupons
            .iter()
            .find(|c| c.code == *code)
            .map(|c| UsedCoupon {
                code: c.code.clone(),
                coupon_id: None,
            }),
        CouponRule::Unique => coupons
            .iter()
            .filter_map(|c| {
                c.issued
                    .filter(|issued| issued.offer_id == offer)
                    .map(|i| (i.id, c))
            })
            .min_by_key(|(id, _)| *id)
            .map(|(id, c)| UsedCoupon {
                code: c.code.clone(),
                coupon_id: Some(id),
            }),
    }
}
