//! Message templates: the list, and the form that writes one (a subject,
//! a text every channel sends, an HTML letter folded away) beside the
//! placeholders the marketer may use, each said in words, with a preview
//! of what a made-up or a real customer would get.
//!
//! `draft` is the form as typed and its refusals in words, `panel` the
//! preview, `editor` renders the form for the handlers that answer with it.

mod draft;
mod edit;
mod editor;
mod list;
mod panel;
mod preview;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/templates", get(list::list))
        .route("/templates/new", get(edit::new).post(edit::create))
        .route("/templates/preview", post(preview::show))
        .route("/templates/{id}", get(edit::edit).post(edit::update))
}
