//! The import wizard's first step: a customer file uploaded (.xlsx or .csv),
//! read, and kept for the next steps; a template to fill in. A file that
//! cannot be read is refused beside the file field.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use clientele_app::import::columns::Column;
use clientele_app::import::table::{Table, read_table};

use super::shared::{label, template_columns};
use super::uploads::Uploads;
use crate::console::kit::{
    Button, Chrome, Console, FileRefusal, Once, PageError, PageResult, SentFile, Submission,
    Upload, Words, render, workbook,
};
use crate::state::AppState;

/// The largest file the wizard takes.
pub const UPLOAD_LIMIT: usize = 25 * 1024 * 1024;

#[derive(Template)]
#[template(path = "import/upload.html")]
struct UploadPage<'a> {
    c: Chrome,
    w: &'a Words,
    token: String,
    /// What is wrong with the file sent.
    error: Option<String>,
    /// The headers the wizard recognises, for the hint.
    known: String,
}

fn page(console: &Console, token: String, error: Option<String>) -> UploadPage<'_> {
    let w = &console.words;
    let known = template_columns(&[])
        .iter()
        .map(|column| label(w, column, &[]))
        .collect::<Vec<_>>()
        .join(", ");
    UploadPage {
        c: console.chrome(),
        w,
        token,
        error,
        known,
    }
}

pub async fn form(console: Console) -> Response {
    render(StatusCode::OK, &page(&console, Once::fresh(), None))
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    request: Request,
) -> Result<Response, Response> {
    let w = &console.words;
    let Upload { submission, file } =
        Upload::<Button>::read(&state, &console, request, UPLOAD_LIMIT).await?;
    let Submission { once, .. } = submission;
    let read = match file {
        Ok(sent) => read_sent(sent).await,
        Err(refusal) => Err(Refused::File(refusal)),
    };
    match read {
        Ok((name, table)) => {
            let kept = uploads.keep(console.session.user.id, name, table);
            Ok(once.done(&format!("/import/{}", kept.id)).await)
        }
        Err(refusal) => {
            let (status, error) = match refusal {
                Refused::File(refusal) => (refusal.status(), refusal.explain(w, UPLOAD_LIMIT)),
                Refused::NoRows => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    w.t("import-error-no-rows"),
                ),
            };
            let token = once.token().to_owned();
            Ok(render(status, &page(&console, token, Some(error))))
        }
    }
}

/// Why a sent file is not kept.
enum Refused {
    File(FileRefusal),
    /// Headers and no customer under them.
    NoRows,
}

/// Reads a sent file by its extension, off the request's thread: a big
/// one takes a while.
async fn read_sent(sent: SentFile) -> Result<(String, Table), Refused> {
    let kind = sent.kind().map_err(Refused::File)?;
    let SentFile { name, bytes } = sent;
    let table = tokio::task::spawn_blocking(move || read_table(&bytes, kind))
        .await
        .map_err(|_| Refused::File(FileRefusal::NoFile))?
        .map_err(|error| Refused::File(FileRefusal::Table(error)))?;
    if table.rows.is_empty() {
        return Err(Refused::NoRows);
    }
    Ok((name, table))
}

/// An empty list under the headers the wizard reads, in the reader's
/// language, the marketer's properties last.
pub async fn template(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let properties = state.app.property_definitions().await?;
    let headers: Vec<String> = template_columns(&properties)
        .iter()
        .map(|column: &Column| label(w, column, &properties))
        .collect();
    match clientele_app::import::sheets::template_workbook(&headers) {
        Ok(bytes) => Ok(workbook(bytes, &w.t("import-template-file"))),
        Err(error) => {
            tracing::error!(%error, "the import template could not be written");
            Err(PageError::Internal)
        }
    }
}
