//! Actions on the customers ticked in the list, each in one step: a gift
//! certificate to each, points by hand (with the password again), a tier by
//! hand, another group, or the rows to Excel. A refused action comes back to
//! the same list with the rows still ticked and its errors beside its fields.

use std::collections::{BTreeMap, HashSet};

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::certificates::Holders;
use clientele_domain::{
    CertificateTemplateId, CustomerChanges, CustomerGroupId, CustomerId, Module, Right, TierId,
};

use super::Console;
use super::action_form::{ActionForm, receive};
use super::customer_points::{Refused, apply};
use crate::state::AppState;

/// The bulk form's actions, as its buttons name them; the number marks
/// which part of the form a refusal opens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Certificate = 1,
    Points = 2,
    Tier = 3,
    Group = 4,
    Export = 5,
}

impl Action {
    fn parse(raw: &str) -> Option<Action> {
        Some(match raw {
            "certificate" => Action::Certificate,
            "points" => Action::Points,
            "tier" => Action::Tier,
            "group" => Action::Group,
            "export" => Action::Export,
            _ => return None,
        })
    }
}

/// What one action did to how many, or the errors of its fields.
enum Outcome {
    Done(&'static str, usize),
    Refused(BTreeMap<String, String>),
    Workbook(Vec<u8>),
}

pub async fn act(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let (ticked, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == "customer_id");
    let ticked: Vec<CustomerId> = ticked
        .iter()
        .filter_map(|(_, v)| v.parse().ok())
        .map(CustomerId)
        .collect();
    let posted = match receive(&state, &console, rest).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let (token, mut values) = (posted.token, posted.values);
    let list = super::sign_in::safe_next(values.get("back").map_or("/customers", String::as_str))
        .to_owned();
    let action = values
        .get("action")
        .and_then(|a| Action::parse(a))
        .unwrap_or(Action::Certificate);
    let outcome = if ticked.is_empty() {
        Ok(Outcome::Refused(BTreeMap::from([(
            "customer_id".to_owned(),
            w.t("bulk-none-ticked"),
        )])))
    } else {
        let password = values.remove("password").unwrap_or_default();
        run(&state, &console, action, &ticked, &values, password).await
    };
    match outcome {
        Ok(Outcome::Done(what, count)) => {
            let joiner = if list.contains('?') { '&' } else { '?' };
            let target = format!("{list}{joiner}bulk={what}&count={count}");
            state.submitted.done(&token, &target);
            Redirect::to(&target).into_response()
        }
        Ok(Outcome::Workbook(bytes)) => {
            // A download may be asked for again: its token is freed.
            state.submitted.failed(&token);
            workbook(bytes)
        }
        Ok(Outcome::Refused(errors)) => {
            // The corrected form comes again with the same token.
            state.submitted.failed(&token);
            let form = ActionForm::refused(action as i64, token, values, errors);
            let ticked: HashSet<i64> = ticked.iter().map(|c| c.0).collect();
            let pairs = list
                .parse::<Uri>()
                .ok()
                .and_then(|uri| axum::extract::Query::try_from_uri(&uri).ok())
                .map(|axum::extract::Query(pairs)| pairs)
                .unwrap_or_default();
            super::customers::show(&state, &console, pairs, form, &ticked).await
        }
        Err(error) => {
            state.submitted.failed(&token);
            super::error_page(w, error)
        }
    }
}

async fn run(
    state: &AppState,
    console: &Console,
    action: Action,
    ticked: &[CustomerId],
    values: &BTreeMap<String, String>,
    password: String,
) -> Result<Outcome, AppError> {
    let w = &console.words;
    let by = console.caller.changed_by();
    let chosen = |field: &str| {
        values
            .get(field)
            .filter(|v| !v.is_empty())
            .and_then(|v| v.parse::<i64>().ok())
    };
    let one_error =
        |field: &str, key: &str| Outcome::Refused(BTreeMap::from([(field.to_owned(), w.t(key))]));
    match action {
        Action::Certificate => {
            let Some(template) = chosen("template_id") else {
                return Ok(one_error("template_id", "bulk-no-template"));
            };
            let issued = state
                .app
                .issue_certificates(
                    CertificateTemplateId(template),
                    Holders::Customers(ticked.to_vec()),
                    &by,
                )
                .await;
            match issued {
                Ok(issued) => Ok(Outcome::Done("certificates", issued.len())),
                Err(AppError::Validation(errors)) => Ok(field_errors(w, errors)),
                Err(error) => Err(error),
            }
        }
        Action::Points => {
            if !console.may(Module::Points, Right::Edit) {
                return Err(AppError::Forbidden(w.t("bulk-points-forbidden")));
            }
            match apply(state, console, ticked.to_vec(), values, password).await {
                Ok(()) => Ok(Outcome::Done("points", ticked.len())),
                Err(Refused::Fields(errors)) => Ok(Outcome::Refused(errors)),
                Err(Refused::Failure(error)) => Err(error),
            }
        }
        Action::Tier => {
            let tier = chosen("tier_id").map(TierId);
            match state.app.set_tier(ticked, tier, None, &by).await {
                Ok(count) => Ok(Outcome::Done("tier", count)),
                Err(AppError::Validation(errors)) => Ok(field_errors(w, errors)),
                Err(error) => Err(error),
            }
        }
        Action::Group => {
            let Some(group) = chosen("group_id").map(CustomerGroupId) else {
                return Ok(one_error("group_id", "error-required"));
            };
            for id in ticked {
                let changes = CustomerChanges {
                    group_id: Some(group),
                    ..CustomerChanges::default()
                };
                match state
                    .app
                    .update_customer(*id, changes, "console", &by)
                    .await
                {
                    Ok(_) => {}
                    Err(AppError::Validation(errors)) => return Ok(field_errors(w, errors)),
                    Err(error) => return Err(error),
                }
            }
            Ok(Outcome::Done("group", ticked.len()))
        }
        Action::Export => match state.app.export_ticked(ticked, &by).await {
            Ok(bytes) => Ok(Outcome::Workbook(bytes)),
            Err(clientele_app::export::ExportError::App(error)) => Err(error),
            Err(error) => {
                tracing::error!(%error, "the ticked customers were not exported");
                Err(AppError::Unavailable(w.t("bulk-export-failed")))
            }
        },
    }
}

/// A use case's field errors, in the page's words where it has them.
fn field_errors(w: &super::Words, errors: clientele_domain::ValidationErrors) -> Outcome {
    Outcome::Refused(
        errors
            .0
            .into_iter()
            .map(|e| {
                let message = w.field_error(&e);
                (e.field, message)
            })
            .collect(),
    )
}

/// The ticked rows as an Excel file to save.
fn workbook(bytes: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"customers.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
