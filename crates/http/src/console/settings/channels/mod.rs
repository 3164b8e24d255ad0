//! How messages leave: each channel with whether it is set up, and its
//! page, where the admin picks a provider (a preset or any other by a
//! template of its request), sets it up, sends a test message and copies
//! the addresses the provider posts its reports and customers' answers to.
//!
//! `draft` is the settings form as typed, `fields` its fields for each
//! provider, `page` renders the channel's page for the handlers that
//! answer with it.

mod draft;
mod edit;
mod fields;
mod list;
mod page;
mod test;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/channels", get(list::list))
        .route(
            "/settings/channels/{channel}",
            get(edit::show).post(edit::save),
        )
        .route("/settings/channels/{channel}/test", post(test::send))
}
