use std::sync::Arc;

use clientele_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

/// What every handler can reach. A handle: the router clones it for every
/// layer and extractor of every request, so a clone is one count, not one
/// for each of the application's shared parts.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub app: App,
    pub metrics: PrometheusHandle,
    /// Whether the server is stopping, and the requests under way.
    pub drain: crate::drain::Drain,
}

impl AppState {
    pub fn new(app: App, metrics: PrometheusHandle, drain: crate::drain::Drain) -> AppState {
        AppState(Arc::new(Shared {
            app,
            metrics,
            drain,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
