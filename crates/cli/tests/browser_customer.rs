//! A customer's page in a real headless Chromium: a refused form answers
//! where the eye is, with its error in view; a success is said at the top
//! in view; at 390 px the page, its receipt and its forms fit the screen
//! with no label standing alone.

use crate::common;

use common::browser::{Browser, owner_on};
use common::shop::{self, groceries, sell};
use common::{Engine, TestServer};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// A customer with `receipts` purchases, so that their page is long.
async fn regular(server: &TestServer, shop: &shop::Shop, receipts: usize) -> i64 {
    let (status, customer) = server
        .post(
            "/api/v1/customers",
            json!({"name": "Анна Александровна Константинопольская-Рождественская",
                   "phone": "+7 912 345-67-89", "email": "anna.konstantinopolskaya@example.com",
                   "birth_date": "1990-05-17", "gender": "female", "city": "Санкт-Петербург",
                   "store_id": shop.store_id, "consents": {"sms": true, "email": true}}),
        )
        .await;
    assert_eq!(status, 201, "{customer}");
    let id = customer["id"].as_i64().unwrap();
    for n in 0..receipts {
        sell(server, shop, id, &format!("R-{n:04}"), groceries()).await;
    }
    id
}

/// Where `css` is against the window: `[top, bottom, window height, scrolled]`.
async fn placed(browser: &Browser, css: &str) -> Vec<f64> {
    let found = browser
        .client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.top, r.bottom, window.innerHeight, window.scrollY];",
            vec![css.into()],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

async fn in_view(browser: &Browser, css: &str) -> bool {
    let [top, bottom, height, _] = placed(browser, css).await[..] else {
        unreachable!()
    };
    // A fragment's target may land a fraction of a pixel above the edge.
    top >= -1.0 && bottom <= height
}

#[tokio::test]
async fn a_refused_form_answers_in_view_and_a_success_at_the_top() {
    let server = TestServer::start(Engine::Sqlite).await;
    let shop = shop::open(&server, 1).await;
    let anna = regular(&server, &shop, 30).await;
    let page = format!("/customers/{anna}");
    let browser = owner_on(&server, &page).await;
    browser.client.set_window_size(1280, 800).await.unwrap();
    let tall = placed(&browser, "#points-form").await;
    assert!(
        tall[0] > 1600.0,
        "the points form is far below the fold: {tall:?}"
    );

    browser.click("#points-form summary").await;
    browser.fill("#points-amount", "сто").await;
    browser
        .fill("#points-comment", "Извинение за очередь")
        .await;
    browser.fill("#points-password", PASSWORD).await;
    browser
        .click_through("#points-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#points-error").await,
        "Число баллов больше нуля, например 150 или 12,5."
    );
    let [_, _, _, scrolled] = placed(&browser, "#points-error").await[..] else {
        unreachable!()
    };
    assert!(scrolled > 0.0, "the answer is not read from the top");
    assert!(
        in_view(&browser, "#points-error").await,
        "the error is in view: {:?}",
        placed(&browser, "#points-error").await
    );
    assert!(in_view(&browser, "#points-amount").await);
    assert_eq!(
        browser.value("#points-comment").await,
        "Извинение за очередь"
    );

    browser.fill("#points-amount", "100").await;
    browser.fill("#points-password", PASSWORD).await;
    browser
        .click_through("#points-form button[type=submit]")
        .await;
    assert_eq!(browser.text("[role=status]").await, "Баллы проведены.");
    assert!(
        in_view(&browser, "[role=status]").await,
        "the notice is seen: {:?} at {}",
        placed(&browser, "[role=status]").await,
        browser.client.current_url().await.unwrap()
    );

    // A note refused for its length: the form, its error and the text kept,
    // in view, the field focused.
    let long = "я".repeat(2001);
    browser
        .client
        .execute(
            "document.getElementById('note-text').value = arguments[0]",
            vec![long.clone().into()],
        )
        .await
        .unwrap();
    browser
        .click_through("#note-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#note-text-error").await,
        "Не длиннее 2000 знаков."
    );
    assert!(in_view(&browser, "#note-text-error").await);
    assert!(
        browser.focused("#note-text").await,
        "the field to correct has the focus"
    );
    assert_eq!(browser.value("#note-text").await.chars().count(), 2001);

    browser.close().await;
    server.stop().await;
}

/// The table cells a phone shows with a label and nothing after it, or a
/// value with a bare «:» before it.
async fn stray_labels(browser: &Browser) -> Vec<String> {
    let found = browser
        .client
        .execute(
            "const stray = [];
             for (const td of document.querySelectorAll('table.list td')) {
               if (td.offsetParent === null) continue;
               const before = getComputedStyle(td, '::before').content;
               if (td.innerText.trim() === '' || before === '\": \"') {
                 stray.push(td.outerHTML.slice(0, 160));
               }
             }
             return stray;",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_customer_page_fits_a_phone_without_stray_labels() {
    let server = TestServer::start(Engine::Sqlite).await;
    let shop = shop::open(&server, 2).await;
    let anna = regular(&server, &shop, 3).await;
    let (status, _) = server
        .post(
            &format!("/api/v1/customers/{anna}/notes"),
            json!({"text": "Очень длинная заметка без пробелов: \
                           ааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа"}),
        )
        .await;
    assert_eq!(status, 201);
    let page = format!("/customers/{anna}");
    let browser = Browser::start(390).await;
    browser.go(&server.url(&page)).await;
    browser.sign_in("owner").await;
    // A card given from the page, so the cards table has a row.
    browser.click("#give-form summary").await;
    browser
        .click_through("#give-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("[role=status]").await,
        "Карта выдана и активна."
    );

    for summary in ["#points-form", "#give-form", "#block-form", "#merge-form"] {
        browser.click(&format!("{summary} summary")).await;
    }
    assert!(
        !browser.scrolls_sideways().await,
        "the customer's page scrolls sideways"
    );
    let stray = stray_labels(&browser).await;
    assert!(
        stray.is_empty(),
        "labels with nothing beside them: {stray:#?}"
    );
    let profile = browser.text(".profile").await;
    assert!(
        profile.contains("Санкт-Петербург") && profile.contains("SMS"),
        "{profile}"
    );

    browser.click_through("#purchases tbody a").await;
    assert!(
        browser
            .path()
            .await
            .starts_with(&format!("/customers/{anna}/receipts/"))
    );
    assert!(
        !browser.scrolls_sideways().await,
        "the receipt scrolls sideways"
    );
    let stray = stray_labels(&browser).await;
    assert!(stray.is_empty(), "the receipt's labels alone: {stray:#?}");

    browser.close().await;
    server.stop().await;
}
