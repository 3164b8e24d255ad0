//! `/api/v1/chats`: threads with customers who wrote, and staff's answers.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::chats::Chat;
use clientele_app::{AppError, ChatMessage, ChatThread};
use clientele_domain::CustomerId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadBody {
    pub customer_id: i64,
    /// The channel the customer wrote from; answers go there.
    pub channel: String,
    pub opened_at: String,
    pub last_at: String,
    /// The thread's last message, either way.
    pub last_text: String,
    /// Since when the customer waits for an answer; absent: answered.
    pub waiting_since: Option<String>,
    pub open: bool,
}

impl From<ChatThread> for ThreadBody {
    fn from(t: ChatThread) -> ThreadBody {
        ThreadBody {
            customer_id: t.customer_id.0,
            channel: t.channel.as_str().into(),
            opened_at: t.opened_at.to_string(),
            last_at: t.last_at.to_string(),
            last_text: t.last_text,
            waiting_since: t.waiting_since.map(|at| at.to_string()),
            open: t.open,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatMessageBody {
    pub id: i64,
    /// `in` (the customer) or `out` (staff).
    pub direction: String,
    pub channel: String,
    pub text: String,
    pub at: String,
    /// The staff user who answered.
    pub author_id: Option<i64>,
    /// An answer's message in the outbox (`GET /api/v1/messages`).
    pub message_id: Option<i64>,
}

impl From<ChatMessage> for ChatMessageBody {
    fn from(m: ChatMessage) -> ChatMessageBody {
        ChatMessageBody {
            id: m.id,
            direction: m.direction.as_str().into(),
            channel: m.channel.as_str().into(),
            text: m.text,
            at: m.at.to_string(),
            author_id: m.author.map(|u| u.0),
            message_id: m.message_id.map(|m| m.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatBody {
    pub thread: ThreadBody,
    /// Oldest first.
    pub messages: Vec<ChatMessageBody>,
}

impl From<Chat> for ChatBody {
    fn from(chat: Chat) -> ChatBody {
        ChatBody {
            thread: chat.thread.into(),
            messages: chat.messages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// Up to 2,000 characters.
    pub text: String,
}

/// The open threads, the longest waiting first (a store-scoped caller sees
/// their stores' customers').
#[utoipa::path(get, path = "/api/v1/chats", tag = "messages",
    responses((status = 200, body = Items<ThreadBody>)))]
pub async fn inbox(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Items<ThreadBody>>, ApiError> {
    let items = state
        .app
        .chat_inbox(&caller.changed_by())
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// A customer's thread with its messages.
#[utoipa::path(get, path = "/api/v1/chats/{customer_id}", tag = "messages",
    params(("customer_id" = i64, Path)),
    responses((status = 200, body = ChatBody)))]
pub async fn read_chat(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(customer): Path<i64>,
) -> Result<axum::Json<ChatBody>, ApiError> {
    let chat = state
        .app
        .chat(CustomerId(customer), &caller.changed_by())
        .await?
        .ok_or(AppError::NotFound("chat"))?;
    Ok(axum::Json(chat.into()))
}

/// Answer a customer in their thread; it leaves through the outbox over
/// the channel they wrote from.
#[utoipa::path(post, path = "/api/v1/chats/{customer_id}/messages", tag = "messages",
    params(("customer_id" = i64, Path)), request_body = AnswerRequest,
    responses((status = 201, body = ChatMessageBody),
        (status = 409, description = "The customer has not written: a chat opens when they write first.")))]
pub async fn answer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(customer): Path<i64>,
    Json(request): Json<AnswerRequest>,
) -> Result<(StatusCode, axum::Json<ChatMessageBody>), ApiError> {
    let answered = state
        .app
        .answer_chat(CustomerId(customer), &request.text, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(answered.into())))
}

/// Close a thread; the customer's next message opens it again.
#[utoipa::path(post, path = "/api/v1/chats/{customer_id}/close", tag = "messages",
    params(("customer_id" = i64, Path)),
    responses((status = 204, description = "Closed.")))]
pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(customer): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .close_chat(CustomerId(customer), &caller.changed_by())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn contracts() -> Vec<Contract> {
    vec![Contract::Body(
        "AnswerRequest",
        json!({"properties": {"text": {"type": "string", "minLength": 1, "maxLength": 2000,
                                        "pattern": "^[^\\x00]*[^\\s\\x00][^\\x00]*$"}}}),
    )]
}
