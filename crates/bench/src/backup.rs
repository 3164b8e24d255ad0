//! `clientele-bench backup`: a backup of a filled base taken while tills
//! commit at an offered rate. The backup's duration beside a bare copy of
//! the same file (SQLite) measured in the same run, and the tills' p99
//! while it runs beside their p99 with nothing else running; then the
//! backup is restored into a fresh database, as a shop would after a loss.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use clientele_app::Clock;
use serde_json::json;

use crate::pos::offered::{Counter, Offered};
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps};

/// The tills are timed in windows this long while the backup runs, each
/// with receipt ids of its own.
const WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    #[command(flatten)]
    base: crate::base::BaseArgs,
    /// Receipts a second the tills offer, each timed from its scheduled send.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    offered: u32,
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    tills: u32,
    /// How long the tills commit with nothing else running.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench backup: {}, {}, {} receipts/s offered by {} tills",
        args.engine.as_str(),
        args.base.describe(),
        args.offered,
        args.tills
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

async fn run(args: &BackupArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let clock = Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (url, app, db) = args.base.open(scratch, &clock, &steps).await?;
    let shop = crate::pos::setup(
        &app,
        db.as_ref(),
        args.tills,
        args.base.customers.min(100_000),
    )
    .await?;
    let served = crate::served::InProcess::start(&app).await?;
    let base = served.base.clone();
    let counter = Counter::new(shop, base)?;
    let backup_file = scratch.dir().join("backup.file");
    let measured = phases(args, &backup_file, &app, &counter, &steps).await;
    drop(counter);
    served.stop().await?;
    let Measured {
        idle,
        during,
        backup,
        taken,
    } = measured?;

    let mut report = Report::default();
    let ceiling = match args.engine {
        Engine::Sqlite => {
            steps.say("ceiling: a bare copy of the database file");
            let file = url.strip_prefix("sqlite://").context("an SQLite URL")?;
            let copy = scratch.dir().join("bare-copy.db");
            let started = Instant::now();
            std::fs::copy(file, &copy)?;
            std::fs::File::open(&copy)?.sync_all()?;
            let seconds = started.elapsed().as_secs_f64();
            std::fs::remove_file(&copy)?;
            Some(seconds)
        }
        Engine::Postgres => None,
    };
    let line = report.add("backup_s", taken.as_secs_f64(), "s");
    if let Some(copy) = ceiling {
        line.beside("bare file copy", copy);
    }
    report.add("backup_mb", backup.bytes as f64 / 1e6, "MB");
    let p99 = |o: &Offered| o.load.p99.as_secs_f64() * 1e3;
    let worst = during.iter().map(p99).fold(0.0, f64::max);
    report.add("commit_p99_ms_without_backup", p99(&idle), "ms");
    report
        .add("commit_p99_ms_during_backup", worst, "ms")
        .beside("without", p99(&idle));
    let p50 = |o: &Offered| o.load.p50.as_secs_f64() * 1e3;
    report
        .add(
            "commit_p50_ms_during_backup",
            during.iter().map(p50).fold(0.0, f64::max),
            "ms",
        )
        .beside("without", p50(&idle));
    let errors: u64 = during.iter().map(|o| o.load.errors).sum::<u64>() + idle.load.errors;
    report
        .add("till_errors", errors as f64, "")
        .target("0", errors == 0);

    steps.say("restore: the backup into a fresh database");
    let restored = scratch.database().await?;
    let started = Instant::now();
    let restored_at = clientele_cli::restore_database(&restored, &backup_file).await?;
    report.add("restore_s", started.elapsed().as_secs_f64(), "s");
    anyhow::ensure!(
        restored_at.schema_version == backup.schema_version,
        "restored at another schema"
    );
    steps.say("done");
    Ok(report)
}

struct Measured {
    idle: Offered,
    /// The tills' windows while the backup ran.
    during: Vec<Offered>,
    backup: clientele_store::backup::Backup,
    taken: Duration,
}

async fn phases(
    args: &BackupArgs,
    to: &Path,
    app: &clientele_app::App,
    counter: &Counter,
    steps: &Steps,
) -> anyhow::Result<Measured> {
    steps.say(format!(
        "tills: {} receipts/s for {} s, nothing else running",
        args.offered, args.seconds
    ));
    let idle = counter
        .play(("idle", 1), args.offered, Duration::from_secs(args.seconds))
        .await?;
    steps.say(format!("tills: {}", idle.summary()));

    steps.say("backup: taken while the tills commit");
    let taking = {
        let (app, to) = (app.clone(), to.to_owned());
        tokio::spawn(async move {
            let started = Instant::now();
            let backup = app.back_up(&to).await;
            (backup, started.elapsed())
        })
    };
    let mut during = Vec::new();
    for window in 2.. {
        let played = counter
            .play(("during", window), args.offered, WINDOW)
            .await?;
        steps.say(format!("tills while backing up: {}", played.summary()));
        during.push(played);
        if taking.is_finished() {
            break;
        }
    }
    let (backup, taken) = taking.await?;
    let backup = backup?;
    steps.say(format!(
        "backup: {:.0} MB in {:.1} s",
        backup.bytes as f64 / 1e6,
        taken.as_secs_f64()
    ));
    Ok(Measured {
        idle,
        during,
        backup,
        taken,
    })
}
