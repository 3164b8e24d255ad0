//! Adding a tier to a program from its page: a name, the spend it starts
//! from, and its own rate (earned points or a discount, by the program's
//! kind); a refused tier comes back with its errors beside its fields.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::{ProgramId, ProgramKind};
use clientele_store::NewTier;

use super::action_form::{ActionForm, Posted, receive};
use super::program_form::field_errors;
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
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
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
        match state
            .app
            .create_tier(program.id, tier, &console.caller.changed_by())
            .await
        {
            Ok(_) => {
                let target = format!("/settings/programs/{id}?done=tier#tiers");
                state.submitted.done(&token, &target);
                return Redirect::to(&target).into_response();
            }
            Err(AppError::Validation(refused)) => {
                errors = field_errors(w, refused)
                    .into_iter()
                    .map(|(field, error)| match field.as_str() {
                        "earn_rate" | "discount" => ("rate".to_owned(), error),
                        _ => (field, error),
                    })
                    .collect::<BTreeMap<_, _>>();
            }
            Err(error) => {
                state.submitted.failed(&token);
                return error_page(w, error);
            }
        }
    }
    state.submitted.failed(&token);
    let form = ActionForm::refused(0, token, values, errors);
    page(
        &state,
        &console,
        id,
        BTreeMap::new(),
        Some(form),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
