//! `clientele-bench outbox`: messages queued for demo customers with an
//! e-mail, then delivered by the outbox's worker into a real SMTP server on
//! loopback (aiosmtpd), beside a ceiling measured in the same run: the same
//! number of e-mails sent straight to that server by the same courier, as
//! many at once as the worker sends.

use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use clientele_app::outbox::{Messaging, Pace};
use clientele_app::progress::Silent;
use clientele_channels::sink::SmtpSink;
use clientele_channels::{Courier, Envelope, Smtp};
use clientele_domain::message::{Channel, MessageSource};
use clientele_domain::{CustomerFilter, SortOrder};
use clientele_store::{Cursor, CustomerQuery, Database, MessageDraft, NewMessage};
use futures_util::StreamExt;
use serde_json::json;

use crate::report::Report;
use crate::scratch::{Scratch, measure_in_scratch};
use crate::{Engine, Steps, open_app_at};

#[derive(Debug, Args)]
pub struct OutboxArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    /// Messages to queue and deliver, one per customer with an e-mail.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    messages: u64,
    #[command(flatten)]
    run: crate::scratch::RunArgs,
}

/// Target (issue 17): delivered into the loopback SMTP server.
const DELIVERED_PER_S: f64 = 500.0;
/// E-mails the ceiling sends at once: as many as the worker's customers.
const AT_ONCE: usize = 8;
/// Messages queued per transaction.
const QUEUE_BATCH: usize = 1_000;

pub async fn outbox(args: OutboxArgs) -> anyhow::Result<()> {
    let title = format!(
        "clientele-bench outbox: {}, {} messages",
        args.engine.as_str(),
        args.messages
    );
    let params = json!({"engine": args.engine.as_str(), "messages": args.messages});
    measure_in_scratch(args.engine, &args.run, title, params, async |scratch| {
        run(&args, scratch).await
    })
    .await
}

async fn run(args: &OutboxArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let steps = Steps(Instant::now());
    let mut report = Report::default();
    let sink = SmtpSink::start_counting();
    let courier: Arc<dyn Courier> = Arc::new(Smtp::new(&sink.settings())?);

    steps.say(format!(
        "ceiling: {} e-mails straight to the server, {AT_ONCE} at once",
        args.messages
    ));
    let started = Instant::now();
    let sent = futures_util::stream::iter(0..args.messages)
        .map(|i| {
            let courier = courier.clone();
            async move {
                let envelope = Envelope {
                    id: format!("ceiling-{i}"),
                    to: format!("customer{i}@example.ru"),
                    subject: "Вам начислены баллы".into(),
                    text: "Спасибо за покупку!".into(),
                    html: Some("<p>Спасибо за покупку!</p>".into()),
                    unsubscribe: Some(format!("http://127.0.0.1/unsubscribe/{i}")),
                };
                courier.send(&envelope).await.is_ok()
            }
        })
        .buffer_unordered(AT_ONCE)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    let ceiling = sent as f64 / started.elapsed().as_secs_f64();
    anyhow::ensure!(
        sent as u64 == args.messages,
        "the server refused {} e-mails",
        args.messages - sent as u64
    );
    steps.say(format!("ceiling: {ceiling:.0} e-mails/s"));

    // Demo customers: about seven in ten leave an e-mail.
    let customers = args.messages * 3 / 2 + 100;
    steps.say(format!("setup: {customers} demo customers"));
    let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
    let url = scratch.database().await?;
    let (app, db) = open_app_at(&url, &clock).await?;
    app.seed_demo(customers, &Silent).await?;
    let recipients = with_email(db.as_ref(), args.messages).await?;
    anyhow::ensure!(
        recipients.len() as u64 == args.messages,
        "only {} demo customers have an e-mail",
        recipients.len()
    );
    let app = app.with_messaging(Messaging {
        email: Some(courier),
        daytime: None,
        caps: Default::default(),
        cascade_after: None,
        public_url: "http://127.0.0.1:8080/".into(),
        pace: Pace::default(),
    });

    steps.say(format!("queue: {} receipts by e-mail", args.messages));
    let now = clock.now();
    let receipt = MessageDraft {
        source: MessageSource::Receipt,
        channels: vec![Channel::Email],
        subject: Some("Ваш чек".into()),
        body: "Спасибо за покупку! Начислено 50 баллов.".into(),
        trigger_id: None,
        occasion: None,
    };
    let messages: Vec<NewMessage> = recipients
        .iter()
        .map(|&customer| receipt.to(customer, now, None))
        .collect();
    let started = Instant::now();
    for batch in messages.chunks(QUEUE_BATCH) {
        db.outbox().queue_messages(batch).await?;
    }
    let queued = args.messages as f64 / started.elapsed().as_secs_f64();
    steps.say(format!("queue: {queued:.0} messages/s"));

    steps.say("deliver: the worker's rounds until nothing is due");
    let before = sink.counted().len();
    let started = Instant::now();
    let mut delivered = 0;
    loop {
        let round = app.deliver_due_messages().await?;
        if round.claimed == 0 {
            break;
        }
        delivered += round.sent;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let received = sink.counted().len() - before;
    anyhow::ensure!(
        delivered as u64 == args.messages && received as u64 == args.messages,
        "delivered {delivered}, the server received {received}, of {}",
        args.messages
    );
    let per_s = delivered as f64 / elapsed;
    steps.say(format!("deliver: {per_s:.0} messages/s"));

    report.add("queued_per_s", queued, "/s");
    report
        .add("delivered_per_s", per_s, "/s")
        .beside("ceiling", ceiling)
        .target(
            format!(">= {DELIVERED_PER_S:.0}/s"),
            per_s >= DELIVERED_PER_S,
        );
    report.add("ceiling_smtp_per_s", ceiling, "/s");
    Ok(report)
}

/// The first `wanted` customers with an e-mail, by id.
async fn with_email(
    db: &dyn Database,
    wanted: u64,
) -> anyhow::Result<Vec<clientele_domain::CustomerId>> {
    let mut found = Vec::new();
    let mut after = None;
    while (found.len() as u64) < wanted {
        let page = db
            .list_customers(&CustomerQuery {
                filter: CustomerFilter::default(),
                order: SortOrder::default(),
                limit: 1_000,
                after,
            })
            .await?;
        let Some(last) = page.items.last() else { break };
        after = Some(Cursor::Id(last.id.0));
        found.extend(
            page.items
                .iter()
                .filter(|c| c.profile.email.is_some())
                .map(|c| c.id),
        );
    }
    found.truncate(wanted as usize);
    Ok(found)
}
