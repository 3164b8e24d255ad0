//! A receipt answered is a receipt kept: tills commit while the server is
//! killed with SIGKILL; after a restart every answered receipt is there,
//! with the answer the till got, on every engine.

use crate::common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{clientele, drop_database, fresh_database, till_engines};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// Starts `clientele serve` on a free port; answers the process and its base URL.
async fn serve(url: &str) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(["serve", "--listen", &listen])
        .env("CLIENTELE_DATABASE_URL", url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            return (server, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    panic!("the server did not start");
}

fn bearer(token: &str) -> reqwest::Client {
    common::client_with(token)
}

#[tokio::test]
async fn every_answered_receipt_survives_a_sigkill() {
    for engine in till_engines() {
        let url = fresh_database(engine).await;
        clientele(&url, &["migrate"], "");
        clientele(
            &url,
            &["user", "add", "owner", "--role", "owner"],
            &format!("{PASSWORD}\n"),
        );
        let token = clientele(&url, &["token", "create", "--user", "owner"], "")
            .trim()
            .to_owned();
        let (mut server, base) = serve(&url).await;
        let owner = bearer(&token);
        let store: serde_json::Value = owner
            .post(format!("{base}/api/v1/stores"))
            .json(&json!({"code": "S-1", "name": "Магазин", "kind": "store"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        owner
            .post(format!("{base}/api/v1/programs"))
            .json(&json!({"name": "Бонусы", "is_default": true, "rules": {"kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}))
            .send()
            .await
            .unwrap();
        let mut tills = Vec::new();
        for n in 0..8 {
            let till: serde_json::Value = owner
                .post(format!("{base}/api/v1/tills"))
                .json(&json!({"store_id": store["id"], "name": format!("Касса {n}")}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            tills.push(bearer(till["key"].as_str().unwrap()));
        }
        let found: serde_json::Value = tills[0]
            .post(format!("{base}/api/v1/pos/identify"))
            .json(&json!({"phone": "+79161234567", "register_name": "Анна"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let customer = found["customer"]["id"].as_i64().unwrap();

        // Tills commit as fast as they can; what each got is noted.
        let answered: Arc<Mutex<BTreeMap<(usize, String), String>>> = Arc::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let workers: Vec<_> = tills
            .iter()
            .enumerate()
            .map(|(n, till)| {
                let (till, base, answered, stop) = (till.clone(), base.clone(), answered.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let id = format!("K-{n}-{i}");
                        i += 1;
                        let body = json!({"receipt_id": id, "created_at": "2026-11-23T12:00:00+03:00",
                            "customer_id": customer,
                            "lines": [{"sku": "a", "name": "A", "quantity": 1, "price_minor": 1000, "amount_minor": 1000}]});
                        let Ok(response) = till.post(format!("{base}/api/v1/pos/receipts")).json(&body).send().await else {
                            break;
                        };
                        if response.status() == 201
                            && let Ok(text) = response.text().await
                        {
                            answered.lock().unwrap().insert((n, id), text);
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill().unwrap();
        server.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for worker in workers {
            worker.await.unwrap();
        }
        let answered = std::mem::take(&mut *answered.lock().unwrap());
        assert!(
            answered.len() > 20,
            "{engine:?}: tills committed only {} receipts",
            answered.len()
        );

        let (mut server, base) = serve(&url).await;
        for ((n, id), first) in &answered {
            let response = tills[*n]
                .get(format!("{base}/api/v1/pos/receipts/{id}"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                200,
                "{engine:?}: answered receipt {id} was lost"
            );
            assert_eq!(
                &response.text().await.unwrap(),
                first,
                "{engine:?}: {id} kept as answered"
            );
        }
        // The ledger is whole: its entries, page by page, sum to the balance.
        let (mut sum, mut cursor, mut balance) = (0, String::new(), None);
        loop {
            let page: serde_json::Value = owner
                .get(format!(
                    "{base}/api/v1/customers/{customer}/ledger?limit=500{cursor}"
                ))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            balance.get_or_insert(page["balance"].as_i64().unwrap());
            sum += page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["points"].as_i64().unwrap())
                .sum::<i64>();
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => break,
            }
        }
        assert_eq!(
            Some(sum),
            balance,
            "{engine:?}: the ledger sums to the balance"
        );
        server.kill().unwrap();
        server.wait().unwrap();
        drop_database(&url).await;
    }
}
