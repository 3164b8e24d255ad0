//! The channels' settings, the triggers and the chats in a real headless
//! Chromium: the owner sets SMS up with SMS.ru's preset against a local
//! server playing it and sends a test, sets a win-back trigger up, and
//! answers a customer who wrote by SMS from the inbox. Every page fits a
//! phone. With `CLIENTELE_SHOTS=<folder>` each page, in Russian, in
//! English and at 390 px, is saved there as a PNG to be looked at.

use crate::common;

use clientele_app::audit::ChangedBy;
use clientele_domain::template::TemplateInput;
use common::browser::{owner_on, signed_in_on};
use common::sms::stand;
use common::{Engine, TestServer, mail, shop};
use serde_json::{Value, json};

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_owner_sets_sms_up_tests_it_sets_a_trigger_up_and_answers_a_chat() {
    let (server, _sink) = mail::server_with_mail(Engine::Sqlite).await;
    let shop = shop::open(&server, 1).await;
    let (base, stand) = stand().await;
    let vera = made(
        &server,
        "/api/v1/customers",
        json!({"name": "Вера Соколова", "phone": "+79161230002", "store_id": shop.store_id}),
    )
    .await;
    let input = TemplateInput {
        name: "Возвращайтесь".into(),
        locale: "ru".into(),
        body: "{{ first_name }}, мы скучаем! У вас {{ balance }} баллов.".into(),
        ..TemplateInput::default()
    };
    let template = (server.app)
        .create_template(input, &ChangedBy::system("test"))
        .await
        .unwrap();

    // SMS, set up with SMS.ru's preset and tested.
    let browser = owner_on(&server, "/settings/channels").await;
    browser.shot("messaging-ru-01-channels").await;
    browser
        .click_through("#channels a[href='/settings/channels/sms']")
        .await;
    assert_eq!(browser.text("#channel-state").await, "Не настроен");
    browser.fill("#api_id", "key-1").await;
    browser.fill("#from", "Zerno").await;
    browser.fill("#base_url", "адрес").await;
    browser
        .click_through("#channel-form .actions button[type=submit]")
        .await;
    assert!(
        browser
            .text("#base_url-error")
            .await
            .starts_with("Адрес не подходит")
    );
    browser.shot("messaging-ru-02-sms-refused").await;
    browser.fill("#base_url", &base).await;
    browser
        .click_through("#channel-form .actions button[type=submit]")
        .await;
    assert!(
        browser
            .text("#notice")
            .await
            .starts_with("Настройки канала сохранены.")
    );
    assert_eq!(browser.text("#channel-state").await, "Настроен: SMS.ru");
    browser.fill("#address", "8 916 123-00-01").await;
    browser
        .click_through("#test-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#test-outcome").await,
        "Поставщик принял проверочное сообщение. Его номер у поставщика:\n0000-1"
    );
    assert_eq!(stand.sent("to"), ["79161230001"]);
    browser.shot("messaging-ru-03-sms-tested").await;
    browser
        .click_through("nav.providers a[href$='provider=http#settings']")
        .await;
    browser.shot("messaging-ru-04-sms-template").await;

    // A win-back trigger, on.
    browser.go(&server.url("/triggers")).await;
    browser.shot("messaging-ru-05-triggers").await;
    browser
        .click_through("#triggers a[href='/triggers/win_back']")
        .await;
    browser
        .choose("#template_id", &template.id.0.to_string())
        .await;
    browser.choose("#channels", "sms").await;
    browser.fill("#days", "45").await;
    browser.click("#active").await;
    browser
        .click_through("#trigger-form .actions button[type=submit]")
        .await;
    assert_eq!(browser.text("#notice").await, "Триггер сохранён.");
    assert_eq!(browser.text("#trigger-state").await, "Включён");
    browser.shot("messaging-ru-06-trigger-saved").await;

    // Vera writes by SMS; she is answered from the inbox.
    let inbound = server.url("/api/v1/channels/sms/inbound");
    let key = sms_key(&server).await;
    let taken = reqwest::Client::new()
        .post(format!("{inbound}?key={key}"))
        .json(&json!({"from": "+79161230002", "text": "Где мои баллы?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), 200);
    browser.go(&server.url("/chats")).await;
    assert!(
        browser.text("#chats").await.contains("Где мои баллы?"),
        "the inbox shows what she wrote last"
    );
    browser.shot("messaging-ru-07-chats").await;
    browser
        .click_through(&format!("#chats a[href='/customers/{vera}#chat']"))
        .await;
    browser
        .fill("#chat-text", "Вера, баллы начислятся завтра.")
        .await;
    browser
        .click_through("#chat-form button[type=submit]")
        .await;
    let lines = browser.text("#chat-lines").await;
    assert!(
        lines.contains("Где мои баллы?") && lines.contains("В очереди"),
        "{lines}"
    );
    browser.shot("messaging-ru-08-chat-answered").await;

    let pages = [
        ("09-channels", "/settings/channels".to_owned()),
        ("10-sms", "/settings/channels/sms".to_owned()),
        (
            "11-sms-template",
            "/settings/channels/sms?provider=http".to_owned(),
        ),
        ("12-email", "/settings/channels/email".to_owned()),
        ("13-triggers", "/triggers".to_owned()),
        ("14-trigger", "/triggers/win_back".to_owned()),
        ("15-chats", "/chats".to_owned()),
        ("16-customer-chat", format!("/customers/{vera}#chat")),
        ("17-messenger", "/settings/channels/messenger".to_owned()),
        ("18-customer-app", format!("/customers/{vera}#consents")),
    ];
    // Her phone's app registered itself; the customer page says so.
    let (status, added) = server
        .post(
            &format!("/api/v1/customers/{vera}/addresses"),
            json!({"channel": "push", "address": "device-token-1", "label": "iPhone Веры"}),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    browser
        .go(&server.url(&format!("/customers/{vera}#consents")))
        .await;
    assert!(
        browser.text("#addresses").await.contains("iPhone Веры"),
        "the customer page lists her device"
    );
    for (name, path) in &pages {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("messaging-ru-{name}")).await;
    }
    browser.go(&server.url("/triggers?lang=en")).await;
    assert_eq!(browser.text("h1").await, "Triggers");
    for (name, path) in &pages {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("messaging-en-{name}")).await;
    }
    browser.close().await;

    // At 390 px every page fits the screen.
    let phone = signed_in_on(&server, 390, "owner", "/chats").await;
    for (name, path) in &pages {
        phone.go(&server.url(path)).await;
        phone.shot(&format!("messaging-phone-{name}")).await;
        assert!(!phone.scrolls_sideways().await, "{path} at 390 px");
    }
    phone.close().await;
    server.stop().await;
}

/// The key SMS's provider proves its posts with, as its settings keep it.
async fn sms_key(server: &TestServer) -> String {
    let set_up = server.app.channel_settings().await.unwrap();
    set_up[0].webhook_key.clone()
}
