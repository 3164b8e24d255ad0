//! `clientele-bench`: drives Clientele in one process against fresh
//! databases and prints each figure beside a ceiling measured in the same
//! run, so a figure can be judged on whatever machine it was taken.

mod backup;
mod base;
mod campaign;
mod ceiling;
mod console;
mod load;
mod outbox;
mod pos;
mod pos_ceiling;
mod report;
mod reports;
mod scratch;
mod segments;
mod served;
mod soak;

use std::fmt::Display;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clientele_app::customers::ListParams;
use clientele_app::demo::demo_groups;
use clientele_app::export::ExportFormat;
use clientele_app::import::ImportOptions;
use clientele_app::import::table::read_table_file;
use clientele_app::progress::Silent;
use clientele_app::{App, Clock};
use clientele_domain::{CustomerFilter, SortOrder, StoreKind};
use clientele_store::{Cursor, CustomerQuery, Database};
use reqwest::Url;

use crate::load::{Expect, Load, open_loop, percentile};
use crate::report::Report;
use crate::scratch::Scratch;

#[derive(Debug, Parser)]
#[command(name = "clientele-bench", about = "Clientele's load driver")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The customer base: bulk writes, phone lookups over HTTP, filtered lists.
    Customers(CustomersArgs),
    /// Tills over HTTP: identify, calculate, commit, returns.
    Pos(pos::PosArgs),
    /// Console pages rendered for a signed-in owner, and the script they ship.
    Console(console::ConsoleArgs),
    /// Segments: the live count, a recompute, RFM scores, a page of members.
    Segments(segments::SegmentsArgs),
    /// The outbox: messages queued, then delivered into a loopback SMTP server.
    Outbox(outbox::OutboxArgs),
    /// A campaign to every customer: queued, then delivered into a loopback
    /// SMTP server while tills commit receipts at an offered rate.
    Campaign(campaign::CampaignArgs),
    /// Reports: the figures rebuilt, each report's p50 and p99, and the
    /// tills' commit rate with the figures kept up and without.
    Reports(reports::ReportsArgs),
    /// Tills, holds, returns and points by hand while `clientele serve` is
    /// killed with SIGKILL and restarted; then nothing lost or doubled,
    /// every ledger whole, memory steady.
    Soak(soak::SoakArgs),
    /// A backup of a filled base while tills commit at an offered rate,
    /// then restored into a fresh database.
    Backup(backup::BackupArgs),
}

#[derive(Debug, Args)]
struct CustomersArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// Demo customers to write, and rows of the bare-insert ceiling.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    customers: u64,
    /// Phone lookups (and health checks) sent per second.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..))]
    rate: u32,
    /// How long each HTTP load lasts.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// The allocator of the `clientele` binary, so the figures are its figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Customers whose phones the lookups use.
const SAMPLE: u64 = 10_000;
const LIST_WARMUPS: usize = 3;
const LIST_RUNS: usize = 30;

fn main() -> ExitCode {
    let command = Cli::parse().command;
    // The server, its pools and the load generator's requests share one
    // runtime; with only the 2 workers a 2-core machine gets by default, one
    // busy task delays every other task's wake-up and so the latencies.
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match command {
            Command::Customers(args) => customers(args).await,
            Command::Pos(args) => pos::pos(args).await,
            Command::Soak(args) => soak::soak(args).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Console(args) => console::console(args).await,
            Command::Segments(args) => segments::segments(args).await,
            Command::Outbox(args) => outbox::outbox(args).await,
            Command::Campaign(args) => campaign::campaign(args).await,
            Command::Reports(args) => reports::reports(args).await,
        }
    });
    // After an interrupt the load's pacer may still be sleeping; do not wait it out.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn customers(args: CustomersArgs) -> anyhow::Result<()> {
    let scratch = Scratch::new(args.engine, args.run.postgres_url.clone())?;
    let outcome = tokio::select! {
        outcome = run(&args, &scratch) => outcome,
        Ok(()) = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    scratch.remove().await;
    let (report, plans) = outcome?;
    println!();
    for (heading, plan) in plans {
        println!("== EXPLAIN {heading}\n{}\n", plan.trim_end());
    }
    println!(
        "== clientele-bench customers: {}, {} customers, HTTP load {}/s for {} s\n",
        args.engine.as_str(),
        args.customers,
        args.rate,
        args.seconds
    );
    print!("{}", report.table());
    if args.run.json {
        let run = serde_json::json!({
            "engine": args.engine.as_str(),
            "customers": args.customers,
            "rate": args.rate,
            "seconds": args.seconds,
        });
        println!("{}", report.json(run));
    }
    Ok(())
}

/// Progress lines on stderr, each with the time since the run began.
struct Steps(Instant);

impl Steps {
    fn say(&self, text: impl Display) {
        eprintln!("[{:>7.1} s] {text}", self.0.elapsed().as_secs_f64());
    }
}

/// Every step in order; answers the figures and the list query plans.
async fn run(
    args: &CustomersArgs,
    scratch: &Scratch,
) -> anyhow::Result<(Report, Vec<(String, String)>)> {
    let steps = Steps(Instant::now());
    let n = args.customers;
    let mut report = Report::default();

    steps.say(format!(
        "ceiling_insert: {n} bare rows, {} per INSERT, one transaction",
        ceiling::ROWS_PER_STATEMENT
    ));
    let url = scratch.database().await?;
    let took = ceiling::insert(args.engine, &url, n).await?.as_secs_f64();
    let ceiling = n as f64 / took;
    steps.say(format!("ceiling_insert: done in {took:.2} s"));
    report.add("ceiling_insert_rows_per_s", ceiling, "rows/s");

    steps.say(format!("demo: {n} customers into database A"));
    let clock = Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (app, db) = open_app(scratch, &clock).await?;
    let started = Instant::now();
    let seeded = app.seed_demo(n, &Silent).await?;
    let took = started.elapsed().as_secs_f64();
    steps.say(format!(
        "demo: {} written, {} skipped, in {took:.2} s",
        seeded.customers, seeded.skipped
    ));
    let target = 20.0 * n as f64 / 1e6;
    report
        .add("demo_seconds", took, "s")
        .beside("target", target)
        .target("under 20 s per 1,000,000", took < target);
    report
        .add("demo_rows_per_s", seeded.customers as f64 / took, "rows/s")
        .beside("ceiling_insert", ceiling);

    import(scratch, &clock, &app, ceiling, &steps, &mut report).await?;

    lookups(args, &app, db.as_ref(), &steps, &mut report).await?;

    let plans = lists(&app, db.as_ref(), &steps, &mut report).await?;
    steps.say("done");
    Ok((report, plans))
}

/// A fresh, migrated database of the run's engine, and the app over it:
/// the bench times the database's own reads beside the use cases.
async fn open_app(scratch: &Scratch, clock: &Clock) -> anyhow::Result<(App, Arc<dyn Database>)> {
    open_app_at(&scratch.database().await?, clock).await
}

/// The migrated database at `url`, and the app over it.
async fn open_app_at(url: &str, clock: &Clock) -> anyhow::Result<(App, Arc<dyn Database>)> {
    let db = clientele_cli::open_database(url).await?;
    db.migrate().await?;
    Ok((App::new(db.clone(), clock.clone()), db))
}

/// Exports A and imports the file into a fresh database B holding only the
/// demo groups, stores and properties the rows refer to.
async fn import(
    scratch: &Scratch,
    clock: &Clock,
    source: &App,
    ceiling: f64,
    steps: &Steps,
    report: &mut Report,
) -> anyhow::Result<()> {
    let file = scratch.dir().join("customers.csv");
    let exported = source
        .export_customers(&ListParams::default(), ExportFormat::Csv, &file, &Silent)
        .await?;
    steps.say(format!("import: exported {exported} customers of A to CSV"));
    let (app, _) = open_app(scratch, clock).await?;
    app.seed_demo(0, &Silent).await?;
    steps.say("import: reading the file into database B");
    let started = Instant::now();
    let table = tokio::task::spawn_blocking(move || read_table_file(&file)).await??;
    let read = started.elapsed().as_secs_f64();
    let imported = app
        .import_customers(&table, ImportOptions::default(), &Silent)
        .await?;
    let took = started.elapsed().as_secs_f64();
    let rejected = imported.rejected.len();
    steps.say(format!(
        "import: {} rows, {} created, {} updated, {} unchanged, {rejected} rejected, in {took:.2} s",
        imported.rows, imported.created, imported.updated, imported.unchanged
    ));
    if let Some(first) = imported.rejected.first() {
        steps.say(format!(
            "import: row {} rejected: {}",
            first.row,
            first.described()
        ));
    }
    let rate = table.rows.len() as f64 / took;
    report
        .add("import_rows_per_s", rate, "rows/s")
        .beside("ceiling_insert", ceiling)
        .target("ratio at least 0.50", rate / ceiling >= 0.5);
    report.add("import_seconds", took, "s");
    report
        .add("import_read_seconds", read, "s")
        .beside("import_seconds", took);
    report
        .add("import_rejected", rejected as f64, "")
        .target("none", rejected == 0);
    Ok(())
}

/// Phone lookups over HTTP beside health checks through the same stack.
async fn lookups(
    args: &CustomersArgs,
    app: &App,
    db: &dyn Database,
    steps: &Steps,
    report: &mut Report,
) -> anyhow::Result<()> {
    let phones = sample_phones(db, args.customers).await?;
    let token = bench_token(app).await?;
    auth_checks(app, db, &token, steps, report).await?;
    let served = crate::served::InProcess::start(app).await?;
    let base = served.base.clone();
    steps.say(format!(
        "lookup: serving A on {base}, {} phones sampled",
        phones.len()
    ));
    let measured = load_lookups(args, &base, &phones, &token, steps).await;
    // The client is gone with `load_lookups`, so the graceful stop has no
    // idle keep-alive connections to wait for.
    served.stop().await?;
    let (health, lookup) = measured?;

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rate = f64::from(args.rate);
    report
        .add("healthz_per_s", health.achieved, "req/s")
        .beside("asked", rate);
    report.add("healthz_p50_ms", ms(health.p50), "ms");
    report.add("healthz_p99_ms", ms(health.p99), "ms");
    report.add("healthz_max_ms", ms(health.max), "ms");
    report
        .add("healthz_errors", health.errors as f64, "")
        .target("none", health.errors == 0);
    report
        .add("lookup_per_s", lookup.achieved, "req/s")
        .beside("healthz", health.achieved)
        .target(
            format!("99% of {} asked", args.rate),
            lookup.achieved >= 0.99 * rate,
        );
    report
        .add("lookup_p50_ms", ms(lookup.p50), "ms")
        .beside("healthz", ms(health.p50));
    report
        .add("lookup_p99_ms", ms(lookup.p99), "ms")
        .beside("healthz", ms(health.p99))
        .target("under 2 ms at 5,000/s", ms(lookup.p99) < 2.0);
    report
        .add("lookup_max_ms", ms(lookup.max), "ms")
        .beside("healthz", ms(health.max));
    report
        .add("lookup_errors", lookup.errors as f64, "")
        .target("none", lookup.errors == 0);
    Ok(())
}

/// An owner's API token for the look-ups.
async fn bench_token(app: &App) -> anyhow::Result<String> {
    let actor = clientele_app::audit::ChangedBy::system("bench");
    app.ensure_built_in_roles().await?;
    let user = app
        .add_staff_user(
            clientele_app::staff::StaffUserInput {
                login: "bench".into(),
                name: None,
                role: "owner".into(),
                password: "correct horse battery staple".into(),
                stores: vec![],
            },
            &actor,
        )
        .await?;
    let (_, secret) = app.create_api_token(user.id, "bench", &actor).await?;
    Ok(secret.expose().to_owned())
}

/// What checking a bearer token costs a request: the database look-up by
/// the token's SHA-256 (one at a time, and eight at a time as on a busy
/// server) beside reading one row by its primary key through the same pool,
/// and the check as requests make it, mostly answered from the one-second
/// credential cache.
async fn auth_checks(
    app: &App,
    db: &dyn Database,
    token: &str,
    steps: &Steps,
    report: &mut Report,
) -> anyhow::Result<()> {
    const CHECKS: usize = 20_000;
    const CONCURRENT: usize = 8;
    let group = db.directory().default_customer_group().await?.id;
    let hash = clientele_app::staff::secret_hash(token);
    let pk_read = || async move {
        db.directory().customer_group(group).await?;
        anyhow::Ok(())
    };
    let lookup = || async move {
        db.staff().principal_by_secret(&hash).await?;
        anyhow::Ok(())
    };
    let check = || async move {
        app.authenticate(token).await?;
        anyhow::Ok(())
    };
    let lone_read = per_call(CHECKS, 1, pk_read).await?;
    let lone_lookup = per_call(CHECKS, 1, lookup).await?;
    let busy_read = per_call(CHECKS, CONCURRENT, pk_read).await?;
    let busy_lookup = per_call(CHECKS, CONCURRENT, lookup).await?;
    let cached = per_call(CHECKS, 1, check).await?;
    steps.say(format!(
        "auth: the token look-up takes {lone_lookup:.1} µs alone, {busy_lookup:.1} µs each {CONCURRENT} at a time \
         (a primary-key read: {lone_read:.1} / {busy_read:.1} µs); a check as requests make it: {cached:.2} µs"
    ));
    report
        .add("auth_lookup_alone_us", lone_lookup, "µs")
        .beside("pk_read_alone_us", lone_read);
    report
        .add("auth_lookup_busy_us", busy_lookup, "µs")
        .beside("pk_read_busy_us", busy_read);
    report
        .add("auth_check_us", cached, "µs")
        .beside("pk_read_alone_us", lone_read)
        .target("under 100 µs", cached < 100.0);
    Ok(())
}

/// Microseconds per call of `call`, made `calls` times, `concurrent` at once.
async fn per_call<F, Fut>(calls: usize, concurrent: usize, call: F) -> anyhow::Result<f64>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    use futures_util::StreamExt as _;
    let started = Instant::now();
    let mut results =
        futures_util::stream::iter((0..calls).map(|_| call())).buffer_unordered(concurrent);
    while let Some(result) = results.next().await {
        result?;
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / calls as f64)
}

/// Warms up, then loads `/healthz` and the phone lookups in turn.
async fn load_lookups(
    args: &CustomersArgs,
    base: &Url,
    phones: &[String],
    token: &str,
    steps: &Steps,
) -> anyhow::Result<(Load, Load)> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse()?,
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(10))
        .build()?;
    let mut urls = Vec::with_capacity(phones.len());
    for phone in phones {
        let mut url = base.join("api/v1/customers")?;
        // Form encoding: the `+` of an E.164 phone goes out as %2B.
        url.query_pairs_mut().append_pair("q", phone);
        urls.push(url);
    }
    let lookups = Arc::new(urls);
    let health = Arc::new(vec![base.join("healthz")?]);
    let duration = Duration::from_secs(args.seconds);
    let warmup = duration.min(Duration::from_secs(1));
    open_loop(&client, lookups.clone(), args.rate, warmup, Expect::OneItem).await?;
    steps.say(format!(
        "lookup: warmed up for {warmup:?}, now GET /healthz"
    ));
    let health = open_loop(&client, health, args.rate, duration, Expect::Ok).await?;
    steps.say(summary("healthz", &health));
    let lookup = open_loop(&client, lookups, args.rate, duration, Expect::OneItem).await?;
    steps.say(summary("lookup", &lookup));
    Ok((health, lookup))
}

fn summary(name: &str, load: &Load) -> String {
    format!(
        "{name}: {} requests, {} errors, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        load.requests,
        load.errors,
        load.achieved,
        load.p50.as_secs_f64() * 1000.0,
        load.p99.as_secs_f64() * 1000.0,
        load.max.as_secs_f64() * 1000.0
    )
}

/// Up to [`SAMPLE`] customers with a phone, in pages spread over the whole
/// id range so the lookups do not all land on neighbouring rows.
async fn sample_customers(
    db: &dyn Database,
    customers: u64,
) -> anyhow::Result<Vec<clientele_domain::Customer>> {
    const PAGES: u64 = 20;
    let per_page = u32::try_from(SAMPLE.min(customers).div_ceil(PAGES))?;
    let mut sampled = Vec::new();
    for page in 0..PAGES {
        let query = CustomerQuery {
            filter: CustomerFilter::default(),
            order: SortOrder::default(),
            limit: per_page,
            after: Some(Cursor::Id(i64::try_from(customers * page / PAGES)?)),
        };
        let found = db.list_customers(&query).await?.items;
        sampled.extend(found.into_iter().filter(|c| c.profile.phone.is_some()));
    }
    anyhow::ensure!(!sampled.is_empty(), "no demo customer has a phone");
    Ok(sampled)
}

async fn sample_phones(db: &dyn Database, customers: u64) -> anyhow::Result<Vec<String>> {
    Ok(sample_customers(db, customers)
        .await?
        .into_iter()
        .filter_map(|customer| customer.profile.phone.map(|p| p.as_str().to_owned()))
        .collect())
}

/// Times filtered, sorted first pages over A; answers each query's plan.
async fn lists(
    app: &App,
    db: &dyn Database,
    steps: &Steps,
    report: &mut Report,
) -> anyhow::Result<Vec<(String, String)>> {
    let group = db
        .directory()
        .customer_groups()
        .await?
        .into_iter()
        .find(|group| group.name == demo_groups()[0])
        .context("the first demo group is missing")?
        .id
        .to_string();
    let store = db
        .directory()
        .stores()
        .await?
        .into_iter()
        .find(|store| store.kind == StoreKind::Store)
        .context("no demo store")?
        .id
        .to_string();
    let sets = [
        (
            "list_female_25_45",
            vec![("gender", "female"), ("age_min", "25"), ("age_max", "45")],
            "-created_at",
        ),
        (
            "list_group_sms_store",
            vec![
                ("group_id", group.as_str()),
                ("consent_sms", "true"),
                ("store_id", store.as_str()),
            ],
            "name",
        ),
        (
            "list_birthday_active",
            vec![
                ("birthday_from", "12-25"),
                ("birthday_to", "01-05"),
                ("status", "active"),
            ],
            "-created_at",
        ),
        (
            "list_male_email_pet",
            vec![
                ("gender", "male"),
                ("consent_email", "true"),
                ("property_pet", "Собака"),
            ],
            "name",
        ),
    ];
    let mut plans = Vec::new();
    for (name, filter, sort) in sets {
        let described: Vec<String> = filter
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .chain([format!("sort={sort}")])
            .collect();
        let params = ListParams {
            limit: Some("50".into()),
            cursor: None,
            sort: Some(sort.into()),
            filter: filter
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
            scope: None,
            user: None,
        };
        let query = app.customer_query(&params).await?;
        for _ in 0..LIST_WARMUPS {
            db.list_customers(&query).await?;
        }
        let mut times = Vec::with_capacity(LIST_RUNS);
        let mut found = 0;
        for _ in 0..LIST_RUNS {
            let started = Instant::now();
            found = db.list_customers(&query).await?.items.len();
            times.push(started.elapsed());
        }
        times.sort_unstable();
        let p50 = percentile(&times, 0.50).as_secs_f64() * 1000.0;
        let p99 = percentile(&times, 0.99).as_secs_f64() * 1000.0;
        steps.say(format!(
            "{name}: {found} on the page, p50 {p50:.2} ms, p99 {p99:.2} ms"
        ));
        for (figure, value) in [("p50", p50), ("p99", p99)] {
            report
                .add(format!("{name}_{figure}_ms"), value, "ms")
                .beside("target", 50.0)
                .target("under 50 ms", value < 50.0);
        }
        let plan = db.explain_customer_list(&query).await?;
        plans.push((format!("{name}: {}", described.join(", ")), plan));
    }
    Ok(plans)
}
