//! The offer's form as typed: blank, filled from a kept offer, and read
//! into the terms the use case checks. Figures are typed as people write
//! them (a multiplier `1,5`, points `50`, `10` %, `1 500` ₽) and each that
//! is not a figure is refused beside its field; the domain's refusals are
//! put beside the fields they name, in the reader's words.

use std::collections::BTreeMap;

use clientele_app::KeptOffer;
use clientele_domain::offer::{Audience, Budget, Caps, CouponRule, OfferInput, Reward};
use clientele_domain::{FieldError, SegmentId, StoreId};
use serde::Deserialize;

use super::said::{day_code, multiplier, stacking_code};
use crate::console::kit::{Reader, Words, money_field, percent_field};

/// The budget's fields: `budget_<points|money>_<cap>`.
pub const CAPS: [&str; 4] = ["total", "per_customer", "per_day", "per_month"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub version: String,
    pub name: String,
    /// Empty: everyone.
    pub segment_id: String,
    /// A tick-box: present when ticked.
    pub active: Option<String>,
    pub valid_from: String,
    pub valid_to: String,
    pub store_ids: Vec<String>,
    pub days: Vec<String>,
    pub hours_from: String,
    pub hours_to: String,
    pub priority: String,
    pub stacking: String,
    pub reward: String,
    /// A multiplier, points, a percent or roubles, as `reward` says.
    pub reward_value: String,
    /// Comma- or line-separated.
    pub skus: String,
    pub categories: String,
    /// Roubles.
    pub min_total_minor: String,
    pub nth_purchase: String,
    pub every_nth: Option<String>,
    /// Empty: no coupon; `shared` or `unique`.
    pub coupon: String,
    pub coupon_code: String,
    pub budget_points_total: String,
    pub budget_points_per_customer: String,
    pub budget_points_per_day: String,
    pub budget_points_per_month: String,
    pub budget_money_total: String,
    pub budget_money_per_customer: String,
    pub budget_money_per_day: String,
    pub budget_money_per_month: String,
    /// A percent of the audience.
    pub holdout_bp: String,
}

impl Draft {
    pub fn blank() -> Draft {
        Draft {
            active: Some("on".into()),
            priority: "0".into(),
            stacking: "stack".into(),
            reward: "extra_points".into(),
            ..Draft::default()
        }
    }

    /// A kept offer's terms as they go back into the form.
    pub fn of(kept: &KeptOffer, w: &Words) -> Draft {
        let t = &kept.offer.terms;
        let (reward, value) = match t.reward {
            Reward::ExtraPoints { multiplier_bp } => ("extra_points", multiplier(w, multiplier_bp)),
            Reward::BonusPoints { points } => ("bonus_points", money_field(w, points)),
            Reward::PercentOff { rate_bp } => ("percent_off", percent_field(w, rate_bp)),
            Reward::AmountOff { amount_minor } => ("amount_off", money_field(w, amount_minor)),
        };
        let (coupon, coupon_code) = match &t.coupon {
            None => ("", String::new()),
            Some(CouponRule::Unique) => ("unique", String::new()),
            Some(CouponRule::Shared(code)) => ("shared", code.as_str().to_owned()),
        };
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let clock = |t: jiff::civil::Time| format!("{:02}:{:02}", t.hour(), t.minute());
        let hours = t.schedule.hours;
        let cap = |c: Option<i64>| c.map(|c| money_field(w, c)).unwrap_or_default();
        let (p, m) = (t.budget.points, t.budget.money);
        Draft {
            version: kept.version.to_string(),
            name: t.name.clone(),
            segment_id: match t.audience {
                Audience::Everyone => String::new(),
                Audience::Segment(s) => s.0.to_string(),
            },
            active: t.active.then(|| "on".into()),
            valid_from: date(t.schedule.valid_from),
            valid_to: date(t.schedule.valid_to),
            store_ids: t.stores.iter().map(|s| s.0.to_string()).collect(),
            days: (t.schedule.days.iter())
                .map(|d| day_code(*d).to_owned())
                .collect(),
            hours_from: hours.map(|h| clock(h.from)).unwrap_or_default(),
            hours_to: hours.map(|h| clock(h.to)).unwrap_or_default(),
            priority: t.priority.to_string(),
            stacking: stacking_code(t.stacking).to_owned(),
            reward: reward.to_owned(),
            reward_value: value,
            skus: t.target.skus.join(", "),
            categories: (t.target.categories.iter())
                .map(|c| w.category(c))
                .collect::<Vec<_>>()
                .join(", "),
            min_total_minor: cap(t.condition.min_total_minor),
            nth_purchase: (t.condition.nth_purchase)
                .map(|n| n.n.to_string())
                .unwrap_or_default(),
            every_nth: (t.condition.nth_purchase)
                .is_some_and(|n| n.repeat)
                .then(|| "on".into()),
            coupon: coupon.to_owned(),
            coupon_code,
            budget_points_total: cap(p.total),
            budget_points_per_customer: cap(p.per_customer),
            budget_points_per_day: cap(p.per_day),
            budget_points_per_month: cap(p.per_month),
            budget_money_total: cap(m.total),
            budget_money_per_customer: cap(m.per_customer),
            budget_money_per_day: cap(m.per_day),
            budget_money_per_month: cap(m.per_month),
            holdout_bp: match t.holdout_bp {
                0 => String::new(),
                bp => percent_field(w, bp),
            },
        }
    }

    /// A plain input's value by its name.
    pub fn value(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "priority" => &self.priority,
            "valid_from" => &self.valid_from,
            "valid_to" => &self.valid_to,
            "hours_from" => &self.hours_from,
            "hours_to" => &self.hours_to,
            "min_total_minor" => &self.min_total_minor,
            "nth_purchase" => &self.nth_purchase,
            "coupon_code" => &self.coupon_code,
            "holdout_bp" => &self.holdout_bp,
            _ => "",
        }
    }

    /// A budget field by its cap's name.
    pub fn cap(&self, money: bool, name: &str) -> &str {
        match (money, name) {
            (false, "total") => &self.budget_points_total,
            (false, "per_customer") => &self.budget_points_per_customer,
            (false, "per_day") => &self.budget_points_per_day,
            (false, "per_month") => &self.budget_points_per_month,
            (true, "total") => &self.budget_money_total,
            (true, "per_customer") => &self.budget_money_per_customer,
            (true, "per_day") => &self.budget_money_per_day,
            (true, "per_month") => &self.budget_money_per_month,
            _ => "",
        }
    }

    /// The terms as typed, and the fields that are not figures, each with
    /// its error; with any such error, the domain's own refusals of the
    /// other fields too, so that every mistake shows at once.
    pub fn input(&self, w: &Words) -> (OfferInput, BTreeMap<String, String>) {
        let mut read = Reader::new(w);
        let text = |raw: &str| Some(raw.trim().to_owned()).filter(|t| !t.is_empty());
        let segment_id = match self.segment_id.trim() {
            "" => None,
            raw => raw.parse().ok().map(SegmentId).or_else(|| {
                read.refuse("segment_id", "offer-error-pick");
                None
            }),
        };
        let reward_value = match self.reward.as_str() {
            "extra_points" => times(&self.reward_value).or_else(|| {
                read.refuse("reward_value", "offer-error-times");
                None
            }),
            _ => read.hundredths("reward_value", &self.reward_value),
        };
        if self.reward_value.trim().is_empty() {
            read.refuse("reward_value", "error-required");
        }
        let priority = match self.priority.trim() {
            "" => Some(0),
            raw => raw.replace('\u{2212}', "-").parse().ok(),
        };
        if priority.is_none() {
            read.refuse("priority", "offer-error-priority");
        }
        let caps = |read: &mut Reader, money: bool| {
            let kind = if money { "money" } else { "points" };
            let mut cap = |name: &str| {
                read.hundredths(&format!("budget_{kind}_{name}"), self.cap(money, name))
            };
            Caps {
                total: cap("total"),
                per_customer: cap("per_customer"),
                per_day: cap("per_day"),
                per_month: cap("per_month"),
            }
        };
        let budget = Budget {
            points: caps(&mut read, false),
            money: caps(&mut read, true),
        };
        let shared = self.coupon == "shared";
        let input = OfferInput {
            name: self.name.clone(),
            segment_id,
            active: self.active.is_some(),
            valid_from: text(&self.valid_from),
            valid_to: text(&self.valid_to),
            store_ids: (self.store_ids.iter())
                .filter_map(|id| id.trim().parse().ok().map(StoreId))
                .collect(),
            days: self.days.clone(),
            hours_from: text(&self.hours_from),
            hours_to: text(&self.hours_to),
            priority: priority.unwrap_or(0),
            stacking: text(&self.stacking),
            reward: self.reward.clone(),
            reward_value: reward_value.unwrap_or(0),
            skus: listed(&self.skus),
            categories: (listed(&self.categories).iter())
                .map(|c| Words::category_code(c))
                .collect(),
            min_total_minor: read.hundredths("min_total_minor", &self.min_total_minor),
            nth_purchase: read.whole("nth_purchase", &self.nth_purchase),
            every_nth: self.every_nth.is_some(),
            coupon: text(&self.coupon),
            // A code typed and then left for another kind of coupon is
            // not the user's to see refused: only a shared coupon sends it.
            coupon_code: text(&self.coupon_code).filter(|_| shared),
            budget,
            holdout_bp: read.hundredths("holdout_bp", &self.holdout_bp).unwrap_or(0),
        };
        let mut errors = read.errors;
        if !errors.is_empty()
            && let Err(refused) = input.clone().validate()
        {
            for (field, text) in beside(w, &self.reward, refused.0) {
                errors.entry(field).or_insert(text);
            }
        }
        (input, errors)
    }
}

/// Comma- or line-separated entries, blanks dropped.
fn listed(raw: &str) -> Vec<String> {
    raw.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A multiplier as typed, `2` or `1,25`, in basis points.
fn times(raw: &str) -> Option<i64> {
    let raw = raw.trim().trim_start_matches(['×', 'x', 'х']).trim();
    let (whole, fraction) = raw.split_once([',', '.']).unwrap_or((raw, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || fraction.len() > 4 {
        return None;
    }
    let fraction: i64 = format!("{fraction:0<4}").parse().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(10_000)?
        .checked_add(fraction)
}

/// The form's field a domain field is shown beside: `days[2]` beside the
/// days, `budget.points.total` beside `budget_points_total`.
fn field_of(domain: &str) -> String {
    let plain = domain.split('[').next().unwrap_or(domain);
    plain.replace('.', "_")
}

/// The domain's refusals beside the form's fields, in the reader's words:
/// the offer's own words for a field and code first (a reward's value by
/// its kind), then the console's for the code.
pub fn beside(w: &Words, reward: &str, refused: Vec<FieldError>) -> BTreeMap<String, String> {
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for error in refused {
        let field = field_of(&error.field);
        let own = match (field.as_str(), error.code) {
            ("reward_value", "out_of_range") => format!("offer-error-reward_value-{reward}"),
            (cap, "out_of_range") if cap.starts_with("budget_") => "offer-error-cap".to_owned(),
            (field, code) => format!("offer-error-{field}-{code}"),
        };
        let text = w.find(&own).unwrap_or_else(|| w.field_error(&error));
        match errors.get_mut(&field) {
            Some(kept) if !kept.contains(&text) => {
                kept.push(' ');
                kept.push_str(&text);
            }
            Some(_) => {}
            None => {
                errors.insert(field, text);
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    #[test]
    fn a_multiplier_is_read_as_people_write_it() {
        assert_eq!(times("2"), Some(20_000));
        assert_eq!(times("1,5"), Some(15_000));
        assert_eq!(times("×1.25"), Some(12_500));
        for wrong in ["", "два", "1,23456", "-2", ","] {
            assert_eq!(times(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn figures_are_read_in_their_units_and_the_rest_refused_beside_its_field() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let draft = Draft {
            name: "Молочная неделя".into(),
            reward: "percent_off".into(),
            reward_value: "2,5".into(),
            categories: "Молочное,\nbakery".into(),
            min_total_minor: "1 500".into(),
            budget_money_total: "10000".into(),
            ..Draft::blank()
        };
        let (input, errors) = draft.input(&w);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.reward_value, 250);
        assert_eq!(input.categories, ["dairy", "bakery"]);
        assert_eq!(input.min_total_minor, Some(150_000));
        assert_eq!(input.budget.money.total, Some(1_000_000));
        let wrong = Draft {
            reward_value: "много".into(),
            hours_from: "25:00".into(),
            hours_to: "10:00".into(),
            ..draft
        };
        let (_, errors) = wrong.input(&w);
        assert!(errors.contains_key("reward_value"), "{errors:?}");
        assert!(errors.contains_key("hours_from"), "{errors:?}");
    }
}
