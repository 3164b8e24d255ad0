//! Axum's extractors with their rejections turned into problem JSON.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::{DeserializeOwned, IgnoredAny};

use clientele_domain::ValidationErrors;

use crate::problem::ApiError;

/// A JSON body: malformed → 400, not an object, wrong shape, unknown
/// field or a text holding NUL → 422, too big → 413, not sent as JSON →
/// 415. As JSON Schema reads it, `2.0` is the integer 2: integer fields
/// take it.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !sent_as_json(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            let status = rejection.status();
            let kind = match status {
                StatusCode::PAYLOAD_TOO_LARGE => "too-large",
                _ => "malformed-body",
            };
            ApiError::new(status, kind, rejection.body_text())
        })?;
        let body = whole_numbers(&bytes);
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') && serde_json::from_slice::<IgnoredAny>(&body).is_ok() {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                "the body is a JSON object",
            ));
        }
        // No database keeps it: SQLite would cut the text short in places,
        // PostgreSQL refuses it. Refused alike on every engine.
        if holds_nul(&body) && serde_json::from_slice::<IgnoredAny>(&body).is_ok() {
            return Err(ApiError::validation(ValidationErrors::one(
                "body",
                "nul_character",
                "no text may hold the NUL character (\\u0000)",
            )));
        }
        match axum::Json::<T>::from_bytes(&body) {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let kind = match status {
        StatusCode::UNPROCESSABLE_ENTITY => "invalid-body",
        _ => "malformed-body",
    };
    ApiError::new(status, kind, rejection.body_text())
}

/// `application/json`, or a type of its family (`application/problem+json`).
fn sent_as_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

/// Whether a string of the JSON text escapes the NUL character (`\u0000`;
/// JSON cannot carry it unescaped).
fn holds_nul(body: &[u8]) -> bool {
    let mut i = 0;
    let mut in_string = false;
    while i < body.len() {
        match (in_string, body[i]) {
            (true, b'\\') => {
                if body[i + 1..].starts_with(b"u0000") {
                    return true;
                }
                i += 1;
            }
            (_, b'"') => in_string = !in_string,
            _ => {}
        }
        i += 1;
    }
    false
}

/// The body with each number whose fraction is all zeros (`2.0`, `-7.00`)
/// written without it; strings and everything else as sent.
fn whole_numbers(body: &[u8]) -> Cow<'_, [u8]> {
    if !body.windows(2).any(|pair| pair == b".0") {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    let mut in_string = false;
    while i < body.len() {
        let byte = body[i];
        if in_string {
            out.push(byte);
            match byte {
                b'\\' if i + 1 < body.len() => {
                    out.push(body[i + 1]);
                    i += 1;
                }
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
        } else if byte == b'-' || byte.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < body.len() && body[i].is_ascii_digit() {
                i += 1;
            }
            let whole_end = i;
            if i < body.len() && body[i] == b'.' {
                i += 1;
                while i < body.len() && body[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let zeros = &body[whole_end..i];
            let ends = body.get(i).is_none_or(|next| {
                matches!(next, b',' | b'}' | b']') || next.is_ascii_whitespace()
            });
            let has_digits = body[start..whole_end].iter().any(u8::is_ascii_digit);
            if ends && has_digits && zeros.len() > 1 && zeros[1..].iter().all(|d| *d == b'0') {
                out.extend_from_slice(&body[start..whole_end]);
            } else {
                out.extend_from_slice(&body[start..i]);
            }
            continue;
        }
        out.push(byte);
        i += 1;
    }
    Cow::Owned(out)
}
/// A path parameter; a malformed id is a 404 (no such resource), not a 500.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection @ PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not-found",
                format!("no such resource: {}", rejection.body_text()),
            )),
            Err(rejection) => Err(ApiError::new(
                rejection.status(),
                "bad-path",
                rejection.body_text(),
            )),
        }
    }
}

/// The query string as ordered `key=value` pairs.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state).await
        {
            Ok(axum::extract::Query(pairs)) => Ok(QueryPairs(pairs)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> ApiError {
    ApiError::bad_request(rejection.body_text())
}

#[cfg(test)]
mod tests {
    use super::{holds_nul, whole_numbers};

    fn read(body: &str) -> String {
        String::from_utf8(whole_numbers(body.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn whole_numbers_lose_their_zero_fractions_and_nothing_else_changes() {
        assert_eq!(
            read(r#"{"a": 2.0, "b": [-7.00, 0.5, 1.05, 3.0e2], "c": "4.0", "d":1.0}"#),
            r#"{"a": 2, "b": [-7, 0.5, 1.05, 3.0e2], "c": "4.0", "d":1}"#
        );
        assert_eq!(
            read(r#"{"s": "say \"1.0\" 2.0"}"#),
            r#"{"s": "say \"1.0\" 2.0"}"#
        );
        assert_eq!(read("1.0.0"), "1.0.0", "what is not JSON stays so");
        assert_eq!(read(r#"{"q": 0.530}"#), r#"{"q": 0.530}"#);
    }

    #[test]
    fn a_nul_is_found_in_strings_only_as_its_escape() {
        assert!(holds_nul(br#"{"name": "a\u0000b"}"#));
        assert!(holds_nul(br#"{"list": ["x", "\u0000"]}"#));
        assert!(
            !holds_nul(br#"{"name": "a\\u0000b"}"#),
            "an escaped backslash"
        );
        assert!(!holds_nul(br#"{"name": "u0000", "\"": 1}"#));
    }
}
