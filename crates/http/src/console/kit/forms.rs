//! Forms: a posted form read into its type, refused unless it carries the
//! session's CSRF token and comes from this site, its one-time token
//! claimed; and the state of a page's action form, blank or refused with
//! what was typed (never a password) and an error beside each field.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::errors::PageError;
use super::frame::Console;
use super::once::Once;
use crate::state::AppState;

/// A posted form of type `F`, its one-time token claimed.
pub struct Submission<F> {
    pub form: F,
    pub once: Once,
    /// What was typed, to show again in a refused form: no password, no
    /// tokens.
    pub typed: BTreeMap<String, String>,
}

impl<S, F> FromRequest<S> for Submission<F>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    F: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let console = request.extensions().get::<Console>().cloned();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| PageError::BadRequest.into_response())?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        // No field of a page can be typed with NUL: a request made by hand.
        if pairs.iter().any(|(_, value)| value.contains('\0')) {
            return Err(PageError::BadRequest.into_response());
        }
        let state = AppState::from_ref(state);
        Submission::read(&state, console.as_ref(), pairs).await
    }
}

impl<F: DeserializeOwned + Send> Submission<F> {
    /// A form's fields as sent (a multipart form's text fields too).
    pub async fn read(
        state: &AppState,
        console: Option<&Console>,
        pairs: Vec<(String, String)>,
    ) -> Result<Submission<F>, Response> {
        let Some(console) = console else {
            tracing::error!("a console form without its session: no access rule admitted it");
            return Err(PageError::Internal.into_response());
        };
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let mut typed: BTreeMap<String, String> = pairs.into_iter().collect();
        if typed.remove("csrf").unwrap_or_default() != console.session.csrf {
            return Err(refused());
        }
        let form: F = serde_html_form::from_str(&encoded)
            .map_err(|_| PageError::BadRequest.into_response())?;
        typed.remove("password");
        let token = typed.remove("token").unwrap_or_default();
        let once = Once::claim(&state.app, token).await?;
        Ok(Submission { form, once, typed })
    }
}

/// A button's form (delete, revoke, import): its tokens alone.
#[derive(Debug, serde::Deserialize)]
pub struct Button {}

/// A form from another site, or without the session's token.
pub fn refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        "this form did not come from this site",
    )
        .into_response()
}

/// A form from another site is refused: the browser names the page's origin
/// and it must be this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        // Browsers send Origin with every POST; tools that do not are not
        // forging a browser's form.
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o == h)
}

/// Only a path of this site: `/customers?q=…`, never `//elsewhere` or a URL.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local { next } else { "/" }
}

/// A query value, percent-encoded.
pub fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An option of a select, chosen or not.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

/// A page's action form: blank with a fresh one-time token, or refused
/// with what was typed and its errors. A page with one such form per row (a
/// card) names the row.
pub struct ActionForm {
    /// Shown open: it was just refused.
    pub open: bool,
    /// The row the refused form belongs to; 0 for a page's single form.
    pub subject: i64,
    pub token: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl ActionForm {
    pub fn blank() -> ActionForm {
        ActionForm {
            open: false,
            subject: 0,
            token: Once::fresh(),
            values: BTreeMap::new(),
            errors: BTreeMap::new(),
        }
    }

    /// Refused: shown again, open, with its errors and the same token.
    pub fn refused(
        subject: i64,
        once: &Once,
        values: BTreeMap<String, String>,
        errors: BTreeMap<String, String>,
    ) -> ActionForm {
        ActionForm {
            open: true,
            subject,
            token: once.token().to_owned(),
            values,
            errors,
        }
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    /// A field of the form of row `subject`: empty unless that row's form
    /// was the one refused.
    pub fn value_of(&self, subject: &i64, field: &str) -> &str {
        if *subject == self.subject {
            self.value(field)
        } else {
            ""
        }
    }

    pub fn error_of(&self, subject: &i64, field: &str) -> Option<&str> {
        if *subject == self.subject {
            self.error(field)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/customers?q=1"), "/customers?q=1");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(
            encode("/customers?q=a b&x=1"),
            "/customers%3Fq%3Da%20b%26x%3D1"
        );
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Ticked {
        #[serde(default)]
        customer_id: Vec<String>,
        #[serde(default)]
        action: String,
    }

    #[test]
    fn a_repeated_field_is_read_as_a_list() {
        let form: Ticked =
            serde_html_form::from_str("customer_id=1&action=tier&customer_id=7").unwrap();
        assert_eq!(form.customer_id, ["1", "7"]);
        assert_eq!(form.action, "tier");
        let none: Ticked = serde_html_form::from_str("").unwrap();
        assert!(none.customer_id.is_empty());
    }
}
