//! Creating a loyalty program and editing one: its kind, its rates in
//! percents, when points become usable and expire, the categories left out;
//! each error beside its field, the typed values kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::{Program, ProgramId, ProgramKind, ProgramRules};
use serde::Deserialize;

use super::rules::{KINDS, field_errors, form_field, kind_code};
use crate::console::kit::{
    Chrome, Console, Once, PageResult, Path, Reader, Submission, Words, money_field, percent_field,
    render,
};
use crate::state::AppState;

/// The program form's fields as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProgramForm {
    name: String,
    kind: String,
    earn_rate: String,
    max_payable_share: String,
    discount: String,
    min_price: String,
    accrual_delay_days: String,
    expiry_days: String,
    tier_period_days: String,
    /// Separated by commas, semicolons or lines.
    excluded_categories: String,
    birthday_points: String,
    birthday_days_before: String,
    birthday_message: String,
    referral_points: String,
    /// Ticked: the program new customers join.
    is_default: Option<String>,
}

pub struct KindChoice {
    pub code: &'static str,
    pub label: String,
}

/// A figure's field: its label, a hint, what was typed and what is wrong.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub error: Option<String>,
}

pub struct Section {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// The form's figures, by what they are about.
const SECTIONS: [(&str, &[&str]); 4] = [
    (
        "program-section-points",
        &[
            "earn_rate",
            "max_payable_share",
            "accrual_delay_days",
            "expiry_days",
        ],
    ),
    ("program-section-discount", &["discount"]),
    (
        "program-section-lines",
        &["min_price", "excluded_categories", "tier_period_days"],
    ),
    (
        "program-section-rewards",
        &[
            "birthday_points",
            "birthday_days_before",
            "birthday_message",
            "referral_points",
        ],
    ),
];

#[derive(Template)]
#[template(path = "programs/form.html")]
struct FormPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    action: String,
    cancel: String,
    token: String,
    kinds: Vec<KindChoice>,
    sections: Vec<Section>,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

impl FormPage<'_> {
    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

fn form<'a>(
    console: &'a Console,
    editing: Option<&Program>,
    token: String,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
) -> FormPage<'a> {
    let w = &console.words;
    FormPage {
        c: console.chrome(),
        w,
        title: match editing {
            Some(program) => w.with("program-edit-title", "name", program.name.clone().into()),
            None => w.t("program-new-title"),
        },
        action: match editing {
            Some(program) => format!("/settings/programs/{}/edit", program.id.0),
            None => "/settings/programs/new".into(),
        },
        cancel: match editing {
            Some(program) => format!("/settings/programs/{}", program.id.0),
            None => "/settings/programs".into(),
        },
        token,
        kinds: KINDS
            .iter()
            .map(|(_, code)| KindChoice {
                code,
                label: w.t(&format!("program-kind-{code}")),
            })
            .collect(),
        sections: SECTIONS
            .iter()
            .map(|(legend, names)| Section {
                legend: w.t(legend),
                fields: names
                    .iter()
                    .map(|&name| Field {
                        name,
                        label: w.t(&format!("program-field-{name}")),
                        hint: w.t(&format!("program-field-{name}-hint")),
                        value: values.get(name).cloned().unwrap_or_default(),
                        error: errors.get(name).cloned(),
                    })
                    .collect(),
            })
            .collect(),
        values,
        errors,
    }
}

/// A program's fields as its form shows them.
fn values_of(w: &Words, program: &Program) -> BTreeMap<String, String> {
    let r = &program.rules;
    let mut values = BTreeMap::from([
        ("name".to_owned(), program.name.clone()),
        ("kind".to_owned(), kind_code(r.kind).to_owned()),
        ("earn_rate".to_owned(), percent_field(w, r.earn_rate_bp)),
        (
            "max_payable_share".to_owned(),
            percent_field(w, r.max_payable_share_bp),
        ),
        ("discount".to_owned(), percent_field(w, r.discount_bp)),
        ("min_price".to_owned(), money_field(w, r.min_price_minor)),
        (
            "accrual_delay_days".to_owned(),
            r.accrual_delay_days.to_string(),
        ),
        ("expiry_days".to_owned(), r.expiry_days.to_string()),
        (
            "tier_period_days".to_owned(),
            r.tier_period_days.to_string(),
        ),
        (
            "excluded_categories".to_owned(),
            r.excluded_categories
                .iter()
                .map(|c| w.category(c))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "birthday_points".to_owned(),
            money_field(w, r.birthday_points),
        ),
        (
            "birthday_days_before".to_owned(),
            r.birthday_days_before.to_string(),
        ),
        ("birthday_message".to_owned(), r.birthday_message.clone()),
        (
            "referral_points".to_owned(),
            money_field(w, r.referral_points),
        ),
    ]);
    if program.is_default {
        values.insert("is_default".into(), "on".into());
    }
    values
}

/// The rules a new program starts from: nothing given, nothing left out.
fn blank_rules() -> ProgramRules {
    ProgramRules {
        kind: ProgramKind::Bonus,
        earn_rate_bp: 0,
        max_payable_share_bp: 0,
        discount_bp: 0,
        excluded_categories: Vec::new(),
        excluded_skus: Vec::new(),
        min_price_minor: 0,
        accrual_delay_days: 0,
        expiry_days: 0,
        tier_period_days: 0,
        birthday_points: 0,
        birthday_days_before: 0,
        birthday_message: String::new(),
        referral_points: 0,
    }
}

/// The form's fields over the rules before (what the form does not show,
/// the excluded SKUs, stays as it was); the fields that are not figures,
/// each with its error.
fn rules_of(
    w: &Words,
    sent: &ProgramForm,
    before: ProgramRules,
) -> Result<ProgramRules, BTreeMap<String, String>> {
    let mut read = Reader::new(w);
    let kind = KINDS
        .iter()
        .find(|(_, code)| *code == sent.kind.trim())
        .map(|(kind, _)| *kind);
    if kind.is_none() {
        read.refuse("kind", "program-error-kind");
    }
    let rules = ProgramRules {
        kind: kind.unwrap_or(before.kind),
        earn_rate_bp: read.hundredths("earn_rate", &sent.earn_rate).unwrap_or(0),
        max_payable_share_bp: read
            .hundredths("max_payable_share", &sent.max_payable_share)
            .unwrap_or(0),
        discount_bp: read.hundredths("discount", &sent.discount).unwrap_or(0),
        min_price_minor: read.hundredths("min_price", &sent.min_price).unwrap_or(0),
        accrual_delay_days: read
            .whole("accrual_delay_days", &sent.accrual_delay_days)
            .unwrap_or(0),
        expiry_days: read.whole("expiry_days", &sent.expiry_days).unwrap_or(0),
        tier_period_days: read
            .whole("tier_period_days", &sent.tier_period_days)
            .unwrap_or(0),
        excluded_categories: sent
            .excluded_categories
            .trim()
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Words::category_code)
            .collect(),
        birthday_points: read
            .hundredths("birthday_points", &sent.birthday_points)
            .unwrap_or(0),
        birthday_days_before: read
            .whole("birthday_days_before", &sent.birthday_days_before)
            .unwrap_or(0),
        birthday_message: sent.birthday_message.trim().to_owned(),
        referral_points: read
            .hundredths("referral_points", &sent.referral_points)
            .unwrap_or(0),
        ..before
    };
    if read.errors.is_empty() {
        Ok(rules)
    } else {
        Err(read.errors)
    }
}

pub async fn new(console: Console) -> PageResult {
    let values = BTreeMap::from([("kind".to_owned(), "bonus".to_owned())]);
    let page = form(&console, None, Once::fresh(), values, BTreeMap::new());
    Ok(render(StatusCode::OK, &page))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let program = state.app.program(ProgramId(id)).await?;
    let values = values_of(&console.words, &program);
    let page = form(
        &console,
        Some(&program),
        Once::fresh(),
        values,
        BTreeMap::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    submission: Submission<ProgramForm>,
) -> PageResult {
    submit(state, console, None, submission).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    submission: Submission<ProgramForm>,
) -> PageResult {
    submit(state, console, Some(ProgramId(id)), submission).await
}

async fn submit(
    state: AppState,
    console: Console,
    editing: Option<ProgramId>,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<ProgramForm>,
) -> PageResult {
    let w = &console.words;
    let before = match editing {
        Some(id) => Some(state.app.program(id).await?),
        None => None,
    };
    let rules = rules_of(
        w,
        &sent,
        before
            .as_ref()
            .map_or_else(blank_rules, |p| p.rules.clone()),
    );
    let name = sent.name.as_str();
    let is_default = sent.is_default.is_some();
    let by = console.caller.changed_by();
    let saved = match (rules, editing) {
        (Err(errors), _) => Err(Ok(errors)),
        (Ok(rules), None) => state
            .app
            .create_program(name, rules, is_default, &by)
            .await
            .map_err(|e| refusal(w, e)),
        (Ok(rules), Some(id)) => state
            .app
            .update_program(id, Some(name), Some(rules), Some(is_default), &by)
            .await
            .map_err(|e| refusal(w, e)),
    };
    match saved {
        Ok(program) => Ok(once
            .done(&format!("/settings/programs/{}", program.id.0))
            .await),
        Err(Ok(errors)) => {
            let token = once.token().to_owned();
            let page = form(&console, before.as_ref(), token, typed, errors);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(error)) => Err(error.into()),
    }
}

/// A refusal the form shows beside its fields, or one it cannot.
fn refusal(w: &Words, error: AppError) -> Result<BTreeMap<String, String>, AppError> {
    match error {
        AppError::Validation(refused) => Ok(field_errors(w, refused)),
        AppError::Conflict {
            field: Some(field), ..
        } => Ok(BTreeMap::from([(
            form_field(field).to_owned(),
            w.t("error-taken"),
        )])),
        other => Err(other),
    }
}
