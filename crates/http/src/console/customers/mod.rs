//! The customers: the list with its filters, bulk actions, stars, quick
//! look and export to Excel; a customer's page with its actions (points,
//! block, tier, cards, a certificate, a merge, an answer in their chat);
//! the form to register or edit one.
//!
//! `listing` and `profile` (with `summary`, its profile block, and
//! `conversation`, its chat) render the list and the customer's page; the
//! handlers that answer with them share them. No handler imports another.

mod block;
mod bulk;
mod cards;
mod certificate;
mod chat;
mod conversation;
mod export;
mod favourite;
mod filters;
mod form;
mod give;
mod list;
mod listing;
mod merge;
mod notes;
mod page;
mod points;
mod profile;
mod quick;
mod receipt;
mod returns;
mod summary;
mod tier;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/customers", get(list::list))
        .route("/customers/new", get(form::new).post(form::create))
        .route("/customers/bulk", post(bulk::act))
        .route("/customers/export.xlsx", get(export::export))
        .route("/customers/{id}", get(page::show))
        .route("/customers/{id}/favourite", post(favourite::set))
        .route("/customers/{id}/quick", get(quick::show))
        .route("/customers/{id}/certificates", post(certificate::issue))
        .route("/customers/{id}/merge", post(merge::merge))
        .route("/customers/{id}/points", post(points::give))
        .route("/customers/{id}/block", post(block::set))
        .route("/customers/{id}/tier", post(tier::set))
        .route(
            "/customers/{id}/cards/{card_id}/replace",
            post(cards::replace),
        )
        .route("/customers/{id}/edit", get(form::edit).post(form::update))
        .route("/customers/{id}/notes", post(notes::add))
        .route("/customers/{id}/chat", post(chat::answer))
        .route("/customers/{id}/chat/close", post(chat::close))
        .route("/customers/{id}/cards", post(give::give))
        .route("/customers/{id}/receipts/{key}", get(receipt::show))
}
