//! Setting a customer's tier by hand from their page, for good or until a
//! day (a purchase reaching a higher tier still raises it), or clearing it.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_domain::{CustomerId, TierId};
use jiff::civil::Date;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TierForm {
    /// Empty: no tier.
    tier_id: String,
    /// The last day, `YYYY-MM-DD`; empty: for good.
    until: String,
}

pub async fn set(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<TierForm>,
) -> PageResult {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    let tier = form.tier_id.parse().ok().map(TierId);
    // The day given ends at the shop's midnight.
    let until = match form.until.trim() {
        "" => None,
        raw => match raw.parse::<Date>().ok().and_then(|day| {
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
                return Ok(once
                    .done(&format!("/customers/{id}?done=tier#notice"))
                    .await);
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    let message = w.field_error(&e);
                    errors.insert(e.field, message);
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    let actions = Actions {
        tier: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
