//! Points by hand from a customer's page: accrue or write off, with a
//! reason, an optional message to the customer, and the staff user's
//! password again.

use axum::extract::State;
use clientele_domain::CustomerId;

use super::profile::{Actions, page};
use crate::console::kit::{
    ActionForm, Console, PageResult, Path, PointsForm, Refused, Submission, give_points,
};
use crate::state::AppState;

pub async fn give(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<PointsForm>,
) -> PageResult {
    let errors = match give_points(&state, &console, vec![CustomerId(id)], form).await {
        Ok(()) => {
            return Ok(once
                .done(&format!("/customers/{id}?done=points#notice"))
                .await);
        }
        Err(Refused::Fields(errors)) => errors,
        Err(Refused::Failure(error)) => return Err(error.into()),
    };
    let actions = Actions {
        points: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
