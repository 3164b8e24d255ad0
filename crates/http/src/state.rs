use std::sync::Arc;

use clientele_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: PrometheusHandle,
    /// The console's one-time form tokens.
    pub submitted: Arc<crate::console::Submitted>,
    /// Files uploaded to the console's import wizard.
    pub imports: Arc<crate::console::Uploads>,
}
