//! `clientele-bench reports`: over demo customers with a year of receipts
//! (about ten lines each), the figures rolled up from every receipt, then
//! each report asked as a marketer asks it, its p50 and p99 beside a bare
//! pass over every receipt line in the same run; and the tills' commits at
//! an offered rate with nothing else running, then with the figures kept
//! up every few seconds (the server keeps them every minute: each round
//! here is smaller, and they come more often), then with nothing else
//! running again: the calmer run without is the one compared.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use clientele_app::audit::ChangedBy;
use clientele_app::progress::Silent;
use clientele_app::{App, Clock};
use clientele_domain::offer::OfferInput;
use clientele_domain::report::{PeriodAsked, ReportAsked, ReportName};
use jiff::{SignedDuration, ToSpan};
use serde_json::json;

use crate::pos::offered::{Counter, Offered};
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps};

#[derive(Debug, Args)]
pub struct ReportsArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    #[command(flatten)]
    base: crate::base::BaseArgs,
    /// Times each report is asked (after one untimed).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// How long the tills commit in each phase.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Receipts a second the tills offer, each timed from its scheduled
    /// send: what a commit costs is its latency at this rate.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..))]
    offered: u32,
    /// Tills sharing the offered receipts.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1000))]
    tills: u32,
    /// Seconds between the rounds that keep the figures up, while the
    /// tills commit.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    keep_every: u64,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

/// Every report answers within this.
const REPORT_MS: f64 = 1_000.0;
/// A commit with the figures kept costs at most this much more than
/// without (its median latency at the offered rate).
const KEPT_COST: f64 = 1.1;

/// A report as asked in the run: its name, the figure's name, the query.
struct Asked {
    figure: &'static str,
    name: ReportName,
    query: Vec<(&'static str, String)>,
}

fn questions(today: jiff::civil::Date) -> Vec<Asked> {
    let year_ago = today.checked_sub(364.days()).unwrap_or(today).to_string();
    let ask = |figure, name, query: &[(&'static str, &str)]| Asked {
        figure,
        name,
        query: query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
    };
    vec![
        ask("sales_30_days", ReportName::Sales, &[]),
        ask("sales_year", ReportName::Sales, &[("from", &year_ago)]),
        ask("base_quality", ReportName::BaseQuality, &[("days", "90")]),
        ask("points_year", ReportName::Points, &[("from", &year_ago)]),
        ask("rfm", ReportName::Rfm, &[]),
        ask(
            "rfm_cell",
            ReportName::Rfm,
            &[("recency", "5"), ("frequency", "5")],
        ),
        ask("customers_top", ReportName::CustomersTop, &[]),
        ask(
            "customers_lapsed",
            ReportName::CustomersLapsed,
            &[("days", "90")],
        ),
        ask("cohorts_year", ReportName::Cohorts, &[("from", &year_ago)]),
        ask(
            "product_buyers_30_days",
            ReportName::ProductBuyers,
            &[("sku", "1001")],
        ),
        ask("discounts_30_days", ReportName::Discounts, &[]),
        ask("effect_30_days", ReportName::Effect, &[]),
        ask("effect_year", ReportName::Effect, &[("from", &year_ago)]),
    ]
}

pub async fn reports(args: ReportsArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench reports: {}, {}",
        args.engine.as_str(),
        args.base.describe()
    );
    let params = args.base.params(
        args.engine,
        json!({"offered": args.offered, "tills": args.tills}),
    );
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

async fn run(args: &ReportsArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let mut report = Report::default();
    let clock = Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (url, app, db) = args.base.open(scratch, &clock, &steps).await?;

    steps.say("ceiling: one bare pass over every receipt line");
    let started = Instant::now();
    let lines = crate::segments::bare_line_pass(args.engine, &url).await?;
    let ceiling_ms = started.elapsed().as_secs_f64() * 1000.0;
    steps.say(format!("ceiling: {lines} lines in {ceiling_ms:.0} ms"));

    steps.say("figures: rolled up from every receipt, every closed month kept");
    let started = Instant::now();
    let kept = app.roll_up_quiet_database(&Silent).await?;
    let rebuild_s = started.elapsed().as_secs_f64();
    steps.say(format!(
        "figures: {} receipts rolled up in {rebuild_s:.1} s",
        kept.receipts
    ));
    report
        .add("figures_roll_up_s", rebuild_s, "s")
        .beside("lines pass", ceiling_ms / 1000.0);
    app.recompute_rfm(&Silent).await?;
    // The effect report's hardest question: an offer to everyone, running
    // all year, its control group drawn from every customer.
    let year_ago = clock.today().checked_sub(364.days())?;
    app.create_offer(
        OfferInput {
            name: "bench: everyone, a tenth held out".into(),
            active: true,
            reward: "bonus_points".into(),
            reward_value: 100,
            valid_from: Some(year_ago.to_string()),
            holdout_bp: 1_000,
            ..OfferInput::default()
        },
        &ChangedBy::system("bench"),
    )
    .await?;

    for asked in questions(clock.today()) {
        let pairs: Vec<(&str, &str)> = asked.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let query = ReportAsked {
            period: PeriodAsked {
                from: find(&pairs, "from"),
                to: None,
            },
            days: find(&pairs, "days"),
            skus: find(&pairs, "sku").into_iter().collect(),
            recency: find(&pairs, "recency"),
            frequency: find(&pairs, "frequency"),
            ..ReportAsked::default()
        };
        app.report(asked.name, &query, None)
            .await
            .with_context(|| format!("the report {}", asked.figure))?;
        let mut times = Vec::new();
        for _ in 0..args.runs {
            let started = Instant::now();
            app.report(asked.name, &query, None).await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let p50 = times[times.len() / 2];
        let p99 = times[(times.len() * 99).div_ceil(100) - 1];
        steps.say(format!(
            "{}: p50 {p50:.1} ms, p99 {p99:.1} ms",
            asked.figure
        ));
        report
            .add(format!("{}_p50_ms", asked.figure), p50, "ms")
            .beside("lines pass", ceiling_ms);
        report
            .add(format!("{}_p99_ms", asked.figure), p99, "ms")
            .beside("lines pass", ceiling_ms)
            .target(format!("under {REPORT_MS} ms"), p99 < REPORT_MS);
    }

    commits(args, &app, &db, &clock, &steps, &mut report).await?;
    steps.say("done");
    Ok(report)
}

fn find<'a>(pairs: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The tills' commit rate with nothing else running, then with the
/// figures kept up every few seconds over the same database.
async fn commits(
    args: &ReportsArgs,
    app: &App,
    db: &Arc<dyn clientele_store::Database>,
    clock: &Clock,
    steps: &Steps,
    report: &mut Report,
) -> anyhow::Result<()> {
    let shop = crate::pos::setup(
        app,
        db.as_ref(),
        args.tills,
        args.base.customers.min(100_000),
    )
    .await?;
    let served = crate::served::InProcess::start(app).await?;
    let base = served.base.clone();
    let counter = Counter::new(shop, base)?;
    let measured = phases(args, db, clock, &counter, steps).await;
    drop(counter);
    served.stop().await?;
    let (before, kept, after) = measured?;
    // The calmer of the runs without figures, before and after: a run
    // disturbed by what came before it (PostgreSQL writing back the
    // roll-up, say) must not flatter the one with them.
    let idle = if after.load.p50 < before.load.p50 {
        &after
    } else {
        &before
    };
    let rate = |o: &Offered| o.load.achieved;
    report.add("commits_per_s_without_figures", rate(idle), "/s");
    report
        .add("commits_per_s_figures_kept", rate(&kept), "/s")
        .beside("without", rate(idle));
    let p50 = |o: &Offered| o.load.p50.as_secs_f64() * 1e3;
    report.add("commit_p50_ms_without_figures", p50(idle), "ms");
    report
        .add("commit_p50_ms_figures_kept", p50(&kept), "ms")
        .beside("without", p50(idle))
        .target(
            format!("at most {KEPT_COST} × without"),
            p50(&kept) <= KEPT_COST * p50(idle),
        );
    let p99 = |o: &Offered| o.load.p99.as_secs_f64() * 1e3;
    report.add("commit_p99_ms_without_figures", p99(idle), "ms");
    report
        .add("commit_p99_ms_figures_kept", p99(&kept), "ms")
        .beside("without", p99(idle));
    let errors = before.load.errors + kept.load.errors + after.load.errors;
    report
        .add("till_errors", errors as f64, "")
        .target("none", errors == 0);
    Ok(())
}

async fn phases(
    args: &ReportsArgs,
    db: &Arc<dyn clientele_store::Database>,
    clock: &Clock,
    counter: &Counter,
    steps: &Steps,
) -> anyhow::Result<(Offered, Offered, Offered)> {
    let seconds = Duration::from_secs(args.seconds);
    let rate = args.offered;
    counter.play(("W", 1), rate, Duration::from_secs(1)).await?;
    steps.say(format!(
        "tills: {rate} receipts/s offered over {} tills for {seconds:?}, nothing else running",
        args.tills
    ));
    let idle = counter.play(("I", 2), rate, seconds).await?;
    steps.say(format!("tills: {}", idle.summary()));

    // The figures are kept over the server's own database (on SQLite, its
    // one writer) by an app whose clock is ahead by the two minutes a
    // commit is given to settle, so that every round rolls up what the
    // tills committed until it began.
    let ahead = Clock::fixed(
        clock.zone().clone(),
        clock.now() + SignedDuration::from_secs(120),
    );
    let every = Duration::from_secs(args.keep_every);
    let keeper = App::new(db.clone(), ahead.clone());
    keeper.roll_up_day_figures().await?;
    let (done, mut finished) = tokio::sync::oneshot::channel::<()>();
    let rounds = tokio::spawn(async move {
        let mut rounds = 0u64;
        let mut receipts = 0u64;
        let started = Instant::now();
        let mut last = Instant::now();
        loop {
            tokio::select! {
                _ = &mut finished => break,
                () = tokio::time::sleep(every) => {}
            }
            let moved = last.elapsed();
            last = Instant::now();
            ahead.advance(SignedDuration::try_from(moved).unwrap_or_default());
            receipts += keeper.roll_up_day_figures().await?.receipts;
            keeper.keep_month_figures().await?;
            rounds += 1;
        }
        anyhow::Ok((rounds, receipts, started.elapsed()))
    });
    steps.say(format!(
        "tills: the same for {seconds:?}, the figures kept up every {every:?}"
    ));
    let kept = counter.play(("K", 3), rate, seconds).await;
    let _ = done.send(());
    let (rounds, receipts, took) = rounds.await??;
    let kept = kept?;
    steps.say(format!(
        "tills: {}; {rounds} rounds rolled up {receipts} receipts in {:.1} s",
        kept.summary(),
        took.as_secs_f64()
    ));
    steps.say(format!(
        "tills: the same for {seconds:?} again, nothing else running"
    ));
    let after = counter.play(("J", 4), rate, seconds).await?;
    steps.say(format!("tills: {}", after.summary()));
    Ok((idle, kept, after))
}
