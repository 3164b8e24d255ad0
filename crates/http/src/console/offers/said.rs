//! An offer in words: who it is for, what it gives on which goods («×2
//! баллов на категорию «Молочное»», «10 % скидки»), when and where it runs,
//! what it asks, how it combines, its caps; and what a page was sent back
//! to say.

use std::collections::HashMap;

use clientele_app::AppError;
use clientele_domain::offer::{Audience, Caps, CouponRule, Day, OfferTerms, Reward, Stacking};
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;

use crate::console::kit::{Lang, Words, percent};
use crate::state::AppState;

/// The names an offer's terms point at: its segment, its stores.
pub struct Names {
    pub segments: HashMap<i64, String>,
    pub stores: HashMap<i64, String>,
}

impl Names {
    pub(super) async fn load(state: &AppState) -> Result<Names, AppError> {
        let segments = state.app.segments().await?;
        let stores = state.app.stores().await?;
        Ok(Names {
            segments: segments.into_iter().map(|s| (s.id.0, s.name)).collect(),
            stores: stores.into_iter().map(|s| (s.id.0, s.name)).collect(),
        })
    }
}

pub fn audience(w: &Words, names: &Names, audience: Audience) -> String {
    match audience {
        Audience::Everyone => w.t("offer-audience-everyone"),
        Audience::Segment(id) => w.with(
            "offer-audience-segment",
            "name",
            names
                .segments
                .get(&id.0)
                .cloned()
                .unwrap_or_else(|| id.0.to_string())
                .into(),
        ),
    }
}

/// A multiplier as people write it: `2`, `1,5`, `1,25`.
pub fn multiplier(w: &Words, bp: i64) -> String {
    let point = match w.lang {
        Lang::Ru => ',',
        Lang::En => '.',
    };
    let (whole, fraction) = (bp / 10_000, bp % 10_000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}{point}{}", digits.trim_end_matches('0'))
}

/// What the offer gives, and on which goods.
pub fn reward(w: &Words, terms: &OfferTerms) -> String {
    let given = match terms.reward {
        Reward::ExtraPoints { multiplier_bp } => w.with(
            "offer-reward-extra_points",
            "times",
            multiplier(w, multiplier_bp).into(),
        ),
        Reward::BonusPoints { points } => {
            // A fraction of a point takes the form of «2»: «12,5 балла».
            let count = if points % 100 == 0 { points / 100 } else { 2 };
            w.with_all(
                "offer-reward-bonus_points",
                vec![("count", count.into()), ("points", w.points(points).into())],
            )
        }
        Reward::PercentOff { rate_bp } => w.with(
            "offer-reward-percent_off",
            "rate",
            percent(w, rate_bp).into(),
        ),
        Reward::AmountOff { amount_minor } => w.with(
            "offer-reward-amount_off",
            "amount",
            w.money(amount_minor).into(),
        ),
    };
    let target = &terms.target;
    let (open, close) = match w.lang {
        Lang::Ru => ('«', '»'),
        Lang::En => ('“', '”'),
    };
    let quoted = |items: Vec<String>| {
        items
            .iter()
            .map(|item| format!("{open}{item}{close}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let listed = |key: &str, items: Vec<String>| {
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        w.with_all(
            key,
            vec![("count", count.into()), ("names", quoted(items).into())],
        )
    };
    let categories = (!target.categories.is_empty()).then(|| {
        let names = target.categories.iter().map(|c| w.category(c)).collect();
        listed("offer-target-categories", names)
    });
    let skus = (!target.skus.is_empty()).then(|| listed("offer-target-skus", target.skus.clone()));
    match (categories, skus) {
        (None, None) => given,
        (Some(one), None) | (None, Some(one)) => format!("{given} {one}"),
        (Some(categories), Some(skus)) => w.with_all(
            "offer-target-both",
            vec![
                ("given", given.into()),
                ("categories", categories.into()),
                ("skus", skus.into()),
            ],
        ),
    }
}

/// The days it runs, in a table's narrow column.
pub fn period(w: &Words, terms: &OfferTerms) -> String {
    let schedule = &terms.schedule;
    let day = |d: Option<jiff::civil::Date>| d.map(|d| w.compact_date(d));
    match (day(schedule.valid_from), day(schedule.valid_to)) {
        (Some(from), Some(to)) => w.with_all(
            "offer-period-both",
            vec![("from", from.into()), ("to", to.into())],
        ),
        (Some(from), None) => w.with("offer-period-from", "from", from.into()),
        (None, Some(to)) => w.with("offer-period-to", "to", to.into()),
        (None, None) => w.t("offer-period-always"),
    }
}

pub fn stacking(w: &Words, stacking: Stacking) -> String {
    w.t(&format!("offer-stacking-{}", stacking_code(stacking)))
}

/// A stacking mode's code as the domain reads it back.
pub fn stacking_code(stacking: Stacking) -> &'static str {
    match stacking {
        Stacking::Stack => "stack",
        Stacking::Exclusive => "exclusive",
        Stacking::Best => "best",
    }
}

pub fn state(w: &Words, active: bool) -> String {
    w.t(if active {
        "offer-active"
    } else {
        "offer-paused"
    })
}

/// A day's code as the domain reads it back (`friday`): the form's value
/// and the words' key.
pub fn day_code(day: Day) -> &'static str {
    Day::NAMES
        .iter()
        .copied()
        .find(|name| Day::parse(name) == Some(day))
        .unwrap_or("monday")
}

/// The terms, a sentence each, for the offer's page.
pub fn sentences(w: &Words, names: &Names, terms: &OfferTerms) -> Vec<String> {
    let mut said = vec![
        w.with(
            "offer-says-audience",
            "who",
            audience(w, names, terms.audience).into(),
        ),
        w.with("offer-says-reward", "what", reward(w, terms).into()),
        when(w, terms),
    ];
    said.push(match terms.stores.is_empty() {
        true => w.t("offer-says-everywhere"),
        false => w.with(
            "offer-says-stores",
            "names",
            (terms.stores.iter())
                .map(|id| names.stores.get(&id.0).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
        ),
    });
    if let Some(min) = terms.condition.min_total_minor {
        said.push(w.with("offer-says-min-total", "amount", w.money(min).into()));
    }
    if let Some(nth) = terms.condition.nth_purchase {
        let key = match nth.repeat {
            true => "offer-says-every-nth",
            false => "offer-says-nth",
        };
        said.push(w.n(key, nth.n));
    }
    said.push(match &terms.coupon {
        None => w.t("offer-says-no-coupon"),
        Some(CouponRule::Unique) => w.t("offer-says-unique"),
        Some(CouponRule::Shared(code)) => {
            w.with("offer-says-shared", "code", code.as_str().to_owned().into())
        }
    });
    said.push(w.with(
        "offer-says-stacking",
        "how",
        stacking(w, terms.stacking).into(),
    ));
    said.push(w.n("offer-says-priority", i64::from(terms.priority)));
    for (key, caps, amount) in [
        ("offer-says-budget-points", terms.budget.points, false),
        ("offer-says-budget-money", terms.budget.money, true),
    ] {
        if !caps.is_unlimited() {
            said.push(w.with(key, "caps", caps_said(w, caps, amount).into()));
        }
    }
    if terms.holdout_bp > 0 {
        said.push(w.with(
            "offer-says-holdout",
            "share",
            percent(w, terms.holdout_bp).into(),
        ));
    }
    said
}

/// The period, the days of the week and the hours, as one sentence.
fn when(w: &Words, terms: &OfferTerms) -> String {
    let schedule = &terms.schedule;
    let mut parts = vec![match (schedule.valid_from, schedule.valid_to) {
        (Some(from), Some(to)) => w.with_all(
            "offer-says-period-both",
            vec![("from", w.date(from).into()), ("to", w.date(to).into())],
        ),
        (Some(from), None) => w.with("offer-says-period-from", "from", w.date(from).into()),
        (None, Some(to)) => w.with("offer-says-period-to", "to", w.date(to).into()),
        (None, None) => w.t("offer-says-period-always"),
    }];
    if !schedule.days.is_empty() {
        let days: Vec<String> = (schedule.days.iter())
            .map(|d| w.t(&format!("offer-on-{}", day_code(*d))))
            .collect();
        parts.push(w.with("offer-says-days", "days", days.join(", ").into()));
    }
    if let Some(hours) = schedule.hours {
        let clock = |t: jiff::civil::Time| format!("{:02}:{:02}", t.hour(), t.minute());
        parts.push(w.with_all(
            "offer-says-hours",
            vec![
                ("from", clock(hours.from).into()),
                ("to", clock(hours.to).into()),
            ],
        ));
    }
    w.with("offer-says-when", "when", parts.join(", ").into())
}

fn caps_said(w: &Words, caps: Caps, money: bool) -> String {
    let amount = |v: i64| if money { w.money(v) } else { w.points(v) };
    [
        ("total", caps.total),
        ("per_customer", caps.per_customer),
        ("per_day", caps.per_day),
        ("per_month", caps.per_month),
    ]
    .into_iter()
    .filter_map(|(name, cap)| {
        cap.map(|cap| {
            w.with(
                &format!("offer-cap-{name}"),
                "amount",
                FluentValue::from(amount(cap)),
            )
        })
    })
    .collect::<Vec<_>>()
    .join(", ")
}

/// What a page was sent back to say: the offer made, saved, paused or
/// resumed, or so many coupons made.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
    made: Option<u64>,
}

impl Done {
    pub fn notice(&self, w: &Words) -> Option<String> {
        if let Some(made) = self.made {
            return Some(w.with_all(
                "offer-coupons-made",
                vec![
                    ("count", i64::try_from(made).unwrap_or(0).into()),
                    ("shown", w.count(made).into()),
                ],
            ));
        }
        match self.done.as_str() {
            done @ ("created" | "saved" | "paused" | "resumed") => {
                Some(w.t(&format!("offer-done-{done}")))
            }
            _ => None,
        }
    }
}
