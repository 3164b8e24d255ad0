//! `/chats`: the open chats, the longest waiting first (a user limited to
//! stores sees their stores' customers' alone): who wrote, over which
//! channel, since when they wait; each leads to the chat on the customer's
//! page, where it is answered.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;

use super::kit::{Chrome, Console, PageResult, Words, render};
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/chats", axum::routing::get(inbox))
}

struct ThreadRow {
    href: String,
    customer: String,
    channel: String,
    waiting: bool,
    since: String,
    last: String,
    said: String,
}

#[derive(Template)]
#[template(path = "chats/inbox.html")]
struct InboxPage<'a> {
    c: Chrome,
    w: &'a Words,
    rows: Vec<ThreadRow>,
}

pub async fn inbox(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let threads = state.app.chat_inbox(&console.caller.changed_by()).await?;
    let names = (state.app)
        .customer_names(threads.iter().map(|t| t.customer_id))
        .await?;
    let rows = (threads.iter())
        .map(|t| ThreadRow {
            href: format!("/customers/{}#chat", t.customer_id.0),
            customer: names.get(&t.customer_id).cloned().unwrap_or_else(|| {
                w.with("messages-customer-number", "id", t.customer_id.0.into())
            }),
            channel: w.t(&format!("message-channel-{}", t.channel.as_str())),
            waiting: t.waiting_since.is_some(),
            since: match t.waiting_since {
                Some(since) => w.with("chats-waiting-since", "at", w.short_time(since).into()),
                None => w.t("chats-answered"),
            },
            last: w.short_time(t.last_at),
            said: glimpse(&t.last_text),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            c: console.chrome(),
            w,
            rows,
        },
    ))
}

/// The start of a message, enough to know what it is about.
fn glimpse(text: &str) -> String {
    const SHOWN: usize = 90;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    }
}
