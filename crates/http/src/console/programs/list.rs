//! The loyalty programs, each with its rules and tiers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use super::view::{Figure, figures};
use crate::console::kit::{Chrome, Console, PageResult, Words, render};
use crate::state::AppState;

struct ProgramRow {
    href: String,
    name: String,
    is_default: bool,
    figures: Vec<Figure>,
    tiers: String,
}

#[derive(Template)]
#[template(path = "programs/list.html")]
struct ProgramsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    rows: Vec<ProgramRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let programs = state.app.programs().await?;
    let rows = programs
        .iter()
        .map(|p| ProgramRow {
            href: format!("/settings/programs/{}", p.id.0),
            name: p.name.clone(),
            is_default: p.is_default,
            figures: figures(w, p),
            tiers: match p.tiers.len() {
                0 => w.t("tiers-none"),
                _ => p
                    .tiers
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ProgramsPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Programs, Right::Edit),
            rows,
        },
    ))
}
