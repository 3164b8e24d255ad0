//! Personal offers: the list, an offer's page (its terms in sentences, the
//! pause button, its single-use coupons made, listed, printed and taken to
//! Excel), and the form that makes or changes one from pickers.
//!
//! `draft` is the form as typed and the terms it makes, `editor` renders
//! it for its handlers, `said` an offer in words, `view` the offer's page
//! for the handlers that answer with it, `sheet` its codes as a workbook.

mod actions;
mod coupons;
mod draft;
mod edit;
mod editor;
mod list;
mod page;
mod said;
mod sheet;
mod view;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/offers", get(list::list))
        .route("/offers/new", get(edit::new).post(edit::create))
        .route("/offers/{id}", get(page::show))
        .route("/offers/{id}/edit", get(edit::edit).post(edit::update))
        .route("/offers/{id}/active", post(actions::switch))
        .route("/offers/{id}/coupons", post(actions::make_coupons))
        .route("/offers/{id}/coupons/print", get(coupons::print))
        .route("/offers/{id}/coupons.xlsx", get(coupons::workbook))
}
