//! Actions on the customers ticked in the list: a gift certificate to each,
//! in one step.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::certificates::Holders;
use clientele_domain::{CertificateTemplateId, CustomerId};

use super::Console;
use super::once::Turn;
use crate::state::AppState;

/// Back to the list the rows were ticked on, saying what happened.
fn back_to(list: &str, what: &str) -> String {
    let list = super::sign_in::safe_next(list);
    let joiner = if list.contains('?') { '&' } else { '?' };
    format!("{list}{joiner}{what}")
}

pub async fn act(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut ticked = Vec::new();
    let mut values = BTreeMap::new();
    for (key, value) in pairs {
        if key == "customer_id" {
            if let Ok(id) = value.parse() {
                ticked.push(CustomerId(id));
            }
        } else {
            values.insert(key, value);
        }
    }
    if values.get("csrf") != Some(&console.session.csrf) {
        return super::sign_in::refused();
    }
    let list = values
        .get("back")
        .cloned()
        .unwrap_or_else(|| "/customers".into());
    let token = values.get("token").cloned().unwrap_or_default();
    if let Turn::Again(target) = state.submitted.turn(&token).await {
        return Redirect::to(&target).into_response();
    }
    if ticked.is_empty() {
        state.submitted.failed(&token);
        return Redirect::to(&back_to(&list, "bulk=none")).into_response();
    }
    let template = values
        .get("template_id")
        .and_then(|t| t.parse().ok())
        .map(CertificateTemplateId);
    let Some(template) = template else {
        state.submitted.failed(&token);
        return Redirect::to(&back_to(&list, "bulk=no_template")).into_response();
    };
    let by = console.caller.changed_by();
    match state
        .app
        .issue_certificates(template, Holders::Customers(ticked), &by)
        .await
    {
        Ok(issued) => {
            let target = back_to(&list, &format!("bulk=certificates&count={}", issued.len()));
            state.submitted.done(&token, &target);
            Redirect::to(&target).into_response()
        }
        Err(AppError::Validation(_)) => {
            state.submitted.failed(&token);
            Redirect::to(&back_to(&list, "bulk=refused")).into_response()
        }
        Err(error) => {
            state.submitted.failed(&token);
            super::error_page(&console.words, error)
        }
    }
}
