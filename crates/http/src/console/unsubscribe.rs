//! `/unsubscribe/{token}`: a customer stops a channel's marketing from the
//! link in a message, without signing in. The page asks first (mail
//! scanners open links); the form, or a mail client's one-click POST
//! (RFC 8058), withdraws the consent.

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use clientele_app::AppError;
use clientele_app::outbox::Unsubscribed;

use super::kit::{Words, language, render};
use crate::extract::Path;
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/unsubscribe/{token}",
        axum::routing::get(ask).post(unsubscribe),
    )
}

enum Outcome {
    /// The channel, in words.
    Ask(String),
    Done(String),
    Unknown,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage<'a> {
    w: &'a Words,
    switch_href: String,
    outcome: Outcome,
}

fn page(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    answer: Result<Unsubscribed, AppError>,
    done: bool,
) -> Response {
    let (lang, _) = language(uri, headers);
    let w = Words::new(lang, state.app.clock().zone().clone());
    let switch_href = format!("{}?lang={}", uri.path(), w.t("lang-switch-code"));
    let (status, outcome) = match answer {
        Ok(link) => {
            let channel = w.t(&format!("unsubscribe-channel-{}", link.channel.as_str()));
            let outcome = if done {
                Outcome::Done(channel)
            } else {
                Outcome::Ask(channel)
            };
            (StatusCode::OK, outcome)
        }
        Err(AppError::NotFound(_)) => (StatusCode::NOT_FOUND, Outcome::Unknown),
        Err(error) => {
            tracing::error!(%error, "an unsubscribe link was not read");
            (StatusCode::INTERNAL_SERVER_ERROR, Outcome::Unknown)
        }
    };
    render(
        status,
        &UnsubscribePage {
            w: &w,
            switch_href,
            outcome,
        },
    )
}

pub async fn ask(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let answer = state.app.unsubscribe_link(&token).await;
    page(&state, &uri, &headers, answer, false)
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<std::net::SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let answer = state
        .app
        .unsubscribe(&token, Some(client.ip().to_string()))
        .await;
    page(&state, &uri, &headers, answer, true)
}
