//! What applying offers to a basket comes to: per offer, per line, in
//! total, and why the offers that did not apply did not.

use serde::{Deserialize, Serialize};

use super::budget::Budget;
use super::coupon::UsedCoupon;
use super::reward::Effect;
use super::terms::Offer;
use crate::ids::OfferId;

/// Why an offer gave nothing. The codes ([`Reason::as_str`], which is also
/// how it serialises) are part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Paused,
    NotInAudience,
    NotInPeriod,
    NotOnThisDay,
    OutsideHours,
    NotInStore,
    CouponMissing,
    NoMatchingLines,
    /// Its only lines are of categories or SKUs the program excludes.
    ExcludedCategory,
    ThresholdNotReached,
    NotNthPurchase,
    /// In the offer's control group.
    Holdout,
    /// Another offer took its lines (`exclusive`), or was worth more (`best`).
    Outranked,
    BudgetExhausted,
    /// It applies, but comes to zero here (lines already free, no points to
    /// multiply).
    NothingToGive,
}

impl Reason {
    /// Whether the cashier can do something about it, or should tell the
    /// customer: a coupon to ask for, more to buy, an offer whose budget
    /// ran out. The rest (not today, not here, not for this basket, not
    /// theirs, beaten by a better one) would only fill the till's screen;
    /// an offer beaten whose coupon was presented is told
    /// ([`SkippedOffer::tells_the_till`]).
    pub fn tells_the_till(self) -> bool {
        matches!(
            self,
            Reason::CouponMissing
                | Reason::ThresholdNotReached
                | Reason::ExcludedCategory
                | Reason::BudgetExhausted
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Paused => "paused",
            Reason::NotInAudience => "not_in_audience",
            Reason::NotInPeriod => "not_in_period",
            Reason::NotOnThisDay => "not_on_this_day",
            Reason::OutsideHours => "outside_hours",
            Reason::NotInStore => "not_in_store",
            Reason::CouponMissing => "coupon_missing",
            Reason::NoMatchingLines => "no_matching_lines",
            Reason::ExcludedCategory => "excluded_category",
            Reason::ThresholdNotReached => "threshold_not_reached",
            Reason::NotNthPurchase => "not_nth_purchase",
            Reason::Holdout => "holdout",
            Reason::Outranked => "outranked",
            Reason::BudgetExhausted => "budget_exhausted",
            Reason::NothingToGive => "nothing_to_give",
        }
    }
}

/// The offers' part of a receipt. Each line's figures are the sums of its
/// offers', each offer's the sums of its lines', the totals the sums of
/// either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// In the order they were applied.
    pub offers: Vec<AppliedOffer>,
    /// One per basket line, in the basket's order.
    pub lines: Vec<LineOffers>,
    /// In the order they were considered.
    pub skipped: Vec<SkippedOffer>,
    pub discount_minor: i64,
    pub points_accrued: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedOffer {
    pub offer_id: OfferId,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
    pub coupon: Option<UsedCoupon>,
    /// Less than the offer gives, for its budget ran short.
    pub cut_by_budget: bool,
    /// The offer's caps, which the commit checks again under lock.
    pub budget: Budget,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineOffers {
    pub discount_minor: i64,
    pub points_accrued: i64,
    pub offers: Vec<LineOffer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineOffer {
    pub offer_id: OfferId,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedOffer {
    pub offer_id: OfferId,
    /// Kept for the offers the till is told of.
    pub name: Option<String>,
    pub reason: Reason,
    /// The customer presented its coupon.
    pub coupon_presented: bool,
}

impl SkippedOffer {
    /// Whether the till is told of it: for its reason, or because the
    /// customer presented its coupon and will ask why it gave nothing.
    pub fn tells_the_till(&self) -> bool {
        self.reason.tells_the_till() || (self.coupon_presented && self.reason == Reason::Outranked)
    }
}

impl Applied {
    pub(super) fn new(lines: usize) -> Applied {
        Applied {
            lines: vec![LineOffers::default(); lines],
            ..Applied::default()
        }
    }

    pub(super) fn skip(&mut self, offer: &Offer, reason: Reason, coupon_presented: bool) {
        let mut skipped = SkippedOffer {
            offer_id: offer.id,
            name: None,
            reason,
            coupon_presented,
        };
        if skipped.tells_the_till() {
            skipped.name = Some(offer.terms.name.clone());
        }
        self.skipped.push(skipped);
    }

    pub(super) fn add(
        &mut self,
        offer: &Offer,
        effect: &Effect,
        coupon: Option<UsedCoupon>,
        cut_by_budget: bool,
    ) {
        for (i, line) in self.lines.iter_mut().enumerate() {
            if effect.touches(i) {
                let (discount_minor, points_accrued) =
                    (effect.discount_minor[i], effect.points_accrued[i]);
                line.discount_minor += discount_minor;
                line.points_accrued += points_accrued;
                line.offers.push(LineOffer {
                    offer_id: offer.id,
                    name: offer.terms.name.clone(),
                    discount_minor,
                    points_accrued,
                });
            }
        }
        let (discount_minor, points_accrued) = (effect.discount_total(), effect.points_total());
        self.discount_minor += discount_minor;
        self.points_accrued += points_accrued;
        self.offers.push(AppliedOffer {
            offer_id: offer.id,
            name: offer.terms.name.clone(),
            discount_minor,
            points_accrued,
            coupon,
            cut_by_budget,
            budget: offer.terms.budget,
        });
    }
}

#[cfg(test)]
mod tests {
    use serde::de::value::{Error, StrDeserializer};

    use super::*;

    #[test]
    fn a_reason_is_written_as_its_code() {
        let all = [
            Reason::Paused,
            Reason::NotInAudience,
            Reason::NotInPeriod,
            Reason::NotOnThisDay,
            Reason::OutsideHours,
            Reason::NotInStore,
            Reason::CouponMissing,
            Reason::NoMatchingLines,
            Reason::ExcludedCategory,
            Reason::ThresholdNotReached,
            Reason::NotNthPurchase,
            Reason::Holdout,
            Reason::Outranked,
            Reason::BudgetExhausted,
            Reason::NothingToGive,
        ];
        for reason in all {
            let read = Reason::deserialize(StrDeserializer::<Error>::new(reason.as_str()));
            assert_eq!(read, Ok(reason));
        }
    }
}
