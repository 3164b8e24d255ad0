//! A loyalty program's page, with the preview of the sample basket its
//! query gives.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use super::view::page;
use crate::console::kit::{ActionForm, Console, PageResult, Path, Query};
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let notice = pairs
        .iter()
        .find(|(k, _)| k == "done")
        .and_then(|(_, done)| match done.as_str() {
            "tier" => Some(console.words.t("tier-added")),
            "tier-saved" => Some(console.words.t("tier-saved")),
            _ => None,
        });
    let tier_form = console
        .may(Module::Programs, Right::Edit)
        .then(ActionForm::blank);
    let sample = pairs.into_iter().filter(|(k, _)| k != "done").collect();
    page(
        &state,
        &console,
        id,
        sample,
        tier_form,
        notice,
        StatusCode::OK,
    )
    .await
}
