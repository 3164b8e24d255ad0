//! SMS through a provider's HTTP API, set up in the settings: a real HTTP
//! server of the test's own plays SMS.ru, takes the messages, and posts
//! its delivery reports back; a test message goes through it too.

use crate::common;

use common::sms::{field, stand};
use common::{TestServer, engines, mail, shop};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn customer(server: &TestServer, body: Value) -> i64 {
    let (status, created) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn put(server: &TestServer, path: &str, body: Value) -> (u16, Value) {
    server.send(reqwest::Method::PUT, path, body).await
}

#[tokio::test]
async fn sms_leave_through_the_provider_and_its_reports_come_back() {
    for engine in engines() {
        let (server, mail_sink) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let (base, stand) = stand().await;

        // Settings that cannot work, or the wrong channel, are refused.
        let (status, refused) = put(
            &server,
            "/api/v1/channels/sms",
            json!({"provider": "smtp", "host": "mail", "port": 25, "tls": "none",
                   "from": "shop@example.ru"}),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["errors"][0]["code"], "wrong_provider");
        let (status, refused) = put(
            &server,
            "/api/v1/channels/sms",
            json!({"provider": "sms_ru", "api_id": "key-1", "base_url": "not a url"}),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        let (_, listed) = server.get("/api/v1/channels").await;
        assert_eq!(listed, json!({"items": []}), "nothing was kept");

        let (status, saved) = put(
            &server,
            "/api/v1/channels/sms",
            json!({"provider": "sms_ru", "api_id": "key-1", "from": "Zerno", "base_url": base}),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(
            saved["settings"]["api_id"], "********",
            "the secret is masked"
        );
        let reports_url = saved["reports_url"].as_str().unwrap().to_owned();
        // Saved back masked, the secret keeps its value.
        let (status, again) = put(
            &server,
            "/api/v1/channels/sms",
            json!({"provider": "sms_ru", "api_id": "********", "from": "Zerno",
                   "base_url": base}),
        )
        .await;
        assert_eq!(status, 200, "{again}");

        // A test through it, now.
        let (status, tested) = server
            .post(
                "/api/v1/channels/sms/test",
                json!({"address": "+79161230001"}),
            )
            .await;
        assert_eq!(status, 200, "{tested}");
        assert_eq!(tested["provider_id"], "0000-1");
        {
            let forms = stand.forms.lock().unwrap();
            assert_eq!(
                field(&forms[0], "api_id"),
                "key-1",
                "the kept secret was used"
            );
            assert_eq!(field(&forms[0], "to"), "79161230001");
        }

        let vera = customer(
            &server,
            json!({"name": "Вера", "phone": "+79161230002", "consents": {"sms": true}}),
        )
        .await;
        let (status, given) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [vera], "points": 10_000, "comment": "Подарок",
                       "message": "Вера, вам 100 баллов & скидка!", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "{given}");
        let report = server.app.deliver_due_messages().await.unwrap();
        assert_eq!(report.sent, 1, "{report:?}");
        let text = {
            let forms = stand.forms.lock().unwrap();
            assert_eq!(forms.len(), 2);
            field(&forms[1], "msg")
        };
        assert!(
            text.starts_with("Вера, вам 100 баллов & скидка!\nОтказ от рассылки: "),
            "a marketing SMS says how to stop: {text}"
        );
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={vera}"))
            .await;
        let sent = &messages["items"][0];
        assert_eq!(
            (&sent["state"], &sent["channel"], &sent["provider_id"]),
            (&json!("sent"), &json!("sms"), &json!("0000-2"))
        );

        // Reports: without the key, nothing; with it, delivered, once.
        let report_body = "data%5B0%5D=sms_status%0A0000-2%0A103%0A1700000000";
        let client = reqwest::Client::new();
        let unsigned = server.url("/api/v1/channels/sms/reports");
        let refused = client
            .post(&unsigned)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(report_body)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        let forged = client
            .post(format!("{unsigned}?key=guess"))
            .body(report_body)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={vera}"))
            .await;
        assert_eq!(messages["items"][0]["state"], "sent", "nothing changed");
        let taken = client
            .post(&reports_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(report_body)
            .send()
            .await
            .unwrap();
        assert_eq!(taken.status(), 200);
        let taken: Value = taken.json().await.unwrap();
        assert_eq!(taken, json!({"delivered": 1, "failed": 0, "ignored": 0}));
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={vera}"))
            .await;
        assert_eq!(messages["items"][0]["state"], "delivered");
        let garbage = client
            .post(&reports_url)
            .body("this is not a report")
            .send()
            .await
            .unwrap();
        assert_eq!(garbage.status(), 422);

        // Not delivered in time, a message goes on to its next channel.
        let gleb = customer(
            &server,
            json!({"name": "Глеб", "phone": "+79161230003", "email": "gleb@example.ru",
                   "consents": {"sms": true, "email": true}}),
        )
        .await;
        let (status, given) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [gleb], "points": 100, "comment": "Подарок",
                       "message": "Глеб, вам баллы", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "{given}");
        server.app.deliver_due_messages().await.unwrap();
        let now = server.app.clock().now();
        assert_eq!(server.db.outbox().cascade_due(now, 10).await.unwrap(), 0);
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_mins(11));
        let now = server.app.clock().now();
        assert_eq!(server.db.outbox().cascade_due(now, 10).await.unwrap(), 1);
        server.app.deliver_due_messages().await.unwrap();
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={gleb}"))
            .await;
        let onward = &messages["items"][0];
        assert_eq!(
            (&onward["state"], &onward["channel"], &onward["channels"]),
            (&json!("sent"), &json!("email"), &json!(["email"])),
            "{onward}"
        );
        assert_eq!(mail_sink.received().len(), 1, "the e-mail went out");

        // A provider answering garbage: the message fails with its words,
        // not tried again (it may have been sent).
        *stand.garbage.lock().unwrap() = true;
        let (status, given) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [vera], "points": 100, "comment": "Ещё",
                       "message": "Ещё баллы", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "{given}");
        server.app.deliver_due_messages().await.unwrap();
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={vera}"))
            .await;
        let failed = &messages["items"][0];
        assert_eq!(
            (&failed["state"], &failed["reason"]),
            (&json!("failed"), &json!("refused")),
            "{failed}"
        );
        assert!(
            failed["answer"].as_str().unwrap().contains("not JSON"),
            "{failed}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_customer_who_writes_opens_a_chat_staff_answer_by_sms() {
    for engine in engines() {
        let (server, _mail) = mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let (base, stand) = stand().await;
        let (status, saved) = put(
            &server,
            "/api/v1/channels/sms",
            json!({"provider": "sms_ru", "api_id": "key-1", "base_url": base}),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        let inbound = saved["reports_url"]
            .as_str()
            .unwrap()
            .replace("/reports?", "/inbound?");
        let vera = customer(&server, json!({"name": "Вера", "phone": "+79161230002"})).await;

        // Staff cannot write first.
        let (status, refused) = server
            .post(
                &format!("/api/v1/chats/{vera}/messages"),
                json!({"text": "Здравствуйте!"}),
            )
            .await;
        assert_eq!(status, 409, "{refused}");

        let client = reqwest::Client::new();
        let forged = client
            .post(server.url("/api/v1/channels/sms/inbound?key=guess"))
            .json(&json!({"from": "+79161230002", "text": "Где мои баллы?"}))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let (_, inbox) = server.get("/api/v1/chats").await;
        assert_eq!(inbox, json!({"items": []}), "a forged post opens nothing");

        let taken: Value = client
            .post(&inbound)
            .json(&json!({"from": "8 (916) 123-00-02", "text": " Где мои баллы? "}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(taken, json!({"customer_id": vera}));
        let stranger: Value = client
            .post(&inbound)
            .json(&json!({"from": "+79990000000", "text": "Кто здесь?"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(stranger, json!({"customer_id": null}));
        let (_, inbox) = server.get("/api/v1/chats").await;
        let threads = inbox["items"].as_array().unwrap();
        assert_eq!(threads.len(), 1, "{inbox}");
        assert_eq!(threads[0]["customer_id"], vera);
        assert!(threads[0]["waiting_since"].is_string());

        // The answer leaves by SMS, though Vera gave no consent: it is no
        // marketing, she asked.
        let (status, answered) = server
            .post(
                &format!("/api/v1/chats/{vera}/messages"),
                json!({"text": "Вера, баллы начислятся завтра."}),
            )
            .await;
        assert_eq!(status, 201, "{answered}");
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(stand.sent("msg"), ["Вера, баллы начислятся завтра."]);
        let (_, chat) = server.get(&format!("/api/v1/chats/{vera}")).await;
        let said: Vec<(&str, &str)> = chat["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["direction"].as_str().unwrap(),
                    m["text"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            said,
            vec![
                ("in", "Где мои баллы?"),
                ("out", "Вера, баллы начислятся завтра.")
            ]
        );
        assert!(chat["thread"]["waiting_since"].is_null(), "{chat}");

        // Erasing her erases the chat.
        let (status, erased) = server
            .post(
                &format!("/api/v1/customers/{vera}/erase"),
                json!({"password": PASSWORD}),
            )
            .await;
        assert!(status == 200 || status == 204, "{erased}");
        let (status, _) = server.get(&format!("/api/v1/chats/{vera}")).await;
        assert_eq!(status, 404);
        server.stop().await;
    }
}
