//! Campaigns: the list, a campaign's page (its messages counted in words,
//! the cancel button, what its recipients bought against its control
//! group) and the form that makes one from a template.
//!
//! `draft` is the form as typed, `editor` renders it for its handlers,
//! `said` a campaign in words, `counted` its messages and `report` its
//! results written out for its page.

mod cancel;
mod counted;
mod draft;
mod edit;
mod editor;
mod list;
mod page;
mod report;
mod said;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/campaigns", get(list::list))
        .route("/campaigns/new", get(edit::new).post(edit::create))
        .route("/campaigns/{id}", get(page::show))
        .route("/campaigns/{id}/cancel", post(cancel::cancel))
}
