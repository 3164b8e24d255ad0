//! Offers in a real headless Chromium: the marketer makes an offer from
//! the pickers (the unit beside its size follows the kind of reward, the
//! shared code's field shows only for a shared code), lands on its page,
//! makes single-use codes and sees them listed; every offers page fits a
//! phone. With `CLIENTELE_SHOTS=<folder>` each page, in Russian, in
//! English and at 390 px, is saved there as a PNG to be looked at.

use crate::common;

use common::browser::{Browser, owner_on, signed_in_on};
use common::{Engine, TestServer};
use serde_json::{Value, json};

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
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

#[tokio::test]
async fn a_marketer_makes_an_offer_and_its_codes_and_the_pages_fit_a_phone() {
    let server = TestServer::start(Engine::Sqlite).await;
    let region = made(
        &server,
        "/api/v1/stores",
        json!({"code": "MSK", "name": "Москва", "kind": "region"}),
    )
    .await;
    for (code, name) in [("S-1", "Магазин на Ленина"), ("S-2", "Магазин на Тверской")]
    {
        made(
            &server,
            "/api/v1/stores",
            json!({"code": code, "name": name, "kind": "store", "parent_id": region}),
        )
        .await;
    }
    let segment = made(
        &server,
        "/api/v1/segments",
        json!({"name": "Любители молочного",
               "rules": {"field": "gender", "op": "eq", "value": "female"}}),
    )
    .await;
    let shared = made(
        &server,
        "/api/v1/offers",
        json!({"name": "Весенний код", "reward": "amount_off", "reward_value": 30_000,
               "coupon": "shared", "coupon_code": "VESNA-25", "valid_to": "2027-03-31",
               "min_total_minor": 200_000, "stacking": "best",
               "budget": {"money": {"total": 10_000_000, "per_day": 500_000}}}),
    )
    .await;
    let bonus = made(
        &server,
        "/api/v1/offers",
        json!({"name": "Баллы за третью покупку", "reward": "bonus_points",
               "reward_value": 12_550, "nth_purchase": 3, "every_nth": true,
               "holdout_bp": 1_000, "priority": -5, "days": ["saturday", "sunday"],
               "hours_from": "22:00", "hours_to": "02:00", "skus": ["4601234567890", "MILK-1L"]}),
    )
    .await;

    let browser = owner_on(&server, "/offers").await;
    browser.click_through("a.button").await;
    assert_eq!(browser.path().await, "/offers/new");
    browser.shot("ru-02-new").await;
    browser.fill("#name", "Скидка на молочное").await;
    browser.choose("#segment_id", &segment.to_string()).await;
    // The unit beside the size follows the kind of reward.
    assert!(shown(&browser, ".with-unit .unit-extra_points").await);
    browser.choose("#reward", "percent_off").await;
    assert!(shown(&browser, ".with-unit .unit-percent_off").await);
    assert!(!shown(&browser, ".with-unit .unit-extra_points").await);
    assert!(!shown(&browser, ".caps-points").await, "no points to cap");
    browser.fill("#reward_value", "10").await;
    browser.fill("#categories", "Молочное").await;
    browser.set("valid_from", "2026-12-01").await;
    browser.click("input[name=days][value=saturday]").await;
    browser.click("input[name=store_ids]").await;
    // The shared code's field is there for a shared code alone.
    assert!(!shown(&browser, "#coupon_code").await);
    browser.choose("#coupon", "shared").await;
    assert!(shown(&browser, "#coupon_code").await);
    browser.choose("#coupon", "unique").await;
    assert!(!shown(&browser, "#coupon_code").await);
    browser.shot("ru-03-new-filled").await;
    browser
        .click_through("#offer-form .actions button[type=submit]")
        .await;
    let page = browser.path().await;
    assert!(
        page.starts_with("/offers/") && page.ends_with("?done=created"),
        "{page}"
    );
    let id: i64 = page
        .trim_start_matches("/offers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(browser.text(".notice").await, "Предложение создано.");
    let terms = browser.text("#terms").await;
    assert!(
        terms.contains("Даёт: 10 % скидки на категорию «Молочное»."),
        "{terms}"
    );
    assert!(terms.contains("Где: Москва."), "{terms}");
    browser.fill("#count", "10").await;
    browser.click_through("#make-coupons button").await;
    assert_eq!(browser.text(".notice").await, "Создано 10 купонов.");
    let codes = browser.text("#codes tbody").await;
    assert_eq!(codes.lines().count(), 10, "{codes}");
    browser.shot("ru-04-offer-codes").await;

    // A form refused: each error beside its field.
    browser.go(&server.url("/offers/new")).await;
    browser.fill("#reward_value", "много").await;
    browser.set("hours_from", "08:00").await;
    browser
        .click_through("#offer-form .actions button[type=submit]")
        .await;
    assert_eq!(browser.text("#name-error").await, "Заполните это поле.");
    assert_eq!(
        browser.text("#hours_to-error").await,
        "Укажите и начало, и конец — или оставьте оба поля пустыми."
    );
    assert_eq!(browser.value("#reward_value").await, "много");
    browser.shot("ru-05-refused").await;

    let pages = [
        ("01-list", "/offers".to_owned()),
        ("06-edit", format!("/offers/{id}/edit")),
        ("07-shared", format!("/offers/{shared}")),
        ("08-bonus", format!("/offers/{bonus}")),
        ("09-print", format!("/offers/{id}/coupons/print")),
    ];
    for (name, path) in &pages {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("ru-{name}")).await;
    }
    browser.go(&server.url("/offers?lang=en")).await;
    assert!(browser.text("h1").await.contains("Offers"));
    for (name, path) in pages.iter().chain(&[
        ("02-new", "/offers/new".to_owned()),
        ("04-offer", format!("/offers/{id}")),
    ]) {
        browser.go(&server.url(path)).await;
        browser.shot(&format!("en-{name}")).await;
    }
    browser.close().await;

    // At 390 px every page fits the screen.
    let phone = signed_in_on(&server, 390, "owner", "/offers").await;
    for (name, path) in pages.iter().chain(&[
        ("02-new", "/offers/new".to_owned()),
        ("04-offer", format!("/offers/{id}")),
    ]) {
        phone.go(&server.url(path)).await;
        phone.shot(&format!("phone-{name}")).await;
        assert!(!phone.scrolls_sideways().await, "{path} at 390 px");
    }
    phone.close().await;
    server.stop().await;
}
