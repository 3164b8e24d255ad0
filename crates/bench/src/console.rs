//! `clientele-bench console`: every console page rendered by the server for a
//! signed-in owner, over a base of demo customers with a year of receipts,
//! timed one request at a time; and the script each page ships.

use std::time::{Duration, Instant};

use clap::Args;
use clientele_app::App;
use clientele_app::progress::Silent;
use clientele_app::staff::StaffUserInput;
use reqwest::Url;
use serde_json::json;

use crate::load::percentile;
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps, open_app, sample_customers};

#[derive(Debug, Args)]
pub struct ConsoleArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// Demo customers in the base.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    customers: u64,
    /// Demo receipts of the last year in the base (about ten lines each).
    #[arg(long, default_value_t = 1_000_000)]
    receipts: u64,
    /// Timed requests of each page (after three untimed ones).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

/// The target: every page rendered in under this.
const PAGE_MS: f64 = 100.0;
/// The most script one page may ship.
const SCRIPT_BYTES: f64 = 300.0 * 1024.0;
const WARMUPS: u32 = 3;
const PASSWORD: &str = "correct horse battery staple";

pub async fn console(args: ConsoleArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench console: {}, {} customers, {} receipts, {} runs a page",
        args.engine.as_str(),
        args.customers,
        args.receipts,
        args.runs
    );
    let params = json!({
        "engine": args.engine.as_str(),
        "customers": args.customers,
        "receipts": args.receipts,
        "runs": args.runs,
    });
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

async fn run(args: &ConsoleArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    steps.say(format!(
        "setup: {} demo customers, {} receipts",
        args.customers, args.receipts
    ));
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let (app, db) = open_app(scratch, &clock).await?;
    app.seed_demo(args.customers, &Silent).await?;
    if args.receipts > 0 {
        let history = app.seed_demo_receipts(args.receipts, &Silent).await?;
        steps.say(format!(
            "setup: {} receipts with {} lines",
            history.receipts, history.lines
        ));
    }
    let cookie = sign_in(&app).await?;
    let pages = pages(&app, db.as_ref(), args.customers).await?;

    let served = crate::served::InProcess::start(&app).await?;
    let base = served.base.clone();
    let measured = measure(args, &base, &cookie, &pages, &steps).await;
    served.stop().await?;
    let measured = measured?;
    let counting = count_figures(&app, &steps).await?;

    let mut report = Report::default();
    let mut slowest: f64 = 0.0;
    let mut most_script: f64 = 0.0;
    for page in &measured {
        let p99 = ms(page.p99);
        slowest = slowest.max(p99);
        most_script = most_script.max(page.script_bytes as f64);
        report.add(format!("{}_p50_ms", page.name), ms(page.p50), "ms");
        report
            .add(format!("{}_p99_ms", page.name), p99, "ms")
            .target("under 100 ms", p99 < PAGE_MS);
    }
    report
        .add("slowest_page_p99_ms", slowest, "ms")
        .target("every page under 100 ms", slowest < PAGE_MS);
    report
        .add("most_script_kb", most_script / 1024.0, "KB")
        .target("at most 300 KB a page", most_script <= SCRIPT_BYTES);
    // Off the page's path: counted in the background once a minute.
    report.add("home_figures_count_ms", ms(counting), "ms");
    steps.say("done");
    Ok(report)
}

/// How long the home page's figures take to count afresh (the slowest of a
/// few counts); the page itself shows the last ones counted.
async fn count_figures(app: &App, steps: &Steps) -> anyhow::Result<Duration> {
    let mut slowest = Duration::ZERO;
    for _ in 0..FIGURE_COUNTS {
        let started = Instant::now();
        app.count_home_figures(None).await?;
        slowest = slowest.max(started.elapsed());
    }
    steps.say(format!(
        "home figures counted afresh in at most {:.0} ms",
        ms(slowest)
    ));
    Ok(slowest)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// An owner signed in as a browser is: the session cookie.
async fn sign_in(app: &App) -> anyhow::Result<String> {
    let by = clientele_app::audit::ChangedBy::system("bench");
    app.ensure_built_in_roles().await?;
    app.add_staff_user(
        StaffUserInput {
            login: "bench".into(),
            name: None,
            role: "owner".into(),
            password: PASSWORD.into(),
            stores: vec![],
        },
        &by,
    )
    .await?;
    let signed = app.sign_in("bench", PASSWORD, "127.0.0.1").await?;
    Ok(format!("clientele_session={}", signed.secret.expose()))
}

/// Each page by name with the paths it is timed on (taken in turn).
async fn pages(
    app: &App,
    db: &dyn clientele_store::Database,
    customers: u64,
) -> anyhow::Result<Vec<(&'static str, Vec<String>)>> {
    let sampled = sample_customers(db, customers).await?;
    let people: Vec<String> = sampled
        .iter()
        .take(50)
        .map(|c| format!("customers/{}", c.id.0))
        .collect();
    let edits: Vec<String> = people.iter().map(|p| format!("{p}/edit")).collect();
    let quick_looks: Vec<String> = people.iter().map(|p| format!("{p}/quick")).collect();
    // A receipt opened from a customer's page: the newest of each sampled
    // customer who bought something.
    let by = clientele_app::audit::ChangedBy::system("bench");
    let mut receipts = Vec::new();
    for customer in sampled.iter().take(200) {
        let history = app.history(customer.id, &by).await?;
        if let Some(purchase) = history.purchases.first() {
            receipts.push(format!(
                "customers/{}/receipts/{}",
                customer.id.0, purchase.key.0
            ));
        }
        if receipts.len() == 50 {
            break;
        }
    }
    let partial_phones: Vec<String> = sampled
        .iter()
        .take(50)
        .filter_map(|c| c.profile.phone.as_ref())
        .map(|p| format!("customers?q={}", &p.digits()[3..8]))
        .collect();
    let names: Vec<String> = sampled
        .iter()
        .take(50)
        .filter_map(|c| c.profile.name.split_whitespace().next())
        .map(|name| format!("customers?q={name}"))
        .collect();
    // The first name and patronymic, in that order ("Мария Петровна").
    let name_words: Vec<String> = sampled
        .iter()
        .take(50)
        .filter_map(|c| {
            let words: Vec<&str> = c.profile.name.split_whitespace().collect();
            (words.len() >= 3).then(|| format!("customers?q={}+{}", words[1], words[2]))
        })
        .collect();
    // The starts of the first name and the surname ("Мар Ива").
    let name_starts: Vec<String> = sampled
        .iter()
        .take(50)
        .filter_map(|c| {
            let words: Vec<String> = c
                .profile
                .name
                .split_whitespace()
                .map(|w| w.chars().take(3).collect())
                .collect();
            (words.len() >= 2).then(|| format!("customers?q={}+{}", words[1], words[0]))
        })
        .collect();
    let mut pages = vec![
        ("home", vec![String::new()]),
        ("customers", vec!["customers".into()]),
        ("customers_by_part_of_phone", partial_phones),
        ("customers_by_name", names),
        ("customers_by_name_words", name_words),
        ("customers_by_name_starts", name_starts),
        (
            "customers_filtered",
            vec!["customers?gender=female&age_min=30&age_max=40&sort=name".into()],
        ),
        (
            "customers_birthdays",
            vec!["customers?birthday_from=12-25&birthday_to=01-05&status=active".into()],
        ),
        // The customers' figures: sorted both ways, and the filters of a
        // win-back list (the console reads money in roubles, balances in
        // points).
        (
            "customers_by_spent",
            vec!["customers?sort=-spent_minor".into()],
        ),
        (
            "customers_by_spent_asc",
            vec!["customers?sort=spent_minor".into()],
        ),
        (
            "customers_by_last_buy",
            vec!["customers?sort=-last_purchase_at".into()],
        ),
        (
            "customers_by_last_buy_asc",
            vec!["customers?sort=last_purchase_at".into()],
        ),
        (
            "customers_spent_min",
            vec!["customers?spent_min=5000&sort=-spent_minor".into()],
        ),
        (
            "customers_no_purchase_days",
            vec!["customers?no_purchase_days=90".into()],
        ),
        (
            "customers_win_back",
            vec!["customers?spent_min=1000&no_purchase_days=60&sort=-spent_minor".into()],
        ),
        (
            "customers_purchases_balance",
            vec!["customers?purchases_min=3&purchases_max=10&balance_min=100".into()],
        ),
        (
            "customers_last_buy_between",
            vec![format!(
                "customers?last_purchase_from={}&last_purchase_to={}",
                app.clock()
                    .today()
                    .saturating_sub(jiff::Span::new().days(60)),
                app.clock()
                    .today()
                    .saturating_sub(jiff::Span::new().days(30))
            )],
        ),
        ("birthdays", vec!["birthdays?day=15".into()]),
        ("customer", people),
        ("customer_edit", edits),
        ("customer_quick_look", quick_looks),
        (
            "customers_favourites",
            vec!["customers?favourite=true&sort=name".into()],
        ),
        ("customer_new", vec!["customers/new".into()]),
        ("settings", vec!["settings".into()]),
        ("settings_groups", vec!["settings/groups".into()]),
        ("settings_stores", vec!["settings/stores".into()]),
        ("settings_store_new", vec!["settings/stores/new".into()]),
        ("settings_properties", vec!["settings/properties".into()]),
        ("settings_staff", vec!["settings/staff".into()]),
        ("settings_staff_new", vec!["settings/staff/new".into()]),
        ("settings_tills", vec!["settings/tills".into()]),
        // Programs settings
        ("settings_programs", vec!["settings/programs".into()]),
        (
            "settings_program_preview",
            vec![format!(
                "settings/programs/{}?name_1=Coffee&price_1=1500&quantity_1=2&spent=20000",
                app.programs().await?.first().map_or(0, |p| p.id.0)
            )],
        ),
        ("settings_cards", vec!["settings/cards".into()]),
        (
            "settings_certificates",
            vec!["settings/certificates".into()],
        ),
        ("import", vec!["import".into()]),
    ];
    // Only a run with receipts has any to open (`--receipts 0` has none).
    if !receipts.is_empty() {
        pages.push(("customer_receipt", receipts));
    }
    Ok(pages)
}

/// Fresh counts of the home figures timed.
const FIGURE_COUNTS: u32 = 5;

struct Measured {
    name: &'static str,
    p50: Duration,
    p99: Duration,
    script_bytes: usize,
}

async fn measure(
    args: &ConsoleArgs,
    base: &Url,
    cookie: &str,
    pages: &[(&'static str, Vec<String>)],
    steps: &Steps,
) -> anyhow::Result<Vec<Measured>> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let mut measured = Vec::new();
    for (name, paths) in pages {
        anyhow::ensure!(!paths.is_empty(), "no path to time for {name}");
        let html = get(&client, base, cookie, &paths[0]).await?;
        let mut script_bytes = 0;
        for script in scripts(&html) {
            script_bytes += get(&client, base, cookie, script.trim_start_matches('/'))
                .await?
                .len();
        }
        let mut times = Vec::new();
        for run in 0..WARMUPS + args.runs {
            let path = &paths[run as usize % paths.len()];
            let sent = Instant::now();
            get(&client, base, cookie, path).await?;
            if run >= WARMUPS {
                times.push(sent.elapsed());
            }
        }
        times.sort();
        let page = Measured {
            name,
            p50: percentile(&times, 0.50),
            p99: percentile(&times, 0.99),
            script_bytes,
        };
        steps.say(format!(
            "{name}: p50 {:.1} ms, p99 {:.1} ms, script {} KB",
            ms(page.p50),
            ms(page.p99),
            page.script_bytes / 1024
        ));
        measured.push(page);
    }
    Ok(measured)
}

/// A page (or file) as the signed-in browser gets it.
async fn get(
    client: &reqwest::Client,
    base: &Url,
    cookie: &str,
    path: &str,
) -> anyhow::Result<String> {
    let response = client
        .get(base.join(path)?)
        .header("cookie", cookie)
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 200,
        "{path} answered {}",
        response.status()
    );
    Ok(response.text().await?)
}

/// The scripts a page loads: its `<script src="…">`.
fn scripts(html: &str) -> Vec<&str> {
    html.split("<script src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}
