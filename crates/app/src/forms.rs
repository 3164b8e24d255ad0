//! A console form sent twice (a double click, a page sent again) does its
//! work once: each form carries a one-time token, claimed in the database
//! so that a restart or a second server behind it still honours it. A
//! second sending waits for the first and is sent where the first went.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use clientele_store::FormClaim;
use jiff::SignedDuration;

use crate::staff::Secret;
use crate::{App, AppError, AppResult};

/// How long a used token is remembered.
const KEPT: SignedDuration = SignedDuration::from_hours(1);
/// A claim still working after this long lost its server: it may be
/// claimed again.
const ABANDONED: SignedDuration = SignedDuration::from_secs(60);
/// How long a second sending waits for the first, and how often it looks.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// Expired tokens are swept at most this often (seconds), by a claim.
const SWEEP_EVERY: i64 = 60;

/// What a sending of a form's token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// The first: do the work, then [`App::finish_form`], or
    /// [`App::release_form`] when it was refused.
    First,
    /// Already done (or still working after the wait): go here.
    Again(String),
}

/// When expired tokens were last swept (seconds since the epoch).
#[derive(Debug, Default, Clone)]
pub(crate) struct Sweeps(Arc<AtomicI64>);

impl App {
    /// A fresh token for a form.
    pub fn form_token() -> String {
        Secret::generate("form").expose().to_owned()
    }

    /// Claims a form's token; a sending that finds the first still working
    /// waits for it (up to 10 s). A form sent without a token is not
    /// guarded.
    pub async fn claim_form(&self, token: &str) -> AppResult<Turn> {
        if token.is_empty() {
            return Ok(Turn::First);
        }
        self.sweep_forms().await;
        let waited = tokio::time::Instant::now();
        loop {
            let now = self.clock().now();
            let claim = self
                .db()
                .staff()
                .claim_form_token(token, now, later(now, -ABANDONED)?, later(now, KEPT)?)
                .await?;
            match claim {
                FormClaim::First => return Ok(Turn::First),
                FormClaim::Done(target) => return Ok(Turn::Again(target)),
                FormClaim::Working if waited.elapsed() >= WAIT => {
                    return Ok(Turn::Again("/".into()));
                }
                FormClaim::Working => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The token's work is done and led to `target`.
    pub async fn finish_form(&self, token: &str, target: &str) -> AppResult<()> {
        if token.is_empty() {
            return Ok(());
        }
        Ok(self.db().staff().finish_form_token(token, target).await?)
    }

    /// The token's work was refused: the corrected form may be sent again.
    pub async fn release_form(&self, token: &str) -> AppResult<()> {
        if token.is_empty() {
            return Ok(());
        }
        Ok(self.db().staff().release_form_token(token).await?)
    }

    /// Forgets expired tokens, once a minute at most.
    async fn sweep_forms(&self) {
        let now = self.clock().now();
        let last = self.form_sweeps.0.load(Ordering::Relaxed);
        if now.as_second() - last < SWEEP_EVERY
            || self
                .form_sweeps
                .0
                .compare_exchange(last, now.as_second(), Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        if let Err(error) = self.db().staff().delete_expired_form_tokens(now).await {
            tracing::warn!(%error, "expired form tokens were not swept");
        }
    }
}

fn later(at: jiff::Timestamp, by: SignedDuration) -> AppResult<jiff::Timestamp> {
    at.checked_add(by)
        .map_err(|e| AppError::Unavailable(format!("no time for a form token: {e}")))
}
