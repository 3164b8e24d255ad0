//! Writing a template and changing one. Sent, the form is refused with each
//! error beside its field and what was typed kept, or saved and its page
//! says so; a template changed meanwhile is said above the form, and the
//! next save writes over it.

use axum::extract::State;
use clientele_domain::TemplateId;
use serde::Deserialize;

use super::draft::Draft;
use super::editor::{Editing, Shown, editor};
use super::panel::panel;
use crate::console::kit::{Console, Once, PageResult, Path, Query, Submission, Words};
use crate::state::AppState;

/// What the page was sent back to say (`?done=saved`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

impl Done {
    fn notice(&self, w: &Words) -> Option<String> {
        match self.done.as_str() {
            done @ ("created" | "saved") => Some(w.t(&format!("template-done-{done}"))),
            _ => None,
        }
    }
}

pub async fn new(State(state): State<AppState>, console: Console) -> PageResult {
    let draft = Draft {
        locale: console.words.lang.code().to_owned(),
        ..Draft::default()
    };
    let panel = panel(&state, &console, &draft).await?;
    let shown = Shown::fresh(Once::fresh());
    Ok(editor(&console, Editing::New, draft, shown, panel))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let kept = state.app.template(TemplateId(id)).await?;
    let draft = Draft::of(&kept);
    let panel = panel(&state, &console, &draft).await?;
    let shown = Shown {
        notice: done.notice(&console.words),
        ..Shown::fresh(Once::fresh())
    };
    let editing = Editing::Kept {
        id,
        name: kept.record.name,
    };
    Ok(editor(&console, editing, draft, shown, panel))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let by = console.caller.changed_by();
    let mut shown = Shown::fresh(once.token().to_owned());
    match state.app.create_template(form.input(), &by).await {
        Ok(kept) => {
            let page = format!("/templates/{}?done=created", kept.id.0);
            return Ok(once.done(&page).await);
        }
        Err(error) => shown.refused(&console.words, error)?,
    }
    let panel = panel(&state, &console, &form).await?;
    Ok(editor(&console, Editing::New, form, shown, panel))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { mut form, once, .. }: Submission<Draft>,
) -> PageResult {
    let w = &console.words;
    let kept = state.app.template(TemplateId(id)).await?;
    let mut shown = Shown::fresh(once.token().to_owned());
    if form.version != kept.version.to_string() {
        shown.alert = Some(w.t("template-stale"));
    } else {
        let by = console.caller.changed_by();
        match (state.app)
            .edit_template(kept.id, form.input(), kept.version, &by)
            .await
        {
            Ok(_) => return Ok(once.done(&format!("/templates/{id}?done=saved")).await),
            Err(error) => shown.refused(w, error)?,
        }
    }
    let kept = match shown.alert {
        // Said once: sent again, the form writes over the other change.
        Some(_) => state.app.template(kept.id).await?,
        None => kept,
    };
    form.version = kept.version.to_string();
    let panel = panel(&state, &console, &form).await?;
    let editing = Editing::Kept {
        id,
        name: kept.record.name,
    };
    Ok(editor(&console, editing, form, shown, panel))
}
