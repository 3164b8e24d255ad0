//! The customers list a query asks for.

use std::collections::HashSet;

use axum::extract::State;

use super::listing::show;
use crate::console::kit::{ActionForm, Console, PageResult, Query};
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    show(
        &state,
        &console,
        pairs,
        ActionForm::blank(),
        &HashSet::new(),
    )
    .await
}
