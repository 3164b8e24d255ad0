//! Stopping without dropping a till's receipt: once told to stop, the
//! server lets the requests under way finish and be answered, tells new
//! ones to come back shortly (503 with Retry-After; the liveness check and
//! the console's own files, which the page saying so needs, still answer),
//! and stops when none is left, or after [`AT_MOST`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::problem::ApiError;
use crate::state::AppState;

/// How long requests under way may take to finish once told to stop.
const AT_MOST: Duration = Duration::from_secs(30);
/// When a refused client should send again: a restart takes about this.
const RETRY_AFTER_SECONDS: &str = "5";

/// Whether the server is stopping, and how many requests are under way.
#[derive(Clone, Default)]
pub struct Drain(Arc<Gauge>);

#[derive(Default)]
struct Gauge {
    stopping: AtomicBool,
    under_way: AtomicUsize,
    idle: Notify,
}

impl Drain {
    /// From now on, new requests are refused.
    pub fn begin(&self) {
        self.0.stopping.store(true, Ordering::SeqCst);
        self.0.idle.notify_waiters();
    }

    /// Waits until no request is under way, or [`AT_MOST`] has passed.
    pub async fn finished(&self) {
        let settled = async {
            loop {
                let idle = self.0.idle.notified();
                if self.0.under_way.load(Ordering::SeqCst) == 0 {
                    return;
                }
                idle.await;
            }
        };
        if tokio::time::timeout(AT_MOST, settled).await.is_err() {
            tracing::warn!(
                under_way = self.0.under_way.load(Ordering::SeqCst),
                "requests still under way when the server stopped"
            );
        }
    }

    fn stopping(&self) -> bool {
        self.0.stopping.load(Ordering::SeqCst)
    }
}

/// Counted while a request is under way, however it ends (a client that
/// hangs up drops it too).
struct UnderWay(Drain);

impl Drop for UnderWay {
    fn drop(&mut self) {
        if self.0.0.under_way.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.0.idle.notify_waiters();
        }
    }
}

/// Admits a request unless the server is stopping.
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let drain = state.drain.clone();
    if drain.stopping() && !still_answered(request.uri().path()) {
        return come_back(state, request).await;
    }
    drain.0.under_way.fetch_add(1, Ordering::SeqCst);
    let _under_way = UnderWay(drain);
    next.run(request).await
}

/// What a stopping server still answers: liveness, and the console's
/// files (from memory) that the page asking to come back is drawn with.
fn still_answered(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/assets/")
}

/// 503 with Retry-After: problem JSON under the API, the console's page in
/// the reader's language elsewhere.
async fn come_back(state: AppState, request: Request) -> Response {
    let path = request.uri().path();
    let mut response = if path == "/api" || path.starts_with("/api/") || path == "/readyz" {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "restarting",
            "the server is restarting; send the request again in a few seconds",
        )
        .into_response()
    } else {
        crate::console::restarting(State(state), request).await
    };
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}
