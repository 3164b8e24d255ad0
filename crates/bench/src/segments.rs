//! `clientele-bench segments`: over demo customers with a year of receipts,
//! the live count and the recompute of a dynamic segment with three
//! purchase-history conditions, the daily RFM scores (the first run and
//! the next, which writes only the scores that change), and a page of a
//! segment's members; beside a bare pass over every receipt line in the
//! same run, the least any condition on lines costs.

use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use clientele_app::audit::ChangedBy;
use clientele_app::customers::ListParams;
use clientele_app::progress::Silent;
use clientele_domain::segment::{RawRule, SegmentInput};
use serde_json::json;

use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps};

#[derive(Debug, Args)]
pub struct SegmentsArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    #[command(flatten)]
    base: crate::base::BaseArgs,
    /// Timed live counts (after one untimed).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

/// Targets: a recompute under 5 s (SQLite), a live count under 500 ms.
const RECOMPUTE_S: f64 = 5.0;
const COUNT_MS: f64 = 500.0;

/// Three purchase-history conditions, as a marketer writes them: bought
/// twice in the quarter, dairy in the month, and spent 1,000 in the year.
fn three_conditions() -> serde_json::Value {
    json!({"all": [
        {"field": "purchases_count", "op": "gte", "value": 2, "period_days": 90},
        {"field": "bought", "op": "gte", "value": 1, "period_days": 30, "categories": ["dairy"]},
        {"field": "spent_minor", "op": "gte", "value": 100_000, "period_days": 365},
    ]})
}

pub async fn segments(args: SegmentsArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench segments: {}, {}",
        args.engine.as_str(),
        args.base.describe()
    );
    let params = args.base.params(args.engine, json!({}));
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

async fn run(args: &SegmentsArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let mut report = Report::default();
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (url, app, _) = args.base.open(scratch, &clock, &steps).await?;
    let by = ChangedBy::system("bench");

    steps.say("ceiling: one bare pass over every receipt line");
    let started = Instant::now();
    let lines = bare_line_pass(args.engine, &url).await?;
    let ceiling_ms = started.elapsed().as_secs_f64() * 1000.0;
    steps.say(format!("ceiling: {lines} lines in {ceiling_ms:.0} ms"));

    steps.say("rfm: scoring every customer who bought");
    let started = Instant::now();
    let scored = app.recompute_rfm(&Silent).await?;
    let rfm_s = started.elapsed().as_secs_f64();
    steps.say(format!("rfm: {scored} customers in {rfm_s:.2} s"));
    report
        .add("rfm_scores_s", rfm_s, "s")
        .beside("lines pass", ceiling_ms / 1000.0);
    // The next day's run, as most scores stay: only those that change are written.
    let started = Instant::now();
    app.recompute_rfm(&Silent).await?;
    let again_s = started.elapsed().as_secs_f64();
    steps.say(format!("rfm: scored again in {again_s:.2} s"));
    report
        .add("rfm_again_s", again_s, "s")
        .beside("lines pass", ceiling_ms / 1000.0);

    let rules: RawRule = serde_json::from_value(three_conditions())?;
    steps.say("count: the live count of three purchase-history conditions");
    app.count_segment(rules.clone(), &by).await?;
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..args.runs {
        let started = Instant::now();
        count = app.count_segment(rules.clone(), &by).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    steps.say(format!("count: {count} customers, median {median:.0} ms"));
    report
        .add("live_count_ms", median, "ms")
        .beside("lines pass", ceiling_ms)
        .target(format!("under {COUNT_MS} ms"), median < COUNT_MS);

    steps.say("segment: made, computed at once");
    let input = SegmentInput {
        name: Some(format!("bench {}", jiff::Timestamp::now())),
        rules: Some(rules),
        ..SegmentInput::default()
    };
    let started = Instant::now();
    let segment = app.create_segment(input, None, &by).await?;
    let first_s = started.elapsed().as_secs_f64();
    steps.say(format!(
        "segment: {} members in {first_s:.2} s",
        segment.size
    ));
    report
        .add("first_compute_s", first_s, "s")
        .beside("lines pass", ceiling_ms / 1000.0);
    let started = Instant::now();
    let size = app.recompute_segment(segment.id).await?;
    let again_s = started.elapsed().as_secs_f64();
    steps.say(format!(
        "segment: recomputed, {} members ({} in, {} out) in {again_s:.2} s",
        size.size, size.entered, size.left
    ));
    let line = report
        .add("recompute_s", again_s, "s")
        .beside("lines pass", ceiling_ms / 1000.0);
    if args.engine == Engine::Sqlite {
        line.target(format!("under {RECOMPUTE_S} s"), again_s < RECOMPUTE_S);
    }

    let params = ListParams {
        sort: Some("id".into()),
        filter: vec![("segment_id".into(), segment.id.0.to_string())],
        ..ListParams::default()
    };
    let started = Instant::now();
    let (page, _) = app.list_customers(&params).await?;
    let page_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        !page.items.is_empty() || size.size == 0,
        "the segment's first page is empty"
    );
    report.add("members_page_ms", page_ms, "ms");
    app.delete_segment(segment.id, &by).await?;
    Ok(report)
}

/// Reads every receipt line once, summing a column, on a connection of its
/// own: no index, no join, nothing of Clientele's.
pub(crate) async fn bare_line_pass(engine: Engine, url: &str) -> anyhow::Result<i64> {
    use sqlx::Connection as _;
    // The condition reads each line's row; no index serves it.
    let sql = "SELECT COUNT(*) FROM receipt_lines WHERE quantity_milli >= 0";
    Ok(match engine {
        Engine::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url)
                .await
                .context("opening the base for the ceiling")?;
            sqlx::query_scalar(sql).fetch_one(&mut conn).await?
        }
        Engine::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url)
                .await
                .context("opening the base for the ceiling")?;
            sqlx::query_scalar(sql).fetch_one(&mut conn).await?
        }
    })
}
