//! The `clientele` binary serving a shop with tills, as the operations
//! tests (a crash, a backup, a failover) need it: a real process they may
//! kill, and tills that commit through its API.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use super::{client_with, clientele};

const PASSWORD: &str = "correct horse battery";

/// `clientele serve` on a free port, killed when dropped.
pub struct Served {
    pub process: Child,
    pub base: String,
}

impl Served {
    /// Starts the server on the database `url` names, with `args` after
    /// `serve` and `env` beside the URL, and waits until it answers.
    pub async fn start(url: &str, args: &[&str], env: &[(&str, &str)]) -> Served {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let mut process = Command::new(env!("CARGO_BIN_EXE_clientele"))
            .args(["serve", "--listen", &listen])
            .args(args)
            .env("CLIENTELE_DATABASE_URL", url)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://{listen}");
        for _ in 0..400 {
            if reqwest::get(format!("{base}/healthz")).await.is_ok() {
                return Served { process, base };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        process.kill().unwrap();
        process.wait().unwrap();
        panic!("the server did not start");
    }

    /// SIGKILL: the process ends with no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Migrates the database, adds an owner and answers the owner's API token.
pub fn owner_token(url: &str) -> String {
    clientele(url, &["migrate"], "");
    clientele(
        url,
        &["user", "add", "owner", "--role", "owner"],
        &format!("{PASSWORD}\n"),
    );
    clientele(url, &["token", "create", "--user", "owner"], "")
        .trim()
        .to_owned()
}

/// A store with a default bonus program (5 % back) and `count` tills; each
/// till's client, sending its key.
pub async fn shop_with_tills(
    base: &str,
    owner: &reqwest::Client,
    count: usize,
) -> Vec<reqwest::Client> {
    let store: Value = owner
        .post(format!("{base}/api/v1/stores"))
        .json(&json!({"code": "S-1", "name": "Магазин", "kind": "store"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let program = owner
        .post(format!("{base}/api/v1/programs"))
        .json(&json!({"name": "Бонусы", "is_default": true, "rules": {"kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}))
        .send()
        .await
        .unwrap();
    assert_eq!(program.status(), 201);
    let mut tills = Vec::new();
    for n in 0..count {
        let till: Value = owner
            .post(format!("{base}/api/v1/tills"))
            .json(&json!({"store_id": store["id"], "name": format!("Касса {n}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tills.push(client_with(till["key"].as_str().unwrap()));
    }
    tills
}

/// Registers a customer at a till by phone; the customer's id.
pub async fn customer_at(base: &str, till: &reqwest::Client, phone: &str) -> i64 {
    let found: Value = till
        .post(format!("{base}/api/v1/pos/identify"))
        .json(&json!({"phone": phone, "register_name": "Анна"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    found["customer"]["id"].as_i64().unwrap()
}

/// A receipt of one line of 10.00 for a customer.
pub fn receipt(id: &str, customer: i64) -> Value {
    json!({"receipt_id": id, "created_at": "2026-11-23T12:00:00+03:00",
        "customer_id": customer,
        "lines": [{"sku": "a", "name": "A", "quantity": 1, "price_minor": 1000, "amount_minor": 1000}]})
}

/// A customer's ledger summed page by page, and the balance it should make.
pub async fn ledger_and_balance(base: &str, owner: &reqwest::Client, customer: i64) -> (i64, i64) {
    let (mut sum, mut cursor, mut balance) = (0, String::new(), None);
    loop {
        let page: Value = owner
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
    (sum, balance.unwrap())
}
