//! `/metrics` counts what an operator watches: the till's commits by how
//! they ended, the SQLite writer's groups and queue, the scheduled jobs and
//! the outbox's rounds. Each server is a process of its own here, so the
//! counts are exactly this test's.

use crate::common;

use std::time::Duration;

use common::tills::{Served, customer_at, owner_token, receipt, shop_with_tills};
use common::{Engine, client_with, drop_database, engines, fresh_database};

/// A metric's value from the Prometheus text, by its name and labels as
/// written there (`name{label="value"}`).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

#[tokio::test]
async fn metrics_count_commits_the_writer_jobs_and_the_outbox() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        let owner = client_with(&owner_token(&url));
        let server = Served::start(&url, &[], &[]).await;
        let base = &server.base;
        let tills = shop_with_tills(base, &owner, 1).await;
        let customer = customer_at(base, &tills[0], "+79160001122").await;
        let till = &tills[0];
        for n in 0..5 {
            let sent = till
                .post(format!("{base}/api/v1/pos/receipts"))
                .json(&receipt(&format!("M-{n}"), customer))
                .send()
                .await
                .unwrap();
            assert_eq!(sent.status(), 201);
        }
        let replay = till
            .post(format!("{base}/api/v1/pos/receipts"))
            .json(&receipt("M-0", customer))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 201, "a replay answers as the first time");
        let mut unknown = receipt("M-X", customer);
        unknown["customer_id"] = serde_json::json!(999_999);
        let refused = till
            .post(format!("{base}/api/v1/pos/receipts"))
            .json(&unknown)
            .send()
            .await
            .unwrap();
        assert!(refused.status().is_client_error(), "{}", refused.status());
        // The first rounds of the jobs and the outbox run as the server starts.
        tokio::time::sleep(Duration::from_millis(500)).await;

        let text = reqwest::get(format!("{base}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let commits = |outcome: &str| {
            value(
                &text,
                &format!("clientele_receipt_commit_seconds_count{{outcome=\"{outcome}\"}}"),
            )
        };
        assert_eq!(commits("committed"), 5.0, "{engine:?}");
        assert_eq!(commits("replayed"), 1.0, "{engine:?}");
        assert_eq!(commits("refused"), 1.0, "{engine:?}");
        assert!(
            text.contains(
                "clientele_receipt_commit_seconds_bucket{outcome=\"committed\",le=\"0.005\"}"
            ),
            "{text}"
        );
        assert!(
            value(
                &text,
                "clientele_job_runs_total{job=\"scheduled\",outcome=\"done\"}"
            ) >= 1.0
        );
        assert!(
            value(
                &text,
                "clientele_job_runs_total{job=\"outbox\",outcome=\"done\"}"
            ) >= 1.0
        );
        assert!(
            value(
                &text,
                "clientele_job_last_success_timestamp_seconds{job=\"scheduled\"}"
            ) > 1.7e9
        );
        if engine == Engine::Sqlite {
            let grouped = value(&text, "clientele_sqlite_writer_group_size_sum");
            assert!(
                grouped >= 5.0,
                "{engine:?}: {grouped} jobs written in groups"
            );
            assert!(value(&text, "clientele_sqlite_writer_group_size_count") >= 1.0);
            value(&text, "clientele_sqlite_writer_queue_depth");
            value(&text, "clientele_sqlite_writer_transaction_seconds_count");
            let cache = value(&text, "clientele_sqlite_writer_cache_bytes");
            assert!(
                cache > 0.0,
                "the writer's cache holds the pages it wrote: {cache}"
            );
        }
        drop(server);
        drop_database(&url).await;
    }
}

/// Every metric the Grafana dashboard (packaging/grafana/clientele.json)
/// queries is one the code records.
#[test]
fn the_dashboard_queries_only_metrics_that_exist() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/packaging/grafana/clientele.json")).unwrap(),
    )
    .unwrap();
    let mut source = String::new();
    let mut folders = vec![std::path::PathBuf::from(format!("{root}/crates"))];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.ends_with("tests") {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                source.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut queried = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if !(word.starts_with("clientele_") || word.starts_with("http_")) {
                    continue;
                }
                let name = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|suffix| word.strip_suffix(suffix))
                    .unwrap_or(word);
                assert!(
                    source.contains(&format!("\"{name}\"")),
                    "the dashboard queries {name}, which nothing records"
                );
                queried += 1;
            }
        }
    }
    assert!(queried > 15, "{queried} metrics queried");
}
