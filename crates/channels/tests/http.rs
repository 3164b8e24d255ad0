//! `HttpProvider`, the presets and `Fcm` against a real HTTP server on
//! loopback that stands in for the provider (each test starts its own), and
//! the delivery-report parsers.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use clientele_channels::http::Secrets;
use clientele_channels::http::presets;
use clientele_channels::http::report::{
    self, DeliveryReport, ReportError, ReportTemplate, ReportedStatus, SignatureError,
};
use clientele_channels::{
    Courier, Envelope, Fcm, HttpProvider, HttpTemplate, SendError, SettingsError,
};

/// Quotes, an ampersand, a plus, a percent, Cyrillic and a newline: each must
/// survive URL, form and JSON encoding.
const TEXT: &str = "Анна, вам \"250\" баллов & скидка 10%+5%\nОтписаться: STOP";
const SUBJECT: &str = "Кофейня «Зерно»";
const PHONE: &str = "+79123456789";
/// A secret that needs encoding in a URL.
const KEY: &str = "k&y=1+2/z";
const KEY_PEM: &str = include_str!("fixtures/fcm-test-key.pem");

fn envelope(to: &str) -> Envelope {
    Envelope {
        id: "msg-0001".to_owned(),
        to: to.to_owned(),
        subject: SUBJECT.to_owned(),
        text: TEXT.to_owned(),
        html: None,
        unsubscribe: None,
    }
}

/// One request the stand-in provider received.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Received {
    fn query(&self) -> BTreeMap<String, String> {
        form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    fn form(&self) -> BTreeMap<String, String> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

struct Answer {
    status: u16,
    body: String,
    delay: Duration,
}

fn answer(status: u16, body: impl Into<String>) -> Answer {
    Answer {
        status,
        body: body.into(),
        delay: Duration::ZERO,
    }
}

/// An HTTP server on 127.0.0.1 that records every request and answers with
/// `reply`, which sees the request and how many came before it.
struct Stand {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Stand {
    async fn start(reply: impl Fn(&Received, usize) -> Answer + Send + Sync + 'static) -> Stand {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let reply = Arc::new(reply);
        let log = received.clone();
        let app = axum::Router::new().fallback(move |request: Request| {
            let log = log.clone();
            let reply = reply.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.expect("body");
                let seen = Received {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().unwrap_or_default().to_owned(),
                    headers: parts.headers,
                    body: body.to_vec(),
                };
                let answer = {
                    let mut log = log.lock().expect("log");
                    let answer = reply(&seen, log.len());
                    log.push(seen);
                    answer
                };
                tokio::time::sleep(answer.delay).await;
                (
                    StatusCode::from_u16(answer.status).expect("status"),
                    [("content-type", "application/json")],
                    answer.body,
                )
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Stand { base, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }

    fn only(&self) -> Received {
        let received = self.received();
        assert_eq!(received.len(), 1, "{received:#?}");
        received[0].clone()
    }
}

fn secrets(pairs: &[(&str, &str)]) -> Secrets {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A template as the settings store it, with `BASE` for the stand's address.
fn template(json: &str, base: &str) -> HttpTemplate {
    serde_json::from_str(&json.replace("BASE", base)).expect("template")
}

fn provider(json: &str, stand: &Stand) -> HttpProvider {
    HttpProvider::new(template(json, &stand.base), secrets(&[("key", KEY)])).expect("settings")
}

fn passing(result: Result<impl std::fmt::Debug, SendError>) -> String {
    match result {
        Err(SendError::Passing(why)) => why,
        other => panic!("expected Passing, got {other:?}"),
    }
}

fn refused(result: Result<impl std::fmt::Debug, SendError>) -> String {
    match result {
        Err(SendError::Refused(why)) => why,
        other => panic!("expected Refused, got {other:?}"),
    }
}

const JSON_TEMPLATE: &str = r#"{
    "method": "POST",
    "url": "BASE/v2/send?to={{to}}&key={{secret.key}}&ref={{id}}&t={{text}}",
    "headers": [
        {"name": "X-Api-Key", "value": "{{secret.key}}"},
        {"name": "X-Ref", "value": "ref {{id}}"}
    ],
    "body": "{\"to\":\"{{to_digits}}\",\"title\":\"{{subject}}\",\"text\":\"{{text}}\"}",
    "content_type": "json",
    "message_id": "/result/id",
    "error": "/error"
}"#;

#[tokio::test]
async fn a_json_request_arrives_as_meant_and_its_id_is_kept() {
    let stand = Stand::start(|_, _| answer(200, r#"{"result":{"id":12345}}"#)).await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let accepted = provider.send(&envelope(PHONE)).await.expect("accepted");
    assert_eq!(accepted.provider_id.as_deref(), Some("12345"));

    let got = stand.only();
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/v2/send")
    );
    let query = got.query();
    assert_eq!(query["to"], PHONE, "a raw + would read as a space");
    assert_eq!(query["key"], KEY);
    assert_eq!(query["ref"], "msg-0001");
    assert_eq!(query["t"], TEXT);
    assert_eq!(
        query.len(),
        4,
        "an unencoded & would split a value: {query:?}"
    );
    assert_eq!(got.header("x-api-key"), KEY);
    assert_eq!(got.header("x-ref"), "ref msg-0001");
    assert_eq!(got.header("content-type"), "application/json");
    assert_eq!(
        got.json(),
        json!({"to": "79123456789", "title": SUBJECT, "text": TEXT})
    );
}

#[tokio::test]
async fn a_form_body_and_a_get_query_decode_to_the_message() {
    let stand = Stand::start(|_, _| answer(200, "Accepted, thank you")).await;
    let form = provider(
        r#"{"method": "POST", "url": "BASE/form", "content_type": "form",
            "body": "phone={{to}}&msg={{text}}&sign={{secret.key}}&kind=sms"}"#,
        &stand,
    );
    let get = provider(
        r#"{"method": "GET", "url": "BASE/get/{{to_digits}}?msg={{text}}"}"#,
        &stand,
    );

    // Neither reads the answer: any 2xx is accepted, with no id.
    let accepted = form.send(&envelope(PHONE)).await.expect("accepted");
    assert_eq!(accepted.provider_id, None);
    get.send(&envelope(PHONE)).await.expect("accepted");

    let received = stand.received();
    let posted = &received[0];
    assert_eq!(posted.method, "POST");
    assert_eq!(
        posted.header("content-type"),
        "application/x-www-form-urlencoded"
    );
    let fields = posted.form();
    assert_eq!(fields["phone"], PHONE);
    assert_eq!(fields["msg"], TEXT);
    assert_eq!(fields["sign"], KEY);
    assert_eq!(fields["kind"], "sms");
    assert_eq!(fields.len(), 4, "{fields:?}");

    let got = &received[1];
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("GET", "/get/79123456789")
    );
    assert_eq!(got.query()["msg"], TEXT);
    assert!(got.body.is_empty());
}

#[tokio::test]
async fn server_errors_and_throttling_are_worth_another_try() {
    let stand = Stand::start(|_, n| match n {
        0 => answer(503, "<h1>Service Unavailable</h1>"),
        1 => answer(429, r#"{"error":"slow down"}"#),
        _ => answer(500, ""),
    })
    .await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(
        why.contains("503") && why.contains("Service Unavailable"),
        "{why}"
    );
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("429") && why.contains("slow down"), "{why}");
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("(an empty answer)"), "{why}");
}

#[tokio::test]
async fn a_400_refuses_the_message_with_the_providers_words() {
    let stand = Stand::start(|_, n| match n {
        0 => answer(400, r#"{"error":"Номер не обслуживается"}"#),
        _ => answer(422, "bad\n\n   request"),
    })
    .await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let why = refused(provider.send(&envelope(PHONE)).await);
    assert!(
        why.contains("400") && why.contains("Номер не обслуживается"),
        "{why}"
    );
    let why = refused(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("422") && why.contains("bad request"), "{why}");
}

#[tokio::test]
async fn refused_credentials_and_redirects_wait_for_mended_settings() {
    let stand = Stand::start(|_, n| match n {
        0 => answer(401, r#"{"error":"bad key"}"#),
        _ => answer(301, ""),
    })
    .await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(
        why.contains("credentials") && why.contains("bad key"),
        "{why}"
    );
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("redirect"), "{why}");
    assert_eq!(stand.received().len(), 2, "the redirect is not followed");
}

#[tokio::test]
async fn a_slow_provider_is_passing_after_the_timeout() {
    let stand = Stand::start(|_, _| Answer {
        delay: Duration::from_secs(10),
        ..answer(200, r#"{"result":{"id":1}}"#)
    })
    .await;
    let provider = provider(JSON_TEMPLATE, &stand).with_timeout(Duration::from_millis(300));

    let started = Instant::now();
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(why.contains("did not answer within 0.3 s"), "{why}");
    assert!(
        !why.contains(KEY) && !why.contains("k%26y"),
        "no key in errors: {why}"
    );
}

#[tokio::test]
async fn a_provider_that_is_not_listening_is_passing() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let provider = HttpProvider::new(template(JSON_TEMPLATE, &base), secrets(&[("key", KEY)]))
        .expect("settings");

    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("could not connect to 127.0.0.1"), "{why}");
    assert!(!why.contains("k%26y"), "no key in errors: {why}");
}

#[tokio::test]
async fn a_2xx_that_is_not_json_is_refused_readably() {
    let stand =
        Stand::start(|_, _| answer(200, "<html>\n<p>Maintenance: back soon</p></html>")).await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let why = refused(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("answered something that is not JSON"), "{why}");
    assert!(why.contains("<p>Maintenance: back soon</p>"), "{why}");
    assert_eq!(stand.received().len(), 1);
}

#[tokio::test]
async fn a_2xx_is_judged_by_the_template() {
    let stand = Stand::start(|_, n| {
        answer(
            200,
            match n {
                0 => r#"{"state":"QUEUED","id":"a1"}"#,
                1 => r#"{"state":"DENIED","id":"a2"}"#,
                2 => r#"{"state":"QUEUED"}"#,
                3 => r#"{"state":"QUEUED","id":"a4","problem":"text too long"}"#,
                _ => r#"{"state":"NO_MONEY"}"#,
            },
        )
    })
    .await;
    let provider = provider(
        r#"{"method": "POST", "url": "BASE/send", "content_type": "form",
            "body": "to={{to}}&text={{text}}",
            "message_id": "/id",
            "ok_when": {"pointer": "/state", "one_of": ["QUEUED", "SENT"]},
            "passing_when": {"pointer": "/state", "one_of": ["NO_MONEY"]},
            "error": "/problem"}"#,
        &stand,
    );
    let message = envelope(PHONE);
    let send = || provider.send(&message);

    assert_eq!(
        send().await.expect("accepted").provider_id.as_deref(),
        Some("a1")
    );
    let why = refused(send().await);
    assert!(
        why.contains("/state is not QUEUED or SENT") && why.contains("DENIED"),
        "{why}"
    );
    let why = refused(send().await);
    assert!(why.contains("no message id at /id"), "{why}");
    let why = refused(send().await);
    assert!(why.contains("text too long"), "{why}");
    let why = passing(send().await);
    assert!(why.contains("NO_MONEY"), "{why}");
}

#[tokio::test]
async fn a_phone_template_refuses_what_is_not_a_phone_without_sending() {
    let stand = Stand::start(|_, _| answer(200, r#"{"result":{"id":1}}"#)).await;
    let provider = provider(JSON_TEMPLATE, &stand);

    let why = refused(provider.send(&envelope("8 (912) 345-67-89")).await);
    assert!(why.contains("E.164"), "{why}");
    assert!(stand.received().is_empty());
}

#[test]
fn settings_are_checked_when_building() {
    let base = "http://127.0.0.1:9";
    let build = |json: &str, secrets: Secrets| HttpProvider::new(template(json, base), secrets);
    let key = || secrets(&[("key", KEY)]);

    let err = build(
        r#"{"method":"POST","url":"BASE/s","content_type":"json","body":"{\"p\":\"{{phone}}\"}"}"#,
        key(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        SettingsError::UnknownPlaceholder {
            field: "body",
            name: "phone".to_owned()
        }
    );
    assert!(err.to_string().contains("\"phone\""), "{err}");

    let err = build(
        r#"{"method":"GET","url":"BASE/s","headers":[{"name":"X-Key","value":"{{secret.token}}"}]}"#,
        key(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        SettingsError::MissingSecret {
            field: "headers",
            name: "token".to_owned()
        }
    );

    let err = build(r#"{"method":"GET","url":"BASE/s?t={{text"}"#, key()).unwrap_err();
    assert_eq!(err.field(), "url");

    let err = build(
        r#"{"method":"GET","url":"BASE/s","headers":[{"name":"X-Key","value":"{{secret.key}}"}]}"#,
        secrets(&[("key", "line\nbreak")]),
    )
    .unwrap_err();
    assert!(matches!(err, SettingsError::BadHeader(..)), "{err:?}");

    let misspelt = serde_json::from_str::<HttpTemplate>(
        r#"{"method":"GET","url":"http://x/s","ok-when":{"pointer":"/a","one_of":["1"]}}"#,
    );
    assert!(misspelt.is_err(), "a misspelt field is not ignored");

    for (json, field) in [
        (
            r#"{"method":"POST","url":"BASE/s","content_type":"json","body":"{\"t\":{{text}}"}"#,
            "body",
        ),
        (
            r#"{"method":"GET","url":"BASE/s","content_type":"form","body":"t={{text}}"}"#,
            "body",
        ),
        (
            r#"{"method":"POST","url":"BASE/s","body":"t={{text}}"}"#,
            "body",
        ),
        (r#"{"method":"GET","url":"ftp://example.org/s"}"#, "url"),
        (
            r#"{"method":"GET","url":"http://user:pw@example.org/s"}"#,
            "url",
        ),
        (
            r#"{"method":"GET","url":"BASE/s","message_id":"id"}"#,
            "message_id",
        ),
        (
            r#"{"method":"GET","url":"BASE/s","ok_when":{"pointer":"/x/{{nope}}","one_of":["1"]}}"#,
            "ok_when",
        ),
    ] {
        let err = build(json, key()).unwrap_err();
        assert_eq!(err.field(), field, "{json}: {err}");
    }
}

#[test]
fn debug_never_shows_a_secret() {
    let provider = HttpProvider::new(
        template(JSON_TEMPLATE, "http://127.0.0.1:9"),
        secrets(&[("key", "hunter2")]),
    )
    .expect("settings");
    let shown = format!("{provider:?}");
    assert!(
        shown.contains("\"key\"") && !shown.contains("hunter2"),
        "{shown}"
    );
    let preset = presets::smsc("shop", "hunter2", None, None);
    assert!(!format!("{preset:?}").contains("hunter2"));
}

#[tokio::test]
async fn sms_ru_sends_its_form_and_reads_the_phone_keyed_answer() {
    let stand = Stand::start(|_, n| {
        answer(
            200,
            match n {
                0 => r#"{"status":"OK","status_code":100,"sms":{"79123456789":{"status":"OK","status_code":100,"sms_id":"000000-10000001"}},"balance":4122.56}"#,
                1 => r#"{"status":"OK","status_code":100,"sms":{"79123456789":{"status":"ERROR","status_code":207,"status_text":"На этот номер нет маршрута"}}}"#,
                _ => r#"{"status":"ERROR","status_code":200,"status_text":"Неправильный api_id"}"#,
            },
        )
    })
    .await;
    let provider = presets::sms_ru("api-123", Some("Zerno"), Some(&stand.base))
        .provider()
        .expect("settings");

    let accepted = provider.send(&envelope(PHONE)).await.expect("accepted");
    assert_eq!(accepted.provider_id.as_deref(), Some("000000-10000001"));
    let why = refused(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("На этот номер нет маршрута"), "{why}");
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("Неправильный api_id"), "{why}");

    let got = &stand.received()[0];
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/sms/send")
    );
    let fields = got.form();
    let expected: BTreeMap<String, String> = [
        ("api_id", "api-123"),
        ("to", "79123456789"),
        ("msg", TEXT),
        ("json", "1"),
        ("from", "Zerno"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(fields, expected);
}

#[tokio::test]
async fn smsc_sends_its_form_and_reads_ids_and_error_codes() {
    let stand = Stand::start(|_, n| {
        answer(
            200,
            match n {
                0 => r#"{"id":4208,"cnt":1}"#,
                1 => r#"{"error":"invalid number","error_code":7,"id":4209}"#,
                _ => r#"{"error":"no money","error_code":3,"id":4210}"#,
            },
        )
    })
    .await;
    let provider = presets::smsc("shop", "p@ss&word", Some("Зерно"), Some(&stand.base))
        .provider()
        .expect("settings");

    let accepted = provider.send(&envelope(PHONE)).await.expect("accepted");
    assert_eq!(accepted.provider_id.as_deref(), Some("4208"));
    let why = refused(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("invalid number"), "{why}");
    let why = passing(provider.send(&envelope(PHONE)).await);
    assert!(why.contains("no money"), "{why}");

    let got = &stand.received()[0];
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/sys/send.php")
    );
    let fields = got.form();
    assert_eq!(fields["login"], "shop");
    assert_eq!(fields["psw"], "p@ss&word");
    assert_eq!(fields["phones"], PHONE);
    assert_eq!(fields["mes"], TEXT);
    assert_eq!(fields["charset"], "utf-8");
    assert_eq!(fields["fmt"], "3");
    assert_eq!(fields["sender"], "Зерно");
}

#[tokio::test]
async fn infobip_viber_sends_one_destination_with_our_id() {
    let stand = Stand::start(|seen, _| {
        let sent = seen.json();
        let id = sent["messages"][0]["destinations"][0]["messageId"].clone();
        answer(
            200,
            json!({"bulkId": "b-1", "messages": [{"messageId": id, "status": {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}, "destination": "79123456789"}]})
                .to_string(),
        )
    })
    .await;
    let provider = presets::infobip_viber("secret-key", "Zerno \"Coffee\"", Some(&stand.base))
        .provider()
        .expect("settings");

    let accepted = provider.send(&envelope(PHONE)).await.expect("accepted");
    assert_eq!(accepted.provider_id.as_deref(), Some("msg-0001"));

    let got = stand.only();
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/viber/2/messages")
    );
    assert_eq!(got.header("authorization"), "App secret-key");
    assert_eq!(
        got.json(),
        json!({"messages": [{
            "sender": "Zerno \"Coffee\"",
            "destinations": [{"to": "79123456789", "messageId": "msg-0001"}],
            "content": {"text": TEXT, "type": "TEXT"}
        }]})
    );
}

/// A service account whose token_uri is the stand.
/// A bot's token as @BotFather gives one: its `:` must reach the path as is.
const BOT_TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

#[tokio::test]
async fn telegram_sends_to_the_chat_and_reads_the_message_id() {
    let stand = Stand::start(|_, _| {
        answer(
            200,
            json!({"ok": true, "result": {"message_id": 4711, "from": {"id": 123456789, "is_bot": true, "first_name": "Zerno"},
                "chat": {"id": 42, "first_name": "Анна", "type": "private"}, "date": 1700000000, "text": TEXT}})
            .to_string(),
        )
    })
    .await;
    let provider = presets::telegram(BOT_TOKEN, Some(&stand.base))
        .provider()
        .expect("settings");

    let accepted = provider.send(&envelope("42")).await.expect("accepted");
    assert_eq!(accepted.provider_id.as_deref(), Some("4711"));

    let got = stand.only();
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", format!("/bot{BOT_TOKEN}/sendMessage").as_str())
    );
    assert_eq!(got.header("content-type"), "application/json");
    assert_eq!(got.json(), json!({"chat_id": "42", "text": TEXT}));
}

#[tokio::test]
async fn telegram_refuses_a_blocked_bot_and_waits_out_throttling() {
    let stand = Stand::start(|_, n| match n {
        0 => answer(
            403,
            r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
        ),
        1 => answer(
            429,
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#,
        ),
        2 => answer(
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
        ),
        3 => answer(502, "<html>Bad Gateway</html>"),
        _ => answer(200, r#"{"ok":false,"result":{"message_id":1}}"#),
    })
    .await;
    let provider = presets::telegram(BOT_TOKEN, Some(&stand.base))
        .provider()
        .expect("settings");
    let message = envelope("42");
    let send = || provider.send(&message);

    let why = refused(send().await);
    assert!(
        why.contains("403") && why.contains("Forbidden: bot was blocked by the user"),
        "{why}"
    );
    assert!(!why.contains("error_code"), "the description alone: {why}");
    let why = passing(send().await);
    assert!(
        why.contains("429") && why.contains("retry after 5"),
        "{why}"
    );
    let why = refused(send().await);
    assert!(why.contains("chat not found"), "{why}");
    let why = passing(send().await);
    assert!(why.contains("502"), "{why}");
    let why = refused(send().await);
    assert!(why.contains("/ok is not true"), "{why}");
}

#[tokio::test]
async fn telegrams_token_shows_in_no_debug_and_no_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let preset = presets::telegram(BOT_TOKEN, Some(&base));
    let shown = format!("{preset:?}");
    let provider = preset.provider().expect("settings");
    let shown = format!("{shown} {provider:?}");
    assert!(shown.contains("bot_token"), "{shown}");

    let why = passing(provider.send(&envelope("42")).await);
    for said in [shown, why] {
        assert!(
            !said.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") && !said.contains("123456789"),
            "{said}"
        );
    }
}

fn service_account(stand: &Stand) -> String {
    json!({
        "type": "service_account",
        "project_id": "demo-project",
        "private_key_id": "key-1",
        "private_key": KEY_PEM,
        "client_email": "push@demo-project.iam.gserviceaccount.com",
        "token_uri": format!("{}/token", stand.base),
    })
    .to_string()
}

const PUSH_TOKEN: &str = "fcm-token:APA91bH_x-1";

/// The test key's public half, to check signatures independently of `Fcm`.
fn public_key() -> Vec<u8> {
    let inside: String = KEY_PEM
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(inside).expect("base64");
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).expect("PKCS#8");
    ring::signature::KeyPair::public_key(&pair)
        .as_ref()
        .to_vec()
}

/// Checks the JWT's RS256 signature and returns its header and claims.
fn verified_jwt(jwt: &str) -> (Value, Value) {
    let (signed, signature) = jwt.rsplit_once('.').expect("three parts");
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        public_key(),
    )
    .verify(signed.as_bytes(), &signature)
    .expect("a valid RS256 signature");
    let (header, claims) = signed.split_once('.').expect("header.claims");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
    };
    (decode(header), decode(claims))
}

#[tokio::test]
async fn fcm_gets_a_signed_token_once_and_reuses_it() {
    let stand = Stand::start(|seen, _| match seen.path.as_str() {
        "/token" => answer(
            200,
            r#"{"access_token":"ya29.test-token","expires_in":3599,"token_type":"Bearer"}"#,
        ),
        _ => answer(
            200,
            r#"{"name":"projects/demo-project/messages/0:1500415314455276%31bd1c96"}"#,
        ),
    })
    .await;
    let fcm = Fcm::new(&service_account(&stand), Some(&stand.base)).expect("settings");

    let first = fcm.send(&envelope(PUSH_TOKEN)).await.expect("accepted");
    assert_eq!(
        first.provider_id.as_deref(),
        Some("projects/demo-project/messages/0:1500415314455276%31bd1c96")
    );
    fcm.send(&envelope(PUSH_TOKEN)).await.expect("accepted");

    let received = stand.received();
    let paths: Vec<&str> = received.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/token",
            "/v1/projects/demo-project/messages:send",
            "/v1/projects/demo-project/messages:send"
        ],
        "the second send reuses the token"
    );

    let token_request = received[0].form();
    assert_eq!(
        token_request["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    let (header, claims) = verified_jwt(&token_request["assertion"]);
    assert_eq!(
        header,
        json!({"alg": "RS256", "typ": "JWT", "kid": "key-1"})
    );
    assert_eq!(claims["iss"], "push@demo-project.iam.gserviceaccount.com");
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/firebase.messaging"
    );
    assert_eq!(claims["aud"], format!("{}/token", stand.base));
    let iat = claims["iat"].as_u64().expect("iat");
    assert_eq!(claims["exp"].as_u64(), Some(iat + 3600));

    for sent in &received[1..] {
        assert_eq!(sent.method, "POST");
        assert_eq!(sent.header("authorization"), "Bearer ya29.test-token");
        assert_eq!(
            sent.json(),
            json!({"message": {
                "token": PUSH_TOKEN,
                "notification": {"title": SUBJECT, "body": TEXT},
                "data": {"clientele_id": "msg-0001"}
            }})
        );
    }
}

#[tokio::test]
async fn fcm_drops_a_token_the_server_refuses() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let issued = tokens.clone();
    let stand = Stand::start(move |seen, n| match seen.path.as_str() {
        "/token" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            answer(200, format!(r#"{{"access_token":"tok-{n}","expires_in":3600}}"#))
        }
        _ if n == 1 => answer(
            401,
            r#"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#,
        ),
        _ => answer(200, r#"{"name":"projects/demo-project/messages/2"}"#),
    })
    .await;
    let fcm = Fcm::new(&service_account(&stand), Some(&stand.base)).expect("settings");

    let why = passing(fcm.send(&envelope(PUSH_TOKEN)).await);
    assert!(why.contains("invalid authentication credentials"), "{why}");
    fcm.send(&envelope(PUSH_TOKEN)).await.expect("accepted");

    assert_eq!(tokens.load(Ordering::SeqCst), 2);
    let last = stand.received().pop().expect("a send");
    assert_eq!(last.header("authorization"), "Bearer tok-2");
}

#[tokio::test]
async fn fcm_token_trouble_passes_and_a_dead_device_is_refused() {
    let stand = Stand::start(|seen, n| match (seen.path.as_str(), n) {
        ("/token", 0) => answer(400, r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#),
        // An absurd lifetime must not overflow the cache's clock.
        ("/token", _) => answer(
            200,
            r#"{"access_token":"tok","expires_in":18446744073709551615}"#,
        ),
        _ => answer(
            404,
            r#"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"#,
        ),
    })
    .await;
    let fcm = Fcm::new(&service_account(&stand), Some(&stand.base)).expect("settings");

    let why = passing(fcm.send(&envelope(PUSH_TOKEN)).await);
    assert!(
        why.contains("invalid_grant") && why.contains("400"),
        "{why}"
    );
    assert_eq!(stand.received().len(), 1, "no send without a token");

    let why = refused(fcm.send(&envelope(PUSH_TOKEN)).await);
    assert!(
        why.contains("404") && why.contains("Requested entity was not found"),
        "{why}"
    );
}

#[test]
fn a_broken_service_account_is_a_settings_error() {
    let account = |key: &str| {
        json!({"project_id": "p", "client_email": "e@p", "private_key": key}).to_string()
    };
    for json in [
        "not json".to_owned(),
        account("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----"),
        account("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
        account("ssh-rsa AAAA"),
    ] {
        let err = Fcm::new(&json, None).unwrap_err();
        assert_eq!(err.field(), "service_account", "{json}: {err}");
    }
    let fine = json!({
        "project_id": "p", "client_email": "e@p", "private_key": KEY_PEM, "token_uri": "ftp://x"
    });
    assert_eq!(
        Fcm::new(&fine.to_string(), None).unwrap_err().field(),
        "service_account"
    );
}

fn delivered(id: &str) -> DeliveryReport {
    DeliveryReport {
        provider_id: id.to_owned(),
        status: ReportedStatus::Delivered,
    }
}

fn failure(report: &DeliveryReport) -> &str {
    match &report.status {
        ReportedStatus::Failed(why) => why,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn sms_ru_reports_are_read() {
    let body = "data%5B0%5D=sms_status%0A000000-10000001%0A103%0A1700000000\
                &data%5B1%5D=sms_status%0A000000-10000002%0A104%0A1700000001\
                &data%5B2%5D=sms_status%0A000000-10000003%0A102%0A1700000002\
                &data%5B3%5D=callback_check%0A1";
    let reports = report::sms_ru(body.as_bytes()).expect("reports");
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0], delivered("000000-10000001"));
    assert!(failure(&reports[1]).contains("104"), "{reports:?}");
    assert_eq!(reports[2].status, ReportedStatus::Pending);

    assert_eq!(
        report::sms_ru(b"data%5B0%5D=sms_status%0Aid-1%0A999").unwrap_err(),
        ReportError::UnknownStatus("999".to_owned())
    );
    assert_eq!(
        report::sms_ru(b"data%5B0%5D=sms_status").unwrap_err(),
        ReportError::Missing("sms_id".to_owned())
    );
    assert_eq!(
        report::sms_ru(b"\xff\x00garbage").unwrap_err(),
        ReportError::Empty
    );
}

#[test]
fn smsc_reports_are_read() {
    let read = |body: &str| report::smsc(body.as_bytes());
    assert_eq!(
        read("id=4208&phone=%2B79123456789&status=1&err=0").expect("report"),
        [delivered("4208")]
    );
    let reports = read("id=4209&phone=%2B79123456789&status=20&err=1").expect("report");
    assert!(failure(&reports[0]).contains("status 20") && failure(&reports[0]).contains("error 1"));
    assert_eq!(
        read("id=4210&status=0").expect("report")[0].status,
        ReportedStatus::Pending
    );
    assert_eq!(
        read("id=4208&phone=1").unwrap_err(),
        ReportError::Missing("status".to_owned())
    );
    assert_eq!(
        read("id=1&status=77").unwrap_err(),
        ReportError::UnknownStatus("77".to_owned())
    );
    assert_eq!(
        report::smsc(b"\x00\xff").unwrap_err(),
        ReportError::Missing("id".to_owned())
    );
}

#[test]
fn infobip_reports_are_read() {
    let body = json!({"results": [
        {"messageId": "msg-0001", "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET"}},
        {"messageId": "msg-0002", "status": {"groupId": 5, "groupName": "REJECTED", "name": "REJECTED_DESTINATION"},
         "error": {"groupName": "USER_ERRORS", "name": "EC_ABSENT_SUBSCRIBER", "description": "Absent subscriber"}},
        {"messageId": "msg-0003", "status": {"groupName": "PENDING", "name": "PENDING_ENROUTE"}}
    ]});
    let reports = report::infobip(body.to_string().as_bytes()).expect("reports");
    assert_eq!(reports[0], delivered("msg-0001"));
    assert_eq!(
        failure(&reports[1]),
        "Infobip REJECTED: REJECTED_DESTINATION: Absent subscriber"
    );
    assert_eq!(reports[2].status, ReportedStatus::Pending);

    assert!(matches!(
        report::infobip(b"<xml/>"),
        Err(ReportError::NotJson(_))
    ));
    assert_eq!(
        report::infobip(br#"{"results":"x"}"#).unwrap_err(),
        ReportError::Missing("results".to_owned())
    );
    assert_eq!(
        report::infobip(br#"{"results":[]}"#).unwrap_err(),
        ReportError::Empty
    );
}

#[test]
fn generic_reports_follow_their_template() {
    let json_template: ReportTemplate = serde_json::from_str(
        r#"{"format": "json", "id": "/sms/id", "status": "/sms/state",
            "delivered": ["DELIVRD"], "failed": ["UNDELIV", "EXPIRED"], "reason": "/sms/why"}"#,
    )
    .expect("template");
    let reports = json_template
        .parse(
            br#"[{"sms":{"id":"a1","state":"DELIVRD"}},
                 {"sms":{"id":7,"state":"UNDELIV","why":"switched off"}},
                 {"sms":{"id":"a3","state":"EXPIRED"}},
                 {"sms":{"id":"a4","state":"ENROUTE"}}]"#,
        )
        .expect("reports");
    assert_eq!(reports[0], delivered("a1"));
    assert_eq!(reports[1].provider_id, "7");
    assert_eq!(failure(&reports[1]), "switched off");
    assert_eq!(failure(&reports[2]), "EXPIRED");
    assert_eq!(reports[3].status, ReportedStatus::Pending);
    assert_eq!(
        json_template
            .parse(br#"{"sms":{"state":"DELIVRD"}}"#)
            .unwrap_err(),
        ReportError::Missing("/sms/id".to_owned())
    );
    assert!(matches!(
        json_template.parse(b"\x00garbage"),
        Err(ReportError::NotJson(_))
    ));

    let form_template: ReportTemplate = serde_json::from_str(
        r#"{"format": "form", "id": "msgid", "status": "stat", "delivered": ["2"], "failed": ["5"]}"#,
    )
    .expect("template");
    assert_eq!(
        form_template.parse(b"msgid=x%2F1&stat=2").expect("report"),
        [delivered("x/1")]
    );
    assert_eq!(
        form_template.parse(b"stat=2").unwrap_err(),
        ReportError::Missing("msgid".to_owned())
    );
}

#[test]
fn signatures_are_checked() {
    let secret = b"webhook-secret";
    let body = br#"{"results":[{"messageId":"msg-0001"}]}"#;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("key");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    assert_eq!(report::verify_signature(secret, body, &hex), Ok(()));
    assert_eq!(
        report::verify_signature(secret, body, &hex.to_uppercase()),
        Ok(())
    );
    assert_eq!(
        report::verify_signature(secret, body, &format!(" sha256={hex} ")),
        Ok(())
    );
    let mut tampered = body.to_vec();
    tampered[5] ^= 1;
    assert_eq!(
        report::verify_signature(secret, &tampered, &hex),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        report::verify_signature(b"other-secret", body, &hex),
        Err(SignatureError::Mismatch)
    );
    for bad in ["", "zz", &hex[..62], &format!("{}+f", &hex[..62])] {
        assert_eq!(
            report::verify_signature(secret, body, bad),
            Err(SignatureError::Malformed),
            "{bad:?}"
        );
    }
}
