//! A segment's buttons: recomputed now, or deleted with its history
//! unless an offer aims at it.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::SegmentId;
use clientele_domain::segment::SegmentKind;

use crate::console::kit::{Button, Console, PageError, PageResult, Path, Submission};
use crate::state::AppState;

pub async fn recompute(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    // A static segment shows no such button; a form sent anyway is told why.
    if state.app.segment(SegmentId(id)).await?.kind == SegmentKind::Static {
        return Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: console.words.t("segment-static-fixed"),
        });
    }
    state.app.recompute_segment(SegmentId(id)).await?;
    Ok(once.done(&format!("/segments/{id}?done=recomputed")).await)
}

pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let by = console.caller.changed_by();
    match state.app.delete_segment(SegmentId(id), &by).await {
        Ok(()) => Ok(once.done("/segments?done=deleted").await),
        // An offer aims at it: the page says so and shows no button.
        Err(AppError::Conflict { .. }) => Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: console.words.t("segment-in-use"),
        }),
        Err(error) => Err(error.into()),
    }
}
