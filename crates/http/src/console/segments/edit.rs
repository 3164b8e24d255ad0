//! Making a segment and changing one. The form drawn again with a row
//! added or removed saves nothing; sent to be saved, it is refused with
//! each error beside its row or field and what was typed kept, or saved and
//! the segment's page says so.

use std::collections::BTreeMap;

use axum::extract::State;
use clientele_app::AppError;
use clientele_domain::SegmentId;
use clientele_domain::segment::{RawRule, Rule};

use super::catalogue::Catalogue;
use super::draft::{Draft, Shaped, beside};
use super::editor::{Editing, Shown, editor, keeps_rule};
use crate::console::kit::{Button, Console, Once, PageResult, Path, Query, Submission, Words};
use crate::state::AppState;

/// The form as the rows were drawn again (its fields in the query), or
/// none.
fn drawn_again(pairs: Vec<(String, String)>) -> Option<Draft> {
    let typed: BTreeMap<String, String> = pairs.into_iter().collect();
    typed.contains_key("match").then(|| Draft::read(&typed))
}

pub async fn new(
    State(state): State<AppState>,
    console: Console,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let catalogue = Catalogue::load(&state).await?;
    let draft = drawn_again(pairs).unwrap_or_else(Draft::blank);
    let shown = Shown::fresh(Once::fresh());
    Ok(editor(&console, &catalogue, Editing::New, draft, shown))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let segment = state.app.segment(SegmentId(id)).await?;
    let catalogue = Catalogue::load(&state).await?;
    let draft = match drawn_again(pairs) {
        Some(mut draft) => {
            draft.kind = segment.kind.as_str().to_owned();
            draft
        }
        None => {
            let (mut draft, tree) = Draft::of(&segment, &console.words);
            draft.tree = tree.unwrap_or_default();
            draft
        }
    };
    let shown = Shown::fresh(Once::fresh());
    let editing = Editing::Kept(&segment);
    Ok(editor(&console, &catalogue, editing, draft, shown))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission { once, typed, .. }: Submission<Button>,
) -> PageResult {
    let w = &console.words;
    let catalogue = Catalogue::load(&state).await?;
    let draft = Draft::read(&typed);
    let mut shown = Shown::fresh(once.token().to_owned());
    if !draft.stepped {
        let shaped = draft.tree.shape(&catalogue.specs);
        let input = draft.input(shaped.rule.clone());
        let by = console.caller.changed_by();
        match state.app.create_segment(input, None, &by).await {
            Ok(segment) => {
                let page = format!("/segments/{}?done=created", segment.id.0);
                return Ok(once.done(&page).await);
            }
            Err(error) => shown.errors = refusal(w, error, &shaped, &catalogue)?,
        }
    }
    Ok(editor(&console, &catalogue, Editing::New, draft, shown))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, typed, .. }: Submission<Button>,
) -> PageResult {
    let w = &console.words;
    let segment = state.app.segment(SegmentId(id)).await?;
    let catalogue = Catalogue::load(&state).await?;
    let mut draft = Draft::read(&typed);
    draft.kind = segment.kind.as_str().to_owned();
    let mut shown = Shown::fresh(once.token().to_owned());
    if draft.stepped {
        // Nothing to save: the rows drawn again.
    } else if draft.version != segment.version.to_string() {
        shown.alert = Some(w.t("segment-stale"));
    } else {
        let shaped = draft.tree.shape(&catalogue.specs);
        // A rule the rows cannot show is kept as it is, whatever was sent.
        let rules = match keeps_rule(&segment, w) {
            true => segment.rules.as_ref().and_then(raw),
            false => shaped.rule.clone(),
        };
        let by = console.caller.changed_by();
        let input = draft.input(rules);
        match state
            .app
            .update_segment(segment.id, input, segment.version, &by)
            .await
        {
            Ok(_) => return Ok(once.done(&format!("/segments/{id}?done=saved")).await),
            Err(error) => shown.errors = refusal(w, error, &shaped, &catalogue)?,
        }
    }
    let editing = Editing::Kept(&segment);
    Ok(editor(&console, &catalogue, editing, draft, shown))
}

/// A kept rule as the use case takes it back.
fn raw(rule: &Rule) -> Option<RawRule> {
    serde_json::to_value(rule)
        .ok()
        .and_then(|json| serde_json::from_value(json).ok())
}

/// A use case's refusal beside the form's rows and fields; `Err` when it is
/// not the user's to correct.
fn refusal(
    w: &Words,
    error: AppError,
    shaped: &Shaped,
    catalogue: &Catalogue,
) -> Result<BTreeMap<String, Vec<String>>, AppError> {
    match error {
        AppError::Validation(refused) => Ok(beside(w, refused.0, shaped, &catalogue.specs)),
        AppError::Conflict {
            field: Some("name"),
            ..
        } => Ok([("name".to_owned(), vec![w.t("segment-name-taken")])].into()),
        other => Err(other),
    }
}
