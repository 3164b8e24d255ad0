//! The reports: a list of them, and each report's page with its filter,
//! its charts and tables, and the same rows as an Excel file.

mod index;
mod page;
mod written;

use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/reports", get(index::page))
        .route("/reports/{name}", get(page::page))
}
