//! Points by hand from a customer's page: accrue or write off, with a
//! reason, an optional message to the customer, and the staff user's
//! password again.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::points::AdjustmentInput;
use clientele_domain::CustomerId;

use super::Console;
use super::action_form::{ActionForm, Posted, receive};
use super::customer_page::{Actions, refused};
use crate::extract::Path;
use crate::state::AppState;

/// Points as staff type them, `150` or `12,5`, in hundredths of a point;
/// roubles and percents are typed the same way.
pub(super) fn hundredths(raw: &str) -> Option<i64> {
    let raw = raw.trim().replace([' ', '\u{a0}'], "");
    let (whole, fraction) = match raw.split_once([',', '.']) {
        Some((whole, fraction)) => (whole.to_owned(), fraction.to_owned()),
        None => (raw, String::new()),
    };
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

/// Why points by hand were not applied.
pub(super) enum Refused {
    /// The form's fields, each with what is wrong with it.
    Fields(BTreeMap<String, String>),
    /// Not the user's doing: shown as an error page.
    Failure(AppError),
}

/// Points by hand to `customers` as a form asks: `points` (given, or taken
/// with `direction=write_off`), `comment`, `message`, and the password.
pub(super) async fn apply(
    state: &AppState,
    console: &Console,
    customers: Vec<CustomerId>,
    values: &BTreeMap<String, String>,
    password: String,
) -> Result<(), Refused> {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    let Some(points) =
        hundredths(values.get("points").map_or("", String::as_str)).filter(|p| *p > 0)
    else {
        errors.insert("points".to_owned(), w.t("points-invalid"));
        return Err(Refused::Fields(errors));
    };
    let write_off = values.get("direction").map(String::as_str) == Some("write_off");
    let input = AdjustmentInput {
        customer_ids: customers,
        points: if write_off { -points } else { points },
        comment: values.get("comment").cloned().unwrap_or_default(),
        message: values.get("message").cloned(),
        password,
    };
    match state
        .app
        .adjust_points(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => return Ok(()),
        Err(AppError::Validation(refused)) => {
            for e in refused.0 {
                let field = if e.field == "customer_ids" {
                    "points".to_owned()
                } else {
                    e.field.clone()
                };
                errors.insert(field, w.field_error(&e));
            }
        }
        Err(AppError::Forbidden(_)) => {
            errors.insert("password".to_owned(), w.t("points-wrong-password"));
        }
        Err(AppError::Conflict { .. }) => {
            errors.insert("points".to_owned(), w.t("points-not-enough"));
        }
        Err(AppError::TooManyAttempts { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60);
            errors.insert(
                "password".to_owned(),
                w.with("sign-in-locked", "minutes", minutes.into()),
            );
        }
        Err(error) => return Err(Refused::Failure(error)),
    }
    Err(Refused::Fields(errors))
}

pub async fn give(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Posted { token, mut values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let password = values.remove("password").unwrap_or_default();
    let errors = match apply(&state, &console, vec![CustomerId(id)], &values, password).await {
        Ok(()) => {
            let target = format!("/customers/{id}?done=points#points");
            state.submitted.done(&token, &target);
            return Redirect::to(&target).into_response();
        }
        Err(Refused::Fields(errors)) => errors,
        Err(Refused::Failure(error)) => {
            state.submitted.failed(&token);
            return super::error_page(&console.words, error);
        }
    };
    let actions = Actions {
        points: ActionForm::refused(0, token, values, errors),
        ..Actions::blank()
    };
    refused(&state, &console, id, actions).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_read_as_staff_type_them() {
        assert_eq!(hundredths("150"), Some(15_000));
        assert_eq!(hundredths("12,5"), Some(1_250));
        assert_eq!(hundredths("0.07"), Some(7));
        assert_eq!(hundredths("1 000"), Some(100_000));
        assert_eq!(hundredths(",5"), Some(50));
        for wrong in ["", "abc", "1,234", "-5", "1e3", ","] {
            assert_eq!(hundredths(wrong), None, "{wrong}");
        }
    }
}
