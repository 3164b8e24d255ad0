//! A gift certificate issued to a customer from their page, from one of
//! the marketer's templates.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_app::certificates::Holders;
use clientele_domain::{CertificateTemplateId, CustomerId};
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CertificateForm {
    template_id: String,
}

pub async fn issue(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<CertificateForm>,
) -> PageResult {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    match form.template_id.parse().ok().map(CertificateTemplateId) {
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
                let target = format!("/customers/{id}?done=certificate#notice");
                return Ok(once.done(&target).await);
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    errors.insert("template_id".to_owned(), w.field_error(&e));
                }
            }
            Err(error) => return Err(error.into()),
        },
    }
    let actions = Actions {
        certificate: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
