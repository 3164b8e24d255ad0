//! Segments: the list, a segment's page (its size over its recomputes,
//! its share of the base and of revenue, its rules in words), the editor
//! with its live count, and the buttons to recompute or delete one.
//!
//! `draft` is the editor's form as typed and the rule it makes, `editor`
//! renders it for its handlers, `catalogue` is what a rule may test in the
//! reader's words, `said` a rule and a schedule in words; `upload` makes
//! a static segment from a file of phones or card numbers.

mod actions;
mod catalogue;
mod count;
mod draft;
mod edit;
mod editor;
mod list;
mod page;
mod said;
mod upload;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/segments", get(list::list))
        .route("/segments/new", get(edit::new).post(edit::create))
        .route("/segments/count", get(count::count))
        .route(
            "/segments/upload",
            get(upload::form)
                .post(upload::upload)
                // The form's fields ride along with the file.
                .layer(DefaultBodyLimit::max(upload::LIST_LIMIT + 64 * 1024)),
        )
        .route("/segments/{id}", get(page::show))
        .route("/segments/{id}/edit", get(edit::edit).post(edit::update))
        .route("/segments/{id}/recompute", post(actions::recompute))
        .route("/segments/{id}/delete", post(actions::delete))
}
