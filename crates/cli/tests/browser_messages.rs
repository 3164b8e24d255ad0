//! A customer unsubscribes in a real Chromium from the link of an e-mail
//! the server sent to a real SMTP server: asked first, then told, in
//! Russian, in English and at 390 px.

use crate::common;

use common::browser::{Browser, signed_in_on};
use common::{Engine, mail, shop};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn a_customer_unsubscribes_from_the_link_in_an_email() {
    let (server, sink) = mail::server_with_mail(Engine::Sqlite).await;
    shop::open(&server, 1).await;
    let (status, anna) = server
        .post(
            "/api/v1/customers",
            json!({"name": "Анна", "email": "anna@example.ru", "consents": {"email": true}}),
        )
        .await;
    assert_eq!(status, 201, "{anna}");
    give(&server, anna["id"].as_i64().unwrap()).await;
    server.app.deliver_due_messages().await.unwrap();
    let link = mail::unsubscribe_link(&sink.only_message());

    let phone = Browser::start(390).await;
    phone.go(&link).await;
    assert_eq!(phone.text("h1").await, "Отписка от рассылки");
    assert!(!phone.scrolls_sideways().await);
    phone.shot("unsubscribe-ask-ru-390").await;
    phone.click("button[type=submit]").await;
    assert_eq!(
        phone
            .wait_for_text("[role=status]", "Мы больше не будем")
            .await,
        "Мы больше не будем присылать вам письма по электронной почте с предложениями. \
         Баллы и карта остаются при вас."
    );
    phone.shot("unsubscribe-done-ru-390").await;
    phone.close().await;

    let (_, customer) = server
        .get(&format!("/api/v1/customers/{}", anna["id"]))
        .await;
    assert_eq!(customer["consents"]["email"]["granted"], false);

    let desk = Browser::start(1280).await;
    desk.go(&link).await;
    desk.click("a[lang=en]").await;
    assert_eq!(desk.text("h1").await, "Unsubscribe");
    assert!(
        desk.page_text()
            .await
            .contains("Stop receiving e-mails from us?")
    );
    desk.shot("unsubscribe-ask-en").await;
    desk.go(&format!("{link}x")).await;
    assert!(
        desk.text("[role=alert]")
            .await
            .contains("Ссылка неверна или устарела")
    );
    desk.shot("unsubscribe-unknown-ru").await;
    desk.close().await;

    // The customer's page says who withdrew the consent, and how.
    let owner = signed_in_on(
        &server,
        1280,
        "owner",
        &format!("/customers/{}", anna["id"]),
    )
    .await;
    let audit = owner.text("#audit").await;
    assert!(
        audit.contains("Отписался от рассылки")
            && audit.contains("покупатель по ссылке из письма")
            && audit.contains("комментарий")
            && !audit.contains("comment"),
        "{audit}"
    );
    owner.close().await;

    // The next message finds the consent withdrawn; the outbox says so.
    give(&server, anna["id"].as_i64().unwrap()).await;
    server.app.deliver_due_messages().await.unwrap();
    let owner = signed_in_on(&server, 390, "owner", "/messages").await;
    assert_eq!(owner.text("h1").await, "Сообщения покупателям");
    assert!(!owner.scrolls_sideways().await);
    let table = owner.text("#messages").await;
    assert!(
        table.contains("Нет согласия") && table.contains("Отправлено"),
        "{table}"
    );
    assert!(
        table.contains("Покупатель отозвал согласие на рассылку."),
        "{table}"
    );
    owner.shot("messages-ru-390").await;
    owner.choose("#state", "sent").await;
    owner.click_through("#filters button[type=submit]").await;
    let sent = owner.text("#messages").await;
    assert!(
        sent.contains("Отправлено") && !sent.contains("Нет согласия"),
        "{sent}"
    );
    owner.fill("#customer_id", "Анна").await;
    owner.click_through("#filters button[type=submit]").await;
    assert_eq!(
        owner.text("#customer_id + .error, .invalid .error").await,
        "Номер покупателя — это число, например 1024."
    );
    owner.shot("messages-refused-ru-390").await;
    owner.close().await;
    let english = signed_in_on(&server, 1280, "owner", "/messages?lang=en").await;
    assert!(
        english
            .text("#messages")
            .await
            .contains("The customer withdrew their consent.")
    );
    english.shot("messages-en").await;
    english.close().await;
    server.stop().await;
}

async fn give(server: &common::TestServer, customer: i64) {
    let (status, _) = server
        .post(
            "/api/v1/points/adjustments",
            json!({"customer_ids": [customer], "points": 100, "comment": "За отзыв",
                   "message": "Спасибо за отзыв!", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 201);
}
