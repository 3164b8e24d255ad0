//! `/api/v1/triggers`: the automatic messages, one per kind, each sent on
//! its occasion once per customer.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::KeptTrigger;
use clientele_domain::message::Channel;
use clientele_domain::trigger::{MAX_DAYS, TriggerInput, TriggerKind};
use clientele_domain::{TemplateId, TriggerId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A trigger to set up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTriggerBody {
    /// `welcome` (a new customer), `first_purchase`, `birthday` (with the
    /// program's birthday points), `win_back` (no purchase for `days`),
    /// `points_expiring` (within `days`), `tier_raised`, `tier_lowered`.
    /// One trigger of each kind.
    pub kind: String,
    /// What it says, in the template's words as they are when it sends.
    pub template_id: i64,
    /// The channels to try, in order; none: push, viber, sms, email.
    #[serde(default)]
    pub channels: Vec<String>,
    /// For `win_back` and `points_expiring`: 1 to 366.
    pub days: Option<i64>,
    /// Switched on, it sends on occasions from then on.
    #[serde(default)]
    pub active: bool,
}

/// A trigger's new terms, if it is still at `version` (its kind stays).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerChange {
    pub template_id: i64,
    #[serde(default)]
    pub channels: Vec<String>,
    /// Absent: as they are.
    pub days: Option<i64>,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TriggerBody {
    pub id: i64,
    pub kind: String,
    pub template_id: i64,
    pub channels: Vec<String>,
    pub days: Option<i64>,
    pub active: bool,
    /// When it was last switched on.
    pub activated_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl From<KeptTrigger> for TriggerBody {
    fn from(t: KeptTrigger) -> TriggerBody {
        TriggerBody {
            id: t.id.0,
            kind: t.kind.as_str().into(),
            template_id: t.template_id.0,
            channels: t.channels.iter().map(|c| c.as_str().into()).collect(),
            days: t.days,
            active: t.active,
            activated_at: t.activated_at.map(|at| at.to_string()),
            created_at: t.created_at.to_string(),
            updated_at: t.updated_at.to_string(),
            version: t.version,
        }
    }
}

/// List triggers.
#[utoipa::path(get, path = "/api/v1/triggers", tag = "messages",
    responses((status = 200, body = Items<TriggerBody>)))]
pub async fn list_triggers(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<TriggerBody>>, ApiError> {
    let items = state
        .app
        .triggers()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Set up the trigger of a kind.
#[utoipa::path(post, path = "/api/v1/triggers", tag = "messages", request_body = NewTriggerBody,
    responses((status = 201, body = TriggerBody),
        (status = 404, description = "There is no such template."),
        (status = 409, description = "This kind has its trigger already.")))]
pub async fn create_trigger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewTriggerBody>,
) -> Result<(StatusCode, axum::Json<TriggerBody>), ApiError> {
    let input = TriggerInput {
        kind: body.kind,
        template_id: Some(TemplateId(body.template_id)),
        channels: body.channels,
        days: body.days,
        active: body.active,
    };
    let kept = state
        .app
        .create_trigger(input, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(kept.into())))
}

/// Read a trigger.
#[utoipa::path(get, path = "/api/v1/triggers/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = TriggerBody)))]
pub async fn read_trigger(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<TriggerBody>, ApiError> {
    Ok(axum::Json(state.app.trigger(TriggerId(id)).await?.into()))
}

/// Change a trigger: its words, channels, days, or switch it on or off.
#[utoipa::path(put, path = "/api/v1/triggers/{id}", tag = "messages", params(("id" = i64, Path)),
    request_body = TriggerChange,
    responses((status = 200, body = TriggerBody),
        (status = 404, description = "There is no such template."),
        (status = 409, description = "The trigger changed since `version`.")))]
pub async fn update_trigger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<TriggerChange>,
) -> Result<axum::Json<TriggerBody>, ApiError> {
    let id = TriggerId(id);
    let kept = state.app.trigger(id).await?;
    let input = TriggerInput {
        kind: kept.kind.as_str().into(),
        template_id: Some(TemplateId(body.template_id)),
        channels: body.channels,
        // Absent, the days stay as they are.
        days: body.days.or(kept.days),
        active: body.active,
    };
    let kept = state
        .app
        .edit_trigger(id, input, body.version, &caller.changed_by())
        .await?;
    Ok(axum::Json(kept.into()))
}

pub(super) fn contracts() -> Vec<Contract> {
    let kinds: Vec<&str> = TriggerKind::ALL.iter().map(|k| k.as_str()).collect();
    let counting: Vec<&str> = TriggerKind::ALL
        .iter()
        .filter(|k| k.counts_days())
        .map(|k| k.as_str())
        .collect();
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let days = json!({"type": "integer", "minimum": 1, "maximum": MAX_DAYS});
    vec![
        Contract::Body(
            "NewTriggerBody",
            json!({
                "properties": {
                    "kind": {"enum": kinds},
                    "channels": {"type": "array", "items": {"enum": channels}, "uniqueItems": true},
                },
                // A trigger that counts days is given them.
                "oneOf": [
                    {"properties": {"kind": {"enum": counting}, "days": days}, "required": ["days"]},
                    {"not": {"properties": {"kind": {"enum": counting}}}},
                ],
            }),
        ),
        Contract::Body(
            "TriggerChange",
            json!({"properties": {
                "channels": {"type": "array", "items": {"enum": channels}, "uniqueItems": true},
                "days": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_DAYS},
            }}),
        ),
    ]
}
