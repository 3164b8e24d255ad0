//! A card given to a customer from their page (REGOS's card form): the
//! next free card of a group, or a scanned one (a blank card, or a new card
//! of the group with that barcode and type), active, valid from and to the
//! days given. Each refusal is said beside its field.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_app::programs::CardToGive;
use clientele_domain::{CardGroupId, CustomerId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::profile::{Actions, page};
use crate::console::kit::{ActionForm, Console, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GiveForm {
    /// `scanned`; anything else: the group's next free card.
    how: String,
    group_id: String,
    barcode: String,
    /// `ean13`, `code128` or `qr`, for a new card.
    symbology: String,
    /// `YYYY-MM-DD`, from the start of that day; empty: from now.
    valid_from: String,
    /// `YYYY-MM-DD`, to the end of that day; empty: for good.
    valid_to: String,
}

/// A day of the form: none when empty, `Err` when it is no day.
fn day(raw: &str) -> Result<Option<Date>, ()> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| ()),
    }
}

/// The moment a day starts in the shop's time zone.
fn start_of(state: &AppState, day: Date) -> Option<Timestamp> {
    day.to_zoned(state.app.clock().zone().clone())
        .ok()
        .map(|start| start.timestamp())
}

pub async fn give(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, typed }: Submission<GiveForm>,
) -> PageResult {
    let w = &console.words;
    let mut errors = BTreeMap::new();
    let group = form.group_id.parse().ok().map(CardGroupId);
    if group.is_none() {
        errors.insert("group_id".to_owned(), w.t("card-give-error-no_group"));
    }
    let mut read = |field: &str, raw: &str| {
        day(raw).unwrap_or_else(|()| {
            errors.insert(field.to_owned(), w.t("error-invalid_date"));
            None
        })
    };
    let valid_from = read("valid_from", &form.valid_from).and_then(|d| start_of(&state, d));
    // The last day counts whole: the card is valid until the next one starts.
    let valid_to = read("valid_to", &form.valid_to)
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| start_of(&state, d));
    if let (true, Some(group)) = (errors.is_empty(), group) {
        let card = if form.how == "scanned" {
            CardToGive::Scanned {
                barcode: form.barcode.clone(),
                symbology: Some(form.symbology.clone()).filter(|s| !s.is_empty()),
                group_id: group,
            }
        } else {
            CardToGive::FreeOf(group)
        };
        let by = console.caller.changed_by();
        match state
            .app
            .give_card(CustomerId(id), card, (valid_from, valid_to), &by)
            .await
        {
            Ok(_) => {
                return Ok(once
                    .done(&format!("/customers/{id}?done=card-given#notice"))
                    .await);
            }
            Err(AppError::Validation(refused)) => {
                for e in refused.0 {
                    let field = match e.field.as_str() {
                        "group_id" | "valid_from" | "valid_to" | "symbology" => e.field.clone(),
                        _ => "barcode".to_owned(),
                    };
                    errors.insert(field, w.field_error(&e));
                }
            }
            Err(AppError::Conflict {
                field: Some("barcode"),
                ..
            }) => {
                errors.insert("barcode".to_owned(), w.t("card-barcode-taken"));
            }
            Err(error) => return Err(error.into()),
        }
    }
    let actions = Actions {
        give: ActionForm::refused(0, &once, typed, errors),
        ..Actions::blank()
    };
    page(&state, &console, id, actions).await
}
