//! What an offer is: who gets it, when and where, what it gives and on
//! which lines, and how it combines with other offers.

use serde::{Deserialize, Serialize};

use super::budget::Budget;
use super::coupon::CouponCode;
use super::schedule::Schedule;
use crate::ids::{OfferId, SegmentId, StoreId};
use crate::pricing::BasketLine;
use crate::program::BasisPoints;

/// A stored offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    #[serde(flatten)]
    pub terms: OfferTerms,
}

/// An offer's checked terms, as [`super::OfferInput::validate`] gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferTerms {
    pub name: String,
    pub audience: Audience,
    /// A paused offer is kept but gives nothing.
    pub active: bool,
    pub schedule: Schedule,
    /// Nodes of the store hierarchy it runs in; empty: everywhere.
    pub stores: Vec<StoreId>,
    /// Higher first; equal priorities go by offer id, lower first.
    pub priority: i32,
    pub stacking: Stacking,
    pub reward: Reward,
    pub target: Target,
    pub condition: Condition,
    pub coupon: Option<CouponRule>,
    pub budget: Budget,
    /// The share of the audience kept as a control group (0–5000).
    pub holdout_bp: BasisPoints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "segment_id")]
pub enum Audience {
    Everyone,
    Segment(SegmentId),
}

impl Audience {
    /// The segment the offer is for; none when it is for everyone.
    pub fn segment(self) -> Option<SegmentId> {
        match self {
            Audience::Everyone => None,
            Audience::Segment(segment) => Some(segment),
        }
    }
}

/// How an offer combines with the others that apply to the same receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stacking {
    /// Adds to the others on the same lines.
    Stack,
    /// Takes its lines: no other offer gives anything on them.
    Exclusive,
    /// Only the one worth most to the customer among the `best` offers.
    Best,
}

impl Stacking {
    pub const NAMES: &'static [&'static str] = &["stack", "exclusive", "best"];

    pub fn parse(raw: &str) -> Option<Stacking> {
        match raw.trim() {
            "stack" => Some(Stacking::Stack),
            "exclusive" => Some(Stacking::Exclusive),
            "best" => Some(Stacking::Best),
            _ => None,
        }
    }
}

/// What an offer gives on its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reward {
    /// The program's accrual on each line, times this (20000 = ×2: as
    /// much again on top).
    ExtraPoints { multiplier_bp: BasisPoints },
    /// Points (hundredths) once per receipt, spread over the lines.
    BonusPoints { points: i64 },
    /// A percent of each line's amount before loyalty.
    PercentOff { rate_bp: BasisPoints },
    /// An amount once per receipt, spread over the lines.
    AmountOff { amount_minor: i64 },
}

impl Reward {
    pub const NAMES: &'static [&'static str] =
        &["extra_points", "bonus_points", "percent_off", "amount_off"];

    /// Points rather than money.
    pub fn gives_points(self) -> bool {
        matches!(
            self,
            Reward::ExtraPoints { .. } | Reward::BonusPoints { .. }
        )
    }
}

/// The lines an offer is about: those of the SKUs or of the categories
/// listed; nothing listed means the whole basket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub skus: Vec<String>,
    pub categories: Vec<String>,
}

impl Target {
    pub fn matches(&self, line: &BasketLine) -> bool {
        (self.skus.is_empty() && self.categories.is_empty())
            || self.skus.contains(&line.sku)
            || line
                .category
                .as_ref()
                .is_some_and(|c| self.categories.contains(c))
    }
}

/// What the receipt or the customer must reach; both may be set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The target's lines must cost at least this before loyalty.
    pub min_total_minor: Option<i64>,
    pub nth_purchase: Option<NthPurchase>,
}

/// The customer's n-th purchase, or every n-th one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NthPurchase {
    pub n: i64,
    pub repeat: bool,
}

impl NthPurchase {
    /// Whether the purchase after `before` earlier ones is the one.
    pub fn is_due(self, before: i64) -> bool {
        let this = before.saturating_add(1);
        if self.repeat {
            this % self.n == 0
        } else {
            this == self.n
        }
    }
}

/// The coupon an offer asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "code")]
pub enum CouponRule {
    /// One code for everybody, as printed on a flyer.
    Shared(CouponCode),
    /// Codes issued one per customer, each good once (see [`super::generate_codes`]).
    Unique,
}
