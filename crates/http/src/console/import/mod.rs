//! The import wizard: a customer file uploaded (`upload`), its columns
//! matched (`columns`), a dry run and the import (`runs`). Uploads wait
//! between the steps in memory (`uploads`); `shared` holds what the steps
//! share.

mod columns;
mod runs;
mod shared;
mod upload;
mod uploads;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Extension};
use axum::routing::get;

use crate::state::AppState;
use uploads::Uploads;

/// The wizard's pages, with the uploads they share.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/import",
            get(upload::form)
                .post(upload::upload)
                // The form's fields ride along with the file.
                .layer(DefaultBodyLimit::max(upload::UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/import/template.xlsx", get(upload::template))
        .route("/import/{id}", get(columns::show))
        .route("/import/{id}/check", get(runs::check).post(columns::check))
        .route("/import/{id}/result", get(runs::result).post(runs::import))
        .route("/import/{id}/{step}/progress", get(runs::progress))
        .route("/import/{id}/{step}/rejected.xlsx", get(runs::rejected))
        .layer(Extension(Arc::new(Uploads::default())))
}
