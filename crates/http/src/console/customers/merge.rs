//! Merging a duplicate into the customer whose page this is: the duplicate
//! is named by its phone, card number or id, the staff user confirms, and
//! its purchases, points and cards move here (the duplicate is archived).

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_app::customers::ListParams;
use clientele_domain::CustomerId;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MergeForm {
    /// A phone, a card number, or `#id`.
    duplicate: String,
    /// `yes` when the box is ticked.
    confirm: String,
}

pub async fn merge(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<MergeForm>,
) -> PageResult {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    let duplicate = find(&state, &console, form.duplicate.trim()).await?;
    match duplicate {
        None => {
            errors.insert("duplicate".to_owned(), w.t("merge-not-found"));
        }
        Some(_) if form.confirm != "yes" => {
            errors.insert("confirm".to_owned(), w.t("merge-confirm-required"));
        }
        Some(duplicate) => match state
            .app
            .merge_customers(CustomerId(id), duplicate, &console.caller.changed_by())
            .await
        {
            Ok(_) => {
                return Ok(once
                    .done(&format!("/customers/{id}?done=merged#notice"))
                    .await);
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    errors.insert("duplicate".to_owned(), w.field_error(&e));
                }
            }
            Err(error) => return Err(error.into()),
        },
    }
    let actions = Actions {
        merge: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}

/// The one customer a phone, card number or id names, within the caller's
/// reach; none when it names nobody or several.
async fn find(
    state: &AppState,
    console: &Console,
    named: &str,
) -> Result<Option<CustomerId>, AppError> {
    if named.is_empty() {
        return Ok(None);
    }
    // `№123` or `#123` names a customer by number; anything else is searched for.
    if let Some(id) = named.strip_prefix('№').or_else(|| named.strip_prefix('#')) {
        let Ok(id) = id.trim().parse::<i64>() else {
            return Ok(None);
        };
        return match state
            .app
            .customer_for(CustomerId(id), &console.caller.changed_by())
            .await
        {
            Ok(customer) => Ok(Some(customer.id)),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        };
    }
    let params = ListParams {
        filter: vec![("q".to_owned(), named.to_owned())],
        limit: Some("2".into()),
        scope: console.caller.scope.clone(),
        ..ListParams::default()
    };
    match state.app.list_customers(&params).await {
        Ok((page, _)) if page.items.len() == 1 => Ok(Some(page.items[0].id)),
        Ok(_) | Err(AppError::Validation(_)) => Ok(None),
        Err(error) => Err(error),
    }
}
