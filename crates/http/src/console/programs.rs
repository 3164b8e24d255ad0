//! The programs' settings pages: loyalty programs with their tiers and the
//! preview of a sample basket, card groups with their print runs, and gift
//! certificate templates. This file holds their routes and the list of
//! programs.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use clientele_domain::{Module, Right};

use super::program_page::{Figure, figures};
use super::{
    Chrome, Console, Words, card_groups, certificate_templates, error_page, print_runs,
    program_form, program_page, program_tiers, render,
};
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/programs", get(list))
        .route(
            "/settings/programs/new",
            get(program_form::new).post(program_form::create),
        )
        .route("/settings/programs/{id}", get(program_page::show))
        .route(
            "/settings/programs/{id}/edit",
            get(program_form::edit).post(program_form::update),
        )
        .route("/settings/programs/{id}/tiers", post(program_tiers::add))
        .route(
            "/settings/programs/{id}/tiers/{tier_id}",
            post(program_tiers::edit),
        )
        .route(
            "/settings/cards",
            get(card_groups::list).post(card_groups::create),
        )
        .route("/settings/cards/{id}", post(card_groups::update))
        .route("/settings/cards/{id}/print-runs", post(print_runs::issue))
        .route(
            "/settings/certificates",
            get(certificate_templates::list).post(certificate_templates::create),
        )
        .route(
            "/settings/certificates/{id}",
            post(certificate_templates::update),
        )
}

struct ProgramRow {
    href: String,
    name: String,
    is_default: bool,
    figures: Vec<Figure>,
    tiers: String,
}

#[derive(Template)]
#[template(path = "programs.html")]
struct ProgramsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    rows: Vec<ProgramRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> Response {
    let w = &console.words;
    let programs = match state.app.programs().await {
        Ok(programs) => programs,
        Err(error) => return error_page(w, error),
    };
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
    render(
        StatusCode::OK,
        &ProgramsPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Programs, Right::Edit),
            rows,
        },
    )
}
