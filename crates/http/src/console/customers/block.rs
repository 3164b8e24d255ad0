//! Blocking a customer from their page, with the reason (a blocked customer
//! is refused at the till), and unblocking them.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_domain::{CustomerChanges, CustomerId};
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BlockForm {
    /// `unblock`; anything else blocks.
    action: String,
    reason: String,
}

pub async fn set(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<BlockForm>,
) -> PageResult {
    let w = &console.words;
    let block = form.action != "unblock";
    let reason = Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty());
    if block && reason.is_none() {
        let errors = BTreeMap::from([("reason".to_owned(), w.t("error-required"))]);
        let actions = Actions {
            block: ActionForm::refused(0, &once, typed, errors),
            ..Actions::blank()
        };
        return page(&state, &console, id, actions).await;
    }
    let changes = CustomerChanges {
        blocked: Some(block),
        blocked_reason: Some(reason),
        ..CustomerChanges::default()
    };
    state
        .app
        .update_customer(
            CustomerId(id),
            changes,
            "console",
            &console.caller.changed_by(),
        )
        .await?;
    let done = if block { "blocked" } else { "unblocked" };
    Ok(once
        .done(&format!("/customers/{id}?done={done}#notice"))
        .await)
}
