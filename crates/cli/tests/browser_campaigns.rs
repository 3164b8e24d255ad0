//! Templates and campaigns in a real headless Chromium: the marketer
//! writes a template while its preview follows (a mistyped placeholder
//! said beside the text as they type, the HTML letter in a sandboxed frame
//! its script cannot leave, the preview for a customer found by phone),
//! makes a campaign from it to a segment, sees its page, cancels it, and
//! sees another one sent. Every page fits a phone. With
//! `CLIENTELE_SHOTS=<folder>` each page, in Russian, in English and at
//! 390 px, is saved there as a PNG to be looked at.

use crate::common;

use clientele_app::progress::Silent;
use common::browser::{Browser, ENTER, owner_on, signed_in_on};
use common::{Engine, TestServer, mail, shop};
use fantoccini::Locator;
use jiff::SignedDuration;
use serde_json::{Value, json};

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

/// The text the HTML letter's sandboxed frame shows.
async fn letter(browser: &Browser) -> String {
    // The live preview may put a new frame in place of the one just found:
    // a frame gone stale is found again.
    for _ in 0..50 {
        let frame = browser
            .client
            .find(Locator::Css("#preview-html"))
            .await
            .unwrap();
        if frame.enter_frame().await.is_ok() {
            let text = browser.text("body").await;
            browser.client.enter_parent_frame().await.unwrap();
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the preview's frame was replaced for five seconds on end");
}

#[tokio::test]
async fn a_marketer_writes_a_template_with_its_preview_and_sends_a_campaign() {
    let (server, _sink) = mail::server_with_mail(Engine::Sqlite).await;
    let shop = shop::open(&server, 1).await;
    let mut customers = Vec::new();
    for (name, phone) in [
        ("Анна Петрова", "+79161234567"),
        ("Вера Соколова", "+79161234568"),
        ("Ирина Лебедева", "+79161234569"),
    ] {
        let id = made(
            &server,
            "/api/v1/customers",
            json!({"name": name, "phone": phone, "gender": "female",
                   "email": format!("{}@example.ru", &phone[1..]),
                   "consents": {"email": true}}),
        )
        .await;
        customers.push(id);
    }
    let women = made(
        &server,
        "/api/v1/segments",
        json!({"name": "Покупательницы",
               "rules": {"field": "gender", "op": "eq", "value": "female"}}),
    )
    .await;

    let browser = owner_on(&server, "/templates").await;
    browser.shot("campaigns-ru-01-templates-empty").await;
    browser.click_through("a.button").await;
    assert_eq!(browser.path().await, "/templates/new");
    browser.fill("#name", "Весенний привет").await;
    browser.fill("#subject", "Весна, {{ first_name }}!").await;
    // A mistyped placeholder is said beside the text as it is typed.
    browser
        .fill("#body", "Здравствуйте, {{ frist_name }}!")
        .await;
    assert_eq!(
        browser
            .wait_for_text("#body-errors", "Неизвестная подстановка")
            .await,
        "Неизвестная подстановка «frist_name». Может быть, имелась в виду {{ first_name }}?"
    );
    browser.shot("campaigns-ru-02-template-mistyped").await;
    browser
        .fill(
            "#body",
            "Здравствуйте, {{ first_name }}! У вас {{ balance }} баллов.",
        )
        .await;
    browser
        .wait_for_text("#preview-text", "Здравствуйте, Анна! У вас 1")
        .await;
    assert_eq!(browser.text("#body-errors").await, "");
    assert_eq!(
        browser.text("#preview-for").await,
        "Для вымышленного покупателя"
    );
    // The HTML letter: framed apart, its script runs nothing here.
    browser.click("details.html-body summary").await;
    browser
        .fill(
            "#html",
            "<h1 style=\"color:#2a7\">Весна пришла</h1><p>{{ first_name }}, у вас \
             {{ balance }} баллов.</p><script>parent.document.body.innerHTML = 'взлом'</script>",
        )
        .await;
    browser.wait_for("#preview-html").await;
    browser
        .wait_for_text("#preview-text", "Здравствуйте, Анна!")
        .await;
    let framed = letter(&browser).await;
    assert!(framed.contains("Весна пришла"), "{framed}");
    assert!(!browser.page_text().await.contains("взлом"));
    // For a real customer, found by her phone: Enter in the search shows
    // the preview in place, saving nothing.
    browser.fill("#customer", "916 123-45-68").await;
    browser.press(ENTER).await;
    assert_eq!(
        browser.wait_for_text("#preview-for", "Соколова").await,
        "Для покупателя Вера Соколова"
    );
    assert_eq!(browser.text("#preview-subject").await, "Весна, Вера!");
    assert_eq!(browser.path().await, "/templates/new");
    assert!(server.app.templates().await.unwrap().is_empty());
    assert!(letter(&browser).await.contains("Вера, у вас 0 баллов."));
    browser.shot("campaigns-ru-03-template-preview").await;
    browser
        .click_through("#template-form .actions button[type=submit]")
        .await;
    assert_eq!(browser.text(".notice").await, "Шаблон создан.");
    let template = browser.path().await;

    // A campaign from it, to the segment.
    browser.click_through("a.button.secondary").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/campaigns/new?template_id=")
    );
    assert!(
        browser
            .text("#template-line")
            .await
            .starts_with("Русский · Весна, {{ first_name }}!")
    );
    browser.fill("#name", "Весна для покупательниц").await;
    browser.choose("#segment_id", &women.to_string()).await;
    browser.choose("#channels", "email,sms").await;
    // The day and time show for a set time alone.
    assert!(!shown(&browser, "#starts_on").await);
    browser.click("#when-at").await;
    assert!(shown(&browser, "#starts_on").await);
    browser.click("#when-now").await;
    browser.fill("#holdout_bp", "10").await;
    browser.shot("campaigns-ru-04-campaign-new").await;
    browser
        .click_through("#campaign-form .actions button[type=submit]")
        .await;
    assert_eq!(browser.text("#notice").await, "Рассылка создана.");
    assert_eq!(browser.text("#campaign-state").await, "Запланирована");
    assert!(
        browser
            .text("#window")
            .await
            .starts_with("Ни одно сообщение не уйдёт раньше 23 ноября 2026 12:10")
    );
    let first = browser.path().await;
    let first = first.split('?').next().unwrap().to_owned();
    browser.shot("campaigns-ru-05-campaign-scheduled").await;
    server.app.queue_due_campaigns(&Silent).await.unwrap();
    browser.go(&server.url(&first)).await;
    assert_eq!(browser.text("#campaign-state").await, "Отправляется");
    browser.shot("campaigns-ru-06-campaign-sending").await;
    browser.click("#cancel summary").await;
    browser.click_through("#cancel button").await;
    let notice = browser.text("#notice").await;
    assert!(notice.starts_with("Рассылка отменена:"), "{notice}");
    assert_eq!(browser.text("#campaign-state").await, "Отменена");
    browser.shot("campaigns-ru-07-campaign-cancelled").await;

    // Another, to everyone with no cancel window and half held out: it
    // leaves, is sent, and two hours on its report counts the purchases since.
    browser.go(&server.url("/campaigns/new")).await;
    browser.fill("#name", "Весна для всех").await;
    let template_id = template
        .trim_start_matches("/templates/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    browser.choose("#template_id", &template_id).await;
    browser.wait_for_text("#template-line", "Русский").await;
    browser.choose("#channels", "email").await;
    browser.fill("#cancel_window_mins", "0").await;
    browser.fill("#holdout_bp", "50").await;
    browser
        .click_through("#campaign-form .actions button[type=submit]")
        .await;
    let second = browser.path().await;
    let second = second.split('?').next().unwrap().to_owned();
    server.app.queue_due_campaigns(&Silent).await.unwrap();
    server.app.deliver_due_messages().await.unwrap();
    server.app.clock().advance(SignedDuration::from_hours(2));
    for customer in &customers {
        let body = json!({"customer_id": customer, "lines": shop::groceries(),
                          "receipt_id": format!("after-{customer}"),
                          "created_at": "2026-11-23T13:30:00+03:00"});
        let response = shop
            .till
            .post(server.url("/api/v1/pos/receipts"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    browser.go(&server.url(&second)).await;
    assert_eq!(browser.text("#campaign-state").await, "Отправлена");
    assert_eq!(
        browser.text("#figure-sent dd").await,
        browser.text("#figure-recipients dd").await
    );
    assert!(!shown(&browser, "#cancel").await, "nothing left to cancel");
    let report = browser.text("#report-table").await;
    assert!(
        report.contains("Контрольная группа") && report.contains("Выручка на покупателя"),
        "{report}"
    );
    browser.shot("campaigns-ru-08-campaign-sent").await;

    let pages = [
        ("09-templates", "/templates".to_owned()),
        ("10-template", template.clone()),
        ("11-campaigns", "/campaigns".to_owned()),
        ("12-campaign-new", "/campaigns/new".to_owned()),
        ("13-campaign-cancelled", first.clone()),
        ("14-campaign-sent", second.clone()),
    ];
    for (name, path) in &pages {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("campaigns-ru-{name}")).await;
    }
    browser.go(&server.url("/campaigns?lang=en")).await;
    assert_eq!(browser.text("h1").await, "Campaigns");
    for (name, path) in &pages {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("campaigns-en-{name}")).await;
    }
    browser.close().await;

    // At 390 px every page fits the screen.
    let phone = signed_in_on(&server, 390, "owner", "/templates").await;
    for (name, path) in &pages {
        phone.go(&server.url(path)).await;
        phone.shot(&format!("campaigns-phone-{name}")).await;
        assert!(!phone.scrolls_sideways().await, "{path} at 390 px");
    }
    phone.close().await;
    server.stop().await;
}

/// Whether what matches `css` is shown (its style does not hide it).
async fn shown(browser: &Browser, css: &str) -> bool {
    browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); \
             return e !== null && e.getClientRects().length > 0",
            vec![css.into()],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}
