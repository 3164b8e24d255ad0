//! Scheduled work inside `serve`: each job runs at most once per slot,
//! whatever restarts and however many servers share the database (the slot
//! is claimed in the store first).

use std::time::Duration;

use crate::{App, AppResult};

/// How often `serve` looks for due work.
pub const TICK: Duration = Duration::from_secs(60);
/// Customers written off per transaction by the expiry job.
const EXPIRY_BATCH: u32 = 500;

/// What one look for due work did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Whether this call ran the hour's expiry (another may have).
    pub expiry_ran: bool,
    /// Customers whose expired points were written off.
    pub expired_customers: u32,
}

impl App {
    /// Runs what is due now and not yet claimed: the expiry of points once
    /// an hour (the shop's hour).
    pub async fn run_due_jobs(&self) -> AppResult<JobReport> {
        let now = self.clock().now();
        let hour = now
            .to_zoned(self.clock().zone().clone())
            .strftime("%Y-%m-%dT%H")
            .to_string();
        let mut report = JobReport::default();
        if self.db().claim_slot("expiry", &hour, now).await? {
            report.expiry_ran = true;
            loop {
                let done = self.db().expire_points(now, EXPIRY_BATCH).await?;
                report.expired_customers += done;
                if done < EXPIRY_BATCH {
                    break;
                }
            }
            tracing::info!(
                customers = report.expired_customers,
                "expired points written off"
            );
        }
        Ok(report)
    }

    /// Looks for due work every [`TICK`] until the process ends.
    pub async fn run_jobs_forever(self) {
        let mut ticks = tokio::time::interval(TICK);
        loop {
            ticks.tick().await;
            if let Err(error) = self.run_due_jobs().await {
                tracing::error!(%error, "scheduled work failed; it is tried again next slot");
            }
        }
    }
}
