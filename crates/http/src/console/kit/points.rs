//! Points by hand, as the customer page, the list's bulk actions and the
//! birthday calendar give them: accrue or write off, with a reason, an
//! optional message to the customer, and the staff user's password again.

use std::collections::BTreeMap;

use clientele_app::AppError;
use clientele_app::points::AdjustmentInput;
use clientele_domain::CustomerId;
use serde::Deserialize;

use super::frame::Console;
use super::numbers::hundredths;
use crate::state::AppState;

/// The points fields (`kit/points_fields.html`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PointsForm {
    pub points: String,
    /// `write_off` takes points; anything else gives them.
    pub direction: String,
    pub comment: String,
    pub message: Option<String>,
    pub password: String,
}

/// Why points by hand were not applied.
pub enum Refused {
    /// The form's fields, each with what is wrong with it.
    Fields(BTreeMap<String, String>),
    /// Not the user's doing: shown as an error page.
    Failure(AppError),
}

/// Points by hand to `customers` as the form asks.
pub async fn give_points(
    state: &AppState,
    console: &Console,
    customers: Vec<CustomerId>,
    form: PointsForm,
) -> Result<(), Refused> {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    let Some(points) = hundredths(&form.points).filter(|p| *p > 0) else {
        errors.insert("points".to_owned(), w.t("points-invalid"));
        return Err(Refused::Fields(errors));
    };
    let write_off = form.direction == "write_off";
    let input = AdjustmentInput {
        customer_ids: customers,
        points: if write_off { -points } else { points },
        comment: form.comment,
        message: form.message,
        password: form.password,
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
