//! The figures of a campaign run, each beside what it is judged against.

use std::time::Duration;

use super::{CampaignArgs, mail};
use crate::pos::offered::Offered;
use crate::report::Report;

/// Targets (issue 17): queued in under 30 s (for 1,000,000 customers),
/// delivered at 500 a second or more, the tills' p99 within 1.2 × idle.
const QUEUED_S: f64 = 30.0;
const DELIVERED_PER_S: f64 = 500.0;
const P99_RATIO: f64 = 1.2;

/// What the phases measured.
pub struct Measured {
    pub idle: Offered,
    /// The tills after the queueing, the worker off.
    pub queued_idle: Offered,
    pub busy: Offered,
    pub create_s: f64,
    pub audience_read_s: f64,
    pub queued_s: f64,
    pub queued: u64,
    pub marks: mail::Marks,
    pub worked: mail::Worked,
    /// Messages the server took in the worker's window.
    pub received: usize,
    pub counts: clientele_domain::campaign::CampaignCounts,
}

pub fn figures(args: &CampaignArgs, report: &mut Report, m: &Measured, ceiling: f64) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rate = f64::from(args.offered);
    report
        .add("idle_tills_per_s", m.idle.load.achieved, "/s")
        .beside("offered", rate);
    report.add("idle_p50_ms", ms(m.idle.load.p50), "ms");
    report.add("idle_p99_ms", ms(m.idle.load.p99), "ms");

    report.add("campaign_create_s", m.create_s, "s");
    report.add("audience_read_s", m.audience_read_s, "s");
    report
        .add("campaign_queued_s", m.queued_s, "s")
        .beside("audience_read_s", m.audience_read_s)
        .target(format!("under {QUEUED_S:.0} s"), m.queued_s < QUEUED_S);
    report.add("campaign_queued", m.queued as f64, "");
    let started = m.marks.started.unwrap_or_default();
    let last = m.marks.last_slice.unwrap_or(started);
    let finished = m.marks.finished.unwrap_or(last);
    report.add("queue_read_split_s", started, "s");
    report.add("queue_slices_s", last - started, "s");
    report.add("queue_count_s", finished - last, "s");

    let window = m.worked.elapsed.as_secs_f64().max(f64::EPSILON);
    let delivered = m.received as f64 / window;
    report
        .add("delivered_per_s", delivered, "/s")
        .beside("ceiling_smtp_per_s", ceiling)
        .target(
            format!(">= {DELIVERED_PER_S:.0}/s"),
            delivered >= DELIVERED_PER_S,
        );
    report.add("ceiling_smtp_per_s", ceiling, "/s");
    report.add("pace_per_s", f64::from(args.per_second), "/s");
    report.add(
        "stopped_per_s",
        m.worked.report.stopped as f64 / window,
        "/s",
    );
    report.add(
        "settled_per_s",
        m.worked.report.claimed as f64 / window,
        "/s",
    );
    report.add("deliver_sent", m.worked.report.sent as f64, "");
    report.add("deliver_stopped", m.worked.report.stopped as f64, "");
    let unexpected = m.worked.report.held + m.worked.report.retried;
    report
        .add("deliver_held_or_retried", unexpected as f64, "")
        .target("none", unexpected == 0);
    let lost = m.worked.report.sent.abs_diff(m.received);
    report
        .add("sent_not_received", lost as f64, "")
        .target("none", lost == 0);
    report.add("campaign_waiting_after", m.counts.waiting as f64, "");

    let (idle, queued, busy) = (&m.idle.load, &m.queued_idle.load, &m.busy.load);
    report
        .add("queued_p99_ms", ms(queued.p99), "ms")
        .beside("idle_p99_ms", ms(idle.p99));
    report
        .add("deliver_tills_per_s", busy.achieved, "/s")
        .beside("offered", rate)
        .target(
            format!("99% of {} offered", args.offered),
            busy.achieved >= 0.99 * rate,
        );
    report
        .add("deliver_p50_ms", ms(busy.p50), "ms")
        .beside("queued_p50_ms", ms(queued.p50));
    // The delivery's own cost: against the same shop, the messages queued
    // and the worker off.
    report
        .add("deliver_p99_ms", ms(busy.p99), "ms")
        .beside("queued_p99_ms", ms(queued.p99))
        .target(
            format!("at most {P99_RATIO} × idle"),
            busy.p99.as_secs_f64() <= P99_RATIO * queued.p99.as_secs_f64(),
        );
    report
        .add("deliver_p99_vs_before_ms", ms(busy.p99), "ms")
        .beside("idle_p99_ms", ms(idle.p99));
    report
        .add("deliver_max_ms", ms(busy.max), "ms")
        .beside("queued_max_ms", ms(queued.max));
    let errors = idle.errors + queued.errors + busy.errors;
    report
        .add("till_errors", errors as f64, "")
        .target("none", errors == 0);
}
