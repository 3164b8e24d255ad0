//! The templates: each with its language, the start of its text and when
//! it last changed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use crate::console::kit::{Chrome, Console, PageResult, Words, first_line, render};
use crate::state::AppState;

/// The characters of a text a row shows.
const LINE: usize = 80;

struct TemplateRow {
    href: String,
    name: String,
    locale: String,
    line: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "templates/list.html")]
struct TemplatesPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    rows: Vec<TemplateRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let rows = (state.app.templates().await?.into_iter())
        .map(|kept| TemplateRow {
            href: format!("/templates/{}", kept.id.0),
            locale: w.t(&format!("template-locale-{}", kept.record.locale.as_str())),
            line: first_line(&kept.record.body, LINE),
            updated: w.time(kept.updated_at),
            name: kept.record.name,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &TemplatesPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Campaigns, Right::Edit),
            rows,
        },
    ))
}
