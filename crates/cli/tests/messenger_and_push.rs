//! Where a customer is reached beyond their phone and e-mail. A Telegram
//! bot as the messenger channel: a real HTTP server of the test's own plays
//! Telegram's Bot API and takes what the bot sends, and the test posts
//! updates as Telegram posts them to the bot's webhook; a customer who
//! shares their phone with the bot is matched by it, their chat kept, and
//! staff answer there. The shop's app registers devices for push through
//! the API, and push goes to the latest (another server of the test's own
//! plays the push provider).

use crate::common;

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use common::{TestServer, engines, shop};
use serde_json::{Value, json};

const TOKEN: &str = "123456:AAE-bot_token";
const PASSWORD: &str = "correct horse battery";

/// What the bot sent: the token in the path, and each body; the webhooks
/// it was pointed at, and whether one on plain http is taken (Telegram
/// takes https alone).
#[derive(Clone, Default)]
struct BotApi {
    sent: Arc<Mutex<Vec<(String, Value)>>>,
    hooks: Arc<Mutex<Vec<Value>>>,
    plain_http: Arc<Mutex<bool>>,
}

async fn set_webhook(
    State(api): State<BotApi>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    api.hooks.lock().unwrap().push(body.clone());
    let https = body["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://"));
    if https || *api.plain_http.lock().unwrap() {
        return (
            StatusCode::OK,
            Json(json!({"ok": true, "result": true, "description": "Webhook was set"})),
        );
    }
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"ok": false, "error_code": 400,
            "description": "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"})),
    )
}

async fn send_message(
    State(api): State<BotApi>,
    Path(bot): Path<String>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut sent = api.sent.lock().unwrap();
    sent.push((bot, body));
    Json(json!({"ok": true, "result": {"message_id": 100 + sent.len(), "date": 1_700_000_000}}))
}

async fn bot_api() -> (String, BotApi) {
    let api = BotApi::default();
    let app = axum::Router::new()
        .route("/{bot}/sendMessage", post(send_message))
        .route("/{bot}/setWebhook", post(set_webhook))
        .with_state(api.clone());
    let base = common::serve_stand(app).await;
    (base, api)
}

/// An update as Telegram posts it: a message in `chat`'s private chat.
fn update(id: i64, chat: i64, message: Value) -> Value {
    let mut full = json!({
        "message_id": id,
        "from": {"id": chat, "is_bot": false, "first_name": "Вера", "language_code": "ru"},
        "chat": {"id": chat, "first_name": "Вера", "type": "private"},
        "date": 1_700_000_000
    });
    for (key, value) in message.as_object().unwrap() {
        full[key] = value.clone();
    }
    json!({"update_id": 900 + id, "message": full})
}

async fn post_update(url: &str, secret: &str, update: &Value) -> (u16, Value) {
    let answer = reqwest::Client::new()
        .post(url)
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .json(update)
        .send()
        .await
        .unwrap();
    common::decode(answer).await
}

#[tokio::test]
async fn a_customer_writes_to_the_shops_bot_and_staff_answer_in_telegram() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        shop::open(&server, 1).await;
        let (base, api) = bot_api().await;
        let (status, saved) = server
            .send(
                reqwest::Method::PUT,
                "/api/v1/channels/messenger",
                json!({"provider": "telegram", "bot_token": TOKEN, "base_url": base}),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_ne!(saved["settings"]["bot_token"], TOKEN, "the token is masked");
        // Saving points the bot's updates at the server; Telegram refuses
        // a plain-http address, and the answer says so.
        assert_eq!(saved["inbound"]["connected"], false, "{saved}");
        assert!(
            saved["inbound"]["answer"]
                .as_str()
                .unwrap()
                .contains("HTTPS"),
            "{saved}"
        );
        *api.plain_http.lock().unwrap() = true;
        let (status, saved) = server
            .send(
                reqwest::Method::PUT,
                "/api/v1/channels/messenger",
                json!({"provider": "telegram", "bot_token": "********", "base_url": base}),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["inbound"], json!({"connected": true}), "{saved}");
        // The console says Telegram is given the address by itself, and
        // shows none to paste.
        let cookie = common::console::signed_in(&server, "owner").await;
        let (status, page) =
            common::console::page(&server, &cookie, "/settings/channels/messenger").await;
        assert_eq!(status, 200);
        assert!(page.contains("id=\"self-hooked\""), "{page}");
        assert!(!page.contains("id=\"inbound-url\""), "{page}");
        // Telegram's webhook: the inbound address, its key sent back by
        // Telegram in a header (the webhook's secret token).
        let reports = saved["reports_url"].as_str().unwrap();
        let (address, key) = reports.split_once("?key=").unwrap();
        let webhook = address.replace("/reports", "/inbound");
        let webhook = match webhook.strip_prefix('/') {
            Some(path) => server.url(&format!("/{path}")),
            None => webhook,
        };
        let hooks = api.hooks.lock().unwrap().clone();
        assert_eq!(hooks.len(), 2);
        assert_eq!(hooks[1]["secret_token"], key);
        assert_eq!(hooks[1]["allowed_updates"], json!(["message"]));
        assert!(
            hooks[1]["url"]
                .as_str()
                .unwrap()
                .ends_with("/api/v1/channels/messenger/inbound"),
            "{hooks:?}"
        );
        let (status, created) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Вера", "phone": "+79161230002"}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let vera = created["id"].as_i64().unwrap();

        // A stranger's hello is answered and not kept.
        let hello = update(1, 777, json!({"text": "Привет"}));
        assert_eq!(
            post_update(&webhook, key, &hello).await,
            (200, json!({"customer_id": null}))
        );
        let (status, _) = post_update(&webhook, "guess", &hello).await;
        assert_eq!(status, 403, "a wrong secret is refused");
        let (_, inbox) = server.get("/api/v1/chats").await;
        assert_eq!(inbox, json!({"items": []}));

        // Someone else's contact ties nothing; her own phone ties her chat.
        let others = update(
            2,
            777,
            json!({"contact": {"phone_number": "79161230002", "first_name": "Вера", "user_id": 555}}),
        );
        assert_eq!(
            post_update(&webhook, key, &others).await,
            (200, json!({"customer_id": null}))
        );
        let own = update(
            3,
            777,
            json!({"contact": {"phone_number": "79161230002", "first_name": "Вера", "user_id": 777}}),
        );
        assert_eq!(
            post_update(&webhook, key, &own).await,
            (200, json!({"customer_id": vera}))
        );
        let (_, addresses) = server
            .get(&format!("/api/v1/customers/{vera}/addresses"))
            .await;
        assert_eq!(addresses["items"][0]["channel"], "messenger", "{addresses}");
        assert_eq!(addresses["items"][0]["address"], "777");

        // Now her words open the chat, matched by the chat alone.
        let asked = update(4, 777, json!({"text": "Где мои баллы? Уже неделя прошла"}));
        assert_eq!(
            post_update(&webhook, key, &asked).await,
            (200, json!({"customer_id": vera}))
        );
        // A long message is cut to what a chat message holds, not refused
        // (Telegram would post it again and again).
        let long = update(5, 777, json!({"text": "я".repeat(2_500)}));
        assert_eq!(
            post_update(&webhook, key, &long).await,
            (200, json!({"customer_id": vera}))
        );
        let edited = json!({"update_id": 905, "edited_message": {"message_id": 4}});
        assert_eq!(
            post_update(&webhook, key, &edited).await,
            (200, json!({"customer_id": null})),
            "an update without a message is let be"
        );
        let (_, inbox) = server.get("/api/v1/chats").await;
        assert_eq!(inbox["items"][0]["customer_id"], vera, "{inbox}");
        assert_eq!(inbox["items"][0]["channel"], "messenger");
        assert_eq!(
            inbox["items"][0]["last_text"]
                .as_str()
                .unwrap()
                .chars()
                .count(),
            2_000
        );

        // The answer leaves through the bot, to her chat.
        let (status, answered) = server
            .post(
                &format!("/api/v1/chats/{vera}/messages"),
                json!({"text": "Вера, баллы начислятся завтра."}),
            )
            .await;
        assert_eq!(status, 201, "{answered}");
        server.app.deliver_due_messages().await.unwrap();
        let sent = api.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].0, format!("bot{TOKEN}"));
        assert_eq!(sent[0].1["chat_id"], "777");
        assert_eq!(sent[0].1["text"], "Вера, баллы начислятся завтра.");
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={vera}"))
            .await;
        assert_eq!(messages["items"][0]["state"], "sent", "{messages}");
        let (_, inbox) = server.get("/api/v1/chats").await;
        assert_eq!(
            inbox["items"][0]["last_text"],
            "Вера, баллы начислятся завтра."
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_shops_app_registers_devices_and_each_belongs_to_one_customer() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let mut ids = Vec::new();
        for (name, phone) in [("Анна", "+79161230010"), ("Борис", "+79161230011")] {
            let (status, created) = server
                .post("/api/v1/customers", json!({"name": name, "phone": phone}))
                .await;
            assert_eq!(status, 201, "{created}");
            ids.push(created["id"].as_i64().unwrap());
        }
        let (anna, boris) = (ids[0], ids[1]);
        let addresses = |id: i64| format!("/api/v1/customers/{id}/addresses");

        let device = json!({"channel": "push", "address": "fcm:token-1", "label": "iPhone Анны"});
        let (status, added) = server.post(&addresses(anna), device.clone()).await;
        assert_eq!(status, 201, "{added}");
        assert_eq!(added["moved_from"], Value::Null);
        assert_eq!(added["label"], "iPhone Анны");

        // Boris signs in on that phone: the device is his now.
        let (status, moved) = server.post(&addresses(boris), device).await;
        assert_eq!(status, 201, "{moved}");
        assert_eq!(moved["moved_from"], anna);
        let (_, of_anna) = server.get(&addresses(anna)).await;
        assert_eq!(of_anna, json!({"items": []}));

        // Bad input changes nothing, and says what is wrong.
        for (body, field) in [
            (json!({"channel": "email", "address": "a@b.ru"}), "channel"),
            (json!({"channel": "fax", "address": "1"}), "channel"),
            (
                json!({"channel": "push", "address": "two words"}),
                "address",
            ),
        ] {
            let (status, refused) = server.post(&addresses(anna), body).await;
            assert_eq!(status, 422, "{refused}");
            assert_eq!(refused["errors"][0]["field"], field, "{refused}");
        }
        let (status, _) = server
            .post(
                "/api/v1/customers/999999/addresses",
                json!({"channel": "push", "address": "t"}),
            )
            .await;
        assert_eq!(status, 404);
        let (_, of_anna) = server.get(&addresses(anna)).await;
        assert_eq!(of_anna, json!({"items": []}));

        // Signed out: forgotten, once.
        let remove = format!("{}?channel=push&address=fcm:token-1", addresses(boris));
        let (status, _) = server
            .send(reqwest::Method::DELETE, &remove, Value::Null)
            .await;
        assert_eq!(status, 204);
        let (status, _) = server
            .send(reqwest::Method::DELETE, &remove, Value::Null)
            .await;
        assert_eq!(status, 404);
        let (_, audit) = server
            .get(&format!("/api/v1/audit?customer_id={boris}"))
            .await;
        let actions: Vec<&str> = (audit["items"].as_array().unwrap().iter())
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert!(actions.contains(&"customer.address_add"), "{actions:?}");
        assert!(actions.contains(&"customer.address_remove"), "{actions:?}");
        server.stop().await;
    }
}

/// A push provider of the test's own, set up by template: the bodies it
/// was sent.
async fn push_provider() -> (String, Arc<Mutex<Vec<Value>>>) {
    let sent: Arc<Mutex<Vec<Value>>> = Arc::default();
    let app = axum::Router::new()
        .route(
            "/push",
            post(
                |State(sent): State<Arc<Mutex<Vec<Value>>>>, Json(body): Json<Value>| async move {
                    let mut sent = sent.lock().unwrap();
                    sent.push(body);
                    Json(json!({"name": format!("projects/shop/messages/{}", sent.len())}))
                },
            ),
        )
        .with_state(sent.clone());
    let base = common::serve_stand(app).await;
    (base, sent)
}

#[tokio::test]
async fn push_reaches_the_device_the_app_registered_last() {
    for engine in engines() {
        let (server, _mail) = common::mail::server_with_mail(engine).await;
        shop::open(&server, 1).await;
        let (base, sent) = push_provider().await;
        let template = json!({"method": "POST", "url": format!("{base}/push"), "content_type": "json",
            "body": "{\"token\": \"{{to}}\", \"text\": \"{{text}}\"}", "message_id": "/name"});
        let (status, saved) = server
            .send(
                reqwest::Method::PUT,
                "/api/v1/channels/push",
                json!({"provider": "http", "template": template}),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        let (status, created) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Анна", "phone": "+79161230020", "consents": {"push": true}}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let anna = created["id"].as_i64().unwrap();
        let give = json!({"customer_ids": [anna], "points": 5_000, "comment": "Подарок",
            "message": "Анна, вам 50 баллов", "password": PASSWORD});

        // No device yet: nobody to reach, and it says so.
        let (status, given) = server
            .post("/api/v1/points/adjustments", give.clone())
            .await;
        assert_eq!(status, 201, "{given}");
        server.app.deliver_due_messages().await.unwrap();
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={anna}"))
            .await;
        assert_eq!(
            (
                &messages["items"][0]["state"],
                &messages["items"][0]["reason"]
            ),
            (&json!("no_contact"), &json!("no_address")),
            "{messages}"
        );

        for token in ["old-phone-token", "new-phone-token"] {
            let (status, added) = server
                .post(
                    &format!("/api/v1/customers/{anna}/addresses"),
                    json!({"channel": "push", "address": token}),
                )
                .await;
            assert_eq!(status, 201, "{added}");
        }
        let (status, given) = server.post("/api/v1/points/adjustments", give).await;
        assert_eq!(status, 201, "{given}");
        server.app.deliver_due_messages().await.unwrap();
        let bodies = sent.lock().unwrap().clone();
        assert_eq!(bodies.len(), 1, "{bodies:?}");
        assert_eq!(bodies[0]["token"], "new-phone-token");
        assert!(
            bodies[0]["text"]
                .as_str()
                .unwrap()
                .starts_with("Анна, вам 50 баллов"),
            "{bodies:?}"
        );
        let (_, messages) = server
            .get(&format!("/api/v1/messages?customer_id={anna}"))
            .await;
        let latest = &messages["items"][0];
        assert_eq!(
            (&latest["state"], &latest["channel"], &latest["provider_id"]),
            (
                &json!("sent"),
                &json!("push"),
                &json!("projects/shop/messages/1")
            ),
            "{messages}"
        );
        server.stop().await;
    }
}
