//! Clientele's HTTP layer: the JSON API with its OpenAPI document and API
//! page, health and metrics. Handlers parse, call one use case, render.

mod access;
mod api;
mod console;
mod drain;
mod extract;
#[cfg(test)]
mod imports;
mod metrics;
mod problem;
mod report_file;
mod report_query;
mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use clientele_app::App;
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

pub use access::{Caller, RULES, Rule, rule_for};
pub use problem::{ApiError, Problem};
pub use state::AppState;

/// The largest request body the API reads.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Installs the process's metrics recorder, before anything records: a
/// job's first round or the SQLite writer's first group would be lost.
pub fn record_metrics() {
    metrics::recorder();
}

/// Every route of the service.
pub fn router(app: App) -> Router {
    routes(app, drain::Drain::default())
}

fn routes(app: App, drain: drain::Drain) -> Router {
    let state = AppState::new(app, metrics::recorder(), drain);
    let (api, openapi) = api::router();
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/v1/docs").external_url_unchecked("/api/v1/openapi.json", openapi))
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::render))
        .merge(console::routes(state.clone()))
        .route_layer(middleware::from_fn_with_state(state.clone(), access::authorize))
        .fallback(not_found)
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn_with_state(state.clone(), drain::admit))
        .layer(middleware::from_fn(problem_for_bare_errors))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(always(header::REFERRER_POLICY, "no-referrer"))
        .layer(always(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged").into_response()
        }))
        // Spans carry the method and the path only: query strings may hold phones.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// A header every answer carries unless its handler set it: no sniffing,
/// no framing, no referrer, and a content policy that lets the API page load
/// only its own files.
fn always(name: header::HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
    style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Serves until `shutdown` resolves; then the requests under way finish
/// and are answered while new ones are told to come back, and the server
/// stops once none is left.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let drain = drain::Drain::default();
    let service =
        routes(app, drain.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let drained = async move {
        shutdown.await;
        tracing::info!("stopping: the requests under way finish, new ones are asked to come back");
        drain.begin();
        drain.finished().await;
    };
    axum::serve(listener, service)
        .with_graceful_shutdown(drained)
        .await
}

/// Liveness: the process answers, whatever its database does (a probe
/// that restarts a server for its database's outage helps nobody).
async fn live(State(state): State<AppState>) -> Response {
    axum::Json(json!({"status": "ok", "engine": state.app.engine()})).into_response()
}

/// Readiness: the database answers, at the schema this binary serves.
async fn ready(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.app.health()).await {
        Ok(Ok(health)) => axum::Json(json!({
            "status": "ok",
            "engine": health.engine,
            "schema_version": health.schema_version,
        }))
        .into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "readiness check failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not ready",
            )
            .into_response()
        }
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database did not answer in time",
        )
        .into_response(),
    }
}

/// An address no route answers: problem JSON under the API; elsewhere a
/// trailing slash goes to the address without it, and anything else is the
/// console's not-found page in the reader's language.
async fn not_found(state: State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found("route").into_response();
    }
    if path.len() > 1 && path.ends_with('/') {
        // One leading slash: `//elsewhere/` must not lead to another site.
        let bare = format!("/{}", path.trim_matches('/'));
        let target = match request.uri().query() {
            Some(query) => format!("{bare}?{query}"),
            None => bare,
        };
        return Redirect::permanent(&target).into_response();
    }
    console::unknown(state, request).await
}

/// Errors axum answers itself (405, a body that is not JSON…) arrive without
/// a body: give them problem JSON too.
async fn problem_for_bare_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let bare = !response.headers().contains_key(header::CONTENT_TYPE)
        || response.headers().get(header::CONTENT_TYPE)
            == Some(&HeaderValue::from_static("text/plain; charset=utf-8"));
    if (status.is_client_error() || status.is_server_error()) && bare {
        let detail = match status {
            StatusCode::METHOD_NOT_ALLOWED => "this route does not take that method".to_owned(),
            other => other.canonical_reason().unwrap_or("error").to_owned(),
        };
        let mut problem = ApiError::new(status, "http", detail).into_response();
        if let Some(allow) = response.headers().get(header::ALLOW) {
            problem.headers_mut().insert(header::ALLOW, allow.clone());
        }
        return problem;
    }
    response
}
