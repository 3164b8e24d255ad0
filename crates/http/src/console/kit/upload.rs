//! A form sent with a file (`multipart/form-data`): its fields read as a
//! [`Submission`], the file kept up to a size, and why a file was refused
//! in the reader's words.

use std::path::Path as FilePath;

use axum::extract::multipart::Multipart;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::Response;
use clientele_app::import::table::{FileKind, TableError};
use serde::de::DeserializeOwned;

use super::forms::Submission;
use super::frame::Console;
use super::words::Words;
use crate::state::AppState;

/// A file the user sent, before it is read.
pub struct SentFile {
    /// The name the user's computer gave it.
    pub name: String,
    pub bytes: Vec<u8>,
}

impl SentFile {
    /// What the file is, by its extension.
    pub fn kind(&self) -> Result<FileKind, FileRefusal> {
        FileKind::from_path(FilePath::new(&self.name)).ok_or(FileRefusal::Kind)
    }
}

/// Why a sent file is refused.
#[derive(Debug)]
pub enum FileRefusal {
    NoFile,
    TooLarge,
    /// Not a spreadsheet or text file, by its extension.
    Kind,
    Table(TableError),
}

impl FileRefusal {
    pub fn status(&self) -> StatusCode {
        match self {
            FileRefusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The refusal in the reader's language; `limit` is the largest file
    /// the form takes.
    pub fn explain(&self, w: &Words, limit: usize) -> String {
        match self {
            FileRefusal::NoFile => w.t("import-error-no-file"),
            FileRefusal::TooLarge => w.n("import-error-too-large", (limit / 1024 / 1024) as i64),
            FileRefusal::Kind => w.t("import-error-kind"),
            FileRefusal::Table(error) => match error {
                TableError::Empty | TableError::EmptySheet { .. } | TableError::NoWorksheet => {
                    w.t("import-error-empty")
                }
                TableError::NoHeaderRow { row } => w.n("import-error-no-header", *row as i64),
                TableError::Csv { row, .. } => w.n("import-error-csv", *row as i64),
                TableError::LegacyExcel => w.t("import-error-xls"),
                TableError::Encrypted => w.t("import-error-encrypted"),
                TableError::NotSpreadsheet(_) => w.t("import-error-not-xlsx"),
                TableError::Unreadable(_)
                | TableError::Io { .. }
                | TableError::UnsupportedKind { .. } => w.t("import-error-unreadable"),
            },
        }
    }
}

/// A form sent with its file: its fields read as `F` (the CSRF token
/// checked, the one-time token claimed), and the file or why there is none.
pub struct Upload<F> {
    pub submission: Submission<F>,
    pub file: Result<SentFile, FileRefusal>,
}

impl<F: DeserializeOwned + Send> Upload<F> {
    /// Reads the form; a file over `limit` bytes is refused, not kept.
    pub async fn read(
        state: &AppState,
        console: &Console,
        request: Request,
        limit: usize,
    ) -> Result<Upload<F>, Response> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let (pairs, file) = if multipart {
            match Multipart::from_request(request, state).await {
                Ok(multipart) => read_parts(multipart, limit).await,
                Err(_) => (Vec::new(), Err(FileRefusal::NoFile)),
            }
        } else {
            // A form sent without its file (no browser does): its fields alone.
            match axum::Form::<Vec<(String, String)>>::from_request(request, state).await {
                Ok(axum::Form(pairs)) => (pairs, Err(FileRefusal::NoFile)),
                Err(_) => (Vec::new(), Err(FileRefusal::NoFile)),
            }
        };
        let submission = Submission::read(state, Some(console), pairs).await?;
        Ok(Upload { submission, file })
    }
}

/// The form's text fields, and its file (the field `file`).
async fn read_parts(
    mut multipart: Multipart,
    limit: usize,
) -> (Vec<(String, String)>, Result<SentFile, FileRefusal>) {
    let mut pairs = Vec::new();
    let mut sent = Err(FileRefusal::NoFile);
    let too_large = |status: StatusCode| match status {
        StatusCode::PAYLOAD_TOO_LARGE => FileRefusal::TooLarge,
        _ => FileRefusal::NoFile,
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return (pairs, Err(too_large(error.status()))),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            sent = match field.bytes().await {
                Ok(bytes) if file_name.is_empty() && bytes.is_empty() => Err(FileRefusal::NoFile),
                Ok(bytes) if bytes.len() > limit => Err(FileRefusal::TooLarge),
                Ok(bytes) => Ok(SentFile {
                    name: file_name,
                    bytes: bytes.to_vec(),
                }),
                Err(error) => Err(too_large(error.status())),
            };
        } else if let Ok(value) = field.text().await {
            pairs.push((name, value));
        }
    }
    (pairs, sent)
}
