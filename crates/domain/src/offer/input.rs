//! An offer as the marketer sends it, checked field by field into
//! [`OfferTerms`].

use jiff::civil::{Date, Time};

use super::budget::{Budget, Caps};
use super::coupon::CouponCode;
use super::holdout::MAX_HOLDOUT_BP;
use super::schedule::{Day, Hours, Schedule};
use super::terms::{
    Audience, Condition, CouponRule, NthPurchase, OfferTerms, Reward, Stacking, Target,
};
use crate::ids::{SegmentId, StoreId};
use crate::pricing::MAX_AMOUNT_MINOR;
use crate::program::WHOLE;
use crate::validation::{FieldError, ValidationErrors};

/// The most SKUs, categories or stores one offer may list.
pub const MAX_LISTED: usize = 1000;
/// The largest multiplier: ×10.
const MAX_MULTIPLIER_BP: i64 = 10 * WHOLE;
/// The most points one offer gives a receipt: a million (in hundredths).
const MAX_BONUS_POINTS: i64 = 100_000_000;
const MAX_PRIORITY: i64 = 1_000_000;
/// The largest budget cap, points or minor units.
const MAX_CAP: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub name: String,
    /// `None`: everyone.
    pub segment_id: Option<SegmentId>,
    pub active: bool,
    /// `YYYY-MM-DD`, inclusive.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub store_ids: Vec<StoreId>,
    /// `monday` … `sunday`; none: every day.
    pub days: Vec<String>,
    /// `HH:MM`, local; both or neither.
    pub hours_from: Option<String>,
    pub hours_to: Option<String>,
    pub priority: i64,
    /// `stack` (when absent), `exclusive` or `best`.
    pub stacking: Option<String>,
    /// `extra_points` (value: multiplier in basis points), `bonus_points`
    /// (hundredths of a point), `percent_off` (basis points) or
    /// `amount_off` (minor units).
    pub reward: String,
    pub reward_value: i64,
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub min_total_minor: Option<i64>,
    pub nth_purchase: Option<i64>,
    /// Every n-th purchase rather than only the n-th.
    pub every_nth: bool,
    /// `shared` (with `coupon_code`) or `unique`; `None`: no coupon.
    pub coupon: Option<String>,
    pub coupon_code: Option<String>,
    pub budget: Budget,
    pub holdout_bp: i64,
}

impl OfferInput {
    pub fn validate(self) -> Result<OfferTerms, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = crate::text::clean_name(&self.name, 200);
        if name.is_none() {
            errors.push(FieldError::new(
                "name",
                "required",
                "a name is required (up to 200 characters)",
            ));
        }
        let schedule = schedule(&self, &mut errors);
        let condition = condition(&self, &mut errors);
        let stacking = match self.stacking.as_deref() {
            None => Some(Stacking::Stack),
            Some(raw) => errors.take(
                Stacking::parse(raw).ok_or_else(|| invalid("stacking", raw, Stacking::NAMES)),
            ),
        };
        let reward = errors.take(reward(&self.reward, self.reward_value));
        let target = Target {
            skus: listed(&mut errors, "skus", self.skus),
            categories: listed(&mut errors, "categories", self.categories),
        };
        let coupon = errors.take(coupon(self.coupon.as_deref(), self.coupon_code.as_deref()));
        within(
            &mut errors,
            "priority",
            self.priority,
            -MAX_PRIORITY,
            MAX_PRIORITY,
        );
        within(
            &mut errors,
            "holdout_bp",
            self.holdout_bp,
            0,
            MAX_HOLDOUT_BP,
        );
        if self.holdout_bp > 0 && matches!(coupon, Some(Some(_))) {
            errors.push(FieldError::new(
                "holdout_bp",
                "not_applicable",
                "an offer asking for a coupon keeps no control group: the coupon promised it",
            ));
        }
        check_budget(&mut errors, &self.budget, reward);
        let mut stores = self.store_ids;
        stores.sort_unstable();
        stores.dedup();
        if stores.len() > MAX_LISTED {
            errors.push(FieldError::new(
                "store_ids",
                "too_many",
                format!("at most {MAX_LISTED} stores"),
            ));
        }
        errors.finish(|| OfferTerms {
            name: name.expect("checked"),
            audience: self
                .segment_id
                .map_or(Audience::Everyone, Audience::Segment),
            active: self.active,
            schedule: schedule.expect("checked"),
            stores,
            priority: self.priority as i32,
            stacking: stacking.expect("checked"),
            reward: reward.expect("checked"),
            target,
            condition,
            coupon: coupon.expect("checked"),
            budget: self.budget,
            holdout_bp: self.holdout_bp,
        })
    }
}

fn schedule(input: &OfferInput, errors: &mut ValidationErrors) -> Option<Schedule> {
    let date = |field: &str, raw: &Option<String>| -> Result<Option<Date>, FieldError> {
        raw.as_deref()
            .map(|raw| {
                raw.trim().parse::<Date>().map_err(|_| {
                    FieldError::new(field, "invalid_date", "a date is written YYYY-MM-DD")
                })
            })
            .transpose()
    };
    // Exactly `HH:MM`: what the API document and the console's field say.
    let time = |field: &str, raw: &str| {
        let raw = raw.trim();
        let shaped = raw.len() == 5
            && raw.as_bytes()[2] == b':'
            && raw
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_digit());
        shaped
            .then(|| raw.parse::<Time>().ok())
            .flatten()
            .ok_or_else(|| FieldError::new(field, "invalid_time", "a time is written HH:MM"))
    };
    let valid_from = errors.take(date("valid_from", &input.valid_from));
    let valid_to = errors.take(date("valid_to", &input.valid_to));
    if let (Some(Some(from)), Some(Some(to))) = (valid_from, valid_to)
        && from > to
    {
        errors.push(FieldError::new(
            "valid_to",
            "before_start",
            "the last day comes before the first",
        ));
    }
    let hours = match (input.hours_from.as_deref(), input.hours_to.as_deref()) {
        (None, None) => Some(None),
        (Some(from), Some(to)) => match (
            errors.take(time("hours_from", from)),
            errors.take(time("hours_to", to)),
        ) {
            (Some(from), Some(to)) if from == to => {
                errors.push(FieldError::new(
                    "hours_to",
                    "empty_window",
                    "the hours end when they start; leave both out for all day",
                ));
                None
            }
            (Some(from), Some(to)) => Some(Some(Hours { from, to })),
            _ => None,
        },
        (from, _) => {
            let missing = if from.is_none() {
                "hours_from"
            } else {
                "hours_to"
            };
            errors.push(FieldError::new(
                missing,
                "required",
                "hours need both a start and an end",
            ));
            None
        }
    };
    let mut days = Vec::with_capacity(input.days.len());
    for (i, raw) in input.days.iter().enumerate() {
        let day = Day::parse(raw).ok_or_else(|| invalid(&format!("days[{i}]"), raw, Day::NAMES));
        days.extend(errors.take(day));
    }
    days.sort_unstable();
    days.dedup();
    Some(Schedule {
        valid_from: valid_from?,
        valid_to: valid_to?,
        days,
        hours: hours?,
    })
}

fn condition(input: &OfferInput, errors: &mut ValidationErrors) -> Condition {
    if let Some(min) = input.min_total_minor {
        within(errors, "min_total_minor", min, 1, MAX_AMOUNT_MINOR);
    }
    if let Some(n) = input.nth_purchase {
        within(errors, "nth_purchase", n, 1, 10_000);
    } else if input.every_nth {
        errors.push(FieldError::new(
            "every_nth",
            "not_applicable",
            "every n-th purchase needs nth_purchase",
        ));
    }
    Condition {
        min_total_minor: input.min_total_minor,
        nth_purchase: input.nth_purchase.map(|n| NthPurchase {
            n,
            repeat: input.every_nth,
        }),
    }
}

fn reward(kind: &str, value: i64) -> Result<Reward, FieldError> {
    let (reward, min, max) = match kind.trim() {
        "extra_points" => (
            Reward::ExtraPoints {
                multiplier_bp: value,
            },
            WHOLE + 1,
            MAX_MULTIPLIER_BP,
        ),
        "bonus_points" => (Reward::BonusPoints { points: value }, 1, MAX_BONUS_POINTS),
        "percent_off" => (Reward::PercentOff { rate_bp: value }, 1, WHOLE),
        "amount_off" => (
            Reward::AmountOff {
                amount_minor: value,
            },
            1,
            MAX_AMOUNT_MINOR,
        ),
        _ => return Err(invalid("reward", kind, Reward::NAMES)),
    };
    if (min..=max).contains(&value) {
        Ok(reward)
    } else {
        Err(range_error("reward_value", min, max))
    }
}

fn coupon(kind: Option<&str>, code: Option<&str>) -> Result<Option<CouponRule>, FieldError> {
    match (kind.map(str::trim), code) {
        (None, None) => Ok(None),
        (Some("shared"), Some(code)) => Ok(Some(CouponRule::Shared(CouponCode::parse(code)?))),
        (Some("shared"), None) => Err(FieldError::new(
            "coupon_code",
            "required",
            "a shared coupon needs its code",
        )),
        (Some("unique"), None) => Ok(Some(CouponRule::Unique)),
        (None | Some("unique"), Some(_)) => Err(FieldError::new(
            "coupon_code",
            "not_applicable",
            "only a shared coupon has a code of its own",
        )),
        (Some(other), _) => Err(invalid("coupon", other, &["shared", "unique"])),
    }
}

/// A points cap on an offer of money (or the other way round) could never
/// bind: it is refused rather than silently ignored.
fn check_budget(errors: &mut ValidationErrors, budget: &Budget, reward: Option<Reward>) {
    for (field, caps) in [
        ("budget.points", budget.points),
        ("budget.money", budget.money),
    ] {
        let Caps {
            total,
            per_customer,
            per_day,
            per_month,
        } = caps;
        for (name, cap) in [
            ("total", total),
            ("per_customer", per_customer),
            ("per_day", per_day),
            ("per_month", per_month),
        ] {
            if let Some(cap) = cap {
                within(errors, &format!("{field}.{name}"), cap, 1, MAX_CAP);
            }
        }
    }
    if let Some(reward) = reward {
        let (unused, field) = if reward.gives_points() {
            (budget.money, "budget.money")
        } else {
            (budget.points, "budget.points")
        };
        if !unused.is_unlimited() {
            errors.push(FieldError::new(
                field,
                "not_applicable",
                "this offer gives no such thing to cap",
            ));
        }
    }
}

/// Trimmed, without blanks or repeats, at most [`MAX_LISTED`].
fn listed(errors: &mut ValidationErrors, field: &str, raw: Vec<String>) -> Vec<String> {
    let mut items: Vec<String> = Vec::with_capacity(raw.len());
    for (i, item) in raw.into_iter().enumerate() {
        let item = item.trim();
        if item.is_empty() || item.chars().count() > 200 {
            errors.push(FieldError::new(
                format!("{field}[{i}]"),
                "invalid_value",
                "each entry is 1 to 200 characters",
            ));
        } else if !items.iter().any(|seen| seen == item) {
            items.push(item.to_owned());
        }
    }
    if items.len() > MAX_LISTED {
        errors.push(FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_LISTED} entries"),
        ));
    }
    items
}

fn invalid(field: &str, raw: &str, names: &[&str]) -> FieldError {
    FieldError::new(
        field,
        "invalid_value",
        format!("«{}» is not one of: {}", raw.trim(), names.join(", ")),
    )
}

fn within(errors: &mut ValidationErrors, field: &str, value: i64, min: i64, max: i64) {
    if !(min..=max).contains(&value) {
        errors.push(range_error(field, min, max));
    }
}

fn range_error(field: &str, min: i64, max: i64) -> FieldError {
    FieldError::new(
        field,
        "out_of_range",
        format!("must be between {min} and {max}"),
    )
}
