//! Gift certificate templates: the list (face value, validity, spent in
//! parts or at once), a form to create one, and one per template to change
//! its terms for the certificates issued from then on.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_domain::certificate::NewCertificateTemplate;
use clientele_domain::{CertificateTemplateId, Module, Right};

use super::action_form::{ActionForm, Posted, receive};
use super::program_form::refused_fields;
use super::rates::{Reader, money_field};
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::{Path, QueryPairs};
use crate::state::AppState;

struct TemplateRow {
    id: i64,
    name: String,
    face_value: String,
    /// The edit form's fields as the template fills them.
    face_value_field: String,
    valid_days: i64,
    partial_use: bool,
    validity: String,
    usage: String,
    created: String,
}

#[derive(Template)]
#[template(path = "certificate_templates.html")]
struct TemplatesPage<'a> {
    c: Chrome,
    w: &'a Words,
    rows: Vec<TemplateRow>,
    notice: Option<String>,
    /// Creating a template, for a role that may edit.
    create: Option<ActionForm>,
}

async fn page(
    state: &AppState,
    console: &Console,
    notice: Option<String>,
    create: Option<ActionForm>,
    status: StatusCode,
) -> Response {
    let w = &console.words;
    let templates = match state.app.certificate_templates().await {
        Ok(templates) => templates,
        Err(error) => return error_page(w, error),
    };
    let rows = templates
        .into_iter()
        .map(|t| TemplateRow {
            id: t.id.0,
            name: t.name,
            face_value: w.money(t.face_value_minor),
            face_value_field: money_field(w, t.face_value_minor),
            valid_days: t.valid_days,
            partial_use: t.partial_use,
            validity: w.n("certificate-valid-days", t.valid_days),
            usage: w.t(if t.partial_use {
                "certificate-partial"
            } else {
                "certificate-whole"
            }),
            created: w.day(t.created_at),
        })
        .collect();
    render(
        status,
        &TemplatesPage {
            c: console.chrome(),
            w,
            rows,
            notice,
            create,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    QueryPairs(pairs): QueryPairs,
) -> Response {
    let notice = pairs
        .iter()
        .find(|(k, _)| k == "done")
        .and_then(|(_, done)| match done.as_str() {
            "template" => Some(console.words.t("certificate-template-created")),
            "template-saved" => Some(console.words.t("certificate-template-saved")),
            _ => None,
        });
    let create = console
        .may(Module::Programs, Right::Edit)
        .then(ActionForm::blank);
    page(&state, &console, notice, create, StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, Some(CertificateTemplateId(id)), pairs).await
}

/// A new template, or template `editing` given other terms.
async fn save(
    state: &AppState,
    console: &Console,
    editing: Option<CertificateTemplateId>,
    pairs: Vec<(String, String)>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(state, console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut read = Reader::new(w, &values);
    let template = NewCertificateTemplate {
        name: read.text("name").to_owned(),
        face_value_minor: read.hundredths("face_value").unwrap_or(0),
        valid_days: read.whole("valid_days").unwrap_or(0),
        partial_use: values.get("usage").is_some_and(|u| u == "partial"),
    };
    let mut errors = read.errors;
    if errors.is_empty() {
        let by = console.caller.changed_by();
        let saved = match editing {
            None => state.app.create_certificate_template(template, &by).await,
            Some(id) => {
                state
                    .app
                    .update_certificate_template(id, template, &by)
                    .await
            }
        };
        match saved.map_err(|error| refused_fields(w, error)) {
            Ok(_) => {
                let target = if editing.is_some() {
                    "/settings/certificates?done=template-saved"
                } else {
                    "/settings/certificates?done=template"
                };
                state.submitted.done(&token, target);
                return Redirect::to(target).into_response();
            }
            Err(Ok(refused)) => errors = refused,
            Err(Err(error)) => {
                state.submitted.failed(&token);
                return error_page(w, error);
            }
        }
    }
    state.submitted.failed(&token);
    let subject = editing.map_or(0, |id| id.0);
    let create = ActionForm::refused(subject, token, values, errors);
    page(
        state,
        console,
        None,
        Some(create),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
