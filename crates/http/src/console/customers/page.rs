//! A customer's page, and what the last action on it did.

use axum::extract::State;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{Console, PageResult, Path, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    /// The action just done: `points`, `created`, `saved`, `note`, …
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    let notice = match query.done.as_deref() {
        Some("points") => Some(console.words.t("points-done")),
        Some("card") => Some(console.words.t("card-replaced")),
        Some("blocked") => Some(console.words.t("customer-blocked-done")),
        Some("tier") => Some(console.words.t("customer-tier-done")),
        Some("unblocked") => Some(console.words.t("customer-unblocked-done")),
        Some("certificate") => Some(console.words.t("customer-certificate-done")),
        Some("merged") => Some(console.words.t("merge-done")),
        Some("created") => Some(console.words.t("customer-created-done")),
        Some("saved") => Some(console.words.t("customer-saved-done")),
        Some("note") => Some(console.words.t("note-done")),
        Some("card-given") => Some(console.words.t("card-give-done")),
        Some("chat") => Some(console.words.t("chat-done-answered")),
        Some("chat-closed") => Some(console.words.t("chat-done-closed")),
        _ => None,
    };
    let actions = Actions {
        notice,
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
