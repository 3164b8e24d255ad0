//! A campaign's e-mails survive a SIGKILL of `serve` at most once each:
//! after a restart the rest go out, no message reaches the SMTP server
//! twice, and the few a crash cut off in the middle are named, never
//! blindly sent again.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use clientele_app::Clock;
use clientele_app::progress::Silent;
use clientele_channels::sink::SmtpSink;
use common::tills::Served;
use common::{TestServer, fresh_database, till_engines};
use serde_json::{Value, json};

const CUSTOMERS: u64 = 10_000;
/// At most this many messages are claimed ahead of their send.
const IN_DOUBT: usize = 16;

/// Every message of a state, `m{customer}-{id}` each.
async fn ids_in(server: &TestServer, state: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/messages?state={state}&limit=500&cursor={c}"),
            None => format!("/api/v1/messages?state={state}&limit=500"),
        };
        let (status, page) = server.get(&path).await;
        assert_eq!(status, 200, "{page}");
        for m in page["items"].as_array().unwrap() {
            ids.insert(format!("m{}-{}", m["customer_id"], m["id"]));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

async fn campaign(server: &TestServer, id: i64) -> Value {
    let (status, campaign) = server.get(&format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(status, 200, "{campaign}");
    campaign
}

/// The Message-IDs the server took, `m{customer}-{id}` each, counted.
fn received(sink: &SmtpSink) -> BTreeMap<String, usize> {
    let mut counted = BTreeMap::new();
    for id in sink.counted() {
        let id = id.trim_matches(['<', '>']);
        let local = id.split('@').next().unwrap_or_default().to_owned();
        *counted.entry(local).or_default() += 1;
    }
    counted
}

#[tokio::test]
async fn a_campaign_killed_midway_sends_each_message_at_most_once() {
    for engine in till_engines() {
        let url = fresh_database(engine).await;
        let clock = Clock::new(jiff::tz::TimeZone::get("Europe/Moscow").unwrap());
        // The test's own server on the same database reads what `serve`
        // wrote; it runs no worker.
        let server = TestServer::start_on(url.clone(), clock, "owner").await;
        server.app.seed_demo(CUSTOMERS, &Silent).await.unwrap();
        let (status, template) = server
            .post(
                "/api/v1/templates",
                json!({"name": "Распродажа", "locale": "ru", "subject": "Скидки",
                       "body": "{{ first_name }}, у нас скидки!"}),
            )
            .await;
        assert_eq!(status, 201, "{template}");
        let (status, created) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Распродажа", "template_id": template["id"],
                       "channels": ["email"], "cancel_window_mins": 0}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();

        let sink = SmtpSink::start_counting();
        let settings = sink.settings();
        let dir = std::env::temp_dir().join(format!("clientele-crash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join(format!("{engine:?}.toml"));
        std::fs::write(
            &config,
            format!(
                "[smtp]\nhost = \"{}\"\nport = {}\ntls = \"none\"\nfrom = \"shop@example.ru\"\n\n\
                 [messages]\ndaytime = \"always\"\nper_day = 0\nper_week = 0\n",
                settings.host, settings.port
            ),
        )
        .unwrap();

        // Killed while the campaign's e-mails are going out.
        let config_arg = config.to_str().unwrap();
        let mut first = Served::start(&url, &["--config", config_arg], &[]).await;
        let deadline = Instant::now() + Duration::from_secs(120);
        while sink.counted().len() < 500 {
            assert!(Instant::now() < deadline, "no e-mails went out");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        first.kill();
        let before_restart = sink.counted().len();

        // Restarted, it sends the rest; those cut off stay `sending` until
        // their lease passes, then fail as interrupted.
        let mut second = Served::start(&url, &["--config", config_arg], &[]).await;
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let counts = &campaign(&server, id).await["counts"];
            let waiting = counts["waiting"].as_i64().unwrap();
            let sending = counts["by_state"]["sending"].as_i64().unwrap_or(0);
            if counts["by_state"]["queued"].is_null() && waiting == sending {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the rest did not go out: {counts}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // The second server's own last claim may still be going out: wait
        // until what is `sending` holds still, so only the first's is left.
        let sending = |counts: &Value| counts["by_state"]["sending"].as_i64().unwrap_or(0);
        let mut last = sending(&campaign(&server, id).await["counts"]);
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let now = sending(&campaign(&server, id).await["counts"]);
            if now == last {
                break;
            }
            assert!(Instant::now() < deadline, "the second server kept sending");
            last = now;
        }
        second.kill();

        let received = received(&sink);
        let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "sent twice: {twice:?}");
        let sent = ids_in(&server, "sent").await;
        let in_doubt = ids_in(&server, "sending").await;
        assert!(
            sent.len() > before_restart,
            "the restart sent the rest: {} sent, {before_restart} before",
            sent.len()
        );
        let missing: Vec<_> = sent
            .iter()
            .filter(|id| !received.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "sent but never received: {missing:?}");
        let unknown: Vec<_> = received
            .keys()
            .filter(|id| !sent.contains(*id) && !in_doubt.contains(*id))
            .collect();
        assert!(unknown.is_empty(), "received but not sent: {unknown:?}");
        assert!(
            in_doubt.len() <= IN_DOUBT,
            "at most one claim's worth is in doubt: {}",
            in_doubt.len()
        );
        let _ = std::fs::remove_dir_all(&dir);
        server.stop().await;
    }
}
