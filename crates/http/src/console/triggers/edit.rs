//! A trigger's form, and the trigger set up or changed from it. Sent, the
//! form is refused with each error beside its field and what was typed
//! kept, or saved and the page says so; a trigger changed meanwhile is
//! said above the form, and the next save writes over it.

use axum::extract::State;
use clientele_app::{AppError, KeptTrigger};
use clientele_domain::trigger::TriggerKind;
use serde::Deserialize;

use super::draft::{Draft, beside};
use super::editor::{Shown, editor};
use super::said::kind;
use crate::console::kit::{Console, PageResult, Path, Query, Submission};
use crate::state::AppState;

/// What the page was sent back to say (`?done=saved`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

async fn kept(state: &AppState, kind: TriggerKind) -> Result<Option<KeptTrigger>, AppError> {
    Ok((state.app.triggers().await?.into_iter()).find(|t| t.kind == kind))
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(raw): Path<String>,
    Query(done): Query<Done>,
) -> PageResult {
    let kind = kind(&raw)?;
    let kept = kept(&state, kind).await?;
    let draft = kept.as_ref().map_or_else(|| Draft::blank(kind), Draft::of);
    let shown = Shown {
        notice: (done.done == "saved").then(|| console.words.t("trigger-done-saved")),
        ..Shown::fresh()
    };
    editor(&state, &console, kind, kept.as_ref(), draft, shown).await
}

pub async fn save(
    State(state): State<AppState>,
    console: Console,
    Path(raw): Path<String>,
    Submission { mut form, once, .. }: Submission<Draft>,
) -> PageResult {
    let kind = kind(&raw)?;
    let w = &console.words;
    let before = kept(&state, kind).await?;
    let (input, errors) = form.input(kind, w);
    let mut shown = Shown {
        token: once.token().to_owned(),
        errors,
        ..Shown::fresh()
    };
    if shown.errors.is_empty() {
        let by = console.caller.changed_by();
        let saved = match &before {
            None => state.app.create_trigger(input, &by).await,
            // A version that cannot be read is no version the trigger has.
            Some(kept) => {
                let version = form.version.trim().parse().unwrap_or(0);
                state.app.edit_trigger(kept.id, input, version, &by).await
            }
        };
        match saved {
            Ok(_) => {
                let page = format!("/triggers/{}?done=saved", kind.as_str());
                return Ok(once.done(&page).await);
            }
            Err(AppError::Validation(refused)) => shown.errors = beside(w, &refused.0),
            Err(AppError::NotFound("template")) => {
                shown
                    .errors
                    .insert("template_id".into(), w.t("error-unknown_template"));
            }
            // Set up or changed by someone else since the form was read.
            Err(AppError::Conflict { .. }) => shown.alert = Some(w.t("trigger-stale")),
            Err(error) => return Err(error.into()),
        }
    }
    let kept = match shown.alert {
        Some(_) => {
            let now = kept(&state, kind).await?;
            // Said once: sent again, the form writes over the other change.
            if let Some(now) = &now {
                form.version = now.version.to_string();
            }
            now
        }
        None => before,
    };
    editor(&state, &console, kind, kept.as_ref(), form, shown).await
}
