//! Campaigns: a template's words, filled in for each customer, reach a
//! real SMTP server (aiosmtpd) once per customer, only where they agreed;
//! a campaign can be cancelled within its window, holds out its control
//! group and reports what it did.

use crate::common;

use clientele_app::progress::Silent;
use common::{TestServer, engines, mail, shop};
use mail_parser::MessageParser;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn customer(server: &TestServer, body: Value) -> i64 {
    let (status, created) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn template(server: &TestServer) -> i64 {
    let (status, created) = server
        .post(
            "/api/v1/templates",
            json!({
                "name": "Зимняя распродажа",
                "locale": "ru",
                "subject": "{{ first_name }}, скидки для вас",
                "body": "Здравствуйте, {{ name }}! У вас {{ balance }} баллов.",
                "html": "<html><body><p>Здравствуйте, <b>{{ name }}</b>!</p></body></html>",
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

fn problem_fields(answer: &Value) -> Vec<(String, String)> {
    answer["errors"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_campaign_reaches_each_customer_once_in_their_own_words() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let anna = customer(
            &server,
            json!({"name": "Иванова Анна Сергеевна", "email": "anna@example.ru",
                   "consents": {"email": true}}),
        )
        .await;
        customer(
            &server,
            json!({"name": "Борис", "email": "boris@example.ru"}),
        )
        .await;
        customer(
            &server,
            json!({"name": "<script>Вера</script>", "email": "vera@example.ru",
                   "consents": {"email": true}}),
        )
        .await;
        let (status, given) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [anna], "points": 125_000, "comment": "Подарок",
                       "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "{given}");
        // The gift's own message goes first, apart from the campaign.
        server.app.deliver_due_messages().await.unwrap();
        let before = sink.received().len();

        // Bad words and bad campaigns are refused, and nothing is kept.
        let (status, refused) = server
            .post(
                "/api/v1/templates",
                json!({"name": "Опечатка", "locale": "ru", "body": "Привет, {{ nmae }}"}),
            )
            .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(
            problem_fields(&refused),
            vec![("body".into(), "unknown_placeholder".into())]
        );
        let template = template(&server).await;
        let (status, nobody) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Никто", "kind": "static", "customer_ids": []}),
            )
            .await;
        assert_eq!(status, 201, "{nobody}");
        let empty_segment = nobody["id"].as_i64().unwrap();
        let (status, refused) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Плохая", "template_id": template, "channels": ["fax"]}),
            )
            .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(
            problem_fields(&refused),
            vec![("channels".into(), "unknown_channel".into())]
        );
        let (status, refused) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Пустая", "template_id": template, "segment_id": empty_segment}),
            )
            .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(
            problem_fields(&refused),
            vec![("segment_id".into(), "no_recipients".into())]
        );
        let (status, refused) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Без шаблона", "template_id": 999_999}),
            )
            .await;
        assert_eq!(status, 404, "{refused}");
        let (_, campaigns) = server.get("/api/v1/campaigns").await;
        assert_eq!(campaigns, json!({"items": []}), "nothing was kept");

        let (status, campaign) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Зима", "template_id": template, "channels": ["email"],
                       "cancel_window_mins": 0}),
            )
            .await;
        assert_eq!(status, 201, "{campaign}");
        assert_eq!(campaign["state"], "scheduled");
        let id = campaign["id"].as_i64().unwrap();

        // The worker queues it once, however often it looks.
        assert_eq!(server.app.queue_due_campaigns(&Silent).await.unwrap(), 3);
        assert_eq!(server.app.queue_due_campaigns(&Silent).await.unwrap(), 0);
        let report = server.app.deliver_due_messages().await.unwrap();
        assert_eq!((report.claimed, report.sent), (3, 2), "{report:?}");
        assert_eq!(server.app.deliver_due_messages().await.unwrap().claimed, 0);

        let received: Vec<Vec<u8>> = sink.received().into_iter().skip(before).collect();
        assert_eq!(received.len(), 2, "Anna and Vera agreed; Boris did not");
        let raw_to = |address: &str| {
            received
                .iter()
                .find(|raw| {
                    let mail = MessageParser::default().parse(raw.as_slice()).unwrap();
                    mail.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(address)
                })
                .unwrap_or_else(|| panic!("no e-mail to {address}"))
        };
        let to = |address: &str| MessageParser::default().parse(raw_to(address)).unwrap();
        let to_anna = to("anna@example.ru");
        assert_eq!(to_anna.subject(), Some("Анна, скидки для вас"));
        let text = to_anna.body_text(0).unwrap();
        assert!(
            text.contains("Здравствуйте, Иванова Анна Сергеевна! У вас 1\u{a0}250 баллов."),
            "{text}"
        );
        let to_vera = to("vera@example.ru");
        let html = to_vera.body_html(0).unwrap();
        assert!(
            html.contains("<b>&lt;script&gt;Вера&lt;/script&gt;</b>"),
            "the name is escaped into the marketer's HTML: {html}"
        );
        assert!(html.contains("/unsubscribe/"), "{html}");

        let (status, counted) = server.get(&format!("/api/v1/campaigns/{id}")).await;
        assert_eq!(status, 200, "{counted}");
        assert_eq!(counted["state"], "queued");
        assert_eq!(counted["recipients"], 3);
        assert_eq!(counted["counts"]["sent"], 2);
        assert_eq!(counted["counts"]["by_state"]["no_consent"], 1);
        assert_eq!(counted["counts"]["by_reason"]["consent_not_given"], 1);
        assert_eq!(counted["counts"]["unsubscribed"], 0);

        // Anna leaves by the campaign's link: the campaign counts it.
        let link = mail::unsubscribe_link(raw_to("anna@example.ru"));
        let response = reqwest::Client::new().post(&link).send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        let (_, counted) = server.get(&format!("/api/v1/campaigns/{id}")).await;
        assert_eq!(counted["counts"]["unsubscribed"], 1);

        let (status, report) = server.get(&format!("/api/v1/campaigns/{id}/report")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["recipients"]["customers"], 3);
        assert_eq!(report["control"]["customers"], 0);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_campaign_is_cancelled_within_its_window_and_keeps_its_control_group() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        for n in 0..40 {
            customer(
                &server,
                json!({"name": format!("Покупатель {n}"), "email": format!("c{n}@example.ru"),
                       "consents": {"email": true}}),
            )
            .await;
        }
        let template = template(&server).await;
        let (status, campaign) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "По ошибке", "template_id": template, "channels": ["email"],
                       "holdout_bp": 2500}),
            )
            .await;
        assert_eq!(status, 201, "{campaign}");
        assert_eq!(campaign["cancel_window_mins"], 10);
        let id = campaign["id"].as_i64().unwrap();
        server.app.queue_due_campaigns(&Silent).await.unwrap();
        let (_, queued) = server.get(&format!("/api/v1/campaigns/{id}")).await;
        let (recipients, held_out) = (
            queued["recipients"].as_i64().unwrap(),
            queued["held_out"].as_i64().unwrap(),
        );
        assert_eq!(recipients + held_out, 40, "{queued}");
        assert!((3..=18).contains(&held_out), "a quarter or so: {held_out}");

        // Within the window nothing leaves; a cancel withdraws it all.
        assert_eq!(server.app.deliver_due_messages().await.unwrap().claimed, 0);
        let (status, cancelled) = server
            .post(&format!("/api/v1/campaigns/{id}/cancel"), json!({}))
            .await;
        assert_eq!(status, 200, "{cancelled}");
        assert_eq!(cancelled["withdrawn"], recipients);
        let (status, again) = server
            .post(&format!("/api/v1/campaigns/{id}/cancel"), json!({}))
            .await;
        assert_eq!(status, 409, "{again}");
        let (_, counted) = server.get(&format!("/api/v1/campaigns/{id}")).await;
        assert_eq!(counted["state"], "cancelled");
        assert_eq!(
            counted["counts"]["by_reason"]["campaign_cancelled"],
            recipients
        );
        assert_eq!(counted["counts"]["waiting"], 0);
        let (_, report) = server.get(&format!("/api/v1/campaigns/{id}/report")).await;
        assert_eq!(report["control"]["customers"], held_out);
        assert!(sink.received().is_empty(), "nothing was sent");
        server.stop().await;
    }
}

/// An attached offer that asks for single-use coupons: each recipient is
/// issued one of their own when the campaign is queued, and their message
/// names it; the control group gets none.
#[tokio::test]
async fn a_campaign_issues_each_recipient_a_coupon_of_its_offer() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let mut customers = Vec::new();
        for n in 0..40 {
            let id = customer(
                &server,
                json!({"name": format!("Покупатель {n}"), "email": format!("c{n}@example.ru"),
                       "consents": {"email": true}}),
            )
            .await;
            customers.push(id);
        }
        let (status, offer) = server
            .post(
                "/api/v1/offers",
                json!({"name": "Скидка по купону", "reward": "percent_off", "reward_value": 1000,
                       "coupon": "unique"}),
            )
            .await;
        assert_eq!(status, 201, "{offer}");
        let (status, words) = server
            .post(
                "/api/v1/templates",
                json!({"name": "Купон", "locale": "ru", "subject": "Ваш купон",
                       "body": "{{ first_name }}, ваш купон {{ coupon }} на «{{ offer }}»."}),
            )
            .await;
        assert_eq!(status, 201, "{words}");
        let (status, campaign) = server
            .post(
                "/api/v1/campaigns",
                json!({"name": "Купоны", "template_id": words["id"], "channels": ["email"],
                       "offer_id": offer["id"], "holdout_bp": 2500, "cancel_window_mins": 0}),
            )
            .await;
        assert_eq!(status, 201, "{campaign}");
        server.app.queue_due_campaigns(&Silent).await.unwrap();
        let (_, counted) = server
            .get(&format!("/api/v1/campaigns/{}", campaign["id"]))
            .await;
        let recipients = counted["recipients"].as_u64().unwrap() as usize;
        let held_out = counted["held_out"].as_u64().unwrap() as usize;
        assert_eq!(recipients + held_out, 40, "{counted}");
        assert!(held_out > 0 && recipients > 0, "{counted}");
        while server.app.deliver_due_messages().await.unwrap().claimed > 0 {}

        let mut codes = std::collections::HashSet::new();
        for raw in sink.received() {
            let mail = MessageParser::default().parse(raw.as_slice()).unwrap();
            let text = mail.body_text(0).unwrap();
            let code = text
                .split("ваш купон ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .unwrap_or_else(|| panic!("no coupon in {text}"))
                .to_owned();
            assert!(text.contains("на «Скидка по купону»"), "{text}");
            let (status, coupon) = server.get(&format!("/api/v1/coupons/{code}")).await;
            assert_eq!(status, 200, "{coupon}");
            let to = mail.to().and_then(|a| a.first()).and_then(|a| a.address());
            let n: usize = to.unwrap()[1..].split('@').next().unwrap().parse().unwrap();
            assert_eq!(
                coupon["customer_id"], customers[n],
                "{code} is {to:?}'s own"
            );
            assert!(codes.insert(code), "each recipient has a code of their own");
        }
        assert_eq!(codes.len(), recipients);
        let offer = clientele_domain::OfferId(offer["id"].as_i64().unwrap());
        let issued = server.app.coupons_of(offer, None, 100).await.unwrap();
        assert_eq!(issued.len(), recipients, "none for the control group");
        server.stop().await;
    }
}
