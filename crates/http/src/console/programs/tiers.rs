//! Adding a tier to a program from its page, or changing one: a name, the
//! spend it starts from, and its own rate (earned points or a discount, by
//! the program's kind); a refused tier comes back with its errors beside
//! its fields.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::NewTier;
use clientele_domain::{ProgramId, ProgramKind, TierId};
use serde::Deserialize;

use super::rules::refused_fields;
use super::view::page;
use crate::console::kit::{ActionForm, Console, PageError, PageResult, Path, Reader, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TierForm {
    name: String,
    /// The spend it starts from, in roubles.
    threshold: String,
    /// Its own rate in percents; empty: the program's.
    rate: String,
}

pub async fn add(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    submission: Submission<TierForm>,
) -> PageResult {
    save(&state, &console, id, None, submission).await
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path((id, tier_id)): Path<(i64, i64)>,
    submission: Submission<TierForm>,
) -> PageResult {
    save(&state, &console, id, Some(TierId(tier_id)), submission).await
}

/// A tier added to program `id`, or tier `editing` of it changed.
async fn save(
    state: &AppState,
    console: &Console,
    id: i64,
    editing: Option<TierId>,
    Submission { form, once, typed }: Submission<TierForm>,
) -> PageResult {
    let w = &console.words;
    let program = state.app.program(ProgramId(id)).await?;
    if editing.is_some_and(|tier| program.tier(tier).is_none()) {
        return Err(PageError::NotFound);
    }
    let mut read = Reader::new(w);
    let threshold = read.hundredths("threshold", &form.threshold).unwrap_or(0);
    let rate = read.hundredths("rate", &form.rate);
    let name = form.name.trim().to_owned();
    let mut errors = read.errors;
    if errors.is_empty() {
        let bonus = program.rules.kind == ProgramKind::Bonus;
        let tier = NewTier {
            name,
            threshold_minor: threshold,
            earn_rate_bp: rate.filter(|_| bonus),
            discount_bp: rate.filter(|_| !bonus),
        };
        let by = console.caller.changed_by();
        let saved = match editing {
            None => state.app.create_tier(program.id, tier, &by).await,
            Some(tier_id) => state.app.update_tier(tier_id, tier, &by).await,
        };
        match saved.map_err(|error| refused_fields(w, error)) {
            Ok(_) => {
                let done = if editing.is_some() {
                    "tier-saved"
                } else {
                    "tier"
                };
                let target = format!("/settings/programs/{id}?done={done}#tiers");
                return Ok(once.done(&target).await);
            }
            Err(Ok(refused)) => {
                errors = refused
                    .into_iter()
                    .map(|(field, error)| match field.as_str() {
                        "earn_rate" | "discount" => ("rate".to_owned(), error),
                        _ => (field, error),
                    })
                    .collect::<BTreeMap<_, _>>();
            }
            Err(Err(error)) => return Err(error.into()),
        }
    }
    let subject = editing.map_or(0, |tier| tier.0);
    let form = ActionForm::refused(subject, &once, typed, errors);
    page(
        state,
        console,
        id,
        BTreeMap::new(),
        Some(form),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
