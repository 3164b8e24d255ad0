//! `/api/v1/channels`: how messages leave (each channel's provider and
//! settings), a test through one, and the delivery reports providers post
//! back.

use axum::Extension;
use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use clientele_app::AppError;
use clientele_app::outbox::channels::ProviderSettings;
use clientele_app::outbox::channels::{Proof, ReportsTaken, SetUpChannel, TestOutcome, Webhook};
use clientele_domain::FieldError;
use clientele_domain::message::Channel;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path, QueryPairs};
use crate::problem::ApiError;
use crate::state::AppState;

/// A channel set up: its provider and settings, every secret shown as
/// `********` (sent back so, it keeps its value).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelBody {
    /// `email`, `sms`, `viber`, `push` or `messenger`.
    pub channel: String,
    /// `smtp`, `sms_ru`, `smsc`, `infobip`, `fcm`, `telegram` or `http`.
    pub provider: String,
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    /// Where the provider posts its delivery reports (the key proves them).
    pub reports_url: String,
    pub version: i64,
}

/// A channel just saved, and whether its provider took the address
/// customers' messages are posted to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedChannelBody {
    #[serde(flatten)]
    pub channel: ChannelBody,
    /// Set where the provider takes that address over its API (a Telegram
    /// bot's webhook, which needs `public_url` to be HTTPS reachable from
    /// the internet); absent where it is given in the provider's cabinet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound: Option<InboundConnected>,
}

/// Whether the provider took the address of customers' messages.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundConnected {
    pub connected: bool,
    /// The provider's answer when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// A channel's provider and its settings; which fields a provider takes
/// is said beside each.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettingsBody {
    /// `smtp` (e-mail), `sms_ru` or `smsc` (SMS), `infobip` (Viber), `fcm`
    /// (push), `telegram` (the messenger, through a bot), or `http` (SMS,
    /// Viber, push or a messenger by a template).
    pub provider: String,
    /// smtp: the server, its port, `none` | `starttls` | `tls`, the login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// smtp, smsc: a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// smtp: the sender's address; sms_ru: the sender's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// sms_ru: a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// smsc: the login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// smsc, infobip: the sender's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// infobip: a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// fcm: the service account's JSON key, a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// telegram: the bot's token from @BotFather (`123456:ABC-DEF…`), a
    /// secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_token: Option<String>,
    /// The presets: another address than the provider's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// http: the request (`method`, `url`, `headers`, `body`,
    /// `content_type`, `message_id`, `ok_when`, `passing_when`, `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub template: Option<serde_json::Value>,
    /// http: the secrets the template names as `{{secret.NAME}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub secrets: Option<serde_json::Value>,
    /// http: how its delivery reports read (`format`, `id`, `status`,
    /// `delivered`, `failed`, `reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
}

/// A test message: where it goes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    /// An e-mail address, a phone (+7…) or a push token, as the channel needs.
    pub address: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestAnswer {
    /// The provider's id of the test message, when it gives one.
    pub provider_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportsAnswer {
    pub delivered: usize,
    pub failed: usize,
    /// Reports of messages unknown here, or told already.
    pub ignored: usize,
}

impl From<ReportsTaken> for ReportsAnswer {
    fn from(t: ReportsTaken) -> ReportsAnswer {
        ReportsAnswer {
            delivered: t.delivered,
            failed: t.failed,
            ignored: t.ignored,
        }
    }
}

/// Where a channel's provider posts `what`, the channel's key in the
/// address proving it.
pub(crate) fn webhook_url(state: &AppState, c: &SetUpChannel, what: Webhook) -> String {
    format!(
        "{}?key={}",
        state.app.webhook_address(c.channel, what),
        c.webhook_key
    )
}

fn channel_body(state: &AppState, c: SetUpChannel) -> ChannelBody {
    ChannelBody {
        channel: c.channel.as_str().into(),
        provider: c.settings.provider().into(),
        settings: serde_json::to_value(&c.settings).unwrap_or_default(),
        reports_url: webhook_url(state, &c, Webhook::Reports),
        version: c.version,
    }
}

fn channel(raw: &str) -> Result<Channel, ApiError> {
    Channel::parse(raw).map_err(|_| AppError::NotFound("channel").into())
}

/// What a provider's post shows to prove itself: the channel's key in the
/// query, or a signature of the body; and where it comes from.
fn proof<'a>(pairs: &'a [(String, String)], headers: &'a HeaderMap, client: &'a str) -> Proof<'a> {
    // Telegram sends the secret its webhook was set with in a header.
    let key = pairs
        .iter()
        .find(|(name, _)| name == "key")
        .map(|(_, value)| value.as_str())
        .or_else(|| {
            headers
                .get("x-telegram-bot-api-secret-token")
                .and_then(|value| value.to_str().ok())
        });
    let signature = headers
        .get("x-signature")
        .and_then(|value| value.to_str().ok());
    Proof {
        key,
        signature,
        client,
    }
}

/// The channels set up in the settings.
#[utoipa::path(get, path = "/api/v1/channels", tag = "messages",
    responses((status = 200, body = Items<ChannelBody>)))]
pub async fn list_channels(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<ChannelBody>>, ApiError> {
    let items = state
        .app
        .channel_settings()
        .await?
        .into_iter()
        .map(|c| channel_body(&state, c))
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Set up a channel: a provider and its settings, e.g. `{"provider":
/// "sms_ru", "api_id": "…"}`, `{"provider": "smtp", "host": …, "port":
/// 587, "tls": "starttls", "from": …}`, `{"provider": "telegram",
/// "bot_token": "…"}`, or `{"provider": "http", "template": {…},
/// "secrets": {…}, "report": {…}}`. Settings that cannot work are refused
/// by field.
#[utoipa::path(put, path = "/api/v1/channels/{channel}", tag = "messages",
    params(("channel" = String, Path, description = "`email`, `sms`, `viber`, `push` or `messenger`.")),
    request_body = ChannelSettingsBody,
    responses((status = 200, body = SavedChannelBody)))]
pub async fn save_channel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    Json(body): Json<ChannelSettingsBody>,
) -> Result<axum::Json<SavedChannelBody>, ApiError> {
    let channel = channel(&raw)?;
    let settings = serde_json::to_value(&body).unwrap_or_default();
    let settings: ProviderSettings = serde_json::from_value(settings).map_err(|e| {
        AppError::from_field(FieldError::new(
            "settings",
            "bad_setting",
            format!("these are not a provider's settings: {e}"),
        ))
    })?;
    let saved = state
        .app
        .save_channel(channel, settings, &caller.changed_by())
        .await?;
    Ok(axum::Json(SavedChannelBody {
        channel: channel_body(&state, saved.channel),
        inbound: saved.inbound.map(|connected| InboundConnected {
            connected: connected.is_ok(),
            answer: connected.err(),
        }),
    }))
}

/// Send a test message through a channel, now.
#[utoipa::path(post, path = "/api/v1/channels/{channel}/test", tag = "messages",
    params(("channel" = String, Path)), request_body = TestRequest,
    responses((status = 200, body = TestAnswer)))]
pub async fn test_channel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    Json(request): Json<TestRequest>,
) -> Result<axum::Json<TestAnswer>, ApiError> {
    let outcome = state
        .app
        .send_test(channel(&raw)?, &request.address, &caller.changed_by())
        .await?;
    // A refusal names the address; a provider out of reach is no mistake
    // of the caller's (503).
    match outcome {
        TestOutcome::Sent { provider_id } => Ok(axum::Json(TestAnswer { provider_id })),
        TestOutcome::Refused { answer } => Err(AppError::from_field(FieldError::new(
            "address",
            "not_sent",
            format!("the provider did not take the test: {answer}"),
        ))
        .into()),
        TestOutcome::Unreachable { answer } => {
            Err(AppError::Unavailable(format!("the provider did not answer: {answer}")).into())
        }
    }
}

/// A provider's delivery reports, in its own format. Proven by the
/// channel's key (`key` in the query, as `reports_url` gives it) or by
/// `X-Signature`: the hex HMAC-SHA256 of the body under that key.
#[utoipa::path(post, path = "/api/v1/channels/{channel}/reports", tag = "messages",
    params(("channel" = String, Path),
        ("key" = Option<String>, Query, description = "The channel's key, from `reports_url`.")),
    request_body(content = String, content_type = "*/*",
        description = "The provider's report in its own format: a form or JSON."),
    responses((status = 200, body = ReportsAnswer),
        (status = 401, description = "Neither the channel's key nor a signature."),
        (status = 403, description = "The key or the signature is wrong: nothing is taken."),
        (status = 429, description = "This address showed 100 wrong keys within a minute.")))]
pub async fn take_reports(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    QueryPairs(pairs): QueryPairs,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<axum::Json<ReportsAnswer>, ApiError> {
    let client = client.ip().to_string();
    let taken = state
        .app
        .take_delivery_report(channel(&raw)?, &body, proof(&pairs, &headers, &client))
        .await?;
    Ok(axum::Json(taken.into()))
}

/// What a customer wrote over a channel, posted by its provider: our form
/// `{"from": "+79161234567", "text": "…"}`, or a Telegram bot's update as
/// Telegram posts it (set the bot's webhook to `inbound_url`). It opens or
/// continues the chat of the customer with that phone, or with that
/// messenger handle; a Telegram user who shares their phone with the bot
/// is matched by it and their chat kept for answers. An update with no
/// message in it is answered and ignored. Proven as delivery reports are,
/// or by Telegram's `X-Telegram-Bot-Api-Secret-Token` holding the key.
#[utoipa::path(post, path = "/api/v1/channels/{channel}/inbound", tag = "messages",
    params(("channel" = String, Path),
        ("key" = Option<String>, Query, description = "The channel's key, from `reports_url`.")),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "Our form, or a Telegram update (schema `InboundBody`)."),
    responses((status = 200, body = InboundAnswer),
        (status = 401, description = "Neither the channel's key nor a signature."),
        (status = 403, description = "The key or the signature is wrong: nothing is taken."),
        (status = 429, description = "This address showed 100 wrong keys within a minute.")))]
pub async fn take_inbound(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    QueryPairs(pairs): QueryPairs,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<axum::Json<InboundAnswer>, ApiError> {
    let client = client.ip().to_string();
    let taken = state
        .app
        .take_inbound(channel(&raw)?, &body, proof(&pairs, &headers, &client))
        .await?;
    Ok(axum::Json(InboundAnswer {
        customer_id: taken.customer_id.map(|c| c.0),
    }))
}

/// Whom an inbound message went to.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundAnswer {
    /// None: no customer has the sender's phone or handle, or the update
    /// holds no message; nothing is kept.
    pub customer_id: Option<i64>,
}

pub(super) fn contracts() -> Vec<Contract> {
    let number = json!({"type": "integer", "format": "int64"});
    let telegram_message = json!({
        "type": "object",
        "required": ["message_id", "chat", "date"],
        "properties": {
            "message_id": number,
            "date": number,
            "from": {"type": "object", "required": ["id"], "properties": {"id": number}},
            "chat": {"type": "object", "required": ["id", "type"], "properties": {
                "id": number,
                "type": {"type": "string", "enum": ["private", "group", "supergroup", "channel"]},
            }},
            "text": {"type": "string"},
            "caption": {"type": "string"},
            "contact": {"type": "object", "required": ["phone_number"], "properties": {
                "phone_number": {"type": "string"},
                "user_id": number,
            }},
        },
    });
    vec![
        Contract::Schema(
            "InboundBody",
            json!({"oneOf": [
                {"type": "object", "title": "Ours", "additionalProperties": false,
                 "required": ["from", "text"],
                 "properties": {
                    "from": {"type": "string", "minLength": 1, "pattern": "[^\\s\\x00]",
                        "description": "The sender's phone, in any form a phone is written."},
                    "text": {"type": "string", "maxLength": 2000,
                        "description": "Up to 2,000 characters."},
                }},
                {"type": "object", "title": "Telegram update", "required": ["update_id"],
                 "description": "https://core.telegram.org/bots/api#update: only a private chat's `message` is read.",
                 "properties": {"update_id": number, "message": telegram_message}},
            ]}),
        ),
        Contract::Request(
            "POST /api/v1/channels/{channel}/inbound",
            json!({"$ref": "#/components/schemas/InboundBody"}),
        ),
        Contract::Body(
            "TestRequest",
            json!({"properties": {"address": {"type": "string", "minLength": 1, "pattern": "\\S"}}}),
        ),
    ]
}
