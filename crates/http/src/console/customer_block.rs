//! Blocking a customer from their page, with the reason (a blocked customer
//! is refused at the till), and unblocking them.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_domain::{CustomerChanges, CustomerId};

use super::Console;
use super::action_form::{ActionForm, Posted, receive};
use super::customer_page::{Actions, refused};
use crate::extract::Path;
use crate::state::AppState;

pub async fn set(
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
    let block = values.get("action").map(String::as_str) != Some("unblock");
    let reason = values
        .get("reason")
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if block && reason.is_none() {
        let errors = BTreeMap::from([("reason".to_owned(), w.t("error-required"))]);
        let actions = Actions {
            block: ActionForm::refused(0, token, values, errors),
            ..Actions::blank()
        };
        return refused(&state, &console, id, actions).await;
    }
    let changes = CustomerChanges {
        blocked: Some(block),
        blocked_reason: Some(reason),
        ..CustomerChanges::default()
    };
    match state
        .app
        .update_customer(
            CustomerId(id),
            changes,
            "console",
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => {
            let done = if block { "blocked" } else { "unblocked" };
            let target = format!("/customers/{id}?done={done}");
            state.submitted.done(&token, &target);
            Redirect::to(&target).into_response()
        }
        Err(error) => {
            state.submitted.failed(&token);
            super::error_page(w, error)
        }
    }
}
