//! Replacing a customer's card from their page: the old card is withdrawn
//! with the reason and stays in their history; the balance stays with the
//! customer. A new number may be scanned, or the group's next one issued.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_domain::{CardId, CustomerId};
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageError, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplaceForm {
    /// A scanned number; empty: the group's next one.
    barcode: String,
    reason: String,
}

pub async fn replace(
    State(state): State<AppState>,
    console: Console,
    Path((id, card_id)): Path<(i64, i64)>,
    Submission { form, once, typed }: Submission<ReplaceForm>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    // The card must be this customer's: the path names both.
    let history = state.app.history(CustomerId(id), &by).await?;
    if !history.cards.iter().any(|c| c.id.0 == card_id) {
        return Err(PageError::NotFound);
    }
    let barcode = Some(form.barcode.trim().to_owned()).filter(|b| !b.is_empty());
    let mut errors = BTreeMap::new();
    match state
        .app
        .replace_card(CardId(card_id), &form.reason, barcode, None, &by)
        .await
    {
        Ok(_) => {
            return Ok(once
                .done(&format!("/customers/{id}?done=card#notice"))
                .await);
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
        Err(error) => return Err(error.into()),
    }
    let actions = Actions {
        card: ActionForm::refused(card_id, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
