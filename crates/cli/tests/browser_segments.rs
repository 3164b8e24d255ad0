//! Segments in a real headless Chromium: the marketer builds a rule from
//! the pickers («Купил», category dairy, at least one unit in the last 30
//! days), sees a mistake beside its row and the live count follow the
//! rule, saves, and lands on the segment's page with that size; makes an
//! offer for the segment, which a till then applies to a member's basket;
//! the pages fit a phone. A marketer makes a segment from a file of phones,
//! a file of names refused beside its field on the way. With
//! `CLIENTELE_SHOTS=<folder>` the file's pages, in Russian, in English and
//! at 390 px, are saved there as PNGs to be looked at.

use crate::common;

use std::time::Duration;

use common::browser::{Browser, TempFile, owner_on, signed_in_on};
use common::shop::{groceries, open, sell};
use common::{Engine, TestServer};
use serde_json::json;

async fn customer(server: &TestServer, name: &str) -> i64 {
    let (status, created) = server
        .post("/api/v1/customers", json!({"name": name}))
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// Waits until no htmx request is under way: the rows drawn again.
async fn settled(browser: &Browser) {
    let mut quiet = 0;
    for _ in 0..200 {
        let busy = browser
            .client
            .execute(
                "return document.querySelector('.htmx-request') !== null",
                vec![],
            )
            .await
            .unwrap();
        quiet = if busy.as_bool() == Some(false) {
            quiet + 1
        } else {
            0
        };
        if quiet >= 3 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page never settled");
}

#[tokio::test]
async fn a_marketer_builds_a_segment_of_dairy_buyers_from_the_pickers() {
    let server = TestServer::start(Engine::Sqlite).await;
    let shop = open(&server, 1).await;
    let anna = customer(&server, "Анна Молочникова").await;
    let boris = customer(&server, "Борис Хлебов").await;
    let vera = customer(&server, "Вера Сырова").await;
    sell(&server, &shop, anna, "r-1", groceries()).await;
    sell(&server, &shop, vera, "r-2", groceries()).await;
    let bread = json!([{"sku": "bread", "name": "Хлеб", "category": "bakery", "quantity": 1,
                        "price_minor": 5000, "amount_minor": 5000}]);
    sell(&server, &shop, boris, "r-3", bread).await;

    let browser = owner_on(&server, "/segments").await;
    assert!(browser.page_text().await.contains("Сегментов пока нет."));
    browser.click_through("a.button").await;
    assert_eq!(browser.path().await, "/segments/new");
    browser
        .wait_for_text("#live-count", "Выберите поле условия")
        .await;

    // The field from its picker: the ops and inputs it takes appear.
    browser.choose("#r0-field", "bought").await;
    browser.wait_for("#r0-categories").await;
    settled(&browser).await;
    browser.choose("#r0-op", "gte").await;
    settled(&browser).await;
    assert_eq!(browser.value("#r0-op").await, "gte");
    browser.fill("#r0-value", "1").await;
    browser.fill("#r0-categories", "dairy").await;
    // A period of no days is refused beside its row, in Russian.
    browser.fill("#r0-period", "0").await;
    browser
        .wait_for_text("#errors-r0", "Период — целое число дней от 1 до 36 600.")
        .await;
    browser.fill("#r0-period", "30").await;
    browser
        .wait_for_text("#live-count", "Подходит покупателей: 2")
        .await;
    assert_eq!(browser.text("#errors-r0").await, "");
    let sample = browser.text("#live-count .sample").await;
    assert!(
        sample.contains("Анна Молочникова") && sample.contains("Вера Сырова"),
        "{sample}"
    );
    assert!(!sample.contains("Борис"), "{sample}");
    // More units than anyone bought: nobody.
    browser.fill("#r0-value", "5").await;
    browser
        .wait_for_text("#live-count", "Подходит покупателей: 0")
        .await;
    browser.fill("#r0-value", "1").await;
    browser
        .wait_for_text("#live-count", "Подходит покупателей: 2")
        .await;

    browser.fill("#name", "Любители молочного").await;
    browser
        .click_through("#segment-form .actions button[type=submit]")
        .await;
    let page = browser.path().await;
    assert!(
        page.starts_with("/segments/") && page.ends_with("?done=created"),
        "{page}"
    );
    assert_eq!(browser.text(".notice").await, "Сегмент создан.");
    assert!(browser.text("h1").await.starts_with("Любители молочного"));
    assert_eq!(browser.text("#figure-size dd").await, "2");
    assert_eq!(browser.text("#figure-share-base dd").await, "66,67 %");
    let rules = browser.text(".rule-words").await;
    assert!(
        rules.contains("Купил товары категории «Молочное» не меньше 1 шт. за последние 30 дней"),
        "{rules}"
    );
    browser.wait_for("#size-chart[data-drawn]").await;
    let segment: i64 = page
        .trim_start_matches("/segments/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // An offer for the segment, made from the pickers, and a till prices
    // a member's basket with it, not anybody else's.
    browser.go(&server.url("/offers/new")).await;
    browser.fill("#name", "Молочный кешбэк").await;
    browser.choose("#segment_id", &segment.to_string()).await;
    browser.choose("#reward", "percent_off").await;
    browser.fill("#reward_value", "10").await;
    browser
        .click_through("#offer-form .actions button[type=submit]")
        .await;
    assert_eq!(browser.text(".notice").await, "Предложение создано.");
    let offer: i64 = browser
        .path()
        .await
        .trim_start_matches("/offers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for (customer, gets) in [(anna, true), (boris, false)] {
        let priced: serde_json::Value = shop
            .till
            .post(server.url("/api/v1/pos/calculate"))
            .json(&json!({"customer_id": customer, "lines": groceries()}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let applied = priced["offers_applied"].as_array().unwrap();
        assert_eq!(
            applied.iter().any(|o| o["offer_id"] == offer),
            gets,
            "{priced}"
        );
        if gets {
            assert_eq!(priced["discount_minor"], (17980 + 63840) / 10, "{priced}");
        }
    }
    browser
        .go(&server.url(&format!("/segments/{segment}")))
        .await;

    // The members are the customer list's, by the segment.
    browser
        .click_through("a[href^='/customers?segment_id=']")
        .await;
    let members = browser.text("#results").await;
    assert!(
        members.contains("Анна Молочникова") && !members.contains("Борис"),
        "{members}"
    );
    browser.close().await;

    // At 390 px the list, the page and the editor fit the screen.
    let phone = signed_in_on(&server, 390, "owner", "/segments").await;
    assert!(!phone.scrolls_sideways().await, "the list at 390 px");
    phone.click_through("#segments a").await;
    assert!(!phone.scrolls_sideways().await, "the page at 390 px");
    phone.click_through("a.button").await;
    phone
        .wait_for_text("#live-count", "Подходит покупателей: 2")
        .await;
    assert_eq!(phone.value("#r0-categories").await, "Молочное");
    assert!(!phone.scrolls_sideways().await, "the editor at 390 px");
    phone.close().await;
    server.stop().await;
}

/// Uploads `file` from the segment-from-a-file form under `name`.
async fn upload(browser: &Browser, name: &str, file: &TempFile) {
    browser.fill("#name", name).await;
    browser.attach("#file", file.path()).await;
    browser
        .click_through("#upload-form button[type=submit]")
        .await;
}

#[tokio::test]
async fn a_marketer_makes_a_segment_from_a_file_of_phones() {
    let server = TestServer::start(Engine::Sqlite).await;
    for (name, phone) in [
        ("Анна Звонкова", "+79161234501"),
        ("Борис Звонков", "+79161234502"),
    ] {
        let (status, made) = server
            .post("/api/v1/customers", json!({"name": name, "phone": phone}))
            .await;
        assert_eq!(status, 201, "{made}");
    }
    let phones = TempFile::new("обзвон.csv");
    let listed = "Телефон\n+7 916 123-45-01\n8 916 123-45-02\n+7 999 000-00-00\n";
    std::fs::write(&phones.0, listed).unwrap();
    let names = TempFile::new("фамилии.txt");
    std::fs::write(&names.0, "Иванов\nПетров\n").unwrap();

    let browser = owner_on(&server, "/segments").await;
    browser.click_through("a[href='/segments/upload']").await;
    assert_eq!(browser.path().await, "/segments/upload");
    browser.shot("ru-01-upload").await;
    // A file of names: said beside the field, the name kept.
    upload(&browser, "Обзвон", &names).await;
    assert_eq!(
        browser.text("#file-error").await,
        "В файле нет ни телефонов, ни номеров карт."
    );
    assert_eq!(browser.value("#name").await, "Обзвон");
    browser.shot("ru-02-refused").await;
    browser.attach("#file", phones.path()).await;
    browser
        .click_through("#upload-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text(".notice").await,
        "Сегмент «Обзвон» создан из файла."
    );
    assert_eq!(browser.text("#figure-named dd").await, "2");
    assert_eq!(browser.text("#figure-size dd").await, "2");
    let missed = browser.text("#missed").await;
    assert!(
        missed.contains("Не нашли 1 строку из 3:") && missed.contains("строка 4: +7 999 000-00-00"),
        "{missed}"
    );
    browser.shot("ru-03-uploaded").await;
    // Its page, and its members in the customer list.
    browser.click_through(".title a.button").await;
    assert!(browser.path().await.starts_with("/segments/"));
    assert_eq!(browser.text("#figure-size dd").await, "2");
    browser
        .click_through("a[href^='/customers?segment_id=']")
        .await;
    let members = browser.text("#results").await;
    assert!(
        members.contains("Анна Звонкова") && members.contains("Борис Звонков"),
        "{members}"
    );

    // In English.
    browser.go(&server.url("/segments/upload?lang=en")).await;
    browser.shot("en-01-upload").await;
    upload(&browser, "Calls", &phones).await;
    assert_eq!(
        browser.text(".notice").await,
        "Segment “Calls” made from the file."
    );
    assert!(
        browser
            .text("#missed")
            .await
            .contains("1 line of 3 found nobody:")
    );
    browser.shot("en-02-uploaded").await;
    browser.close().await;

    // At 390 px the form, a refusal and the result fit the screen.
    let phone = signed_in_on(&server, 390, "owner", "/segments/upload").await;
    assert!(!phone.scrolls_sideways().await, "the form at 390 px");
    phone.shot("phone-01-upload").await;
    upload(&phone, "Обзвон с телефона", &names).await;
    assert!(!phone.scrolls_sideways().await, "the refusal at 390 px");
    phone.shot("phone-02-refused").await;
    phone.attach("#file", phones.path()).await;
    phone
        .click_through("#upload-form button[type=submit]")
        .await;
    assert_eq!(phone.text("#figure-size dd").await, "2");
    assert!(!phone.scrolls_sideways().await, "the result at 390 px");
    phone.shot("phone-03-uploaded").await;
    phone.close().await;
    server.stop().await;
}
