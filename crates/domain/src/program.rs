//! Loyalty programs and tiers as data the marketer edits: the rules a
//! receipt is priced by.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::ids::{ProgramId, TierId};
use crate::validation::{FieldError, ValidationErrors};

/// Rates and shares in basis points: 500 = 5 %, 10000 = 100 %.
pub type BasisPoints = i64;

pub const WHOLE: BasisPoints = 10_000;

/// A loyalty program (программа лояльности).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub id: ProgramId,
    pub name: String,
    pub rules: ProgramRules,
    /// The program of customers identified without a card of another program.
    pub is_default: bool,
    pub tiers: Vec<Tier>,
}

/// What a program gives, and on which lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRules {
    pub kind: ProgramKind,
    /// Bonus points: points per 100 % of the money paid (500 = 5 % back).
    #[serde(default)]
    pub earn_rate_bp: BasisPoints,
    /// Bonus points: the largest share of a receipt payable with points.
    #[serde(default)]
    pub max_payable_share_bp: BasisPoints,
    /// Fixed discount: the card's one percent.
    #[serde(default)]
    pub discount_bp: BasisPoints,
    /// Lines of these categories neither earn, nor are paid with points,
    /// nor are discounted (tobacco, by law).
    #[serde(default)]
    pub excluded_categories: Vec<String>,
    #[serde(default)]
    pub excluded_skus: Vec<String>,
    /// A line whose unit price is below this is not discounted nor paid
    /// with points.
    #[serde(default)]
    pub min_price_minor: i64,
    /// Points become usable this many days after the purchase.
    #[serde(default)]
    pub accrual_delay_days: i64,
    /// Points expire this many days after they become usable; 0 = never.
    #[serde(default)]
    pub expiry_days: i64,
    /// Tiers count the spend of the last this many days; 0 = lifetime.
    #[serde(default)]
    pub tier_period_days: i64,
    /// Points given once a year for the birthday; 0 = none.
    #[serde(default)]
    pub birthday_points: i64,
    /// Given this many days before the birthday (0: on the day).
    #[serde(default)]
    pub birthday_days_before: i64,
    /// The message that goes with them.
    #[serde(default)]
    pub birthday_message: String,
    /// Points the referrer gets when the customer they referred first buys.
    #[serde(default)]
    pub referral_points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    /// Бонусная: points earned on purchases, paid back at the till.
    Bonus,
    /// Накопительная скидка: a percent by the total spent, in steps (tiers).
    CumulativeDiscount,
    /// Фиксированная скидка: one percent for the card.
    FixedDiscount,
}

/// A step of a program, reached by spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub id: TierId,
    pub name: String,
    /// The spend (minor units) from which the tier applies.
    pub threshold_minor: i64,
    /// Bonus programs: the tier's own earn rate instead of the program's.
    pub earn_rate_bp: Option<BasisPoints>,
    /// Discount programs: the tier's discount.
    pub discount_bp: Option<BasisPoints>,
}

/// A tier by id and the name a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedTier {
    pub id: TierId,
    pub name: String,
}

/// The rates that price one customer's receipt: the program's, overridden
/// by the customer's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub earn_bp: BasisPoints,
    pub discount_bp: BasisPoints,
    pub max_payable_share_bp: BasisPoints,
}

impl Program {
    pub fn rates(&self, tier: Option<&Tier>) -> Rates {
        let rules = &self.rules;
        match rules.kind {
            ProgramKind::Bonus => Rates {
                earn_bp: tier
                    .and_then(|t| t.earn_rate_bp)
                    .unwrap_or(rules.earn_rate_bp),
                discount_bp: 0,
                max_payable_share_bp: rules.max_payable_share_bp,
            },
            ProgramKind::CumulativeDiscount => Rates {
                earn_bp: 0,
                discount_bp: tier.and_then(|t| t.discount_bp).unwrap_or(0),
                max_payable_share_bp: 0,
            },
            ProgramKind::FixedDiscount => Rates {
                earn_bp: 0,
                discount_bp: rules.discount_bp,
                max_payable_share_bp: 0,
            },
        }
    }

    /// The highest tier whose threshold the spend reaches.
    pub fn tier_for_spend(&self, spent_minor: i64) -> Option<&Tier> {
        self.tiers
            .iter()
            .filter(|tier| tier.threshold_minor <= spent_minor)
            .max_by_key(|tier| tier.threshold_minor)
    }

    pub fn tier(&self, id: TierId) -> Option<&Tier> {
        self.tiers.iter().find(|tier| tier.id == id)
    }

    /// When points accrued at `at` become usable, and when they expire.
    pub fn lot_times(&self, at: Timestamp) -> (Timestamp, Option<Timestamp>) {
        let day = |days: i64| SignedDuration::from_hours(24 * days);
        let usable_from = at
            .saturating_add(day(self.rules.accrual_delay_days))
            .unwrap_or(at);
        let expires_at = (self.rules.expiry_days > 0)
            .then(|| usable_from.saturating_add(day(self.rules.expiry_days)).ok())
            .flatten();
        (usable_from, expires_at)
    }

    /// When points given rather than earned (by hand, paid back by a
    /// return, by a job) expire: they are usable at once and kept as long
    /// as earned ones are.
    pub fn given_lot_times(&self, at: Timestamp) -> Option<Timestamp> {
        let day = SignedDuration::from_hours(24 * self.rules.expiry_days);
        (self.rules.expiry_days > 0)
            .then(|| at.saturating_add(day).ok())
            .flatten()
    }

    /// Whether a line of this SKU and category takes part in the program.
    pub fn excludes(&self, sku: &str, category: Option<&str>) -> bool {
        self.rules.excluded_skus.iter().any(|s| s == sku)
            || category.is_some_and(|c| self.rules.excluded_categories.iter().any(|e| e == c))
    }
}

impl ProgramRules {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut share = |field: &str, value: BasisPoints| {
            if !(0..=WHOLE).contains(&value) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    "must be between 0 and 10000 (basis points: 500 = 5 %)",
                ));
            }
        };
        share("earn_rate_bp", self.earn_rate_bp);
        share("max_payable_share_bp", self.max_payable_share_bp);
        share("discount_bp", self.discount_bp);
        for (field, value) in [
            ("birthday_points", self.birthday_points),
            ("birthday_days_before", self.birthday_days_before),
            ("referral_points", self.referral_points),
            ("min_price_minor", self.min_price_minor),
            ("accrual_delay_days", self.accrual_delay_days),
            ("expiry_days", self.expiry_days),
            ("tier_period_days", self.tier_period_days),
        ] {
            if value < 0 {
                errors.push(FieldError::new(field, "negative", "must not be negative"));
            }
        }
        for (field, value) in [
            ("accrual_delay_days", self.accrual_delay_days),
            ("expiry_days", self.expiry_days),
            ("tier_period_days", self.tier_period_days),
        ] {
            if value > 36_600 {
                errors.push(FieldError::new(field, "too_large", "at most 100 years"));
            }
        }
        if self.birthday_days_before > 31 {
            errors.push(FieldError::new(
                "birthday_days_before",
                "too_large",
                "at most 31 days before",
            ));
        }
        if self.birthday_message.chars().count() > 1000 {
            errors.push(FieldError::new(
                "birthday_message",
                "too_long",
                "at most 1000 characters",
            ));
        }
        errors.finish(|| ())
    }
}

/// Checks a program's tiers: named, thresholds distinct and not negative,
/// rates within 0–100 %.
pub fn validate_tiers(tiers: &[Tier]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    for (i, tier) in tiers.iter().enumerate() {
        let at = |field: &str| format!("tiers[{i}].{field}");
        if tier.name.trim().is_empty() {
            errors.push(FieldError::new(
                at("name"),
                "required",
                "a tier needs a name",
            ));
        }
        if tier.threshold_minor < 0 {
            errors.push(FieldError::new(
                at("threshold_minor"),
                "negative",
                "must not be negative",
            ));
        }
        if tiers[..i]
            .iter()
            .any(|t| t.threshold_minor == tier.threshold_minor)
        {
            errors.push(FieldError::new(
                at("threshold_minor"),
                "duplicate",
                "two tiers cannot start at the same spend",
            ));
        }
        for (field, rate) in [
            ("earn_rate_bp", tier.earn_rate_bp),
            ("discount_bp", tier.discount_bp),
        ] {
            if rate.is_some_and(|r| !(0..=WHOLE).contains(&r)) {
                errors.push(FieldError::new(
                    at(field),
                    "out_of_range",
                    "must be between 0 and 10000",
                ));
            }
        }
    }
    errors.finish(|| ())
}
