//! A customer unsubscribes in a real Chromium from the link of an e-mail
//! the server sent to a real SMTP server: asked first, then told, in
//! Russian, in English and at 390 px.

mod common;

use common::browser::Browser;
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
    let (status, _) = server
        .post(
            "/api/v1/points/adjustments",
            json!({"customer_ids": [anna["id"]], "points": 100, "comment": "За отзыв",
                   "message": "Спасибо за отзыв!", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 201);
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
    server.stop().await;
}
