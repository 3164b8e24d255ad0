//! `/api/v1/messages`: the outbox, every message to a customer and where it
//! is on its way.

use axum::Extension;
use axum::extract::State;
use clientele_app::{AppError, Message, MessageQuery};
use clientele_domain::message::MessageState;
use clientele_domain::{CustomerId, FieldError, MessageId};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use crate::access::Caller;
use crate::extract::QueryPairs;
use crate::problem::ApiError;
use crate::state::AppState;

/// A message to a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageBody {
    /// Unique in the shop.
    pub id: i64,
    pub customer_id: i64,
    /// What made it: `manual` (with points by hand), `birthday`, `campaign`,
    /// `trigger`, `chat`, `receipt`, `code`.
    pub source: String,
    /// The channels it may go over, in the order they are tried: `email`,
    /// `sms`, `viber`, `push`, `messenger`.
    pub channels: Vec<String>,
    pub subject: Option<String>,
    pub body: String,
    /// `queued`, `held`, `capped`, `no_consent`, `no_contact`, `expired`,
    /// `sending`, `sent`, `delivered`, `failed`, `cancelled`.
    pub state: String,
    /// Why it is in its state, e.g. `quiet_hours`, `daily_cap`,
    /// `consent_withdrawn`, `no_address`, `refused`, `interrupted`.
    pub reason: Option<String>,
    /// The channel and address it left over.
    pub channel: Option<String>,
    pub address: Option<String>,
    /// Tries so far.
    pub attempts: i64,
    /// When it is (or was) next looked at.
    pub due_at: String,
    /// After this it is not sent.
    pub expires_at: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub delivered_at: Option<String>,
    /// The provider's id of it.
    pub provider_id: Option<String>,
    /// The provider's answer to the last failure.
    pub answer: Option<String>,
}

impl From<Message> for MessageBody {
    fn from(m: Message) -> MessageBody {
        MessageBody {
            id: m.id.0,
            customer_id: m.customer_id.0,
            source: m.source.as_str().into(),
            channels: m.channels.iter().map(|c| c.as_str().into()).collect(),
            subject: m.subject,
            body: m.body,
            state: m.state.as_str().into(),
            reason: m.reason,
            channel: m.channel.map(|c| c.as_str().into()),
            address: m.address,
            attempts: m.attempts,
            due_at: m.due_at.to_string(),
            expires_at: m.expires_at.to_string(),
            created_at: m.created_at.to_string(),
            sent_at: m.sent_at.map(|t| t.to_string()),
            delivered_at: m.delivered_at.map(|t| t.to_string()),
            provider_id: m.provider_id,
            answer: m.answer,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessagePage {
    /// Newest first.
    pub items: Vec<MessageBody>,
    /// Pass as `cursor` for older messages; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The outbox, newest first (a store-scoped caller sees their stores'
/// customers' messages only).
#[utoipa::path(get, path = "/api/v1/messages", tag = "messages",
    params(
        ("customer_id" = Option<i64>, Query),
        ("state" = Option<String>, Query, description = "`queued`, `held`, `capped`, `no_consent`, `no_contact`, `expired`, `sending`, `sent`, `delivered`, `failed` or `cancelled`."),
        ("reason" = Option<String>, Query, description = "e.g. `consent_withdrawn`, `quiet_hours`, `daily_cap`."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size, 1–500 (default 50)."),
        ("cursor" = Option<String>, Query, description = "From the previous page's `next_cursor`."),
    ),
    responses((status = 200, body = MessagePage)))]
pub async fn list_messages(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryPairs(pairs): QueryPairs,
) -> Result<axum::Json<MessagePage>, ApiError> {
    let query = message_query(&pairs).map_err(AppError::from_field)?;
    let limit = query.limit as usize;
    let items: Vec<MessageBody> = state
        .app
        .messages(query, &caller.changed_by())
        .await?
        .into_iter()
        .map(MessageBody::from)
        .collect();
    let next_cursor = (items.len() == limit)
        .then(|| items.last().map(|m| m.id.to_string()))
        .flatten();
    Ok(axum::Json(MessagePage { items, next_cursor }))
}

fn message_query(pairs: &[(String, String)]) -> Result<MessageQuery, FieldError> {
    let mut query = MessageQuery {
        limit: 50,
        ..MessageQuery::default()
    };
    for (key, value) in pairs {
        let bad = |what: &str| {
            FieldError::new(key.as_str(), "invalid", format!("«{value}» is not {what}"))
        };
        match key.as_str() {
            "customer_id" => {
                query.customer_id = Some(CustomerId(value.parse().map_err(|_| bad("an id"))?))
            }
            "state" => query.state = Some(MessageState::parse(value.trim())?),
            "reason" => query.reason = Some(value.trim().to_owned()),
            "limit" => query.limit = super::page_limit(value)?,
            "cursor" => query.before = Some(MessageId(super::id_cursor(value)?)),
            other => {
                return Err(FieldError::new(
                    other,
                    "unknown_parameter",
                    format!(
                        "unknown parameter «{other}»; known: customer_id, state, reason, limit, cursor"
                    ),
                ));
            }
        }
    }
    Ok(query)
}

/// The states a list may be narrowed to, as the document lists them.
pub(super) fn contracts() -> Vec<Contract> {
    let states: Vec<&str> = MessageState::ALL.iter().map(|s| s.as_str()).collect();
    vec![Contract::Parameter(
        "GET /api/v1/messages",
        "state",
        json!({"type": "string", "enum": states}),
    )]
}
