//! An offer's page, what the last action on it did, and which page of
//! its codes.

use axum::extract::State;
use clientele_domain::offer::CouponCode;

use super::said::Done;
use super::view::{Paged, Shown, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Query};
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
    Query(paged): Query<Paged>,
) -> PageResult {
    let shown = Shown {
        notice: done.notice(&console.words),
        make: ActionForm::blank(),
        // A code that cannot be one lists from the first.
        after: CouponCode::parse(paged.after()).ok(),
    };
    page(&state, &console, id, shown).await
}
