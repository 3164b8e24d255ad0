//! A form's one-time token, claimed: the guard a handler holds while it
//! does the form's work. `done` records where the work led (a second
//! sending goes there too); dropped unfinished — a refusal, an error, an
//! early return — the guard frees its token for the corrected sending.

use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::App;
use clientele_app::forms::Turn;

use super::errors::PageError;

pub struct Once {
    app: App,
    token: String,
    settled: bool,
}

impl Once {
    /// Claims `token`: the guard for the first sending, or where the first
    /// one went.
    pub(super) async fn claim(app: &App, token: String) -> Result<Once, Response> {
        match app.claim_form(&token).await {
            Ok(Turn::First) => Ok(Once {
                app: app.clone(),
                token,
                settled: false,
            }),
            Ok(Turn::Again(target)) => Err(Redirect::to(&target).into_response()),
            Err(error) => Err(PageError::from(error).into_response()),
        }
    }

    /// A fresh token for a blank form.
    pub fn fresh() -> String {
        App::form_token()
    }

    /// The token, for the refused form to carry again.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The work is done and led to `target`: a second sending goes there too.
    pub async fn finish(mut self, target: &str) {
        self.settled = true;
        if let Err(error) = self.app.finish_form(&self.token, target).await {
            tracing::error!(%error, "a form's done work was not recorded");
        }
    }

    /// [`Once::finish`], and there.
    pub async fn done(self, target: &str) -> Response {
        self.finish(target).await;
        Redirect::to(target).into_response()
    }
}

impl Drop for Once {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (app, token) = (self.app.clone(), std::mem::take(&mut self.token));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = app.release_form(&token).await {
                    tracing::warn!(%error, "a refused form's token was not freed");
                }
            });
        }
    }
}
