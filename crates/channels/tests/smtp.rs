//! `Smtp` against a real SMTP server ([`SmtpSink`]); each test starts its own.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clientele_channels::sink::{SmtpSink, free_port, settings};
use clientele_channels::{Courier, Envelope, SendError, Smtp};
use mail_parser::{MessageParser, MimeHeaders};

/// Cyrillic, and a line of a lone dot, which SMTP must escape.
const TEXT: &str =
    "Здравствуйте, Анна!\n\nНа вашу карту начислено 250 баллов.\n.\nСтрока с точкой выше.";

fn envelope(id: &str, to: &str) -> Envelope {
    Envelope {
        id: id.to_owned(),
        to: to.to_owned(),
        subject: "Вам начислено 250 баллов".to_owned(),
        text: TEXT.to_owned(),
        html: None,
        unsubscribe: None,
    }
}

#[tokio::test]
async fn a_plain_text_message_arrives_as_sent() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");

    let accepted = smtp
        .send(&envelope("msg-0001", "anna@example.org"))
        .await
        .expect("sent");
    let provider_id = accepted.provider_id.expect("the server's reply");
    assert!(provider_id.contains("queued as"), "{provider_id}");

    let raw = server.only_message();
    let message = MessageParser::default().parse(&raw).expect("parsed");
    let to = message.to().and_then(|a| a.first()).expect("To");
    assert_eq!(to.address(), Some("anna@example.org"));
    let from = message.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from.address(), Some("shop@zerno.example"));
    assert_eq!(from.name(), Some("Кофейня Зерно"));
    assert_eq!(message.subject(), Some("Вам начислено 250 баллов"));
    assert_eq!(message.message_id(), Some("msg-0001@zerno.example"));
    assert_eq!(message.parts.len(), 1, "one part, the text");
    let text = message.body_text(0).expect("text");
    assert_eq!(text.replace("\r\n", "\n"), TEXT);
    let content_type = message.content_type().expect("Content-Type");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("text", Some("plain"))
    );
    assert!(message.header_raw("List-Unsubscribe").is_none());
    assert!(message.header_raw("List-Unsubscribe-Post").is_none());
    assert!(message.header_raw("Date").is_some());
    // The envelope recipient is the one address, nothing more.
    assert_eq!(
        message.header_raw("X-RcptTo").map(str::trim),
        Some("anna@example.org")
    );
}

#[tokio::test]
async fn html_and_unsubscribe_make_an_alternative_with_one_click_headers() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");
    let mut sent = envelope("msg-0002", "anna@example.org");
    sent.html = Some("<p>На вашу карту начислено <b>250</b> баллов.</p>".to_owned());
    let url = "https://zerno.example/u/7f3a9c?c=42";
    sent.unsubscribe = Some(url.to_owned());

    smtp.send(&sent).await.expect("sent");

    let raw = server.only_message();
    let message = MessageParser::default().parse(&raw).expect("parsed");
    let content_type = message.content_type().expect("Content-Type");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("multipart", Some("alternative"))
    );
    assert_eq!(message.text_body_count(), 1);
    assert_eq!(message.html_body_count(), 1);
    assert!(
        message
            .body_text(0)
            .expect("text")
            .contains("начислено 250 баллов")
    );
    assert_eq!(
        message.body_html(0).expect("html"),
        "<p>На вашу карту начислено <b>250</b> баллов.</p>"
    );
    assert_eq!(
        message.header_raw("List-Unsubscribe").map(str::trim),
        Some(format!("<{url}>").as_str())
    );
    assert_eq!(
        message.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
}

/// On a multi-threaded runtime, like the server's. A connection is back in
/// the pool before `send` returns, so one after another the messages all
/// take the same one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_reuses_its_connections() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");
    for i in 0..10 {
        smtp.send(&envelope(&format!("msg-c{i}"), "anna@example.org"))
            .await
            .expect("sent");
    }

    let mut peers: Vec<String> = server
        .received()
        .iter()
        .map(|raw| {
            let message = MessageParser::default().parse(raw).expect("parsed");
            message
                .header_raw("X-Peer")
                .expect("X-Peer")
                .trim()
                .to_owned()
        })
        .collect();
    assert_eq!(peers.len(), 10);
    peers.sort();
    peers.dedup();
    assert_eq!(
        peers.len(),
        1,
        "10 messages came over {} connections: {peers:?}",
        peers.len()
    );
}

#[tokio::test]
async fn nobody_listening_is_passing() {
    let smtp = Smtp::new(&settings(free_port())).expect("settings");
    let err = smtp
        .send(&envelope("msg-0005", "anna@example.org"))
        .await
        .expect_err("nobody listens");
    assert!(matches!(err, SendError::Passing(_)), "{err:?}");
}

#[tokio::test]
async fn a_5xx_recipient_is_refused_and_a_4xx_is_passing() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");

    let err = smtp
        .send(&envelope("msg-0006", "nobody@example.org"))
        .await
        .expect_err("refused");
    match &err {
        SendError::Refused(text) => assert!(text.contains("550"), "{text}"),
        other => panic!("a 550 should be Refused, got {other:?}"),
    }

    let err = smtp
        .send(&envelope("msg-0007", "busy@example.org"))
        .await
        .expect_err("deferred");
    match &err {
        SendError::Passing(text) => assert!(text.contains("451"), "{text}"),
        other => panic!("a 451 should be Passing, got {other:?}"),
    }

    // The refusals spoil nothing for the next message.
    smtp.send(&envelope("msg-0008", "anna@example.org"))
        .await
        .expect("sent after refusals");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_malformed_address_is_refused_without_a_connection() {
    let smtp = Smtp::new(&settings(free_port())).expect("settings");
    let err = smtp
        .send(&envelope("msg-0009", "anna at example.org"))
        .await
        .expect_err("malformed");
    assert!(matches!(err, SendError::Refused(_)), "{err:?}");
}

#[test]
fn a_bad_from_is_named_in_the_error() {
    let mut bad = settings(2525);
    bad.from = "the shop".to_owned();
    let err = Smtp::new(&bad).expect_err("bad from");
    assert_eq!(err.field(), "from");
    let sentence = err.to_string();
    assert!(sentence.contains("`from`"), "{sentence}");
    assert!(sentence.contains("the shop"), "{sentence}");
}

#[tokio::test]
async fn check_says_whether_the_server_answers() {
    let server = SmtpSink::start();
    Smtp::new(&server.settings())
        .expect("settings")
        .check()
        .await
        .expect("the server answers");

    let err = Smtp::new(&settings(free_port()))
        .expect("settings")
        .check()
        .await
        .expect_err("nobody listens");
    assert!(matches!(err, SendError::Passing(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_speaks_times_out_as_passing() {
    // Takes the connection (the kernel's backlog does) and never greets.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("address").port();
    let smtp = Smtp::new(&settings(port))
        .expect("settings")
        .with_timeout(Duration::from_millis(300));

    let started = Instant::now();
    let err = smtp
        .send(&envelope("msg-0010", "anna@example.org"))
        .await
        .expect_err("silent server");
    assert!(matches!(err, SendError::Passing(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(silent);
}

#[test]
fn dropped_outside_a_runtime_it_does_not_panic() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(smtp.send(&envelope("msg-0011", "anna@example.org")))
        .expect("sent");
    drop(runtime);
    drop(smtp);
}

/// Guards against Nagle's algorithm: lettre writes a message's end
/// (`\r\n.\r\n`) as a separate small write, which without TCP_NODELAY waits
/// for the server's delayed ACK, 40 ms a message (some 8 s for these 200).
#[tokio::test]
async fn sequential_messages_do_not_wait_for_delayed_acks() {
    let server = SmtpSink::start();
    let smtp = Smtp::new(&server.settings()).expect("settings");
    let started = Instant::now();
    for i in 0..200 {
        smtp.send(&envelope(&format!("msg-s{i}"), "anna@example.org"))
            .await
            .expect("sent");
    }
    let took = started.elapsed();
    eprintln!(
        "200 messages one after another: {:.2} s, {:.0} messages/s",
        took.as_secs_f64(),
        200.0 / took.as_secs_f64()
    );
    assert_eq!(server.received().len(), 200);
    assert!(took < Duration::from_secs(4), "200 messages took {took:?}");
}

/// Eight sends at once on one courier, as the outbox's workers do; prints
/// the throughput, which depends too much on the machine to assert.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_sends_at_once() {
    const MESSAGES: usize = 1000;
    const AT_ONCE: usize = 8;
    let server = SmtpSink::start();
    let smtp = Arc::new(Smtp::new(&server.settings()).expect("settings"));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..AT_ONCE {
        let smtp = Arc::clone(&smtp);
        workers.spawn(async move {
            for i in (worker..MESSAGES).step_by(AT_ONCE) {
                smtp.send(&envelope(&format!("msg-p{i}"), "anna@example.org"))
                    .await
                    .expect("sent");
            }
        });
    }
    workers.join_all().await;
    let took = started.elapsed();
    eprintln!(
        "{MESSAGES} messages, {AT_ONCE} at once: {:.2} s, {:.0} messages/s",
        took.as_secs_f64(),
        MESSAGES as f64 / took.as_secs_f64()
    );
    assert_eq!(server.received().len(), MESSAGES);
}

#[tokio::test]
async fn a_counting_sink_notes_each_message_id() {
    let server = SmtpSink::start_counting();
    let smtp = Smtp::new(&server.settings()).expect("settings");
    for id in ["m1-1", "m1-2", "m2-3"] {
        smtp.send(&envelope(id, "anna@example.org"))
            .await
            .expect("taken");
    }
    let ids = server.counted();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(
        ids[0].starts_with("<m1-1@") && ids[2].starts_with("<m2-3@"),
        "{ids:?}"
    );
}
