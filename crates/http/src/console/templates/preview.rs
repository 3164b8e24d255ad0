//! The preview asked for: to the page's script, the panel alone, with each
//! text's error sent beside its field out of band (a corrected text clears
//! its error); to a plain form, the whole form again as typed, with it.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use clientele_domain::TemplateId;

use super::draft::Draft;
use super::editor::{Editing, Shown, editor};
use super::panel::{Panel, TEXTS, panel};
use crate::console::kit::{Console, PageResult, Submission, Words, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "templates/preview_part.html")]
struct PreviewPart<'a> {
    w: &'a Words,
    panel: Panel,
    /// Each text field and its error, if any.
    slots: Vec<(&'static str, Option<String>)>,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let mut panel = panel(&state, &console, &form).await?;
    if headers.contains_key("hx-request") {
        let slots = (TEXTS.into_iter())
            .map(|field| (field, panel.errors.remove(field)))
            .collect();
        let part = PreviewPart {
            w: &console.words,
            panel,
            slots,
        };
        return Ok(render(StatusCode::OK, &part));
    }
    let editing = match form.id.parse() {
        Ok(id) => Editing::Kept {
            id,
            name: state.app.template(TemplateId(id)).await?.record.name,
        },
        Err(_) => Editing::New,
    };
    let shown = Shown::fresh(once.token().to_owned());
    Ok(editor(&console, editing, form, shown, panel))
}
