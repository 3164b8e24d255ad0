//! Replacing a customer's card from their page: the old card is withdrawn
//! with the reason and stays in their history; the balance stays with the
//! customer. A new number may be scanned, or the group's next one issued.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::CardId;

use super::Console;
use super::action_form::{ActionForm, Posted, receive};
use super::customer_page::{Actions, refused};
use crate::extract::Path;
use crate::state::AppState;

pub async fn replace(
    State(state): State<AppState>,
    console: Console,
    Path((id, card_id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let by = console.caller.changed_by();
    // The card must be this customer's: the path names both.
    let owned = match state
        .app
        .history(clientele_domain::CustomerId(id), &by)
        .await
    {
        Ok(history) => history.cards.iter().any(|c| c.id.0 == card_id),
        Err(error) => {
            state.submitted.failed(&token);
            return super::error_page(w, error);
        }
    };
    if !owned {
        state.submitted.failed(&token);
        return super::error_page(w, AppError::NotFound("card"));
    }
    let barcode = values
        .get("barcode")
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty());
    let reason = values.get("reason").cloned().unwrap_or_default();
    let mut errors = BTreeMap::new();
    match state
        .app
        .replace_card(CardId(card_id), &reason, barcode, None, &by)
        .await
    {
        Ok(_) => {
            let target = format!("/customers/{id}?done=card#cards");
            state.submitted.done(&token, &target);
            return Redirect::to(&target).into_response();
        }
        Err(AppError::Validation(refused)) => {
            for e in refused.0 {
                let field = if e.field == "reason" {
                    "reason"
                } else {
                    "barcode"
                };
                errors.insert(field.to_owned(), w.field_error(&e));
            }
        }
        Err(AppError::Conflict {
            field: Some("barcode"),
            ..
        }) => {
            errors.insert("barcode".to_owned(), w.t("card-barcode-taken"));
        }
        Err(AppError::Conflict { message, .. }) => {
            errors.insert("reason".to_owned(), message);
        }
        Err(error) => {
            state.submitted.failed(&token);
            return super::error_page(w, error);
        }
    }
    let actions = Actions {
        card: ActionForm::refused(card_id, token, values, errors),
        ..Actions::blank()
    };
    refused(&state, &console, id, actions).await
}
