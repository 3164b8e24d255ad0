//! Adding a tier to a program from its page, or changing one: a name, the
//! spend it starts from, and its own rate (earned points or a discount, by
//! the program's kind); a refused tier comes back with its errors beside
//! its fields.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::{ProgramId, ProgramKind, TierId};
use clientele_store::NewTier;

use super::action_form::{ActionForm, Posted, receive};
use super::program_form::refused_fields;
use super::program_page::page;
use super::rates::Reader;
use super::{Console, error_page};
use crate::extract::Path;
use crate::state::AppState;

pub async fn add(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, id, None, pairs).await
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path((id, tier_id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, id, Some(TierId(tier_id)), pairs).await
}

/// A tier added to program `id`, or tier `editing` of it changed.
async fn save(
    state: &AppState,
    console: &Console,
    id: i64,
    editing: Option<TierId>,
    pairs: Vec<(String, String)>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(state, console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let program = match state.app.program(ProgramId(id)).await {
        Ok(program) => program,
        Err(error) => {
            state.submitted.failed(&token);
            return error_page(w, error);
        }
    };
    if editing.is_some_and(|tier| program.tier(tier).is_none()) {
        state.submitted.failed(&token);
        return error_page(w, AppError::NotFound("tier"));
    }
    let mut read = Reader::new(w, &values);
    let threshold = read.hundredths("threshold").unwrap_or(0);
    let rate = read.hundredths("rate");
    let name = read.text("name").to_owned();
    let mut errors = read.errors;
    if errors.is_empty() {
        let bonus = program.rules.kind == ProgramKind::Bonus;
        let tier = NewTier {
            name,
            threshold_minor: threshold,
            earn_rate_bp: rate.filter(|_| bonus),
            discount_bp: rate.filter(|_| !bonus),
        };
        let by = console.caller.changed_by();
        let saved = match editing {
            None => state.app.create_tier(program.id, tier, &by).await,
            Some(tier_id) => state.app.update_tier(tier_id, tier, &by).await,
        };
        match saved.map_err(|error| refused_fields(w, error)) {
            Ok(_) => {
                let done = if editing.is_some() {
                    "tier-saved"
                } else {
                    "tier"
                };
                let target = format!("/settings/programs/{id}?done={done}#tiers");
                state.submitted.done(&token, &target);
                return Redirect::to(&target).into_response();
            }
            Err(Ok(refused)) => {
                errors = refused
                    .into_iter()
                    .map(|(field, error)| match field.as_str() {
                        "earn_rate" | "discount" => ("rate".to_owned(), error),
                        _ => (field, error),
                    })
                    .collect::<BTreeMap<_, _>>();
            }
            Err(Err(error)) => {
                state.submitted.failed(&token);
                return error_page(w, error);
            }
        }
    }
    state.submitted.failed(&token);
    let subject = editing.map_or(0, |tier| tier.0);
    let form = ActionForm::refused(subject, token, values, errors);
    page(
        state,
        console,
        id,
        BTreeMap::new(),
        Some(form),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
