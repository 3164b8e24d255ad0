//! A dated note added to a customer from their page, signed by the staff
//! user; a refused one comes back beside its field with the text kept.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_domain::CustomerId;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    text: String,
}

pub async fn add(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<NoteForm>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let mut errors = BTreeMap::new();
    match state.app.add_note(CustomerId(id), &form.text, &by).await {
        Ok(_) => {
            return Ok(once
                .done(&format!("/customers/{id}?done=note#notice"))
                .await);
        }
        Err(AppError::Validation(refused)) => {
            for e in refused.0 {
                let message = w
                    .find(&format!("note-error-{}", e.code))
                    .unwrap_or_else(|| w.field_error(&e));
                errors.insert("text".to_owned(), message);
            }
        }
        Err(error) => return Err(error.into()),
    }
    let actions = Actions {
        note: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
