//! Personal offers (акции) and coupons: who gets what on which lines, and
//! how offers combine. Pure: the caller loads the offers, the customer's
//! segments, the coupons presented and the budgets used (under lock), and
//! writes back what [`apply`] gives.
//!
//! # Applying offers to a basket
//!
//! 1. Offers are taken by priority, higher first, then by id, lower first;
//!    the order they are passed in does not matter.
//! 2. Each is checked on its own, the first failure giving its reason:
//!    paused, audience, period, day, hours, store, coupon, target lines
//!    (`no_matching_lines`; `excluded_category` when all it matches is
//!    excluded by the program), threshold, n-th purchase, control group.
//!    Lines the program excludes (tobacco, by law) are never an offer's,
//!    whatever it lists.
//! 3. Of the `best` offers that pass, only the one worth most to the
//!    customer on the basket as it comes (alone, within its budget) goes
//!    on; ties go to the first in order, the others are `outranked`. Worth
//!    is discount plus points, one hundredth of a point counting as the
//!    minor unit it pays at the till.
//! 4. The offers are then applied in order. A `stack` offer (and the
//!    `best` one) gives on its lines that no `exclusive` offer has taken;
//!    an `exclusive` offer gives only on its lines that no offer has given
//!    anything on yet, and takes them. An offer that comes to nothing on
//!    its open lines is `outranked` when others hold some of its lines,
//!    `nothing_to_give` otherwise.
//! 5. What an offer gives is cut to its budget ([`Budget::left`],
//!    [`Effect::cut`]); cut to nothing, it is `budget_exhausted`.
//!
//! # What each reward gives
//!
//! - `percent_off`: that share of each line's amount before loyalty,
//!   rounded down; offers that stack add up (10 % and 20 % are 30 %).
//! - `amount_off`: once per receipt, spread over the lines by what each
//!   still costs.
//! - `extra_points`: the program's accrual on each line times the
//!   multiplier less one (×2 gives as much again).
//! - `bonus_points`: once per receipt, spread by the lines' amounts.
//!
//! No discount takes a line below zero: each is capped at what the line
//! still costs after the program and the offers before it
//! ([`LineBase::payable_minor`]). Amounts spread over lines use
//! [`crate::pricing::spread`], so lines add up exactly to the totals.

mod apply;
mod budget;
mod coupon;
mod holdout;
mod input;
mod outcome;
mod reward;
mod schedule;
mod terms;
mod till;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use apply::{LineBase, OfferContext, apply};
pub use budget::{Budget, BudgetUsed, Caps, Left, Usage};
pub use coupon::{
    CouponCode, IssuedCoupon, MAX_GENERATED, PresentedCoupon, UsedCoupon, generate_codes,
};
pub use holdout::{
    GroupFigures, HoldoutComparison, MAX_HOLDOUT_BP, compare_groups, compare_members,
    compare_split, in_control, in_holdout,
};
pub use input::{MAX_LISTED, OfferInput};
pub use outcome::{Applied, AppliedOffer, LineOffer, LineOffers, Reason, SkippedOffer};
pub use reward::Effect;
pub use schedule::{Day, Hours, Schedule};
pub use terms::{
    Audience, Condition, CouponRule, NthPurchase, Offer, OfferTerms, Reward, Stacking, Target,
};
pub use till::{personal_offers, price_with_offers};
