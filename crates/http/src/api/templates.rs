//! `/api/v1/templates`: what campaigns and triggers say, with placeholders
//! filled in for each customer when a message leaves.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::KeptTemplate;
use clientele_app::campaigns::Preview;
use clientele_domain::template::TemplateInput;
use clientele_domain::{CustomerId, TemplateId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A template's words. Placeholders are written `{{ name }}`: `name`,
/// `first_name`, `balance`, `expiring_points`, `expiring_on`, `tier`,
/// `coupon`, `offer`; any other is refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplateWords {
    /// Unique among templates.
    pub name: String,
    /// `ru` or `en`: how numbers and dates are written.
    pub locale: String,
    /// The e-mail's subject (and a push's title); one line.
    pub subject: Option<String>,
    /// The plain text: every channel sends it.
    pub body: String,
    /// An e-mail's HTML as written; customer data is escaped into it.
    pub html: Option<String>,
}

impl From<MessageTemplateWords> for TemplateInput {
    fn from(w: MessageTemplateWords) -> TemplateInput {
        words(w.name, w.locale, w.subject, w.body, w.html)
    }
}

/// The words of a body that carries them beside other fields.
fn words(
    name: String,
    locale: String,
    subject: Option<String>,
    body: String,
    html: Option<String>,
) -> TemplateInput {
    TemplateInput {
        name,
        locale,
        subject,
        body,
        html,
    }
}

/// A template's new words, if it is still at `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplateChange {
    pub name: String,
    pub locale: String,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
    /// As read: a template changed meanwhile is not overwritten.
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageTemplateBody {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl From<KeptTemplate> for MessageTemplateBody {
    fn from(t: KeptTemplate) -> MessageTemplateBody {
        MessageTemplateBody {
            id: t.id.0,
            name: t.record.name,
            locale: t.record.locale.as_str().into(),
            subject: t.record.subject,
            body: t.record.body,
            html: t.record.html,
            created_at: t.created_at.to_string(),
            updated_at: t.updated_at.to_string(),
            version: t.version,
        }
    }
}

/// Words to preview, for a customer or a made-up one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplatePreview {
    pub name: String,
    pub locale: String,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
    /// Whose data fills the placeholders; none: a made-up customer.
    pub customer_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageTemplatePreviewBody {
    pub customer_id: Option<i64>,
    pub subject: Option<String>,
    pub text: String,
    pub html: Option<String>,
}

impl From<Preview> for MessageTemplatePreviewBody {
    fn from(p: Preview) -> MessageTemplatePreviewBody {
        MessageTemplatePreviewBody {
            customer_id: p.customer_id.map(|c| c.0),
            subject: p.rendered.subject,
            text: p.rendered.text,
            html: p.rendered.html,
        }
    }
}

/// List templates, by name.
#[utoipa::path(get, path = "/api/v1/templates", tag = "messages",
    responses((status = 200, body = Items<MessageTemplateBody>)))]
pub async fn list_message_templates(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<MessageTemplateBody>>, ApiError> {
    let items = state
        .app
        .templates()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a template.
#[utoipa::path(post, path = "/api/v1/templates", tag = "messages", request_body = MessageTemplateWords,
    responses((status = 201, body = MessageTemplateBody),
        (status = 409, description = "Another template has this name.")))]
pub async fn create_message_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<MessageTemplateWords>,
) -> Result<(StatusCode, axum::Json<MessageTemplateBody>), ApiError> {
    let kept = state
        .app
        .create_template(body.into(), &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(kept.into())))
}

/// Read a template.
#[utoipa::path(get, path = "/api/v1/templates/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = MessageTemplateBody)))]
pub async fn read_message_template(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<MessageTemplateBody>, ApiError> {
    Ok(axum::Json(state.app.template(TemplateId(id)).await?.into()))
}

/// Replace a template's words; campaigns made from it keep theirs.
#[utoipa::path(put, path = "/api/v1/templates/{id}", tag = "messages", params(("id" = i64, Path)),
    request_body = MessageTemplateChange,
    responses((status = 200, body = MessageTemplateBody),
        (status = 409, description = "The template changed since `version`, or another has this name.")))]
pub async fn update_message_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<MessageTemplateChange>,
) -> Result<axum::Json<MessageTemplateBody>, ApiError> {
    let kept = state
        .app
        .edit_template(
            TemplateId(id),
            words(body.name, body.locale, body.subject, body.body, body.html),
            body.version,
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(kept.into()))
}

/// What words say to a customer as they are now (or to a made-up one);
/// nothing is kept or sent.
#[utoipa::path(post, path = "/api/v1/templates/preview", tag = "messages",
    request_body = MessageTemplatePreview,
    responses((status = 200, body = MessageTemplatePreviewBody),
        (status = 404, description = "There is no such customer.")))]
pub async fn preview_message_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<MessageTemplatePreview>,
) -> Result<axum::Json<MessageTemplatePreviewBody>, ApiError> {
    let preview = state
        .app
        .preview_template(
            words(body.name, body.locale, body.subject, body.body, body.html),
            body.customer_id.map(CustomerId),
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(preview.into()))
}

pub(super) fn contracts() -> Vec<Contract> {
    // Braces are left out of the valid words: a placeholder is checked by
    // name, and `{{ name }}` is as valid as plain text.
    let words = json!({
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100,
                     "pattern": "^[^\\x00]*[^\\s\\x00][^\\x00]*$"},
            "locale": {"enum": ["ru", "en"]},
            "subject": {"type": ["string", "null"], "maxLength": 200, "pattern": "^[^\\r\\n{}\\x00]*$"},
            "body": {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": "^[^{}\\x00]*[^\\s{}\\x00][^{}\\x00]*$"},
            "html": {"type": ["string", "null"], "maxLength": 100000, "pattern": "^[^{}\\x00]*$"},
        },
    });
    vec![
        Contract::Body("MessageTemplateWords", words.clone()),
        Contract::Body("MessageTemplateChange", words.clone()),
        Contract::Body("MessageTemplatePreview", words),
    ]
}
