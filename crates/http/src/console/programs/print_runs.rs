//! A print run from the card groups' page: so many blank EAN-13 cards of a
//! group, numbered after the last card issued; the page then says how many
//! were made and their first and last numbers.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::CardGroupId;
use serde::Deserialize;

use super::cards_view::{Done, page};
use super::rules::field_errors;
use crate::console::kit::{
    ActionForm, Console, PageError, PageResult, Path, Reader, Submission, encode,
};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PrintRunForm {
    /// How many cards.
    count: String,
}

pub async fn issue(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<PrintRunForm>,
) -> PageResult {
    let w = &console.words;
    let mut read = Reader::new(w);
    let count = read.whole("count", &form.count);
    let mut errors = read.errors;
    if count.is_none() && errors.is_empty() {
        errors.insert("count".into(), w.t("error-required"));
    }
    if let Some(count) = count.filter(|_| errors.is_empty()) {
        // Beyond u32 is beyond any print run: the app refuses it as such.
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        match state
            .app
            .print_run(CardGroupId(id), count, &console.caller.changed_by())
            .await
        {
            Ok(cards) => {
                let barcode = |card: Option<&clientele_domain::Card>| {
                    card.map(|c| encode(c.barcode.as_str())).unwrap_or_default()
                };
                let target = format!(
                    "/settings/cards?printed={}&group={id}&first={}&last={}",
                    cards.len(),
                    barcode(cards.first()),
                    barcode(cards.last()),
                );
                return Ok(once.done(&target).await);
            }
            Err(AppError::Validation(refused)) => {
                errors = field_errors(w, refused);
                if errors.contains_key("group_id") {
                    return Err(PageError::NotFound);
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    let run = ActionForm::refused(id, &once, typed, errors);
    page(
        &state,
        &console,
        &Done::default(),
        Some(ActionForm::blank()),
        Some(run),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
