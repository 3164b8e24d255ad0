//! The gate of the console's pages: a request for a page whose rule asks
//! for a session gets through when the session's role allows the page;
//! without a session (or an expired one), to the sign-in page with the way
//! back; without the right, a refusal page (and an audit entry). A page's
//! [`PageError`] is rendered here, where the reader is known.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::Principal;
use clientele_app::audit::entry;

use super::cookies::{SESSION_COOKIE, cookie, language, remember};
use super::errors::PageError;
use super::forms::{encode, refused, same_origin};
use super::frame::Console;
use super::words::Words;
use crate::access::{Caller, Rule, allowed, record, rule_for};
use crate::state::AppState;

pub async fn admit(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map_or("", |m| m.as_str());
    let Some(rule @ (Rule::Console(..) | Rule::ConsoleAny)) = rule_for(request.method(), path)
    else {
        // The sign-in page, the sign-out and the console's files.
        return next.run(request).await;
    };
    let (lang, chosen) = language(request.uri(), request.headers());
    let mut response = pass(&state, rule, request, next).await;
    if chosen {
        remember(&mut response, lang);
    }
    response
}

async fn pass(state: &AppState, rule: Rule, mut request: Request, next: Next) -> Response {
    let words = words_of(state, &request);
    if request.method() != Method::GET && !same_origin(request.headers()) {
        return refused();
    }
    let console = match visitor(state, &request, words.clone()).await {
        Ok(Some(console)) => console,
        Ok(None) => return to_sign_in(&request),
        Err(error) => return error.page(None, &words),
    };
    if allowed(rule, &console.caller.principal).is_err() {
        let route = format!("{} {}", request.method(), request.uri().path());
        let at = state.app.clock().now();
        record(
            state,
            entry(
                &console.caller.changed_by(),
                at,
                "access.denied",
                "page",
                &route,
            ),
        )
        .await;
        let text = words.with(
            "forbidden-text",
            "role",
            words.role(&console.session.role).into(),
        );
        return PageError::Forbidden(text).page(Some(&console), &words);
    }
    request.extensions_mut().insert(console.clone());
    let mut response = next.run(request).await;
    match PageError::taken_from(&mut response) {
        Some(error) => error.page(Some(&console), &words),
        None => response,
    }
}

/// An address no route answers (outside the API): the not-found page in
/// the reader's language, with the menu when they are signed in.
pub async fn unknown(State(state): State<AppState>, request: Request) -> Response {
    let (lang, chosen) = language(request.uri(), request.headers());
    let words = words_of(&state, &request);
    let console = visitor(&state, &request, words.clone())
        .await
        .ok()
        .flatten();
    let mut response = PageError::NotFound.page(console.as_ref(), &words);
    if chosen {
        remember(&mut response, lang);
    }
    response
}

/// The page a stopping server answers a new request with, in the reader's
/// language.
pub async fn restarting(State(state): State<AppState>, request: Request) -> Response {
    PageError::Restarting.page(None, &words_of(&state, &request))
}

fn words_of(state: &AppState, request: &Request) -> Words {
    let (lang, _) = language(request.uri(), request.headers());
    Words::new(lang, state.app.clock().zone().clone())
}

/// The signed-in user of a request; `None` without a live session.
fn visitor<'a>(
    state: &'a AppState,
    request: &Request,
    words: Words,
) -> impl Future<Output = Result<Option<Console>, PageError>> + Send + 'a {
    // What the session needs of the request, taken before waiting on it.
    let secret = cookie(request.headers(), SESSION_COOKIE).map(str::to_owned);
    let ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let here = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    async move {
        let session = match secret {
            Some(secret) => state.app.session(&secret).await.ok(),
            None => None,
        };
        let Some(session) = session else {
            return Ok(None);
        };
        signed_in(state, session, ip, here, words).await.map(Some)
    }
}

async fn signed_in(
    state: &AppState,
    session: clientele_app::Session,
    ip: Option<String>,
    here: String,
    words: Words,
) -> Result<Console, PageError> {
    let principal = Principal::User {
        user: session.user.clone(),
        role: session.role.clone(),
    };
    let scope = state.app.scope_of(&principal).await?;
    Ok(Console {
        caller: Caller {
            principal,
            ip,
            scope,
        },
        session,
        words,
        here,
    })
}

/// To the sign-in page, and back here after it. A partial update (htmx)
/// asks the browser to go there itself.
fn to_sign_in(request: &Request) -> Response {
    let back = if request.method() == Method::GET {
        request
            .uri()
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned()
    } else {
        // A form posted after the session ended: back to the page it was on.
        request
            .headers()
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
            .and_then(|r| r.find('/').map(|i| r[i..].to_owned()))
            .unwrap_or_else(|| "/".to_owned())
    };
    let target = format!("/login?next={}", encode(&back));
    if request.headers().contains_key("hx-request") {
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&target).into_response()
}
