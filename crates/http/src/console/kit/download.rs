//! A file to download: a workbook under its name, kept readable in any
//! browser (a plain ASCII name beside the exact one).

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::forms::encode;

/// A workbook to download under `name`.
pub fn workbook(bytes: Vec<u8>, name: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            })
            .collect::<String>(),
        encode(name)
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
