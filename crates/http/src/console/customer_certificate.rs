//! A gift certificate issued to a customer from their page, from one of
//! the marketer's templates.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::certificates::Holders;
use clientele_domain::{CertificateTemplateId, CustomerId};

use super::Console;
use super::action_form::{ActionForm, Posted, receive};
use super::customer_page::{Actions, refused};
use crate::extract::Path;
use crate::state::AppState;

pub async fn issue(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let template = values
        .get("template_id")
        .and_then(|t| t.parse().ok())
        .map(CertificateTemplateId);
    let mut errors = BTreeMap::new();
    match template {
        None => {
            errors.insert("template_id".to_owned(), w.t("bulk-no-template"));
        }
        Some(template) => match state
            .app
            .issue_certificates(
                template,
                Holders::Customers(vec![CustomerId(id)]),
                &console.caller.changed_by(),
            )
            .await
        {
            Ok(_) => {
                let target = format!("/customers/{id}?done=certificate#certificates");
                state.submitted.done(&token, &target);
                return Redirect::to(&target).into_response();
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    errors.insert("template_id".to_owned(), w.field_error(&e));
                }
            }
            Err(error) => {
                state.submitted.failed(&token);
                return super::error_page(w, error);
            }
        },
    }
    let actions = Actions {
        certificate: ActionForm::refused(0, token, values, errors),
        ..Actions::blank()
    };
    refused(&state, &console, id, actions).await
}
