//! The server in the bench's own process, on a free loopback port, until
//! the figures are taken.

use anyhow::Context as _;
use clientele_app::App;
use reqwest::Url;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct InProcess {
    pub base: Url,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

impl InProcess {
    pub async fn start(app: &App) -> anyhow::Result<InProcess> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(clientele_http::serve(listener, app.clone(), async move {
            // A dropped sender stops the server as well.
            let _ = stopped.await;
        }));
        Ok(InProcess { base, stop, server })
    }

    /// Stops the server once the requests under way are answered.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.server.await?.context("the server failed")
    }
}
