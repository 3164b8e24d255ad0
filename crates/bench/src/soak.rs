//! `clientele-bench soak`: tills committing with holds and returns, points
//! by hand and the scheduled jobs running, while `clientele serve` (a
//! process of its own) is killed with SIGKILL every so often and started
//! again. Afterwards every answered receipt is there with its answer, none
//! is there twice, every balance equals its ledger, and the server's memory
//! after each restart's warm-up stays within a fifth of the first restart's.

mod server;
mod tills;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use clientele_app::progress::Silent;
use clientele_domain::Login;
use futures_util::{StreamExt as _, TryStreamExt as _};
use reqwest::Url;
use serde_json::{Value, json};

use crate::pos::till::client;
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps, open_app_at};
use server::Server;
use tills::Book;

/// The bench's staff user's password (made by the till setup).
const PASSWORD: &str = "correct horse battery staple";
/// How long after a start the server's memory is first read: its caches filled.
const WARM_UP: Duration = Duration::from_secs(30);
/// The most a restarted server's memory (its own, apart from the SQLite
/// writer's page cache, which its size bounds) may grow over the first
/// restart's.
const MEMORY_GROWTH: f64 = 0.20;

#[derive(Debug, Args)]
pub struct SoakArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// How long the tills play.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    minutes: u64,
    /// Tills playing at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1000))]
    tills: u32,
    /// Seconds between two SIGKILLs of the server.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(25..))]
    kill_every: u64,
    /// Demo customers in the base.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..))]
    customers: u64,
    /// Demo receipts of the last year in the base before the tills start
    /// (about ten lines each): a base larger than the server's caches, as
    /// a shop's is.
    #[arg(long, default_value_t = 200_000)]
    receipts: u64,
    /// The `clientele` binary to run (default: the one built beside this).
    #[arg(long)]
    clientele: Option<PathBuf>,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

pub async fn soak(args: SoakArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench soak: {}, {} tills, {} min, SIGKILL every {} s, {} customers, {} receipts before",
        args.engine.as_str(),
        args.tills,
        args.minutes,
        args.kill_every,
        args.customers,
        args.receipts
    );
    let params = json!({
        "engine": args.engine.as_str(),
        "tills": args.tills,
        "minutes": args.minutes,
        "kill_every": args.kill_every,
        "customers": args.customers,
        "receipts": args.receipts,
    });
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

async fn run(args: &SoakArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let binary = match &args.clientele {
        Some(path) => path.clone(),
        None => server::beside_this_one()?,
    };
    steps.say(format!(
        "setup: {} demo customers, {} receipts, a bonus program, {} tills",
        args.customers, args.receipts, args.tills
    ));
    let url = scratch.database().await?;
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (app, db) = open_app_at(&url, &clock).await?;
    app.seed_demo(args.customers, &Silent).await?;
    if args.receipts > 0 {
        app.seed_demo_receipts(args.receipts, &Silent).await?;
    }
    let shop = crate::pos::setup(&app, db.as_ref(), args.tills, args.customers).await?;
    let (staff, _) = db
        .staff()
        .staff_user_by_login(&Login::parse("bench").map_err(|e| anyhow::anyhow!(e.message))?)
        .await?
        .context("the bench's staff user")?;
    let (_, token) = app
        .create_api_token(
            staff.id,
            "soak",
            &clientele_app::audit::ChangedBy::system("bench"),
        )
        .await?;
    let receipts_before = count_receipts(&url).await?;
    drop(app);
    drop(db);

    let mut server = Server::start(&binary, &url, &scratch.dir().join("serve.log")).await?;
    let base = Url::parse(&server.base())?;
    steps.say(format!("serving at {base} (pid {})", server.pid()));
    let book = Arc::new(Book::default());
    let customers = Arc::new(shop.customers);
    let until = Instant::now() + Duration::from_secs(args.minutes * 60);
    let mut players = Vec::new();
    for (n, key) in shop.keys.iter().enumerate() {
        let (client, base, customers, book) =
            (client(key)?, base.clone(), customers.clone(), book.clone());
        players.push(tokio::spawn(async move {
            tills::till(n, client, base, &customers, &book, until).await
        }));
    }
    {
        let (client, base, customers, book) = (
            client(token.expose())?,
            base.clone(),
            customers.clone(),
            book.clone(),
        );
        players.push(tokio::spawn(async move {
            tills::staff(client, base, PASSWORD, &customers, &book, until).await
        }));
    }

    // Killed every so often. Its memory is read every second once it has
    // warmed up, and each life's median kept: a single reading catches
    // whatever a job round had in hand at that moment.
    let mut lives: Vec<Life> = Vec::new();
    let mut restarts = Vec::new();
    let mut started = Instant::now();
    let mut life = Life::default();
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if started.elapsed() >= WARM_UP {
            life.readings.push(server.resident().await?);
        }
        if started.elapsed() >= Duration::from_secs(args.kill_every)
            && until - Instant::now() > WARM_UP
        {
            steps.say(format!("warmed up, its median: {}", life.said()));
            lives.push(std::mem::take(&mut life));
            let took = server.kill_and_restart().await?;
            restarts.push(took);
            steps.say(format!(
                "killed and restarted in {:.1} s; {} receipts answered so far",
                took.as_secs_f64(),
                book.receipts.lock().unwrap().len()
            ));
            started = Instant::now();
        }
    }
    if !life.readings.is_empty() {
        steps.say(format!("warmed up, its median: {}", life.said()));
        lives.push(life);
    }
    for player in players {
        player.await??;
    }
    steps.say("checking every answered receipt, the receipts kept, and every ledger");

    let receipts = std::mem::take(&mut *book.receipts.lock().unwrap());
    let tills: Vec<reqwest::Client> = shop
        .keys
        .iter()
        .map(|k| client(k))
        .collect::<Result<_, _>>()?;
    let lost = futures_util::stream::iter(receipts.iter())
        .map(|(id, (till, answer))| {
            let (client, url) = (
                tills[*till].clone(),
                base.join(&format!("api/v1/pos/receipts/{id}")),
            );
            async move {
                let response = client.get(url?).send().await?;
                let kept = response.status() == 200 && response.text().await? == *answer;
                Ok::<_, anyhow::Error>(u64::from(!kept))
            }
        })
        .buffer_unordered(16)
        .try_fold(0, |sum, lost| async move { Ok(sum + lost) })
        .await?;
    let kept = count_receipts(&url).await? - receipts_before;
    let doubled = kept - i64::try_from(receipts.len())?;
    let owner = client(token.expose())?;
    let ledgers_off = futures_util::stream::iter(customers.iter())
        .map(|customer| ledger_is_off(&owner, &base, customer.id.0))
        .buffer_unordered(16)
        .try_fold(0, |sum, off| async move { Ok(sum + u64::from(off)) })
        .await?;
    server.stop();

    let mut report = Report::default();
    let minutes = args.minutes as f64;
    report.add("receipts_answered", receipts.len() as f64, "");
    report.add(
        "receipts_per_s",
        receipts.len() as f64 / (minutes * 60.0),
        "req/s",
    );
    report.add(
        "receipts_refused",
        book.refused.load(Ordering::Relaxed) as f64,
        "",
    );
    report.add("holds", book.holds.load(Ordering::Relaxed) as f64, "");
    report.add("returns", book.returns.load(Ordering::Relaxed) as f64, "");
    report.add(
        "points_by_hand",
        book.by_hand.load(Ordering::Relaxed) as f64,
        "",
    );
    report.add("kills", restarts.len() as f64, "");
    report.add(
        "sent_again",
        book.sent_again.load(Ordering::Relaxed) as f64,
        "",
    );
    let slowest = restarts.iter().max().copied().unwrap_or_default();
    report.add("restart_max_ms", slowest.as_secs_f64() * 1000.0, "ms");
    report
        .add("answered_receipts_lost", lost as f64, "")
        .target("0", lost == 0);
    report
        .add("receipts_doubled", doubled as f64, "")
        .target("0", doubled == 0);
    report
        .add("ledgers_not_summing_to_balance", ledgers_off as f64, "")
        .target("0", ledgers_off == 0);
    let medians: Vec<server::Resident> = lives.iter().map(Life::median).collect();
    let outside: Vec<f64> = medians.iter().map(|m| m.outside_sqlite() as f64).collect();
    // Each restart's against the first restart's: the first start meets a
    // smaller base and colder caches than any restart after it.
    let at_start = outside.first().copied().unwrap_or(0.0);
    let restarts = outside.get(1..).unwrap_or_default();
    let first = restarts.first().copied().unwrap_or(0.0);
    let most = restarts.iter().copied().fold(0.0, f64::max);
    let growth = if first > 0.0 { most / first - 1.0 } else { 0.0 };
    let max_of = |part: fn(&server::Resident) -> u64| {
        medians.iter().map(part).max().unwrap_or(0) as f64 / 1e6
    };
    report.add("memory_own_max_mb", max_of(|m| m.own), "MB");
    report.add("memory_writer_cache_max_mb", max_of(|m| m.sqlite), "MB");
    report.add(
        "memory_mapped_files_max_mb",
        max_of(|m| m.mapped_files),
        "MB",
    );
    report.add("memory_at_the_first_start_mb", at_start / 1e6, "MB");
    report.add("memory_first_restart_mb", first / 1e6, "MB");
    report.add("memory_restarts_max_mb", most / 1e6, "MB");
    report.add("memory_growth_pct", growth * 100.0, "%").target(
        format!("at most {:.0} %", MEMORY_GROWTH * 100.0),
        growth <= MEMORY_GROWTH,
    );
    steps.say("done");
    Ok(report)
}

/// The memory readings of one server process after its warm-up.
#[derive(Default)]
struct Life {
    readings: Vec<server::Resident>,
}

impl Life {
    /// The median reading, by the memory outside SQLite's caches.
    fn median(&self) -> server::Resident {
        let mut readings = self.readings.clone();
        readings.sort_unstable_by_key(server::Resident::outside_sqlite);
        readings
            .get(readings.len() / 2)
            .copied()
            .unwrap_or_default()
    }

    fn said(&self) -> String {
        let median = self.median();
        format!(
            "{:.0} MB of its own ({:.0} MB of them the SQLite writer's cache), {:.0} MB of mapped files ({} readings)",
            median.own as f64 / 1e6,
            median.sqlite as f64 / 1e6,
            median.mapped_files as f64 / 1e6,
            self.readings.len()
        )
    }
}

/// Receipts in the database, read by SQL: a receipt there twice would
/// show here and nowhere in the API.
async fn count_receipts(url: &str) -> anyhow::Result<i64> {
    use sqlx::Connection as _;
    let count = if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        sqlx::query_scalar("SELECT COUNT(*) FROM receipts")
            .fetch_one(&mut connection)
            .await?
    } else {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        sqlx::query_scalar("SELECT COUNT(*) FROM receipts")
            .fetch_one(&mut connection)
            .await?
    };
    Ok(count)
}

/// Whether a customer's ledger, page by page, sums to something else than
/// the balance.
async fn ledger_is_off(owner: &reqwest::Client, base: &Url, customer: i64) -> anyhow::Result<bool> {
    let (mut sum, mut cursor, mut balance) = (0, String::new(), None);
    loop {
        let page: Value = owner
            .get(base.join(&format!(
                "api/v1/customers/{customer}/ledger?limit=500{cursor}"
            ))?)
            .send()
            .await?
            .json()
            .await?;
        balance.get_or_insert(
            page["balance"]
                .as_i64()
                .context("a ledger page's balance")?,
        );
        sum += page["items"]
            .as_array()
            .context("a ledger page's items")?
            .iter()
            .filter_map(|e| e["points"].as_i64())
            .sum::<i64>();
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return Ok(balance != Some(sum)),
        }
    }
}
