//! What a page handler extracts: the signed-in user the gate admitted,
//! and the path and the query, where what cannot be read is the not-found
//! page (`/customers/abc`) or the bad-request page, never an English
//! parser's message.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::errors::PageError;
use super::frame::Console;

impl<S: Send + Sync> FromRequestParts<S> for Console {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        parts.extensions.get::<Console>().cloned().ok_or_else(|| {
            tracing::error!("a console page without its session: no access rule admitted it");
            PageError::Internal
        })
    }
}

pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(PageError::NotFound),
        }
    }
}

/// A query string: `Query<Vec<(String, String)>>` keeps every pair in order.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(_) => Err(PageError::BadRequest),
        }
    }
}
