//! Creating a loyalty program and editing one: its kind, its rates in
//! percents, when points become usable and expire, the categories left out;
//! each error beside its field, the typed values kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::{Program, ProgramId, ProgramKind, ProgramRules};

use super::action_form::{Posted, receive};
use super::once::Submitted;
use super::rates::{Reader, money_field, percent_field};
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::Path;
use crate::state::AppState;

pub const KINDS: [(ProgramKind, &str); 3] = [
    (ProgramKind::Bonus, "bonus"),
    (ProgramKind::CumulativeDiscount, "cumulative_discount"),
    (ProgramKind::FixedDiscount, "fixed_discount"),
];

pub fn kind_code(kind: ProgramKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("bonus", |(_, code)| code)
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
#[template(path = "program_form.html")]
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
            r.excluded_categories.join(", "),
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
    values: &BTreeMap<String, String>,
    before: ProgramRules,
) -> Result<ProgramRules, BTreeMap<String, String>> {
    let mut read = Reader::new(w, values);
    let kind = KINDS
        .iter()
        .find(|(_, code)| *code == read.text("kind"))
        .map(|(kind, _)| *kind);
    if kind.is_none() {
        read.refuse("kind", "program-error-kind");
    }
    let rules = ProgramRules {
        kind: kind.unwrap_or(before.kind),
        earn_rate_bp: read.hundredths("earn_rate").unwrap_or(0),
        max_payable_share_bp: read.hundredths("max_payable_share").unwrap_or(0),
        discount_bp: read.hundredths("discount").unwrap_or(0),
        min_price_minor: read.hundredths("min_price").unwrap_or(0),
        accrual_delay_days: read.whole("accrual_delay_days").unwrap_or(0),
        expiry_days: read.whole("expiry_days").unwrap_or(0),
        tier_period_days: read.whole("tier_period_days").unwrap_or(0),
        excluded_categories: read
            .text("excluded_categories")
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        birthday_points: read.hundredths("birthday_points").unwrap_or(0),
        birthday_days_before: read.whole("birthday_days_before").unwrap_or(0),
        birthday_message: read.text("birthday_message").trim().to_owned(),
        referral_points: read.hundredths("referral_points").unwrap_or(0),
        ..before
    };
    if read.errors.is_empty() {
        Ok(rules)
    } else {
        Err(read.errors)
    }
}

/// A rule's field in the domain → its field on the form.
fn form_field(field: &str) -> &str {
    field
        .strip_suffix("_bp")
        .or_else(|| field.strip_suffix("_minor"))
        .unwrap_or(field)
}

/// The app's refusal, each error beside its field in the reader's words.
pub fn field_errors(
    w: &Words,
    refused: clientele_domain::ValidationErrors,
) -> BTreeMap<String, String> {
    refused
        .0
        .into_iter()
        .map(|e| {
            let field = form_field(&e.field).to_owned();
            let code = e.code;
            let said = if code == "out_of_range" && e.field.ends_with("_bp") {
                Some(w.t("programs-error-percent"))
            } else {
                w.find(&format!("programs-error-{field}-{code}"))
                    .or_else(|| w.find(&format!("programs-error-{code}")))
            };
            let said = said.unwrap_or_else(|| w.field_error(&e));
            (field, said)
        })
        .collect()
}

/// A use case's refusal of a programs form as errors beside its fields: a
/// rule broken, or a name taken. `Err` when it is not the user's to correct.
pub fn refused_fields(w: &Words, error: AppError) -> Result<BTreeMap<String, String>, AppError> {
    match error {
        AppError::Validation(refused) => Ok(field_errors(w, refused)),
        AppError::Conflict {
            field: Some(field), ..
        } => Ok([(field.to_owned(), w.t("error-taken"))].into()),
        other => Err(other),
    }
}

pub async fn new(console: Console) -> Response {
    let values = BTreeMap::from([("kind".to_owned(), "bonus".to_owned())]);
    render(
        StatusCode::OK,
        &form(&console, None, Submitted::token(), values, BTreeMap::new()),
    )
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> Response {
    match state.app.program(ProgramId(id)).await {
        Ok(program) => {
            let values = values_of(&console.words, &program);
            let page = form(
                &console,
                Some(&program),
                Submitted::token(),
                values,
                BTreeMap::new(),
            );
            render(StatusCode::OK, &page)
        }
        Err(error) => error_page(&console.words, error),
    }
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    submit(state, console, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    submit(state, console, Some(ProgramId(id)), pairs).await
}

async fn submit(
    state: AppState,
    console: Console,
    editing: Option<ProgramId>,
    pairs: Vec<(String, String)>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let before = match editing {
        Some(id) => match state.app.program(id).await {
            Ok(program) => Some(program),
            Err(error) => {
                state.submitted.failed(&token);
                return error_page(w, error);
            }
        },
        None => None,
    };
    let rules = rules_of(
        w,
        &values,
        before
            .as_ref()
            .map_or_else(blank_rules, |p| p.rules.clone()),
    );
    let name = values.get("name").map_or("", String::as_str);
    let is_default = values.contains_key("is_default");
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
        Ok(program) => {
            let target = format!("/settings/programs/{}", program.id.0);
            state.submitted.done(&token, &target);
            Redirect::to(&target).into_response()
        }
        Err(Ok(errors)) => {
            state.submitted.failed(&token);
            let page = form(&console, before.as_ref(), token, values, errors);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(Err(error)) => {
            state.submitted.failed(&token);
            error_page(w, error)
        }
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
