//! `/messages`: the outbox, newest first, found by customer, state and
//! reason; each message's source, channel, state and reason in words.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::MessageQuery;
use clientele_domain::message::{Channel, MessageState, REASONS};
use clientele_domain::{CustomerId, MessageId};
use serde::Deserialize;

use super::kit::{Chrome, Console, PageResult, Query, Words, render};
use crate::state::AppState;

/// Messages a page shows.
const PAGE: u32 = 50;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/messages", axum::routing::get(list))
}

#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    customer_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    before: String,
}

struct MessageRow {
    at: String,
    customer: String,
    customer_href: String,
    source: String,
    channel: String,
    state: String,
    state_key: &'static str,
    reason: String,
    text: String,
}

#[derive(Template)]
#[template(path = "messages/list.html")]
struct MessagesPage<'a> {
    c: Chrome,
    w: &'a Words,
    f: Filters,
    states: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
    /// A filter that could not be read, beside its field.
    beside: Vec<(&'static str, String)>,
    rows: Vec<MessageRow>,
    older_href: Option<String>,
    /// No channel is set up: nothing leaves.
    silent: bool,
}

impl MessagesPage<'_> {
    fn beside_of(&self, field: &str) -> Option<&str> {
        self.beside
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The query the filters make, each one that cannot be read named.
fn query(f: &Filters, w: &Words) -> (MessageQuery, Vec<(&'static str, String)>) {
    let mut query = MessageQuery {
        limit: PAGE,
        ..MessageQuery::default()
    };
    let mut beside = Vec::new();
    let given = |raw: &str| {
        Some(raw.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(raw) = given(&f.customer_id) {
        match raw.parse() {
            Ok(id) => query.customer_id = Some(CustomerId(id)),
            Err(_) => beside.push(("customer_id", w.t("messages-customer-invalid"))),
        }
    }
    if let Some(raw) = given(&f.state) {
        match MessageState::parse(&raw) {
            Ok(state) => query.state = Some(state),
            Err(_) => beside.push(("state", w.t("messages-choice-invalid"))),
        }
    }
    if let Some(raw) = given(&f.reason) {
        match REASONS.contains(&raw.as_str()) {
            true => query.reason = Some(raw),
            false => beside.push(("reason", w.t("messages-choice-invalid"))),
        }
    }
    query.before = given(&f.before).and_then(|b| b.parse().ok()).map(MessageId);
    (query, beside)
}

fn reason_in_words(w: &Words, reason: Option<&str>, answer: Option<&str>) -> String {
    let Some(reason) = reason else {
        return String::new();
    };
    let said = w.t(&format!("message-reason-{reason}"));
    match answer {
        Some(answer) if matches!(reason, "refused" | "retrying" | "tries_spent") => {
            format!(
                "{said} {}",
                w.with("message-server-answer", "answer", answer.into())
            )
        }
        _ => said,
    }
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(f): Query<Filters>,
) -> PageResult {
    let w = &console.words;
    let (query, beside) = query(&f, w);
    let by = console.caller.changed_by();
    let messages = if beside.is_empty() {
        state.app.messages(query, &by).await?
    } else {
        Vec::new()
    };
    let names = (state.app)
        .customer_names(messages.iter().map(|m| m.customer_id))
        .await?;
    let older_href = (messages.len() == PAGE as usize)
        .then(|| messages.last())
        .flatten()
        .map(|last| {
            format!(
                "/messages?customer_id={}&state={}&reason={}&before={}",
                f.customer_id.trim(),
                f.state.trim(),
                f.reason.trim(),
                last.id.0
            )
        });
    let rows = messages
        .iter()
        .map(|m| {
            let text = match &m.subject {
                Some(subject) => format!("{subject}. {}", m.body),
                None => m.body.clone(),
            };
            MessageRow {
                at: w.short_time(m.sent_at.unwrap_or(m.created_at)),
                customer: names.get(&m.customer_id).cloned().unwrap_or_else(|| {
                    w.with("messages-customer-number", "id", m.customer_id.0.into())
                }),
                customer_href: format!("/customers/{}", m.customer_id.0),
                source: w.t(&format!("message-source-{}", m.source.as_str())),
                channel: m
                    .channel
                    .map(|c| w.t(&format!("message-channel-{}", c.as_str())))
                    .unwrap_or_default(),
                state: w.t(&format!("message-state-{}", m.state.as_str())),
                state_key: m.state.as_str(),
                reason: reason_in_words(w, m.reason.as_deref(), m.answer.as_deref()),
                text: text.chars().take(120).collect(),
            }
        })
        .collect();
    let states = MessageState::ALL
        .into_iter()
        .map(|s| (s.as_str(), w.t(&format!("message-state-{}", s.as_str()))))
        .collect();
    let reasons = REASONS
        .iter()
        .map(|&r| (r, w.t(&format!("message-reason-{r}"))))
        .collect();
    let silent = !state.app.channels_set_up().contains(&Channel::Email);
    Ok(render(
        StatusCode::OK,
        &MessagesPage {
            c: console.chrome(),
            w,
            f,
            states,
            reasons,
            beside,
            rows,
            older_href,
            silent,
        },
    ))
}
