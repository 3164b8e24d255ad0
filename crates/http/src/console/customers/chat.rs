//! The customer answered in their chat from their page (the answer leaves
//! through the outbox over the channel they wrote from), and the chat
//! closed; a refused answer comes back beside its field with the text kept.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::CustomerId;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Button, Console, PageError, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    text: String,
}

pub async fn answer(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<AnswerForm>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let mut errors = BTreeMap::new();
    match state.app.answer_chat(CustomerId(id), &form.text, &by).await {
        Ok(_) => {
            return Ok(once.done(&format!("/customers/{id}?done=chat#chat")).await);
        }
        Err(AppError::Validation(refused)) => {
            for e in refused.0 {
                let message = w
                    .find(&format!("chat-error-{}", e.code))
                    .unwrap_or_else(|| w.field_error(&e));
                errors.insert("text".to_owned(), message);
            }
        }
        // The customer has not written: the page offers no answer then.
        Err(AppError::Conflict { .. }) => {
            return Err(PageError::Refused {
                status: StatusCode::CONFLICT,
                text: w.t("chat-none"),
            });
        }
        Err(error) => return Err(error.into()),
    }
    let actions = Actions {
        chat: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}

pub async fn close(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let by = console.caller.changed_by();
    match state.app.close_chat(CustomerId(id), &by).await {
        Ok(()) => Ok(once
            .done(&format!("/customers/{id}?done=chat-closed#chat"))
            .await),
        // Closed meanwhile, from another page.
        Err(AppError::NotFound("open chat")) => Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: console.words.t("chat-closed-already"),
        }),
        Err(error) => Err(error.into()),
    }
}
