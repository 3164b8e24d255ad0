//! `clientele-bench pos`: many tills over HTTP (identify, calculate, commit,
//! some returns), then receipts at an offered rate, beside two ceilings
//! measured in the same run: bare SQL doing a receipt's reads and writes
//! from as many connections as tills, and the bare commits alone.

pub(crate) mod offered;
mod offers;
pub(crate) mod till;

use clientele_domain::posting::LotTerms;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use clientele_app::App;
use clientele_app::progress::Silent;
use clientele_domain::{Customer, ProgramKind, ProgramRules, StoreKind};
use clientele_store::PointsAdjustment;
use reqwest::Url;
use serde_json::json;

use crate::load::percentile;
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps, open_app_at, pos_ceiling, sample_customers};
use till::{Dice, Flow, basket, post};

#[derive(Debug, Args)]
pub struct PosArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// Tills playing at once, each with its own key.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1000))]
    tills: u32,
    /// How long the tills play (the calculate-only phase and the bare-commit
    /// ceiling take a quarter of this each; the offered rate and the fair
    /// ceiling half).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Demo customers in the base before the tills start.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    customers: u64,
    /// Demo receipts of the last year in the base before the tills start
    /// (about ten lines each), to see that a commit's cost does not grow.
    #[arg(long, default_value_t = 0)]
    receipts: u64,
    /// Receipts a second offered in the open-loop phase.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..))]
    offered: u32,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

pub async fn pos(args: PosArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench pos: {}, {} tills, {} customers, {} receipts, {} s, {} receipts/s offered",
        args.engine.as_str(),
        args.tills,
        args.customers,
        args.receipts,
        args.seconds,
        args.offered
    );
    let params = json!({
        "engine": args.engine.as_str(),
        "tills": args.tills,
        "customers": args.customers,
        "receipts": args.receipts,
        "seconds": args.seconds,
        "offered": args.offered,
    });
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

/// What the tills did over HTTP.
struct Played {
    calculate: Phase,
    flow: Phase,
    offered: offered::Offered,
    /// The calculate phase again, with fifty offers running.
    calculate_offers: Phase,
}

async fn run(args: &PosArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let seconds = Duration::from_secs(args.seconds);
    let quarter = seconds.div_f64(4.0).max(Duration::from_secs(1));
    let half = seconds.div_f64(2.0).max(Duration::from_secs(1));

    steps.say(format!(
        "bare commits: the rows of a receipt for {quarter:?}, {}",
        match args.engine {
            Engine::Sqlite => format!("{} per durable transaction", pos_ceiling::GROUP),
            Engine::Postgres => format!("{} clients, one transaction each", args.tills),
        }
    ));
    let bare = pos_ceiling::receipts_per_s(args.engine, scratch, args.tills, quarter).await?;
    steps.say(format!("bare commits: {bare:.0} receipts/s"));

    steps.say(format!(
        "setup: {} demo customers, a bonus program, {} tills",
        args.customers, args.tills
    ));
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let url = scratch.database().await?;
    let (app, db) = open_app_at(&url, &clock).await?;
    app.seed_demo(args.customers, &Silent).await?;
    if args.receipts > 0 {
        let history = app.seed_demo_receipts(args.receipts, &Silent).await?;
        steps.say(format!(
            "setup: {} demo receipts with {} lines",
            history.receipts, history.lines
        ));
    }
    let shop = setup(&app, db.as_ref(), args.tills, args.customers).await?;
    steps.say(format!(
        "setup: {} customers sampled, each given points",
        shop.customers.len()
    ));

    let served = crate::served::InProcess::start(&app).await?;
    let base = served.base.clone();
    let shop = Arc::new(shop);
    let measured = match play(args, &base, &shop, &steps).await {
        Ok(played) => with_offers(args, &app, &base, &shop, &steps, played).await,
        failed => failed,
    };
    served.stop().await?;
    let played = measured?;

    // After the tills, on the same base, so the ceiling reads what they read.
    steps.say(format!(
        "ceiling: bare SQL, a receipt's reads and writes from {} connections for {half:?}{}",
        args.tills,
        match args.engine {
            Engine::Sqlite => ", writes grouped by one writer",
            Engine::Postgres => "",
        }
    ));
    let shoppers = shop
        .customers
        .iter()
        .map(|c| pos_ceiling::fair::Shopper {
            id: c.id.0,
            phone: c
                .profile
                .phone
                .as_ref()
                .map_or("", |p| p.as_str())
                .to_owned(),
        })
        .collect();
    let ceiling =
        pos_ceiling::fair::receipts_per_s(args.engine, &url, Arc::new(shoppers), args.tills, half)
            .await?;
    steps.say(format!("ceiling: {ceiling:.0} receipts/s"));

    let mut report = Report::default();
    figures(args, &mut report, &played, ceiling, bare);
    steps.say("done");
    Ok(report)
}

fn figures(args: &PosArgs, report: &mut Report, played: &Played, ceiling: f64, bare: f64) {
    let Played {
        calculate,
        flow,
        offered,
        calculate_offers,
    } = played;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let sqlite = args.engine == Engine::Sqlite;
    let per_s = report.add("calculate_per_s", calculate.per_s, "req/s");
    if sqlite {
        per_s.target("at least 15,000/s", calculate.per_s >= 15_000.0);
    }
    report.add("calculate_p50_ms", ms(calculate.p50), "ms");
    let p99 = report.add("calculate_p99_ms", ms(calculate.p99), "ms");
    if sqlite {
        p99.target("under 5 ms", ms(calculate.p99) < 5.0);
    }
    report
        .add(
            format!("calculate_{}_offers_per_s", offers::OFFERS),
            calculate_offers.per_s,
            "req/s",
        )
        .beside("calculate_per_s", calculate.per_s)
        .target(
            "at least 0.8 × calculate without offers",
            calculate_offers.per_s >= 0.8 * calculate.per_s,
        );
    report.add(
        format!("calculate_{}_offers_p99_ms", offers::OFFERS),
        ms(calculate_offers.p99),
        "ms",
    );
    report
        .add("commits_per_s", flow.per_s, "req/s")
        .beside("ceiling_commits_per_s", ceiling)
        .target(
            format!("at least 0.8 × the ceiling with {} tills", args.tills),
            flow.per_s >= 0.8 * ceiling,
        );
    report.add("ceiling_commits_per_s", ceiling, "req/s");
    report
        .add("bare_commits_per_s", bare, "req/s")
        .beside("ceiling_commits_per_s", ceiling);
    report.add("p50_ms", ms(flow.p50), "ms");
    let p99_target = if sqlite { 20.0 } else { 30.0 };
    report.add("p99_ms", ms(flow.p99), "ms").target(
        format!("commit p99 under {p99_target} ms"),
        ms(flow.p99) < p99_target,
    );
    report.add("commit_max_ms", ms(flow.max), "ms");
    report.add("receipts_committed", flow.count as f64, "");
    report.add("returns", flow.returns as f64, "");
    report
        .add("refused_payments", flow.refused as f64, "")
        .target("409 only when points ran out", true);
    let rate = args.offered;
    let load = &offered.load;
    report
        .add(format!("offered_{rate}_per_s"), load.achieved, "req/s")
        .beside("offered", f64::from(rate))
        .target(
            format!("99% of {rate} offered"),
            load.achieved >= 0.99 * f64::from(rate),
        );
    report.add(format!("offered_{rate}_p50_ms"), ms(load.p50), "ms");
    report
        .add(format!("offered_{rate}_p99_ms"), ms(load.p99), "ms")
        .target("under 15 ms, from the scheduled time", ms(load.p99) < 15.0);
    report.add(format!("offered_{rate}_max_ms"), ms(load.max), "ms");
    report.add(
        format!("offered_{rate}_refused"),
        offered.refused as f64,
        "",
    );
    let errors = flow.errors + calculate.errors + load.errors + calculate_offers.errors;
    report
        .add("errors", errors as f64, "")
        .target("none", errors == 0);
}

pub(crate) struct Shop {
    pub(crate) keys: Vec<String>,
    pub(crate) customers: Vec<Customer>,
}

/// A store, a bonus program, till keys, and points for the sampled customers.
pub(crate) async fn setup(
    app: &App,
    db: &dyn clientele_store::Database,
    tills: u32,
    customers: u64,
) -> anyhow::Result<Shop> {
    let by = clientele_app::audit::ChangedBy::system("bench");
    app.ensure_built_in_roles().await?;
    let store = app
        .create_store(
            clientele_domain::StoreInput {
                code: "BENCH".into(),
                name: "Касса бенчмарка".into(),
                kind: Some(StoreKind::Store.as_str().into()),
                parent_id: None,
                address: None,
                time_zone: None,
            },
            &by,
        )
        .await?;
    let rules = ProgramRules {
        kind: ProgramKind::Bonus,
        earn_rate_bp: 500,
        max_payable_share_bp: 5000,
        discount_bp: 0,
        excluded_categories: vec!["tobacco".into()],
        excluded_skus: vec![],
        min_price_minor: 100,
        accrual_delay_days: 0,
        expiry_days: 365,
        tier_period_days: 0,
        birthday_points: 0,
        birthday_days_before: 0,
        birthday_message: String::new(),
        referral_points: 0,
    };
    app.create_program("Бонусы", rules, true, &by).await?;
    let mut keys = Vec::new();
    for n in 0..tills {
        let (_, key) = app.add_till(store.id, &format!("Касса {n}"), &by).await?;
        keys.push(key.expose().to_owned());
    }
    // Blocked customers are refused at the till, merged ones live on in another.
    let mut customers = sample_customers(db, customers).await?;
    customers.retain(|c| !c.profile.blocked && c.merged_into.is_none());
    let author = app
        .add_staff_user(
            clientele_app::staff::StaffUserInput {
                login: "bench".into(),
                name: None,
                role: "owner".into(),
                password: "correct horse battery staple".into(),
                stores: vec![],
            },
            &by,
        )
        .await?
        .id;
    let now = app.clock().now();
    for chunk in customers.chunks(1000) {
        db.adjust_points(&PointsAdjustment {
            customer_ids: chunk.iter().map(|c| c.id).collect(),
            points: 50_000,
            comment: "bench".into(),
            message: None,
            kind: clientele_domain::posting::LedgerKind::Manual,
            author: Some(author),
            lot: LotTerms {
                usable_from: now,
                expires_at: None,
            },
            at: now,
        })
        .await?;
    }
    Ok(Shop { keys, customers })
}

#[derive(Debug, Default)]
struct Phase {
    per_s: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    count: u64,
    returns: u64,
    refused: u64,
    errors: u64,
    failures: std::collections::BTreeMap<String, u64>,
}

/// What one till did in a phase.
#[derive(Default)]
struct TillLog {
    latencies: Vec<Duration>,
    returns: u64,
    refused: u64,
    errors: u64,
    /// `step status` of each failure, counted.
    failures: std::collections::BTreeMap<String, u64>,
}

impl TillLog {
    fn failed(&mut self, flow: Flow) {
        if let Flow::Failed(what) = flow {
            self.errors += 1;
            *self.failures.entry(what).or_default() += 1;
        }
    }
}

/// The calculate-only phase, the tills' full flow, then receipts at the
/// offered rate.
async fn play(
    args: &PosArgs,
    base: &Url,
    shop: &Arc<Shop>,
    steps: &Steps,
) -> anyhow::Result<Played> {
    let seconds = Duration::from_secs(args.seconds);
    let quarter = seconds.div_f64(4.0).max(Duration::from_secs(1));
    let half = seconds.div_f64(2.0).max(Duration::from_secs(1));
    let clients: Vec<reqwest::Client> = shop
        .keys
        .iter()
        .map(|k| till::client(k))
        .collect::<anyhow::Result<_>>()?;
    // Warm the connections and the server's caches.
    tills(&clients, base, shop, Duration::from_secs(1), false).await?;
    steps.say(format!("calculate: {} tills for {quarter:?}", args.tills));
    let calculate = tills(&clients, base, shop, quarter, false).await?;
    steps.say(format!(
        "calculate: {:.0}/s, p99 {:.2} ms",
        calculate.per_s,
        calculate.p99.as_secs_f64() * 1e3
    ));
    steps.say(format!(
        "flow: {} tills identify, calculate, commit (a return every tenth) for {seconds:?}",
        args.tills
    ));
    let flow = tills(&clients, base, shop, seconds, true).await?;
    steps.say(format!(
        "flow: {} receipts, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
        flow.count,
        flow.per_s,
        flow.p50.as_secs_f64() * 1e3,
        flow.p99.as_secs_f64() * 1e3
    ));
    failures(steps, &flow.failures);
    steps.say(format!(
        "offered: {} receipts/s (identify, calculate, commit) over {} tills for {half:?}",
        args.offered, args.tills
    ));
    // Far from the closed loop's sequences, so other customers.
    let phase = offered::Phase {
        prefix: "O",
        dice_from: 1_000_000,
    };
    let offered = offered::receipts(&clients, base, shop, phase, args.offered, half).await?;
    let load = &offered.load;
    steps.say(format!(
        "offered: {} receipts, {:.0}/s answered, p50 {:.2} ms, p99 {:.2} ms from the scheduled time",
        load.requests,
        load.achieved,
        load.p50.as_secs_f64() * 1e3,
        load.p99.as_secs_f64() * 1e3
    ));
    failures(steps, &offered.failures);
    Ok(Played {
        calculate,
        flow,
        offered,
        calculate_offers: Phase::default(),
    })
}

/// The calculate phase again, once fifty offers run.
async fn with_offers(
    args: &PosArgs,
    app: &App,
    base: &Url,
    shop: &Arc<Shop>,
    steps: &Steps,
    played: Played,
) -> anyhow::Result<Played> {
    let quarter = Duration::from_secs(args.seconds)
        .div_f64(4.0)
        .max(Duration::from_secs(1));
    offers::make(app, &shop.customers).await?;
    let clients: Vec<reqwest::Client> = shop
        .keys
        .iter()
        .map(|k| till::client(k))
        .collect::<anyhow::Result<_>>()?;
    tills(&clients, base, shop, Duration::from_secs(1), false).await?;
    steps.say(format!(
        "calculate with {} offers: {} tills for {quarter:?}",
        offers::OFFERS,
        args.tills
    ));
    let calculate_offers = tills(&clients, base, shop, quarter, false).await?;
    steps.say(format!(
        "calculate with {} offers: {:.0}/s, p99 {:.2} ms",
        offers::OFFERS,
        calculate_offers.per_s,
        calculate_offers.p99.as_secs_f64() * 1e3
    ));
    failures(steps, &calculate_offers.failures);
    Ok(Played {
        calculate_offers,
        ..played
    })
}

fn failures(steps: &Steps, failures: &std::collections::BTreeMap<String, u64>) {
    for (what, count) in failures {
        steps.say(format!("  failed {count}×: {what}"));
    }
}

/// Every till plays until `duration` is over: calculates only, or the
/// full flow, timing the calculate or the commit.
async fn tills(
    clients: &[reqwest::Client],
    base: &Url,
    shop: &Arc<Shop>,
    duration: Duration,
    commit: bool,
) -> anyhow::Result<Phase> {
    static RECEIPTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(n, client)| {
            let (client, base, shop) = (client.clone(), base.clone(), shop.clone());
            tokio::spawn(async move {
                let mut dice = Dice::nth(n as u64);
                let mut log = TillLog::default();
                let mut last_receipt: Option<String> = None;
                while Instant::now() < end {
                    let customer = &shop.customers[dice.roll(shop.customers.len() as u64) as usize];
                    if !commit {
                        let body = json!({"customer_id": customer.id.0, "lines": basket(&mut dice), "points_to_pay": 0});
                        let sent = Instant::now();
                        let calculated = post(&client, &base, "api/v1/pos/calculate", &body).await;
                        log.latencies.push(sent.elapsed());
                        if !matches!(calculated, Ok((200, _))) {
                            log.failed(till::failure("calculate", &calculated));
                        }
                        continue;
                    }
                    let id = format!("B-{}", RECEIPTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
                    let (flow, took) = till::receipt(&client, &base, customer, &mut dice, &id).await;
                    log.latencies.extend(took);
                    let stored = matches!(flow, Flow::Committed);
                    match flow {
                        Flow::Committed => {}
                        Flow::Refused => log.refused += 1,
                        failed => log.failed(failed),
                    }
                    if dice.roll(10) == 0
                        && let Some(previous) = last_receipt.take()
                    {
                        let path = format!("api/v1/pos/receipts/{previous}/returns");
                        let returned = post(&client, &base, &path, &json!({"return_id": format!("{previous}-R")})).await;
                        match returned {
                            Ok((201, _)) => log.returns += 1,
                            _ => log.failed(till::failure("return", &returned)),
                        }
                    }
                    // A refused receipt was never stored: there is nothing to return.
                    if stored {
                        last_receipt = Some(id);
                    }
                }
                log
            })
        })
        .collect();
    let mut phase = Phase::default();
    let mut latencies = Vec::new();
    for task in tasks {
        let log = task.await?;
        latencies.extend(log.latencies);
        phase.returns += log.returns;
        phase.refused += log.refused;
        phase.errors += log.errors;
        for (what, count) in log.failures {
            *phase.failures.entry(what).or_default() += count;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    phase.count = latencies.len() as u64;
    phase.per_s = phase.count as f64 / elapsed;
    phase.p50 = percentile(&latencies, 0.50);
    phase.p99 = percentile(&latencies, 0.99);
    phase.max = latencies.last().copied().unwrap_or_default();
    Ok(phase)
}
