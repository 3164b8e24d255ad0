//! Card groups: the list, each with its program and a form to issue a
//! print run of blank cards; a form to create a group; and what the last
//! print run made.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_domain::{CardGroupId, Module, ProgramId, Right};

use super::action_form::{ActionForm, Posted, receive};
use super::program_form::refused_fields;
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::{Path, QueryPairs};
use crate::state::AppState;

struct GroupRow {
    id: i64,
    name: String,
    program: String,
    program_id: String,
    created: String,
}

/// A print run as the history lists it.
struct RunRow {
    when: String,
    by: String,
    group: String,
    count: String,
    numbers: String,
}

/// How many print runs the page lists, newest first.
const RUNS_LISTED: u32 = 20;

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "card_groups.html")]
struct CardGroupsPage<'a> {
    c: Chrome,
    w: &'a Words,
    rows: Vec<GroupRow>,
    runs: Vec<RunRow>,
    programs: Vec<Choice>,
    notice: Option<String>,
    /// Creating a group, and a print run of one; for a role that may edit.
    create: Option<ActionForm>,
    run: Option<ActionForm>,
}

/// What the last action did, from the address it led to.
fn notice(w: &Words, pairs: &[(String, String)], groups: &[GroupRow]) -> Option<String> {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    match get("done") {
        Some("group") => return Some(w.t("card-group-created")),
        Some("group-saved") => return Some(w.t("card-group-saved")),
        _ => {}
    }
    let count: i64 = get("printed")?.parse().ok()?;
    let group = get("group")?.parse::<i64>().ok()?;
    let group = groups.iter().find(|g| g.id == group)?;
    Some(w.with_all(
        "print-run-done",
        vec![
            ("count", count.into()),
            ("group", group.name.clone().into()),
            ("first", get("first").unwrap_or_default().to_owned().into()),
            ("last", get("last").unwrap_or_default().to_owned().into()),
        ],
    ))
}

/// The page with its forms as given (blank, or refused).
pub async fn page(
    state: &AppState,
    console: &Console,
    pairs: &[(String, String)],
    create: Option<ActionForm>,
    run: Option<ActionForm>,
    status: StatusCode,
) -> Response {
    let w = &console.words;
    let (groups, programs, runs) = match tokio::try_join!(
        state.app.card_groups(),
        state.app.programs(),
        state.app.print_runs(RUNS_LISTED)
    ) {
        Ok(found) => found,
        Err(error) => return error_page(w, error),
    };
    let runs = runs
        .into_iter()
        .map(|run| RunRow {
            when: w.time(run.at),
            by: run.by,
            group: groups
                .iter()
                .find(|g| g.id == run.group_id)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            count: w.count(run.count),
            numbers: match (run.first, run.last) {
                (Some(first), Some(last)) => format!("{first} – {last}"),
                _ => String::new(),
            },
        })
        .collect();
    let rows: Vec<GroupRow> = groups
        .into_iter()
        .map(|g| GroupRow {
            id: g.id.0,
            name: g.name,
            program: programs
                .iter()
                .find(|p| p.id == g.program_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            program_id: g.program_id.0.to_string(),
            created: w.day(g.created_at),
        })
        .collect();
    render(
        status,
        &CardGroupsPage {
            c: console.chrome(),
            w,
            notice: notice(w, pairs, &rows),
            rows,
            runs,
            programs: programs
                .iter()
                .map(|p| Choice {
                    value: p.id.0.to_string(),
                    label: p.name.clone(),
                })
                .collect(),
            create,
            run,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    QueryPairs(pairs): QueryPairs,
) -> Response {
    let may = console.may(Module::Programs, Right::Edit);
    let create = may.then(ActionForm::blank);
    let run = may.then(ActionForm::blank);
    page(&state, &console, &pairs, create, run, StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &console, Some(CardGroupId(id)), pairs).await
}

/// A new card group, or group `editing` renamed or moved to another program.
async fn save(
    state: &AppState,
    console: &Console,
    editing: Option<CardGroupId>,
    pairs: Vec<(String, String)>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(state, console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let name = values.get("name").map_or("", String::as_str);
    let program = values
        .get("program_id")
        .and_then(|p| p.parse().ok())
        .map_or(ProgramId(0), ProgramId);
    let by = console.caller.changed_by();
    let saved = match editing {
        None => state.app.create_card_group(name, program, &by).await,
        Some(id) => state.app.update_card_group(id, name, program, &by).await,
    };
    let errors = match saved.map_err(|error| refused_fields(w, error)) {
        Ok(_) => {
            let target = if editing.is_some() {
                "/settings/cards?done=group-saved"
            } else {
                "/settings/cards?done=group"
            };
            state.submitted.done(&token, target);
            return Redirect::to(target).into_response();
        }
        Err(Ok(errors)) => errors,
        Err(Err(error)) => {
            state.submitted.failed(&token);
            return error_page(w, error);
        }
    };
    state.submitted.failed(&token);
    let subject = editing.map_or(0, |id| id.0);
    let create = ActionForm::refused(subject, token, values, errors);
    page(
        state,
        console,
        &[],
        Some(create),
        Some(ActionForm::blank()),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
