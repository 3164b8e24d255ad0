//! A loyalty program's page as it renders, for its own handler and for a
//! tier form refused: its rules in words, its tiers with their
//! thresholds and rates, a form to add a tier, and the preview of what a
//! sample basket earns, updated as the marketer types.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use clientele_domain::{Program, ProgramId, ProgramKind};

use super::preview::{Preview, ROWS, field, points, preview};
use super::rules::kind_code;
use crate::console::kit::{
    ActionForm, Chrome, Console, PageResult, Words, money_field, percent, percent_field, render,
};
use crate::state::AppState;

pub struct Figure {
    pub label: String,
    pub value: String,
}

struct TierRow {
    id: i64,
    name: String,
    threshold: String,
    rate: String,
    /// The edit form's fields as the tier fills them.
    threshold_field: String,
    rate_field: String,
}

/// A row of the sample basket: its fields' names and what was typed.
struct SampleRow {
    row: usize,
    name: (String, String),
    category: (String, String),
    price: (String, String),
    quantity: (String, String),
}

#[derive(Template)]
#[template(path = "programs/program.html")]
struct ProgramPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    name: String,
    is_default: bool,
    figures: Vec<Figure>,
    tiers: Vec<TierRow>,
    /// What a tier's rate is: earned points or a discount.
    rate_label: String,
    notice: Option<String>,
    /// Adding a tier, for a role that may edit programs.
    tier_form: Option<ActionForm>,
    sample: Vec<SampleRow>,
    sample_values: BTreeMap<String, String>,
    preview: Preview,
    /// The preview's refused fields, named, for the part that changes as
    /// one types.
    problems: Vec<String>,
}

impl ProgramPage<'_> {
    fn sample_value(&self, field: &str) -> &str {
        self.sample_values.get(field).map_or("", String::as_str)
    }

    fn sample_error(&self, field: &str) -> Option<&str> {
        self.preview.errors.get(field).map(String::as_str)
    }
}

/// The rules of a program, said as figures.
pub fn figures(w: &Words, program: &Program) -> Vec<Figure> {
    let r = &program.rules;
    let days = |key: &str, zero: &str, n: i64| match n {
        0 => w.t(zero),
        n => w.n(key, n),
    };
    let mut figures = vec![Figure {
        label: w.t("program-field-kind"),
        value: w.t(&format!("program-kind-{}", kind_code(r.kind))),
    }];
    let mut add = |label: &str, value: String| {
        figures.push(Figure {
            label: w.t(label),
            value,
        })
    };
    match r.kind {
        ProgramKind::Bonus => {
            add("program-field-earn_rate", percent(w, r.earn_rate_bp));
            add(
                "program-field-max_payable_share",
                percent(w, r.max_payable_share_bp),
            );
            add(
                "program-field-accrual_delay_days",
                days(
                    "program-after-days",
                    "program-at-once",
                    r.accrual_delay_days,
                ),
            );
            add(
                "program-field-expiry_days",
                days("program-after-days", "program-never", r.expiry_days),
            );
        }
        ProgramKind::FixedDiscount => add("program-field-discount", percent(w, r.discount_bp)),
        ProgramKind::CumulativeDiscount => {}
    }
    if !r.excluded_categories.is_empty() {
        add(
            "program-field-excluded_categories",
            r.excluded_categories
                .iter()
                .map(|c| w.category(c))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if r.min_price_minor > 0 {
        add("program-field-min_price", w.money(r.min_price_minor));
    }
    if !program.tiers.is_empty() {
        add(
            "program-field-tier_period_days",
            days("program-last-days", "program-lifetime", r.tier_period_days),
        );
    }
    if r.birthday_points > 0 {
        add(
            "program-field-birthday_points",
            points(w, r.birthday_points),
        );
    }
    if r.referral_points > 0 {
        add(
            "program-field-referral_points",
            points(w, r.referral_points),
        );
    }
    figures
}

/// The page, with the tier form as given (blank, or refused with its errors).
pub(super) async fn page(
    state: &AppState,
    console: &Console,
    id: i64,
    sample: BTreeMap<String, String>,
    tier_form: Option<ActionForm>,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let w = &console.words;
    let program = state.app.program(ProgramId(id)).await?;
    let bonus = program.rules.kind == ProgramKind::Bonus;
    let tiers = program
        .tiers
        .iter()
        .map(|t| TierRow {
            id: t.id.0,
            name: t.name.clone(),
            threshold: w.money(t.threshold_minor),
            rate: match (bonus, t.earn_rate_bp, t.discount_bp) {
                (true, Some(bp), _) | (false, _, Some(bp)) => percent(w, bp),
                _ => w.t("tier-rate-program"),
            },
            threshold_field: money_field(w, t.threshold_minor),
            rate_field: match (bonus, t.earn_rate_bp, t.discount_bp) {
                (true, Some(bp), _) | (false, _, Some(bp)) => percent_field(w, bp),
                _ => String::new(),
            },
        })
        .collect();
    let fields = |name: &str, row: usize| {
        let field = field(name, row);
        let value = sample.get(&field).cloned().unwrap_or_default();
        (field, value)
    };
    let rows = (1..=ROWS)
        .map(|row| SampleRow {
            row,
            name: fields("name", row),
            category: fields("category", row),
            price: fields("price", row),
            quantity: fields("quantity", row),
        })
        .collect();
    let said = preview(w, &program, &sample);
    let problems = said
        .errors
        .iter()
        .map(|(field, error)| {
            let label = match field.rsplit_once('_') {
                Some((name, row)) => format!("{} {row}", w.t(&format!("preview-{name}"))),
                None => w.t(&format!("preview-{field}")),
            };
            format!("{label}: {error}")
        })
        .collect();
    Ok(render(
        status,
        &ProgramPage {
            c: console.chrome(),
            w,
            id,
            name: program.name.clone(),
            is_default: program.is_default,
            figures: figures(w, &program),
            tiers,
            rate_label: w.t(if bonus {
                "tier-earn-rate"
            } else {
                "tier-discount"
            }),
            notice,
            tier_form,
            sample: rows,
            sample_values: sample,
            preview: said,
            problems,
        },
    ))
}
