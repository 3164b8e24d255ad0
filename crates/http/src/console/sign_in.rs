//! The console's sign-in: `/login` and `/logout`.
//! The session cookie is HttpOnly and SameSite=Lax, and Secure whenever the
//! browser can keep it so (HTTPS, as a proxy reports it, or localhost);
//! every form that changes something carries the session's CSRF token, and
//! a form posted from another origin is refused.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::sessions::SESSION_HOURS;
use serde::Deserialize;

use super::kit::{
    Lang, SESSION_COOKIE, Words, cookie, encode, language, refused, remember, render, safe_next,
    same_origin,
};
use crate::state::AppState;

/// The sign-in page and form, rate-limited per address: a burst of 20, then
/// one a second, on top of the lock-out after wrong passwords; and the
/// sign-out.
pub fn routes() -> axum::Router<AppState> {
    let limits = tower_governor::governor::GovernorConfigBuilder::default()
        .per_second(1)
        .burst_size(20)
        .finish()
        .expect("a non-zero period and burst");
    axum::Router::new()
        .route("/login", axum::routing::get(login_page).post(login))
        .layer(tower_governor::GovernorLayer::new(limits).error_handler(too_many))
        .route("/logout", axum::routing::post(logout))
}

fn too_many(error: tower_governor::GovernorError) -> Response {
    let wait = match error {
        tower_governor::GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        _ => 1,
    };
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Html(format!(
            "<p>Слишком много запросов. Попробуйте через {wait} с.</p>"
        )),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    response
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    w: &'a Words,
    /// This page in the other language, keeping the way back.
    switch_href: String,
    next: &'a str,
    login: &'a str,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// Whether a Secure cookie will come back: over HTTPS (a TLS proxy says so
/// in `X-Forwarded-Proto`), or on localhost, which browsers treat as secure.
/// A shop's plain-HTTP LAN address gets the cookie without the flag.
fn secure_context(headers: &HeaderMap) -> bool {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    https || matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

fn words(state: &AppState, uri: &Uri, headers: &HeaderMap) -> (Words, Lang, bool) {
    let (lang, chosen) = language(uri, headers);
    (
        Words::new(lang, state.app.clock().zone().clone()),
        lang,
        chosen,
    )
}

fn switch_href(w: &Words, next: &str) -> String {
    format!(
        "/login?lang={}&next={}",
        w.t("lang-switch-code"),
        encode(next)
    )
}

pub async fn login_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let (w, lang, chosen) = words(&state, &uri, &headers);
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    // A cookie that brought nobody in: the session it named is over.
    let expired = cookie(&headers, SESSION_COOKIE).is_some_and(|c| !c.is_empty());
    let mut response = render(
        StatusCode::OK,
        &LoginPage {
            switch_href: switch_href(&w, next),
            w: &w,
            next,
            login: "",
            message: expired.then(|| w.t("sign-in-expired")),
        },
    );
    if chosen {
        remember(&mut response, lang);
    }
    response
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<std::net::SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !same_origin(&headers) {
        return refused();
    }
    let (w, ..) = words(&state, &uri, &headers);
    let next = safe_next(&form.next);
    let client = client.ip().to_string();
    match state
        .app
        .sign_in(&form.login, &form.password, &client)
        .await
    {
        Ok(signed) => {
            let mut cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
                signed.secret.expose(),
                SESSION_HOURS * 3600
            );
            if secure_context(&headers) {
                cookie.push_str("; Secure");
            }
            let mut response = Redirect::to(next).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(AppError::TooManyAttempts { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60);
            let message = w.with("sign-in-locked", "minutes", minutes.into());
            let mut response = render(
                StatusCode::TOO_MANY_REQUESTS,
                &LoginPage {
                    switch_href: switch_href(&w, next),
                    w: &w,
                    next,
                    login: &form.login,
                    message: Some(message),
                },
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
            response
        }
        Err(AppError::Unauthenticated(_)) => render(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                switch_href: switch_href(&w, next),
                w: &w,
                next,
                login: &form.login,
                message: Some(w.t("sign-in-wrong")),
            },
        ),
        Err(error) => crate::problem::ApiError::from(error).into_response(),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Response {
    if !same_origin(&headers) {
        return refused();
    }
    let Some(secret) = cookie(&headers, SESSION_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    match state.app.session(secret).await {
        Ok(session) if session.csrf == form.csrf => {
            if let Err(error) = state.app.sign_out(secret).await {
                return crate::problem::ApiError::from(error).into_response();
            }
            let mut response = Redirect::to("/login").into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_static(
                    "clientele_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
                ),
            );
            response
        }
        Ok(_) => refused(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}
