//! Setting a customer's tier by hand from their page, for good or until a
//! day (a purchase reaching a higher tier still raises it), or clearing it.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::{CustomerId, TierId};
use jiff::civil::Date;

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
    let mut errors = BTreeMap::new();
    let tier = values
        .get("tier_id")
        .filter(|t| !t.is_empty())
        .and_then(|t| t.parse().ok())
        .map(TierId);
    // The day given ends at the shop's midnight.
    let until = match values
        .get("until")
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
    {
        None => None,
        Some(raw) => match raw.parse::<Date>().ok().and_then(|day| {
            day.tomorrow()
                .ok()?
                .to_zoned(state.app.clock().zone().clone())
                .ok()
        }) {
            Some(end) => Some(end.timestamp()),
            None => {
                errors.insert("until".to_owned(), w.t("error-invalid_date"));
                None
            }
        },
    };
    if errors.is_empty() {
        match state
            .app
            .set_tier(&[CustomerId(id)], tier, until, &console.caller.changed_by())
            .await
        {
            Ok(_) => {
                let target = format!("/customers/{id}?done=tier");
                state.submitted.done(&token, &target);
                return Redirect::to(&target).into_response();
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    let message = w.field_error(&e);
                    errors.insert(e.field, message);
                }
            }
            Err(error) => {
                state.submitted.failed(&token);
                return super::error_page(w, error);
            }
        }
    }
    let actions = Actions {
        tier: ActionForm::refused(0, token, values, errors),
        ..Actions::blank()
    };
    refused(&state, &console, id, actions).await
}
