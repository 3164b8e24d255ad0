//! `clientele-bench campaign`: a campaign to every demo customer queued,
//! then delivered by the outbox's worker into a real SMTP server on
//! loopback while tills commit receipts over HTTP at an offered rate;
//! beside the same tills with nothing else running, the audience read
//! alone, and the SMTP ceiling of `outbox`, all measured in the same run.

mod figures;
mod mail;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use clientele_app::App;
use clientele_app::audit::ChangedBy;
use clientele_app::outbox::{Messaging, Pace};
use clientele_app::progress::Silent;
use clientele_channels::sink::SmtpSink;
use clientele_channels::{Courier, Smtp};
use clientele_domain::campaign::CampaignInput;
use clientele_domain::template::TemplateInput;
use reqwest::Url;
use serde_json::json;

use figures::{Measured, figures};

use crate::pos::offered::Counter;
use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps, open_app_at};

#[derive(Debug, Args)]
pub struct CampaignArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// Demo customers, all of them the campaign's audience.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    customers: u64,
    /// How long the SMTP ceiling, the idle tills and the delivery each last.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Receipts a second the tills offer, idle and during the delivery.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    offered: u32,
    /// Tills sharing the offered receipts, each with its own key.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    tills: u32,
    /// Sends a second the worker makes at most (as `[messages]
    /// per_second`, whose default this is); 0: no limit.
    #[arg(long, default_value_t = 600)]
    per_second: u32,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

pub async fn campaign(args: CampaignArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench campaign: {}, {} customers, {} s, {} receipts/s offered over {} tills",
        args.engine.as_str(),
        args.customers,
        args.seconds,
        args.offered,
        args.tills
    );
    let params = json!({
        "engine": args.engine.as_str(),
        "customers": args.customers,
        "seconds": args.seconds,
        "offered": args.offered,
        "tills": args.tills,
        "per_second": args.per_second,
    });
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

/// The tills' side of the run: the shop, its clients, the server's address.
async fn run(args: &CampaignArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let seconds = Duration::from_secs(args.seconds);
    let mut report = Report::default();
    let sink = SmtpSink::start_counting();
    let courier: Arc<dyn Courier> = Arc::new(Smtp::new(&sink.settings())?);

    steps.say(format!(
        "ceiling: e-mails straight to the server, {} at once, for {seconds:?}",
        mail::AT_ONCE
    ));
    let ceiling = mail::ceiling(&courier, seconds).await?;
    steps.say(format!("ceiling: {ceiling:.0} e-mails/s"));

    steps.say(format!(
        "setup: {} demo customers, a bonus program, {} tills",
        args.customers, args.tills
    ));
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let url = scratch.database().await?;
    let (app, db) = open_app_at(&url, &clock).await?;
    let started = Instant::now();
    let seeded = app.seed_demo(args.customers, &Silent).await?;
    steps.say(format!(
        "setup: {} customers written in {:.1} s",
        seeded.customers,
        started.elapsed().as_secs_f64()
    ));
    let shop = crate::pos::setup(&app, db.as_ref(), args.tills, args.customers).await?;
    steps.say(format!(
        "setup: {} customers sampled for the tills, each given points",
        shop.customers.len()
    ));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
    let app = app.with_messaging(Messaging {
        email: Some(courier),
        daytime: None,
        caps: Default::default(),
        cascade_after: None,
        public_url: base.to_string(),
        pace: Pace::per_second(args.per_second),
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(clientele_http::serve(listener, app.clone(), async move {
        let _ = stopped.await;
    }));
    let counter = Counter::new(shop, base)?;
    let measured = phases(args, &app, db.as_ref(), &counter, &sink, &steps).await;
    // The tills' clients go first, so the graceful stop has no idle
    // keep-alive connections to wait for.
    drop(counter);
    let _ = stop.send(());
    server.await?.context("the server failed")?;
    let measured = measured?;
    figures(args, &mut report, &measured, ceiling);
    steps.say("done");
    Ok(report)
}

async fn phases(
    args: &CampaignArgs,
    app: &App,
    db: &dyn clientele_store::Database,
    counter: &Counter,
    sink: &SmtpSink,
    steps: &Steps,
) -> anyhow::Result<Measured> {
    let seconds = Duration::from_secs(args.seconds);
    let rate = args.offered;
    // Warm the connections and the server's caches.
    counter.play(("W", 1), rate, Duration::from_secs(1)).await?;
    steps.say(format!(
        "idle: {rate} receipts/s over {} tills for {seconds:?}, nothing else running",
        args.tills
    ));
    let idle = counter.play(("I", 2), rate, seconds).await?;
    steps.say(format!("idle: {}", idle.summary()));
    failures(steps, &idle.failures);

    let by = ChangedBy::system("bench");
    let template = app
        .create_template(
            TemplateInput {
                name: "Зимняя распродажа".into(),
                locale: "ru".into(),
                subject: Some("{{first_name}}, скидки до 30%".into()),
                body: "Здравствуйте, {{first_name}}!\nУ вас {{balance}} баллов: \
                       потратьте их со скидкой до 30% до конца недели.\n"
                    .into(),
                html: Some(
                    "<p>Здравствуйте, {{first_name}}!</p>\
                     <p>У вас <b>{{balance}}</b> баллов: потратьте их со скидкой до 30%.</p>"
                        .into(),
                ),
            },
            &by,
        )
        .await?;
    let started = Instant::now();
    let campaign = app
        .create_campaign(
            CampaignInput {
                name: "Зимняя распродажа".into(),
                template_id: Some(template.id),
                channels: vec!["email".into()],
                cancel_window_mins: Some(0),
                ..CampaignInput::default()
            },
            &by,
        )
        .await?;
    let create_s = started.elapsed().as_secs_f64();
    steps.say(format!(
        "campaign: made in {create_s:.2} s (its audience counted)"
    ));

    let started = Instant::now();
    let audience = db.campaigns().campaign_audience(None, None).await?;
    let audience_read_s = started.elapsed().as_secs_f64();
    steps.say(format!(
        "audience: {} customers read alone in {audience_read_s:.2} s",
        audience.len()
    ));
    drop(audience);

    steps.say("queue: queue_due_campaigns");
    let times = mail::QueueTimes::new(steps);
    let started = Instant::now();
    let queued = app.queue_due_campaigns(&times).await?;
    let queued_s = started.elapsed().as_secs_f64();
    let marks = times.marks();
    steps.say(format!("queue: {queued} messages in {queued_s:.2} s"));

    // The same tills again, the million messages waiting and the worker
    // off: what the delivery is judged against is this shop as it is now.
    steps.say(format!(
        "queued: {rate} receipts/s over {} tills for {seconds:?}, the worker off",
        args.tills
    ));
    let queued_idle = counter.play(("Q", 4), rate, seconds).await?;
    steps.say(format!("queued: {}", queued_idle.summary()));
    failures(steps, &queued_idle.failures);

    steps.say(format!(
        "deliver: the worker's rounds for {seconds:?}, and {rate} receipts/s over {} tills",
        args.tills
    ));
    let before = sink.counted().len();
    let worker = tokio::spawn(mail::work(app.clone(), seconds));
    let busy = counter.play(("D", 3), rate, seconds).await;
    let worked = worker.await??;
    let received = sink.counted().len() - before;
    let busy = busy?;
    steps.say(format!(
        "deliver: {} rounds, {} claimed, {} sent, {} stopped, {} held, {} retried, \
         the server took {received}, in {:.2} s",
        worked.rounds,
        worked.report.claimed,
        worked.report.sent,
        worked.report.stopped,
        worked.report.held,
        worked.report.retried,
        worked.elapsed.as_secs_f64()
    ));
    steps.say(format!("deliver: tills {}", busy.summary()));
    failures(steps, &busy.failures);

    let view = app.campaign(campaign.id, &by).await?;
    let counts = view.counts;
    steps.say(format!(
        "campaign: by state {:?}; stopped by reason {:?}",
        counts.by_state, counts.by_reason
    ));
    Ok(Measured {
        idle,
        queued_idle,
        busy,
        create_s,
        audience_read_s,
        queued_s,
        queued,
        marks,
        worked,
        received,
        counts,
    })
}

fn failures(steps: &Steps, failures: &std::collections::BTreeMap<String, u64>) {
    for (what, count) in failures {
        steps.say(format!("  failed {count}×: {what}"));
    }
}
