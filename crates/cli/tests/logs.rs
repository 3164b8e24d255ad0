//! What the running binary writes to its log holds no personal data or
//! secrets, even at debug level: requests with phones, e-mails, passwords
//! and tokens in their paths, queries, bodies and headers.

use crate::common;

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Engine, clientele, drop_database, fresh_database};
use serde_json::json;

const PHONE: &str = "+79161234567";
const EMAIL: &str = "secret.person@example.ru";
const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn logs_hold_no_phones_e_mails_passwords_or_tokens() {
    let url = fresh_database(Engine::Sqlite).await;
    clientele(&url, &["migrate"], "");
    clientele(
        &url,
        &["user", "add", "anna", "--role", "owner"],
        &format!("{PASSWORD}\n"),
    );
    let token = clientele(&url, &["token", "create", "--user", "anna"], "");
    let token = token.trim().to_owned();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(["serve", "--listen", &listen])
        .env("CLIENTELE_DATABASE_URL", &url)
        .env("CLIENTELE_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !up {
        server.kill().unwrap();
        server.wait().unwrap();
        panic!("the server did not start");
    }

    let bearer = format!("Bearer {token}");
    let created = client
        .post(format!("{base}/api/v1/customers"))
        .header("authorization", &bearer)
        .json(&json!({"name": "Тайная Персона", "phone": PHONE, "email": EMAIL}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"].clone();
    let requests = [
        format!("{base}/api/v1/customers?q={}", PHONE.replace('+', "%2B")),
        format!("{base}/api/v1/customers?q={EMAIL}"),
        format!("{base}/api/v1/customers?gendr={EMAIL}"),
    ];
    for request in &requests {
        client
            .get(request)
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap();
    }
    client
        .get(format!("{base}/api/v1/customers"))
        .header("authorization", format!("Bearer {token}x"))
        .send()
        .await
        .unwrap();
    client
        .post(format!("{base}/api/v1/customers"))
        .header("authorization", &bearer)
        .json(&json!({"name": "Двойник", "phone": PHONE}))
        .send()
        .await
        .unwrap();
    client
        .post(format!("{base}/api/v1/customers/{id}/erase"))
        .header("authorization", &bearer)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();

    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    server
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("/api/v1/customers"),
        "requests are logged: {log}"
    );
    for secret in [
        PHONE,
        &PHONE[2..],
        EMAIL,
        PASSWORD,
        token.as_str(),
        "Тайная",
    ] {
        assert!(!log.contains(secret), "«{secret}» is in the log:\n{log}");
    }
    drop_database(&url).await;
}
