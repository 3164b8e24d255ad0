//! SIGTERM stops the server gracefully: a receipt under way when the signal
//! comes is committed and answered, new requests are asked to come back
//! (503 with Retry-After: problem JSON to a till, a page in the reader's
//! language in the console) while the liveness check still answers, and
//! the process then exits by itself.

use crate::common;

use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use common::tills::{Served, customer_at, owner_token, receipt, shop_with_tills};
use common::{client_with, drop_database, engines, fresh_database};
use serde_json::Value;

/// A request whose sender sent its head and half its body, then stalled:
/// the connection, and the half not sent yet.
fn stalled<'a>(
    base: &str,
    line: &str,
    headers: &[&str],
    body: &'a str,
) -> (std::net::TcpStream, &'a str) {
    let address = base.strip_prefix("http://").unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let headers: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(
        stream,
        "{line} HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    (stream, rest)
}

/// SIGTERM, once the stalled request is under way; the server is stopping
/// when this returns.
async fn sigterm(server: &Served) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.process.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// How the server's process ended, waiting for it at most ten seconds.
async fn exit_of(server: &mut Served) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.process.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigterm_answers_the_receipt_under_way_and_asks_new_requests_to_come_back() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        let owner = client_with(&owner_token(&url));
        let mut server = Served::start(&url, &[], &[]).await;
        let base = server.base.clone();
        let tills = shop_with_tills(&base, &owner, 1).await;
        let customer = customer_at(&base, &tills[0], "+79161112233").await;
        let stores: Value = owner
            .get(format!("{base}/api/v1/stores"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let till: Value = owner
            .post(format!("{base}/api/v1/tills"))
            .json(&serde_json::json!({"store_id": stores["items"][0]["id"], "name": "Медленная касса"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let key = till["key"].as_str().unwrap().to_owned();

        // A till sends a receipt's head and half its body, and stalls.
        let body = receipt("SLOW-1", customer).to_string();
        let authorization = format!("Authorization: Bearer {key}");
        let (mut slow, rest) = stalled(
            &base,
            "POST /api/v1/pos/receipts",
            &[&authorization, "Content-Type: application/json"],
            &body,
        );
        sigterm(&server).await;

        let refused = tills[0]
            .post(format!("{base}/api/v1/pos/receipts"))
            .json(&receipt("NEW-1", customer))
            .send()
            .await
            .unwrap();
        assert_eq!(
            refused.status(),
            503,
            "{engine:?}: a new receipt while stopping"
        );
        assert_eq!(refused.headers()["retry-after"], "5");
        let problem: Value = refused.json().await.unwrap();
        assert_eq!(
            problem["type"], "urn:clientele:problem:restarting",
            "{problem}"
        );
        let page = reqwest::Client::new()
            .get(format!("{base}/customers"))
            .header("accept-language", "ru")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 503);
        assert_eq!(page.headers()["retry-after"], "5");
        let text = page.text().await.unwrap();
        assert!(text.contains("Сервер перезапускается"), "{text}");
        let live = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(live.status(), 200, "{engine:?}: liveness while stopping");
        let style = reqwest::get(format!("{base}/assets/console.css"))
            .await
            .unwrap();
        assert_eq!(
            style.status(),
            200,
            "{engine:?}: the page's stylesheet while stopping"
        );

        // The stalled till sends the rest: its receipt is committed and answered.
        slow.write_all(rest.as_bytes()).unwrap();
        let mut answer = String::new();
        slow.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 201"), "{engine:?}: {answer}");

        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = server.process.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "{engine:?}: the server did not stop"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(
            status.success(),
            "{engine:?}: the server stopped with {status}"
        );

        let server = Served::start(&url, &[], &[]).await;
        let kept = |id: &'static str| {
            let (till, base) = (tills[0].clone(), server.base.clone());
            async move {
                till.get(format!("{base}/api/v1/pos/receipts/{id}"))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        let slow_till = client_with(&key);
        let slow_kept = slow_till
            .get(format!("{}/api/v1/pos/receipts/SLOW-1", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            slow_kept.status(),
            200,
            "{engine:?}: the receipt under way was kept"
        );
        assert_eq!(
            kept("NEW-1").await,
            404,
            "{engine:?}: the refused receipt was not kept"
        );
        drop(server);
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn a_stopping_server_shows_the_console_a_page_in_the_reader_s_language() {
    use common::browser::Browser;
    let url = fresh_database(common::Engine::Sqlite).await;
    owner_token(&url);
    let mut server = Served::start(&url, &[], &[]).await;
    let base = server.base.clone();
    // A sign-in form half sent keeps the server stopping while the pages are looked at.
    let form = "login=owner&password=correct+horse+battery";
    let (mut slow, rest) = stalled(
        &base,
        "POST /login",
        &["Content-Type: application/x-www-form-urlencoded"],
        form,
    );
    sigterm(&server).await;

    for (width, lang, says) in [
        (1280, "ru", "Сервер перезапускается"),
        (1280, "en", "The server is restarting"),
        (390, "ru", "Через несколько секунд"),
    ] {
        let browser = Browser::start(width).await;
        browser.go(&format!("{base}/customers?lang={lang}")).await;
        let text = browser.page_text().await;
        assert!(text.contains(says), "{lang} at {width} px: {text}");
        assert!(
            !browser.scrolls_sideways().await,
            "{lang} at {width} px scrolls sideways"
        );
        browser.shot(&format!("restarting-{lang}-{width}")).await;
        browser.close().await;
    }
    slow.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(
        !answer.starts_with("HTTP/1.1 503"),
        "the form under way was answered: {answer}"
    );
    exit_of(&mut server).await;
    drop_database(&url).await;
}
