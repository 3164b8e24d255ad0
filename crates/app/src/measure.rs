//! What the use cases count for `/metrics`, named in one place: the till's
//! commits, the scheduled jobs, backups and the outbox. (Requests by route
//! and the SQLite writer count their own.)

use std::time::Instant;

use clientele_store::Settlement;

/// How a commit ended, as its latency is labelled.
pub fn commit(started: Instant, outcome: &'static str) {
    metrics::histogram!("clientele_receipt_commit_seconds", "outcome" => outcome)
        .record(started.elapsed().as_secs_f64());
}

/// A job's round (the scheduled work, the outbox, a backup): how long it
/// took, whether it failed, and when it last finished well.
pub fn job(name: &'static str, started: Instant, succeeded: bool, now_seconds: i64) {
    let outcome = if succeeded { "done" } else { "failed" };
    metrics::counter!("clientele_job_runs_total", "job" => name, "outcome" => outcome).increment(1);
    metrics::histogram!("clientele_job_seconds", "job" => name)
        .record(started.elapsed().as_secs_f64());
    if succeeded {
        metrics::gauge!("clientele_job_last_success_timestamp_seconds", "job" => name)
            .set(now_seconds as f64);
    }
}

/// The messages an outbox round settled, by how each ended.
pub fn settled<'a>(settlements: impl Iterator<Item = &'a Settlement>) {
    for settlement in settlements {
        let outcome = match settlement {
            Settlement::Sent { .. } => "sent",
            Settlement::Held { .. } => "held",
            Settlement::Retry { .. } => "retried",
            Settlement::Stopped { .. } => "stopped",
        };
        metrics::counter!("clientele_outbox_messages_total", "outcome" => outcome).increment(1);
    }
}
