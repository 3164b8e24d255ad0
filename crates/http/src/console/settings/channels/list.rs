//! The channels: each with whether it is set up, and by which provider.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::message::Channel;

use super::page::set_up_said;
use crate::console::kit::{Chrome, Console, PageResult, Words, render};
use crate::state::AppState;

struct ChannelRow {
    href: String,
    name: String,
    set_up: bool,
    state: String,
}

#[derive(Template)]
#[template(path = "settings/channels.html")]
struct ChannelsPage<'a> {
    c: Chrome,
    w: &'a Words,
    rows: Vec<ChannelRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let kept = state.app.channel_settings().await?;
    let set_up = state.app.channels_set_up();
    let rows = (Channel::ALL.into_iter())
        .map(|channel| {
            let code = channel.as_str();
            let provider = (kept.iter())
                .find(|k| k.channel == channel)
                .map(|k| k.settings.provider());
            let state = set_up_said(w, provider, set_up.contains(&channel));
            ChannelRow {
                href: format!("/settings/channels/{code}"),
                name: w.t(&format!("message-channel-{code}")),
                set_up: set_up.contains(&channel),
                state,
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ChannelsPage {
            c: console.chrome(),
            w,
            rows,
        },
    ))
}
