//! An offer's buttons: paused or resumed, and single-use coupons made,
//! 1 to 100 000 at a time.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_app::offers::{MOST_COUPONS, OfferChanges};
use clientele_domain::OfferId;
use serde::Deserialize;

use super::view::{Shown, page};
use crate::console::kit::{ActionForm, Console, PageError, PageResult, Path, Reader, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    /// `true` resumes, anything else pauses.
    active: String,
    version: String,
}

pub async fn switch(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, .. }: Submission<SwitchForm>,
) -> PageResult {
    let version = form.version.parse().map_err(|_| PageError::BadRequest)?;
    let active = form.active == "true";
    let changes = OfferChanges {
        active: Some(active),
        ..OfferChanges::default()
    };
    let by = console.caller.changed_by();
    match (state.app)
        .change_offer(OfferId(id), changes, version, &by)
        .await
    {
        Ok(_) => {
            let done = if active { "resumed" } else { "paused" };
            Ok(once.done(&format!("/offers/{id}?done={done}")).await)
        }
        Err(AppError::Conflict { .. }) => Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: console.words.t("offer-stale"),
        }),
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CouponsForm {
    count: String,
}

pub async fn make_coupons(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<CouponsForm>,
) -> PageResult {
    let w = &console.words;
    let mut read = Reader::new(w);
    let count = read
        .whole("count", &form.count)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| (1..=MOST_COUPONS).contains(n));
    let Some(count) = count else {
        let errors = BTreeMap::from([("count".to_owned(), w.t("offer-error-count"))]);
        let make = ActionForm::refused(0, &once, typed, errors);
        return page(&state, &console, id, refused(make)).await;
    };
    let by = console.caller.changed_by();
    match (state.app)
        .issue_coupons(OfferId(id), count, Vec::new(), &by)
        .await
    {
        Ok(made) => Ok(once
            .done(&format!("/offers/{id}?made={}#coupons", made.len()))
            .await),
        // The offer asks for no single-use coupons (changed meanwhile).
        Err(AppError::Conflict { .. }) => Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: w.t("offer-coupons-not-unique"),
        }),
        Err(error) => Err(error.into()),
    }
}

fn refused(make: ActionForm) -> Shown {
    Shown {
        notice: None,
        make,
        after: None,
    }
}
