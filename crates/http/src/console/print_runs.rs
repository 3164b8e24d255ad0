//! A print run from the card groups' page: so many blank EAN-13 cards of a
//! group, numbered after the last card issued; the page then says how many
//! were made and their first and last numbers.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::CardGroupId;

use super::action_form::{ActionForm, Posted, receive};
use super::card_groups::page;
use super::program_form::field_errors;
use super::rates::Reader;
use super::{Console, encode, error_page};
use crate::extract::Path;
use crate::state::AppState;

pub async fn issue(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let mut read = Reader::new(w, &values);
    let count = read.whole("count");
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
                state.submitted.done(&token, &target);
                return Redirect::to(&target).into_response();
            }
            Err(AppError::Validation(refused)) => {
                errors = field_errors(w, refused);
                if errors.contains_key("group_id") {
                    state.submitted.failed(&token);
                    return error_page(w, AppError::NotFound("card group"));
                }
            }
            Err(error) => {
                state.submitted.failed(&token);
                return error_page(w, error);
            }
        }
    }
    state.submitted.failed(&token);
    let run = ActionForm::refused(id, token, values, errors);
    page(
        &state,
        &console,
        &[],
        Some(ActionForm::blank()),
        Some(run),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
