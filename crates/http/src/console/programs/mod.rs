//! The programs' settings: loyalty programs with their tiers and the
//! preview of a sample basket, card groups with their print runs, and gift
//! certificate templates. `view` and `cards_view` render a program's page
//! and the card groups' page for their handlers and refused forms; `rules`
//! and `preview` are what the forms and pages share.

mod cards;
mod cards_view;
mod certificates;
mod form;
mod list;
mod page;
mod preview;
mod print_runs;
mod rules;
mod tiers;
mod view;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/programs", get(list::list))
        .route("/settings/programs/new", get(form::new).post(form::create))
        .route("/settings/programs/{id}", get(page::show))
        .route(
            "/settings/programs/{id}/edit",
            get(form::edit).post(form::update),
        )
        .route("/settings/programs/{id}/tiers", post(tiers::add))
        .route("/settings/programs/{id}/tiers/{tier_id}", post(tiers::edit))
        .route("/settings/cards", get(cards::list).post(cards::create))
        .route("/settings/cards/{id}", post(cards::update))
        .route("/settings/cards/{id}/print-runs", post(print_runs::issue))
        .route(
            "/settings/certificates",
            get(certificates::list).post(certificates::create),
        )
        .route("/settings/certificates/{id}", post(certificates::update))
}
