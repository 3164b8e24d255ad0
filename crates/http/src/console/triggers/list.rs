//! The triggers: each of the seven occasions with whether it sends, its
//! template, its channels in order and its days where it counts them.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::trigger::TriggerKind;

use super::said::{days, state as said_state, title};
use crate::console::kit::{Chrome, Console, PageResult, Words, in_order, render};
use crate::state::AppState;

/// The days the list counts each trigger's messages over.
const TALLY_DAYS: i64 = 30;

struct TriggerRow {
    href: String,
    title: String,
    about: String,
    state_code: &'static str,
    state: String,
    template: String,
    channels: String,
    days: String,
    /// What its messages made over the last days, in words.
    tally: String,
}

#[derive(Template)]
#[template(path = "triggers/list.html")]
struct TriggersPage<'a> {
    c: Chrome,
    w: &'a Words,
    rows: Vec<TriggerRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let kept = state.app.triggers().await?;
    let tallies = state.app.trigger_tallies(TALLY_DAYS).await?;
    let templates: HashMap<i64, String> = (state.app.templates().await?.into_iter())
        .map(|t| (t.id.0, t.record.name))
        .collect();
    let rows = (TriggerKind::ALL.into_iter())
        .map(|kind| {
            let trigger = kept.iter().find(|t| t.kind == kind);
            let (state_code, state) = said_state(w, trigger);
            let code = kind.as_str();
            TriggerRow {
                href: format!("/triggers/{code}"),
                title: title(w, kind),
                about: w.t(&format!("trigger-about-{code}")),
                state_code,
                state,
                template: (trigger.and_then(|t| templates.get(&t.template_id.0)))
                    .cloned()
                    .unwrap_or_default(),
                channels: trigger
                    .map(|t| in_order(w, &t.channels))
                    .unwrap_or_default(),
                days: trigger.map(|t| days(w, t)).unwrap_or_default(),
                tally: (trigger.and_then(|t| tallies.get(&t.id)))
                    .map(|t| {
                        w.with_all(
                            "trigger-tally",
                            vec![("sent", t.sent.into()), ("stopped", t.stopped.into())],
                        )
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &TriggersPage {
            c: console.chrome(),
            w,
            rows,
        },
    ))
}
