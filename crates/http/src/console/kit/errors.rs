//! The one error type of a page: a handler returns [`PageResult`] and uses
//! `?`; the gate ([`super::admit`]) renders the refusal, the not-found page
//! or the error page in the reader's language with the menu. Our own
//! failures are logged and never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clientele_app::AppError;

use super::frame::{Chrome, Console, render};
use super::words::Words;
use crate::problem::ApiError;

/// A page's answer, or why it is not shown.
pub type PageResult<T = Response> = Result<T, PageError>;

/// Why a page was not shown.
#[derive(Debug, Clone)]
pub enum PageError {
    /// No such page or record (a malformed id too).
    NotFound,
    /// The role may not; the text says why.
    Forbidden(String),
    /// An address or a form the console cannot read.
    BadRequest,
    /// A refusal the page cannot show beside a field: a conflict, a rule.
    Refused { status: StatusCode, text: String },
    /// The database cannot serve now (logged).
    Unavailable,
    /// The server is stopping to restart: come back in a few seconds.
    Restarting,
    /// Ours (logged).
    Internal,
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> PageError {
        match error {
            AppError::NotFound(_) => PageError::NotFound,
            AppError::Forbidden(text) => PageError::Forbidden(text),
            AppError::Unavailable(message) => {
                tracing::error!(%message, "a console page found what it needs unavailable");
                PageError::Unavailable
            }
            AppError::Store(error) => {
                tracing::error!(%error, "a console page failed in the store");
                PageError::Internal
            }
            other => {
                let problem = ApiError::from(other);
                PageError::Refused {
                    status: StatusCode::from_u16(problem.status())
                        .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
                    text: problem.detail().to_owned(),
                }
            }
        }
    }
}

impl PageError {
    pub fn status(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Refused { status, .. } => *status,
            PageError::Unavailable | PageError::Restarting => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's title and text in the reader's words.
    fn said(&self, w: &Words) -> (String, String) {
        match self {
            PageError::NotFound => (w.t("not-found-title"), w.t("not-found-text")),
            PageError::Forbidden(text) => (w.t("forbidden-title"), text.clone()),
            PageError::BadRequest => (w.t("bad-request-title"), w.t("bad-request-text")),
            PageError::Refused { status, text } if *status == StatusCode::CONFLICT => {
                (w.t("conflict-title"), text.clone())
            }
            PageError::Refused { text, .. } => (w.t("error-title"), text.clone()),
            PageError::Unavailable | PageError::Internal => (w.t("error-title"), w.t("error-text")),
            PageError::Restarting => (w.t("restarting-title"), w.t("restarting-text")),
        }
    }

    /// The page in the reader's language: with the menu for a signed-in
    /// user, plain for anyone else.
    pub fn page(&self, console: Option<&Console>, words: &Words) -> Response {
        let (title, text) = self.said(words);
        match console {
            Some(console) => render(
                self.status(),
                &RefusalPage {
                    c: console.chrome(),
                    w: words,
                    title,
                    text,
                },
            ),
            None => render(
                self.status(),
                &PlainRefusal {
                    w: words,
                    title,
                    text,
                },
            ),
        }
    }

    /// The error a handler answered with, to be rendered by the gate.
    pub(super) fn taken_from(response: &mut Response) -> Option<PageError> {
        response.extensions_mut().remove::<PageError>()
    }
}

/// Bare, carrying the error for the gate that knows the reader to render.
impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

#[derive(Template)]
#[template(path = "kit/refusal.html")]
struct RefusalPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "kit/plain_refusal.html")]
struct PlainRefusal<'a> {
    w: &'a Words,
    title: String,
    text: String,
}
