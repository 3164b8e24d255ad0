use clientele_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: PrometheusHandle,
    /// Whether the server is stopping, and the requests under way.
    pub drain: crate::drain::Drain,
}
