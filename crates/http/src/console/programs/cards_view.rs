//! The card groups' page as it renders, for its own handler and for a
//! refused group or print run: the groups, each with its program and a form
//! to issue a print run of blank cards; a form to create a group; and what
//! the last print runs made.

use askama::Template;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::console::kit::{ActionForm, Chrome, Console, PageResult, Words, render};
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
#[template(path = "programs/card_groups.html")]
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
/// What the last action on the page did, as its address says it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    /// `group`, `group-saved`.
    done: String,
    /// A print run: how many cards, of which group, their numbers.
    printed: String,
    group: String,
    first: String,
    last: String,
}

fn notice(w: &Words, done: &Done, groups: &[GroupRow]) -> Option<String> {
    match done.done.as_str() {
        "group" => return Some(w.t("card-group-created")),
        "group-saved" => return Some(w.t("card-group-saved")),
        _ => {}
    }
    let count: i64 = done.printed.parse().ok()?;
    let group = done.group.parse::<i64>().ok()?;
    let group = groups.iter().find(|g| g.id == group)?;
    Some(w.with_all(
        "print-run-done",
        vec![
            ("count", count.into()),
            ("group", group.name.clone().into()),
            ("first", done.first.clone().into()),
            ("last", done.last.clone().into()),
        ],
    ))
}

/// The page with its forms as given (blank, or refused).
pub(super) async fn page(
    state: &AppState,
    console: &Console,
    done: &Done,
    create: Option<ActionForm>,
    run: Option<ActionForm>,
    status: StatusCode,
) -> PageResult {
    let w = &console.words;
    let (groups, programs, runs) = tokio::try_join!(
        state.app.card_groups(),
        state.app.programs(),
        state.app.print_runs(RUNS_LISTED)
    )?;
    let runs = runs
        .into_iter()
        .map(|run| RunRow {
            when: w.time(run.at),
            by: w.actor(&run.by),
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
    Ok(render(
        status,
        &CardGroupsPage {
            c: console.chrome(),
            w,
            notice: notice(w, done, &rows),
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
    ))
}
