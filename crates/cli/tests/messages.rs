//! Messages leave through the outbox by e-mail to a real SMTP server
//! (aiosmtpd), only to customers who agreed, each with a way out that
//! needs no sign-in.

use crate::common;

use common::{TestServer, engines, mail, shop};
use mail_parser::MessageParser;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn customer(server: &TestServer, body: Value) -> i64 {
    let (status, created) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn give(server: &TestServer, customers: &[i64], message: &str) {
    let (status, answer) = server
        .post(
            "/api/v1/points/adjustments",
            json!({"customer_ids": customers, "points": 100, "comment": "За отзыв",
                   "message": message, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
}

async fn messages_of(server: &TestServer, customer: i64) -> Vec<Value> {
    let (status, page) = server
        .get(&format!("/api/v1/messages?customer_id={customer}"))
        .await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn points_by_hand_reach_the_customer_by_email_until_they_unsubscribe() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let anna = customer(
            &server,
            json!({"name": "Анна", "email": "anna@example.ru", "consents": {"email": true}}),
        )
        .await;
        let boris = customer(
            &server,
            json!({"name": "Борис", "email": "boris@example.ru"}),
        )
        .await;
        let vera = customer(
            &server,
            json!({"name": "Вера", "phone": "+79161230000", "consents": {"sms": true}}),
        )
        .await;

        give(
            &server,
            &[anna, boris, vera],
            "Анна, вам 100 баллов за отзыв! <b>Спасибо</b>",
        )
        .await;
        for id in [anna, boris, vera] {
            assert_eq!(messages_of(&server, id).await[0]["state"], "queued");
        }
        let report = server.app.deliver_due_messages().await.unwrap();
        assert_eq!(
            (report.claimed, report.sent, report.stopped),
            (3, 1, 2),
            "{report:?}"
        );

        let sent = &messages_of(&server, anna).await[0];
        assert_eq!(
            (
                &sent["state"],
                &sent["channel"],
                &sent["address"],
                &sent["source"]
            ),
            (
                &json!("sent"),
                &json!("email"),
                &json!("anna@example.ru"),
                &json!("manual")
            )
        );
        assert!(
            sent["provider_id"].as_str().unwrap().contains("queued as"),
            "{sent}"
        );
        let unagreed = &messages_of(&server, boris).await[0];
        assert_eq!(
            (&unagreed["state"], &unagreed["reason"]),
            (&json!("no_consent"), &json!("consent_not_given"))
        );
        // SMS is not set up and Vera left no e-mail.
        let unreachable = &messages_of(&server, vera).await[0];
        assert_eq!(
            (&unreachable["state"], &unreachable["reason"]),
            (&json!("no_contact"), &json!("no_address"))
        );

        // The e-mail: to Anna, her text as sent, escaped in HTML, with the
        // one-click way out in its headers and its body.
        let raw = sink.only_message();
        let received = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            received
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address()),
            Some("anna@example.ru")
        );
        assert_eq!(
            received.subject(),
            Some("Анна, вам 100 баллов за отзыв! <b>Спасибо</b>")
        );
        let text = received.body_text(0).unwrap();
        assert!(text.contains("вам 100 баллов"), "{text}");
        let html = received.body_html(0).unwrap();
        assert!(html.contains("&lt;b&gt;Спасибо&lt;/b&gt;"), "{html}");
        let link = mail::unsubscribe_link(&raw);
        assert!(
            link.starts_with(&format!("{}/unsubscribe/", server.base)),
            "{link}"
        );
        assert!(
            text.contains(&link) && html.contains(&link),
            "{text}\n{html}"
        );
        assert!(received.header_raw("List-Unsubscribe-Post").is_some());

        // The link asks first, then a one-click POST withdraws the consent,
        // with no sign-in.
        let customer_side = reqwest::Client::new();
        let asked = customer_side.get(&link).send().await.unwrap();
        assert_eq!(asked.status(), 200);
        let page = asked.text().await.unwrap();
        assert!(
            page.contains("Больше не получать от нас письма по электронной почте?"),
            "{page}"
        );
        let (_, before) = server.get(&format!("/api/v1/customers/{anna}")).await;
        assert_eq!(before["consents"]["email"]["granted"], true);
        let done = customer_side
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 200);
        assert!(done.text().await.unwrap().contains("Вы отписались"));
        let (_, after) = server.get(&format!("/api/v1/customers/{anna}")).await;
        assert_eq!(
            (
                &after["consents"]["email"]["granted"],
                &after["consents"]["email"]["source"]
            ),
            (&json!(false), &json!("unsubscribe"))
        );
        let (_, audit) = server
            .get(&format!(
                "/api/v1/audit?customer_id={anna}&action=customer.unsubscribe"
            ))
            .await;
        assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");

        // Withdrawn after the next message was queued: it does not leave.
        give(&server, &[anna], "Ещё 100 баллов").await;
        server.app.deliver_due_messages().await.unwrap();
        let stopped = &messages_of(&server, anna).await[0];
        assert_eq!(
            (&stopped["state"], &stopped["reason"]),
            (&json!("no_consent"), &json!("consent_withdrawn"))
        );
        assert_eq!(sink.received().len(), 1);

        // A link made up or cut short unsubscribes nobody.
        let forged = format!("{}x", &link[..link.len() - 1]);
        let refused = customer_side.post(&forged).send().await.unwrap();
        assert_eq!(refused.status(), 404);
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("Ссылка неверна или устарела")
        );
        let english = customer_side
            .get(format!("{forged}?lang=en"))
            .send()
            .await
            .unwrap();
        assert!(
            english
                .text()
                .await
                .unwrap()
                .contains("This link is wrong or out of date")
        );

        // The outbox by state, and a clear refusal of a state it does not know.
        let (_, no_consent) = server.get("/api/v1/messages?state=no_consent").await;
        assert!(
            no_consent["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["state"] == "no_consent")
        );
        assert_eq!(
            no_consent["items"].as_array().unwrap().len(),
            2,
            "{no_consent}"
        );
        let (status, problem) = server.get("/api/v1/messages?state=lost").await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "state");

        // Erasing Anna's personal data erases what her messages said.
        let (status, _) = server
            .post(
                &format!("/api/v1/customers/{anna}/erase"),
                json!({"password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 200);
        for message in messages_of(&server, anna).await {
            assert_eq!(
                (&message["body"], &message["address"]),
                (&json!(""), &Value::Null)
            );
        }

        server.stop().await;
    }
}

#[tokio::test]
async fn without_a_mail_server_messages_wait_in_the_queue() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    shop::open(&server, 1).await;
    let anna = customer(
        &server,
        json!({"name": "Анна", "email": "anna@example.ru", "consents": {"email": true}}),
    )
    .await;
    give(&server, &[anna], "Спасибо за отзыв!").await;
    let report = server.app.deliver_due_messages().await.unwrap();
    assert_eq!(report.claimed, 0);
    assert_eq!(messages_of(&server, anna).await[0]["state"], "queued");
    server.stop().await;
}

/// Quiet hours and caps count in the customer's day: their store's time
/// zone (from a node above it), else the shop's. A held message leaves when
/// their day starts; the fourth message of a day is capped.
#[tokio::test]
async fn quiet_hours_and_caps_count_in_the_time_zone_of_the_customers_store() {
    for engine in engines() {
        let (server, sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let (status, region) = server
            .post(
                "/api/v1/stores",
                json!({"code": "SVE", "name": "Свердловская область", "kind": "region",
                       "time_zone": "Asia/Yekaterinburg"}),
            )
            .await;
        assert_eq!(status, 201, "{region}");
        assert_eq!(region["time_zone"], "Asia/Yekaterinburg");
        let (status, store) = server
            .post(
                "/api/v1/stores",
                json!({"code": "EKB-9", "name": "Екатеринбург", "parent_id": region["id"]}),
            )
            .await;
        assert_eq!(status, 201, "{store}");
        let (status, problem) = server
            .patch(
                &format!("/api/v1/stores/{}", store["id"]),
                json!({"time_zone": "Ural/Nowhere"}),
            )
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "unknown_time_zone");

        let agreed = json!({"email": true});
        let ural = customer(
            &server,
            json!({"name": "Урал", "email": "ural@example.ru", "consents": agreed,
                   "store_id": store["id"]}),
        )
        .await;
        let moscow = customer(
            &server,
            json!({"name": "Москва", "email": "msk@example.ru", "consents": agreed}),
        )
        .await;

        // 20:30 in Moscow, 22:30 in Yekaterinburg: the daytime (09–21) is
        // over in the Urals only.
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_mins(8 * 60 + 30));
        give(&server, &[ural, moscow], "Вечернее письмо").await;
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(messages_of(&server, moscow).await[0]["state"], "sent");
        let held = &messages_of(&server, ural).await[0];
        assert_eq!(held["state"], "held", "{held}");
        assert_eq!(sink.received().len(), 1);

        // 08:59 in Yekaterinburg: still held; 09:00: it leaves.
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_mins(10 * 60 + 29));
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(messages_of(&server, ural).await[0]["state"], "held");
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_mins(1));
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(messages_of(&server, ural).await[0]["state"], "sent");
        assert_eq!(sink.received().len(), 2);

        // Three marketing messages a day: the fourth of the Urals' day is
        // capped, and says so.
        for n in 2..=4 {
            give(&server, &[ural], &format!("Письмо {n}")).await;
        }
        server.app.deliver_due_messages().await.unwrap();
        let states: Vec<(Value, Value)> = messages_of(&server, ural)
            .await
            .iter()
            .map(|m| (m["state"].clone(), m["reason"].clone()))
            .collect();
        let capped = states.iter().filter(|(s, _)| s == "capped").count();
        let sent = states.iter().filter(|(s, _)| s == "sent").count();
        assert_eq!((sent, capped), (3, 1), "{states:?}");
        assert!(
            states
                .iter()
                .any(|(s, r)| s == "capped" && r == "daily_cap"),
            "{states:?}"
        );
        assert_eq!(sink.received().len(), 4);

        server.stop().await;
    }
}
