//! Card groups: the list, a group created, and one renamed or moved to
//! another program.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{CardGroupId, Module, ProgramId, Right};
use serde::Deserialize;

use super::cards_view::{Done, page};
use super::rules::refused_fields;
use crate::console::kit::{ActionForm, Console, PageResult, Path, Query, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    name: String,
    /// The program's id.
    program_id: String,
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let may = console.may(Module::Programs, Right::Edit);
    let create = may.then(ActionForm::blank);
    let run = may.then(ActionForm::blank);
    page(&state, &console, &done, create, run, StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    submission: Submission<GroupForm>,
) -> PageResult {
    save(&state, &console, None, submission).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    submission: Submission<GroupForm>,
) -> PageResult {
    save(&state, &console, Some(CardGroupId(id)), submission).await
}

/// A new card group, or group `editing` renamed or moved to another program.
async fn save(
    state: &AppState,
    console: &Console,
    editing: Option<CardGroupId>,
    Submission { form, once, typed }: Submission<GroupForm>,
) -> PageResult {
    let w = &console.words;
    let name = form.name.as_str();
    let program = form.program_id.parse().map_or(ProgramId(0), ProgramId);
    let by = console.caller.changed_by();
    let saved = match editing {
        None => state.app.create_card_group(name, program, &by).await,
        Some(id) => state.app.update_card_group(id, name, program, &by).await,
    };
    let errors = match saved.map_err(|error| refused_fields(w, error)) {
        Ok(_) => {
            let target = if editing.is_some() {
                "/settings/cards?done=group-saved"
            } else {
                "/settings/cards?done=group"
            };
            return Ok(once.done(target).await);
        }
        Err(Ok(errors)) => errors,
        Err(Err(error)) => return Err(error.into()),
    };
    let subject = editing.map_or(0, |id| id.0);
    let create = ActionForm::refused(subject, &once, typed, errors);
    page(
        state,
        console,
        &Done::default(),
        Some(create),
        Some(ActionForm::blank()),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
