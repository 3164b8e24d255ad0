//! The import wizard's first step: a customer file uploaded (.xlsx or .csv),
//! read, and kept for the next steps; a template to fill in. A file that
//! cannot be read is refused beside the file field.

use std::path::Path as FilePath;

use std::sync::Arc;

use askama::Template;
use axum::extract::multipart::Multipart;
use axum::extract::{Extension, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use clientele_app::import::columns::Column;
use clientele_app::import::table::{FileKind, Table, TableError, read_table};

use super::shared::{label, template_columns};
use super::uploads::Uploads;
use crate::console::kit::{
    Button, Chrome, Console, Once, PageError, PageResult, Submission, Words, render, workbook,
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

/// A file the user sent, before it is read.
struct Sent {
    name: String,
    bytes: Vec<u8>,
}

/// Why a sent file is refused.
enum Refusal {
    NoFile,
    TooLarge,
    Kind,
    Table(TableError),
    NoRows,
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    request: Request,
) -> Result<Response, Response> {
    let w = &console.words;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (pairs, sent) = if multipart {
        match Multipart::from_request(request, &state).await {
            Ok(multipart) => read_form(multipart).await,
            Err(_) => (Vec::new(), Err(Refusal::NoFile)),
        }
    } else {
        // A form sent without its file (no browser does): its fields alone.
        match axum::Form::<Vec<(String, String)>>::from_request(request, &state).await {
            Ok(axum::Form(pairs)) => (pairs, Err(Refusal::NoFile)),
            Err(_) => (Vec::new(), Err(Refusal::NoFile)),
        }
    };
    let Submission { once, .. } = Submission::<Button>::read(&state, Some(&console), pairs).await?;
    let read = match sent {
        Ok(sent) => read_sent(sent).await,
        Err(refusal) => Err(refusal),
    };
    match read {
        Ok((name, table)) => {
            let kept = uploads.keep(console.session.user.id, name, table);
            Ok(once.done(&format!("/import/{}", kept.id)).await)
        }
        Err(refusal) => {
            let status = match refusal {
                Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let token = once.token().to_owned();
            Ok(render(
                status,
                &page(&console, token, Some(explain(w, refusal))),
            ))
        }
    }
}

/// The form's text fields, and its file.
async fn read_form(mut multipart: Multipart) -> (Vec<(String, String)>, Result<Sent, Refusal>) {
    let mut pairs = Vec::new();
    let mut sent = Err(Refusal::NoFile);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                let refusal = if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Refusal::TooLarge
                } else {
                    Refusal::NoFile
                };
                return (pairs, Err(refusal));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            sent = match field.bytes().await {
                Ok(bytes) if file_name.is_empty() && bytes.is_empty() => Err(Refusal::NoFile),
                Ok(bytes) if bytes.len() > UPLOAD_LIMIT => Err(Refusal::TooLarge),
                Ok(bytes) => Ok(Sent {
                    name: file_name,
                    bytes: bytes.to_vec(),
                }),
                Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    Err(Refusal::TooLarge)
                }
                Err(_) => Err(Refusal::NoFile),
            };
        } else if let Ok(value) = field.text().await {
            pairs.push((name, value));
        }
    }
    (pairs, sent)
}

/// Reads a sent file by its extension, off the request's thread: a big
/// one takes a while.
async fn read_sent(sent: Sent) -> Result<(String, Table), Refusal> {
    let Some(kind) = FileKind::from_path(FilePath::new(&sent.name)) else {
        return Err(Refusal::Kind);
    };
    let Sent { name, bytes } = sent;
    let table = tokio::task::spawn_blocking(move || read_table(&bytes, kind))
        .await
        .map_err(|_| Refusal::NoFile)?
        .map_err(Refusal::Table)?;
    if table.rows.is_empty() {
        return Err(Refusal::NoRows);
    }
    Ok((name, table))
}

/// A refusal in the reader's language.
fn explain(w: &Words, refusal: Refusal) -> String {
    match refusal {
        Refusal::NoFile => w.t("import-error-no-file"),
        Refusal::TooLarge => w.n(
            "import-error-too-large",
            (UPLOAD_LIMIT / 1024 / 1024) as i64,
        ),
        Refusal::Kind => w.t("import-error-kind"),
        Refusal::NoRows => w.t("import-error-no-rows"),
        Refusal::Table(error) => match error {
            TableError::Empty | TableError::EmptySheet { .. } | TableError::NoWorksheet => {
                w.t("import-error-empty")
            }
            TableError::NoHeaderRow { row } => w.n("import-error-no-header", row as i64),
            TableError::Csv { row, .. } => w.n("import-error-csv", row as i64),
            TableError::LegacyExcel => w.t("import-error-xls"),
            TableError::Encrypted => w.t("import-error-encrypted"),
            TableError::NotSpreadsheet(_) => w.t("import-error-not-xlsx"),
            TableError::Unreadable(_)
            | TableError::Io { .. }
            | TableError::UnsupportedKind { .. } => w.t("import-error-unreadable"),
        },
    }
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
