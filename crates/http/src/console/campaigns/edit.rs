//! Making a campaign. Sent, the form is refused with each error beside its
//! field and what was typed kept (an audience with nobody in it beside the
//! audience), or the campaign is made and its page says so.

use axum::extract::State;
use clientele_app::AppError;
use serde::Deserialize;

use super::draft::{Draft, beside};
use super::editor::{Pickers, editor};
use crate::console::kit::{Console, Once, PageResult, Query, Submission};
use crate::state::AppState;

/// A template chosen already: from its page, or as the picker changed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Chosen {
    template_id: String,
}

pub async fn new(
    State(state): State<AppState>,
    console: Console,
    Query(chosen): Query<Chosen>,
) -> PageResult {
    let pickers = Pickers::load(&state, &console.words).await?;
    let draft = Draft {
        template_id: chosen.template_id,
        ..Draft::blank()
    };
    let errors = Default::default();
    Ok(editor(
        &state,
        &console,
        &pickers,
        draft,
        Once::fresh(),
        errors,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let w = &console.words;
    let clock = state.app.clock();
    let (input, mut errors) = form.input(w, clock.zone(), clock.now());
    if errors.is_empty() {
        let by = console.caller.changed_by();
        match state.app.create_campaign(input, &by).await {
            Ok(kept) => {
                let page = format!("/campaigns/{}?done=created", kept.id.0);
                return Ok(once.done(&page).await);
            }
            Err(AppError::Validation(refused)) => errors = beside(w, &refused.0),
            Err(AppError::Conflict {
                field: Some("name"),
                ..
            }) => {
                errors.insert("name".into(), w.t("campaign-name-taken"));
            }
            Err(error) => return Err(error.into()),
        }
    }
    let pickers = Pickers::load(&state, w).await?;
    let token = once.token().to_owned();
    Ok(editor(&state, &console, &pickers, form, token, errors))
}
