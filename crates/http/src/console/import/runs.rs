//! The import wizard's last steps: the dry run of the mapping (what would
//! happen, nothing written), then the import itself and its result. Each
//! runs in the background; its page polls a progress fragment until the
//! report is there. The refused rows download as a workbook to fix and
//! upload again.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use clientele_app::AppError;
use clientele_app::import::sheets::rejected_workbook;

use super::shared::upload_of;
use super::uploads::{Run, Step, Upload, Uploads};
use crate::console::kit::{
    Button, Chrome, Console, Once, PageError, PageResult, Path, Submission, Words, render, workbook,
};
use crate::state::AppState;

/// Refused rows listed on the page; the download has them all.
const LISTED: usize = 100;

struct Refused {
    row: usize,
    reasons: String,
}

/// A finished run's figures.
struct Summary {
    rows: u64,
    created: u64,
    updated: u64,
    unchanged: u64,
    rejected: usize,
    listed: Vec<Refused>,
    /// The refused rows not listed, in words.
    more: Option<String>,
}

/// What the run's part of the page shows, on the page and in the fragment.
struct RunView {
    id: String,
    step: &'static str,
    csrf: String,
    /// The import form's one-time token (the dry run's page).
    token: String,
    done: u64,
    total: u64,
    /// Why the run failed.
    failed: Option<String>,
    summary: Option<Summary>,
}

impl RunView {
    fn percent(&self) -> u64 {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[derive(Template)]
#[template(path = "import/run.html")]
struct RunPage<'a> {
    c: Chrome,
    w: &'a Words,
    name: String,
    v: RunView,
}

#[derive(Template)]
#[template(path = "import/run.html", block = "run")]
struct RunFragment<'a> {
    w: &'a Words,
    v: RunView,
}

fn view(console: &Console, upload: &Upload, step: Step, run: &Run) -> RunView {
    let w = &console.words;
    let (done, total) = run.progress.counts();
    let (failed, summary) = match run.outcome() {
        None => (None, None),
        Some(Err(error)) => (Some(failure(w, error)), None),
        Some(Ok(report)) => (
            None,
            Some(Summary {
                rows: report.rows,
                created: report.created,
                updated: report.updated,
                unchanged: report.unchanged,
                rejected: report.rejected.len(),
                listed: report
                    .rejected
                    .iter()
                    .take(LISTED)
                    .map(|r| Refused {
                        row: r.row,
                        reasons: reasons(w, r),
                    })
                    .collect(),
                more: (report.rejected.len() > LISTED).then(|| {
                    w.n(
                        "import-rejected-more",
                        (report.rejected.len() - LISTED) as i64,
                    )
                }),
            }),
        ),
    };
    RunView {
        id: upload.id.clone(),
        step: step.path(),
        csrf: console.session.csrf.clone(),
        token: Once::fresh(),
        done,
        total,
        failed,
        summary,
    }
}

/// Why a run failed, in the reader's language where the table has it.
fn failure(w: &Words, error: &AppError) -> String {
    match error {
        AppError::Validation(errors) => errors
            .0
            .iter()
            .map(|e| {
                w.find(&format!("import-error-{}", e.code.replace('_', "-")))
                    .unwrap_or_else(|| w.field_error(e))
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => w.t("import-error-failed"),
    }
}

/// A run's page: the dry run (`Check`) or the import (`Result`).
fn run_page(uploads: &Uploads, console: &Console, id: &str, step: Step) -> PageResult {
    let upload = upload_of(uploads, console, id)?;
    let Some(run) = upload.run(step) else {
        let earlier = match step {
            Step::Check => format!("/import/{id}"),
            Step::Result => format!("/import/{id}/check"),
        };
        return Ok(Redirect::to(&earlier).into_response());
    };
    let v = view(console, &upload, step, &run);
    Ok(render(
        StatusCode::OK,
        &RunPage {
            c: console.chrome(),
            w: &console.words,
            name: upload.name.clone(),
            v,
        },
    ))
}

pub async fn check(
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path(id): Path<String>,
) -> PageResult {
    run_page(&uploads, &console, &id, Step::Check)
}

pub async fn result(
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path(id): Path<String>,
) -> PageResult {
    run_page(&uploads, &console, &id, Step::Result)
}

fn step_of(raw: &str) -> Option<Step> {
    [Step::Check, Step::Result]
        .into_iter()
        .find(|step| step.path() == raw)
}

/// The run's part of its page, polled while it runs.
pub async fn progress(
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path((id, step)): Path<(String, String)>,
) -> PageResult {
    let upload = upload_of(&uploads, &console, &id)?;
    let Some((step, run)) = step_of(&step).and_then(|step| Some((step, upload.run(step)?))) else {
        return Err(PageError::NotFound);
    };
    let v = view(&console, &upload, step, &run);
    Ok(render(
        StatusCode::OK,
        &RunFragment {
            w: &console.words,
            v,
        },
    ))
}

/// The import itself, with the mapping of the dry run shown; sent twice,
/// it runs once.
pub async fn import(
    State(state): State<AppState>,
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path(id): Path<String>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let upload = upload_of(&uploads, &console, &id)?;
    let checked = upload
        .run(Step::Check)
        .filter(|run| matches!(run.outcome(), Some(Ok(_))));
    let Some(checked) = checked else {
        // Nothing checked yet: the dry run first.
        return Ok(Redirect::to(&format!("/import/{id}/check")).into_response());
    };
    upload.import(&state.app, checked.mapping.clone());
    Ok(once.done(&format!("/import/{id}/result")).await)
}

/// The rows a run refused, as a workbook.
pub async fn rejected(
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path((id, step)): Path<(String, String)>,
) -> PageResult {
    let w = &console.words;
    let upload = upload_of(&uploads, &console, &id)?;
    let report = step_of(&step)
        .and_then(|step| upload.run(step))
        .and_then(|run| match run.outcome() {
            Some(Ok(report)) => Some(report.rejected.clone()),
            _ => None,
        });
    let Some(rejected) = report else {
        return Err(PageError::NotFound);
    };
    let table = &upload.table;
    match rejected_workbook(
        table,
        &rejected,
        &w.t("import-rejected-row"),
        &w.t("import-rejected-reasons"),
        |r| reasons(w, r),
    ) {
        Ok(bytes) => Ok(workbook(bytes, &w.t("import-rejected-file"))),
        Err(error) => {
            tracing::error!(%error, "the rejected rows could not be written");
            Err(PageError::Internal)
        }
    }
}

/// Why a row was refused, in the reader's language: each field by its
/// column's name, each reason by its code where the table has it.
fn reasons(w: &Words, rejected: &clientele_app::import::RejectedRow) -> String {
    rejected
        .reasons
        .iter()
        .map(|e| {
            let column = w
                .find(&format!("import-column-{}", e.field.replace('_', "-")))
                .unwrap_or_else(|| e.field.clone());
            let why = w.field_error(e);
            format!("{column}: {why}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::kit::Lang;

    fn running() -> RunView {
        RunView {
            id: "upload_x".into(),
            step: "result",
            csrf: "c".into(),
            token: "t".into(),
            done: 5_000,
            total: 20_000,
            failed: None,
            summary: None,
        }
    }

    #[test]
    fn a_running_import_polls_its_progress_fragment_until_the_report_comes() {
        let w = Words::new(Lang::Ru, jiff::tz::TimeZone::UTC);
        let html = RunFragment {
            w: &w,
            v: running(),
        }
        .render()
        .unwrap();
        assert!(!html.contains("<html"), "a fragment, not a page: {html}");
        assert!(html.contains(r#"hx-get="/import/upload_x/result/progress""#));
        assert!(html.contains(r#"hx-trigger="every 1s""#));
        assert!(html.contains(r#"value="25""#), "{html}");
        assert!(html.contains("5000 / 20000"), "{html}");

        let mut done = running();
        done.summary = Some(Summary {
            rows: 3,
            created: 2,
            updated: 0,
            unchanged: 0,
            rejected: 1,
            listed: vec![Refused {
                row: 4,
                reasons: "phone: not a phone number".into(),
            }],
            more: None,
        });
        let html = RunFragment { w: &w, v: done }.render().unwrap();
        assert!(!html.contains("hx-trigger"), "polling stops: {html}");
        assert!(html.contains("/import/upload_x/result/rejected.xlsx"));
    }
}
