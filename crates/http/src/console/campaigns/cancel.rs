//! A campaign stopped from its page: what has not left is withdrawn (in
//! its cancel window, everything), and the page says how many.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::CampaignId;

use crate::console::kit::{Button, Console, PageError, PageResult, Path, Submission};
use crate::state::AppState;

pub async fn cancel(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let by = console.caller.changed_by();
    match state.app.cancel_campaign(CampaignId(id), &by).await {
        Ok(withdrawn) => {
            let page = format!("/campaigns/{id}?done=cancelled&withdrawn={withdrawn}");
            Ok(once.done(&page).await)
        }
        // Cancelled meanwhile: the page shows no button any more.
        Err(AppError::Conflict { .. }) => Err(PageError::Refused {
            status: StatusCode::CONFLICT,
            text: console.words.t("campaign-cancelled-already"),
        }),
        Err(error) => Err(error.into()),
    }
}
