//! What a Telegram bot needs beside sending: its updates pointed at us.
//! Telegram posts a bot's updates only to the address its `setWebhook`
//! names (<https://core.telegram.org/bots/api#setwebhook>), HTTPS on port
//! 443, 80, 88 or 8443, each carrying the `secret_token` given there in the
//! `X-Telegram-Bot-Api-Secret-Token` header.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::{client, describe, presets, read_body};
use crate::error::SendError;

/// How long Telegram may take to answer.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Telegram's answer to any method.
#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    description: Option<String>,
}

/// Points the bot's private messages at `url`, proven by `secret`; `base`
/// stands in for Telegram's address in tests.
pub async fn set_webhook(
    bot_token: &str,
    base: Option<&str>,
    url: &str,
    secret: &str,
) -> Result<(), SendError> {
    let base = base.unwrap_or(presets::TELEGRAM).trim_end_matches('/');
    let host = reqwest::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| base.to_owned());
    let client = client().map_err(|e| SendError::Passing(e.to_string()))?;
    let body = json!({
        "url": url,
        "secret_token": secret,
        "allowed_updates": ["message"],
    });
    let response = client
        .post(format!("{base}/bot{bot_token}/setWebhook"))
        .json(&body)
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| SendError::Passing(describe(&host, TIMEOUT, e)))?;
    let status = response.status();
    let body = read_body(response)
        .await
        .map_err(|e| SendError::Passing(describe(&host, TIMEOUT, e)))?;
    let answer: Option<Answer> = serde_json::from_slice(&body).ok();
    match answer {
        Some(Answer { ok: true, .. }) => Ok(()),
        Some(Answer { description, .. }) => {
            let said = description.unwrap_or_else(|| format!("HTTP {status}"));
            if status.is_server_error() || status.as_u16() == 429 {
                Err(SendError::Passing(said))
            } else {
                Err(SendError::Refused(said))
            }
        }
        None => Err(SendError::Passing(format!(
            "{host} answered HTTP {status} with no Telegram answer"
        ))),
    }
}
