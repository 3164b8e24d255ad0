//! Gift certificate templates: the list (face value, validity, spent in
//! parts or at once), a form to create one, and one per template to change
//! its terms for the certificates issued from then on.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::certificate::NewCertificateTemplate;
use clientele_domain::{CertificateTemplateId, Module, Right};
use serde::Deserialize;

use super::rules::refused_fields;
use crate::console::kit::{
    ActionForm, Chrome, Console, PageResult, Path, Query, Reader, Submission, Words, money_field,
    render,
};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    name: String,
    /// In roubles.
    face_value: String,
    valid_days: String,
    /// `partial`: spent in parts; anything else at once.
    usage: String,
}

/// What the last action did: `template`, `template-saved`.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

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
#[template(path = "programs/certificate_templates.html")]
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
) -> PageResult {
    let w = &console.words;
    let templates = state.app.certificate_templates().await?;
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
    Ok(render(
        status,
        &TemplatesPage {
            c: console.chrome(),
            w,
            rows,
            notice,
            create,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<DoneQuery>,
) -> PageResult {
    let notice = match done.done.as_deref() {
        Some("template") => Some(console.words.t("certificate-template-created")),
        Some("template-saved") => Some(console.words.t("certificate-template-saved")),
        _ => None,
    };
    let create = console
        .may(Module::Programs, Right::Edit)
        .then(ActionForm::blank);
    page(&state, &console, notice, create, StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    submission: Submission<TemplateForm>,
) -> PageResult {
    save(&state, &console, None, submission).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    submission: Submission<TemplateForm>,
) -> PageResult {
    save(
        &state,
        &console,
        Some(CertificateTemplateId(id)),
        submission,
    )
    .await
}

/// A new template, or template `editing` given other terms.
async fn save(
    state: &AppState,
    console: &Console,
    editing: Option<CertificateTemplateId>,
    Submission { form, once, typed }: Submission<TemplateForm>,
) -> PageResult {
    let w = &console.words;
    let mut read = Reader::new(w);
    let template = NewCertificateTemplate {
        name: form.name.trim().to_owned(),
        face_value_minor: read.hundredths("face_value", &form.face_value).unwrap_or(0),
        valid_days: read.whole("valid_days", &form.valid_days).unwrap_or(0),
        partial_use: form.usage == "partial",
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
                return Ok(once.done(target).await);
            }
            Err(Ok(refused)) => errors = refused,
            Err(Err(error)) => return Err(error.into()),
        }
    }
    let subject = editing.map_or(0, |id| id.0);
    let create = ActionForm::refused(subject, &once, typed, errors);
    page(
        state,
        console,
        None,
        Some(create),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
