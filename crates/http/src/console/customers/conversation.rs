//! A customer's chat as their page shows it: the thread's messages, oldest
//! first, who wrote each (the customer, or the staff user who answered)
//! and how far an answer has gone in the outbox; nothing until the
//! customer writes first.

use std::collections::HashMap;

use clientele_app::{AppError, MessageQuery};
use clientele_domain::CustomerId;
use clientele_domain::chat::Direction;

use crate::console::kit::Console;
use crate::state::AppState;

/// An answer's messages looked up among the customer's latest.
const LATEST: u32 = 200;

pub struct Line {
    pub inbound: bool,
    pub who: String,
    pub at: String,
    pub text: String,
    /// An answer's state in the outbox, in words.
    pub state: Option<String>,
}

pub struct Conversation {
    /// The channel the customer writes from, and whether they wait.
    pub about: String,
    pub open: bool,
    pub lines: Vec<Line>,
}

/// The customer's chat, if they ever wrote.
pub(super) async fn conversation(
    state: &AppState,
    console: &Console,
    customer: CustomerId,
) -> Result<Option<Conversation>, AppError> {
    let w = &console.words;
    let by = console.caller.changed_by();
    let Some(chat) = state.app.chat(customer, &by).await? else {
        return Ok(None);
    };
    let staff: HashMap<_, _> = match chat.messages.iter().any(|m| m.author.is_some()) {
        true => (state.app.staff_users().await?.into_iter())
            .map(|u| (u.id, u.name))
            .collect(),
        false => HashMap::new(),
    };
    let outbox: HashMap<_, _> = match chat.messages.iter().any(|m| m.message_id.is_some()) {
        true => {
            let latest = MessageQuery {
                customer_id: Some(customer),
                limit: LATEST,
                ..MessageQuery::default()
            };
            (state.app.messages(latest, &by).await?.into_iter())
                .map(|m| (m.id, m.state))
                .collect()
        }
        false => HashMap::new(),
    };
    let thread = &chat.thread;
    let channel = w.t(&format!("message-channel-{}", thread.channel.as_str()));
    let about = match (thread.open, thread.waiting_since) {
        (false, _) => w.with("chat-closed", "channel", channel.into()),
        (true, Some(since)) => w.with_all(
            "chat-waiting",
            vec![("channel", channel.into()), ("since", w.time(since).into())],
        ),
        (true, None) => w.with("chat-answered", "channel", channel.into()),
    };
    let lines = (chat.messages.iter())
        .map(|m| {
            let inbound = m.direction == Direction::Inbound;
            let who = match (inbound, m.author.and_then(|a| staff.get(&a))) {
                (true, _) => w.t("chat-customer"),
                (false, Some(name)) => name.clone(),
                (false, None) => w.t("chat-staff"),
            };
            Line {
                inbound,
                who,
                at: w.time(m.at),
                text: m.text.clone(),
                state: (m.message_id.and_then(|id| outbox.get(&id)))
                    .map(|s| w.t(&format!("message-state-{}", s.as_str()))),
            }
        })
        .collect();
    Ok(Some(Conversation {
        about,
        open: thread.open,
        lines,
    }))
}
