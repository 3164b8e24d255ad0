//! Triggers: the seven occasions a message sends itself on (joining, a
//! first purchase, a birthday, staying away, points about to expire, a
//! tier gained or lost), each with whether it is on, its template, its
//! channels and its days; and the form that sets one up or changes it.
//!
//! `said` says a trigger in words, `draft` is the form as typed, `editor`
//! renders it for its handlers.

mod draft;
mod edit;
mod editor;
mod list;
mod said;

use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/triggers", get(list::list))
        .route("/triggers/{kind}", get(edit::show).post(edit::save))
}
