//! A channel's page, and its provider's settings saved from it: refused
//! with each error beside its field and what was typed kept, or saved and
//! the page says so.

use axum::extract::State;
use serde::Deserialize;

use super::draft::{Draft, beside};
use super::page::{Shown, channel, page};
use crate::console::kit::{Console, PageResult, Path, Query, Submission};
use crate::state::AppState;

/// The provider whose form to show, and what the page was sent back to say.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Asked {
    provider: String,
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(raw): Path<String>,
    Query(asked): Query<Asked>,
) -> PageResult {
    let channel = channel(&raw)?;
    let shown = Shown {
        notice: match asked.done.as_str() {
            "saved" | "connected" | "not_connected" => {
                Some(console.words.t(&format!("channel-done-{}", asked.done)))
            }
            _ => None,
        },
        ..Shown::fresh()
    };
    let provider = Some(asked.provider.as_str()).filter(|p| !p.is_empty());
    page(&state, &console, channel, provider, shown).await
}

pub async fn save(
    State(state): State<AppState>,
    console: Console,
    Path(raw): Path<String>,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let channel = channel(&raw)?;
    let w = &console.words;
    let errors = match form.settings(w) {
        Err(errors) => errors,
        Ok(settings) => {
            let by = console.caller.changed_by();
            match state.app.save_channel(channel, settings, &by).await {
                Ok(saved) => {
                    let done = match saved.inbound {
                        None => "saved",
                        Some(Ok(())) => "connected",
                        Some(Err(_)) => "not_connected",
                    };
                    let saved = format!("/settings/channels/{}?done={done}", channel.as_str());
                    return Ok(once.done(&saved).await);
                }
                Err(error) => beside(w, &form.provider, error)?,
            }
        }
    };
    let provider = form.provider.clone();
    let shown = Shown {
        draft: Some(form),
        token: once.token().to_owned(),
        errors,
        ..Shown::fresh()
    };
    page(&state, &console, channel, Some(&provider), shown).await
}
