//! Triggers send themselves on their occasions, once per customer,
//! however often the scan runs, and only from when they are switched on.

use crate::common;

use common::{TestServer, engines, mail, shop};
use mail_parser::MessageParser;
use serde_json::{Value, json};

async fn customer(server: &TestServer, name: &str, email: &str) -> i64 {
    let (status, created) = server
        .post(
            "/api/v1/customers",
            json!({"name": name, "email": email, "consents": {"email": true}}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn template(server: &TestServer, name: &str, body: &str) -> i64 {
    let (status, created) = server
        .post(
            "/api/v1/templates",
            json!({"name": name, "locale": "ru", "subject": "Новости", "body": body}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn trigger(server: &TestServer, body: Value) -> (u16, Value) {
    server.post("/api/v1/triggers", body).await
}

fn texts(sink: &clientele_channels::sink::SmtpSink) -> Vec<String> {
    sink.received()
        .iter()
        .map(|raw| {
            let mail = MessageParser::default().parse(raw.as_slice()).unwrap();
            mail.body_text(0).unwrap().into_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_welcome_goes_once_to_those_who_join_after_it_is_on() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        customer(&server, "Анна Старая", "anna@example.ru").await;
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_secs(1));
        let welcome = template(&server, "Привет", "Добро пожаловать, {{ first_name }}!").await;

        // Bad terms are refused and keep nothing.
        let (status, refused) = trigger(
            &server,
            json!({"kind": "win_back", "template_id": welcome, "active": true}),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["errors"][0]["field"], "days");
        let (status, refused) =
            trigger(&server, json!({"kind": "party", "template_id": welcome})).await;
        assert_eq!(status, 422, "{refused}");
        let (_, listed) = server.get("/api/v1/triggers").await;
        assert_eq!(listed, json!({"items": []}));

        let (status, on) = trigger(
            &server,
            json!({"kind": "welcome", "template_id": welcome, "channels": ["email"],
                   "active": true}),
        )
        .await;
        assert_eq!(status, 201, "{on}");
        let (status, twice) =
            trigger(&server, json!({"kind": "welcome", "template_id": welcome})).await;
        assert_eq!(status, 409, "one trigger of a kind: {twice}");

        let boris = customer(&server, "Борис", "boris@example.ru").await;
        let report = server.app.run_triggers().await.unwrap();
        assert_eq!(
            report.queued,
            vec![(clientele_domain::trigger::TriggerKind::Welcome, 1)],
            "Anna joined before the trigger was on"
        );
        let again = server.app.run_triggers().await.unwrap();
        assert_eq!(again.queued[0].1, 0, "once per customer");
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(texts(&sink).len(), 1);
        assert!(
            texts(&sink)[0].starts_with("Добро пожаловать, Борис!"),
            "{:?}",
            texts(&sink)
        );
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={boris}"))
            .await;
        assert_eq!(messages["items"][0]["source"], "trigger");
        assert_eq!(messages["items"][0]["state"], "sent");
        // The triggers' page counts what each one's messages made.
        let tallies = server.app.trigger_tallies(30).await.unwrap();
        let id = clientele_domain::TriggerId(on["id"].as_i64().unwrap());
        assert_eq!((tallies[&id].sent, tallies[&id].stopped), (1, 0));
        assert_eq!(tallies.len(), 1);

        // Switched off, it sends nothing more.
        let (status, off) = server
            .send(
                reqwest::Method::PUT,
                &format!("/api/v1/triggers/{}", on["id"]),
                json!({"template_id": welcome, "channels": ["email"], "active": false,
                       "version": on["version"]}),
            )
            .await;
        assert_eq!(status, 200, "{off}");
        customer(&server, "Вера", "vera@example.ru").await;
        assert!(server.app.run_triggers().await.unwrap().queued.is_empty());
        server.stop().await;
    }
}

#[tokio::test]
async fn a_tier_raise_is_told_once_in_the_customers_words() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let (_, programs) = server.get("/api/v1/programs").await;
        let program = programs["items"][0]["id"].as_i64().unwrap();
        let (status, gold) = server
            .post(
                "/api/v1/tiers",
                json!({"program_id": program, "name": "Золото", "threshold_minor": 1_000_000}),
            )
            .await;
        assert_eq!(status, 201, "{gold}");
        let anna = customer(&server, "Анна", "anna@example.ru").await;
        let raised = template(
            &server,
            "Уровень",
            "{{ first_name }}, ваш уровень: {{ tier }}",
        )
        .await;
        let (status, on) = trigger(
            &server,
            json!({"kind": "tier_raised", "template_id": raised, "channels": ["email"],
                   "active": true}),
        )
        .await;
        assert_eq!(status, 201, "{on}");
        assert!(server.app.run_triggers().await.unwrap().queued[0].1 == 0);

        let (status, assigned) = server
            .post(
                "/api/v1/tiers/assignments",
                json!({"customer_ids": [anna], "tier_id": gold["id"]}),
            )
            .await;
        assert_eq!(status, 200, "{assigned}");
        let report = server.app.run_triggers().await.unwrap();
        assert_eq!(report.queued[0].1, 1, "{report:?}");
        assert_eq!(server.app.run_triggers().await.unwrap().queued[0].1, 0);
        server.app.deliver_due_messages().await.unwrap();
        let texts = texts(&sink);
        assert_eq!(texts.len(), 1);
        assert!(
            texts[0].starts_with("Анна, ваш уровень: Золото\r\n"),
            "{texts:?}"
        );
        server.stop().await;
    }
}
