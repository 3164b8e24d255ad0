//! The settings pages in a real headless Chromium: the owner makes a
//! group, a store under a region, a choice property, a role and a staff
//! user holding it, and a till whose key is shown once; bad input is
//! refused beside its field with what was typed kept; a cashier is refused.

use crate::common;

use common::browser::signed_in_on;
use common::{Engine, TestServer, staff_token};
use serde_json::json;

const SAVE: &str = "form.settings-form button[type=submit]";

#[tokio::test]
async fn the_owner_sets_up_groups_stores_properties_staff_and_tills() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = signed_in_on(&server, 1280, "owner", "/settings").await;
    let sections = browser.text("ul.sections").await;
    for section in ["Группы покупателей", "Магазины", "Сотрудники", "Ключи касс"]
    {
        assert!(sections.contains(section), "{sections}");
    }

    // A customer group, then the same name again: refused beside the name.
    browser.click_through("a[href='/settings/groups']").await;
    browser
        .click_through("a[href='/settings/groups/new']")
        .await;
    browser.fill("#name", "Оптовики").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/groups?done=created");
    assert!(browser.text("#groups").await.contains("Оптовики"));
    browser.go(&server.url("/settings/groups/new")).await;
    browser.fill("#name", "Оптовики").await;
    browser.click_through(SAVE).await;
    assert_eq!(
        browser.text("#name-error").await,
        "Это значение уже занято."
    );
    assert_eq!(
        browser.value("#name").await,
        "Оптовики",
        "what was typed stays"
    );
    browser.fill("#name", "   ").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.text("#name-error").await, "Заполните это поле.");

    // A region, then a store inside it, chosen from the tree.
    browser.go(&server.url("/settings/stores/new")).await;
    browser.fill("#code", "MSK").await;
    browser.fill("#name", "Москва и область").await;
    browser.set("kind", "region").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/stores?done=created");
    browser
        .click_through("li[data-code=MSK] a[href^='/settings/stores/new?parent=']")
        .await;
    browser.fill("#code", "магазин 1").await;
    browser.fill("#name", "Тверская, 7").await;
    browser.click_through(SAVE).await;
    assert!(
        !browser.text("#code-error").await.is_empty(),
        "a code in latin letters"
    );
    assert_eq!(browser.value("#name").await, "Тверская, 7");
    browser.fill("#code", "MSK-01").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/stores?done=created");
    let inside = browser.text("#stores li.depth-1").await;
    assert!(
        inside.contains("MSK-01") && inside.contains("Тверская, 7"),
        "{inside}"
    );
    assert!(
        browser
            .text("#stores li.depth-0")
            .await
            .contains("Москва и область")
    );

    // A choice property: without choices it is refused, with them it is made.
    browser.go(&server.url("/settings/properties/new")).await;
    browser.fill("#name", "vision").await;
    browser.fill("#label", "Зрение").await;
    browser.set("kind", "choice").await;
    browser.click_through(SAVE).await;
    assert!(!browser.text("#choices-error").await.is_empty());
    assert_eq!(browser.value("#label").await, "Зрение");
    assert_eq!(browser.value("#kind").await, "choice");
    browser.set("choices", "Близорукость\nДальнозоркость").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/properties?done=created");
    let properties = browser.text("#properties").await;
    assert!(
        properties.contains("Зрение") && properties.contains("Близорукость, Дальнозоркость"),
        "{properties}"
    );

    // A role with its rights ticked, and a staff user who holds it.
    browser.go(&server.url("/settings/staff/roles/new")).await;
    browser.fill("#name", "Кладовщик").await;
    browser.click("#view_customers").await;
    browser.click("#edit_reports").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/staff?done=role-created");
    let roles = browser.text("#roles").await;
    assert!(
        roles.contains("Кладовщик") && roles.contains("Покупатели: просмотр · Отчёты: правка"),
        "{roles}"
    );
    browser.click_through("a[href='/settings/staff/new']").await;
    browser.fill("#login", "sklad").await;
    browser.fill("#name", "Пётр Складской").await;
    browser.set("role", "Кладовщик").await;
    browser.fill("#password", "short").await;
    browser.fill("#stores", "MSK").await;
    browser.click_through(SAVE).await;
    assert_eq!(
        browser.text("#password-error").await,
        "Пароль — не короче 10 знаков."
    );
    assert_eq!(browser.value("#login").await, "sklad");
    assert_eq!(browser.value("#role").await, "Кладовщик");
    assert_eq!(
        browser.value("#password").await,
        "",
        "a password is never sent back"
    );
    browser.fill("#password", "склад и ещё немного").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/staff?done=created");
    let staff = browser.text("#staff").await;
    assert!(
        staff.contains("sklad") && staff.contains("Кладовщик") && staff.contains("MSK"),
        "{staff}"
    );

    // A till: its key shown once, then only its row.
    browser.go(&server.url("/settings/tills/new")).await;
    browser.click_through(SAVE).await;
    assert!(
        !browser.text("#store-error").await.is_empty(),
        "a store is needed"
    );
    browser.fill("#name", "Касса 1").await;
    let (_, stores) = server.get("/api/v1/stores").await;
    let store = stores["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "MSK-01")
        .unwrap()["id"]
        .to_string();
    browser.set("store", &store).await;
    browser.click_through(SAVE).await;
    let key = browser.value("#till-key").await;
    assert!(key.starts_with("till_"), "{key}");
    assert!(browser.text("[role=alert]").await.contains("один раз"));
    browser.click_through("a[href='/settings/tills']").await;
    let tills = browser.text("#tills").await;
    assert!(
        tills.contains("Касса 1") && tills.contains("MSK-01"),
        "{tills}"
    );
    assert!(
        !browser.page_text().await.contains(&key),
        "the key is not shown again"
    );
    browser.close().await;
    server.stop().await;
}

/// The id of what the API just made.
fn id(made: &serde_json::Value) -> i64 {
    made["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_owner_changes_what_is_there_and_is_refused_what_cannot_change() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (_, wholesale) = server
        .post("/api/v1/customer-groups", json!({"name": "Оптовики"}))
        .await;
    let (_, retail) = server
        .post("/api/v1/customer-groups", json!({"name": "Розница"}))
        .await;
    let (status, _) = server
        .post(
            "/api/v1/customers",
            json!({"name": "Анна Петрова", "group_id": id(&retail)}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, msk) = server
        .post(
            "/api/v1/stores",
            json!({"code": "MSK", "name": "Москва", "kind": "region"}),
        )
        .await;
    let (_, spb) = server
        .post(
            "/api/v1/stores",
            json!({"code": "SPB", "name": "Петербург", "kind": "region"}),
        )
        .await;
    let (_, shop) = server
        .post(
            "/api/v1/stores",
            json!({"code": "S1", "name": "Невский", "parent_id": id(&msk)}),
        )
        .await;
    let (_, vision) = server
        .post(
            "/api/v1/properties",
            json!({"name": "vision", "label": "Зрение", "kind": "choice",
                   "choices": ["Близорукость", "Дальнозоркость"]}),
        )
        .await;
    staff_token(&server.app, "sklad", "cashier").await;
    let (_, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": id(&shop), "name": "Касса 1"}),
        )
        .await;
    let browser = signed_in_on(&server, 1280, "owner", "/settings/groups").await;

    // A group renamed and made the default; the old default, empty, deleted;
    // a group with customers kept, saying why.
    browser
        .click_through(&format!(
            "a[href='/settings/groups/{}/edit']",
            id(&wholesale)
        ))
        .await;
    browser.fill("#name", "Опт").await;
    browser.click("#is_default").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.text("[role=status]").await, "Сохранено.");
    let row = browser.text("#groups tbody tr:first-child").await;
    assert!(row.contains("Опт") && row.contains("по умолчанию"), "{row}");
    browser
        .click_through(&format!(
            "form[action='/settings/groups/{}/delete'] button",
            id(&retail)
        ))
        .await;
    assert!(browser.text("[role=alert]").await.contains("только пустую"));
    assert!(browser.text("#groups").await.contains("Розница"));
    browser
        .click_through("#groups form[action$='/delete'] button")
        .await;
    assert_eq!(browser.text("[role=status]").await, "Удалено.");
    assert!(!browser.text("#groups tbody").await.contains("Покупатели"));

    // A store moved to another region; a region under a region refused.
    browser
        .go(&server.url(&format!("/settings/stores/{}/edit", id(&shop))))
        .await;
    browser.set("parent_id", &id(&spb).to_string()).await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/stores?done=saved");
    let moved = browser.text("#stores").await;
    assert!(
        moved.find("Петербург").unwrap() < moved.find("Невский").unwrap(),
        "{moved}"
    );

    // A store's customers' day counts in its time zone, named as a clerk
    // knows it.
    let edit = format!("/settings/stores/{}/edit", id(&shop));
    browser.go(&server.url(&edit)).await;
    browser.set("time_zone", "Asia/Yekaterinburg").await;
    browser.shot("settings-ru-store-zone").await;
    browser.click_through(SAVE).await;
    assert_eq!(browser.path().await, "/settings/stores?done=saved");
    let zoned = browser.text("#stores").await;
    assert!(zoned.contains("Екатеринбург (МСК+2)"), "{zoned}");
    browser.shot("settings-ru-stores-zoned").await;
    browser.go(&server.url(&format!("{edit}?lang=en"))).await;
    assert!(browser.page_text().await.contains("Yekaterinburg (UTC+5)"));
    browser.shot("settings-en-store-zone").await;
    browser.go(&server.url("/settings/stores?lang=ru")).await;
    browser
        .go(&server.url(&format!("/settings/stores/{}/edit", id(&msk))))
        .await;
    browser.fill("#name", "Москва и область").await;
    browser.set("parent_id", &id(&spb).to_string()).await;
    browser.click_through(SAVE).await;
    assert!(!browser.text("#parent_id-error").await.is_empty());
    assert_eq!(browser.value("#name").await, "Москва и область");

    // A choice in use is never taken away; another may be added.
    let edit = format!("/settings/properties/{}/edit", id(&vision));
    browser.go(&server.url(&edit)).await;
    browser.set("choices", "Дальнозоркость").await;
    browser.click_through(SAVE).await;
    assert!(browser.text("#choices-error").await.contains("не убирать"));
    assert_eq!(browser.value("#choices").await, "Дальнозоркость");
    browser
        .set("choices", "Близорукость\nДальнозоркость\nАстигматизм")
        .await;
    browser.click_through(SAVE).await;
    assert!(browser.text("#properties").await.contains("Астигматизм"));

    // A staff user blocked; the last owner kept an owner.
    browser.go(&server.url("/settings/staff")).await;
    let (_, staff) = server.get("/api/v1/staff").await;
    let user_id = |login: &str| {
        staff["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["login"] == login)
            .map(id)
            .unwrap()
    };
    browser
        .click_through(&format!(
            "a[href='/settings/staff/{}/edit']",
            user_id("sklad")
        ))
        .await;
    assert!(browser.checked("#active").await);
    browser.click("#active").await;
    browser.click_through(SAVE).await;
    let row = browser.text("#staff").await;
    assert!(row.contains("Заблокирован"), "{row}");
    browser
        .go(&server.url(&format!("/settings/staff/{}/edit", user_id("owner"))))
        .await;
    browser.set("role", "cashier").await;
    browser.click_through(SAVE).await;
    assert!(browser.text("#role-error").await.contains("последний"));
    assert_eq!(browser.value("#role").await, "cashier");

    // A till's key replaced (shown once), then the till revoked.
    browser.go(&server.url("/settings/tills")).await;
    let row = format!("#till-{}", id(&till));
    browser
        .click(&format!("{row} details:first-of-type summary"))
        .await;
    browser
        .click_through(&format!("{row} form[action$='/rotate'] button"))
        .await;
    assert!(browser.value("#till-key").await.starts_with("till_"));
    browser.go(&server.url("/settings/tills")).await;
    browser
        .click(&format!("{row} details:last-of-type summary"))
        .await;
    browser
        .click_through(&format!("{row} form[action$='/revoke'] button"))
        .await;
    assert_eq!(
        browser.text("[role=status]").await,
        "Касса отключена: её ключ больше не действует."
    );
    assert!(browser.text(&row).await.contains("отключена"));
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_cashier_who_opens_the_stores_is_refused() {
    let server = TestServer::start(Engine::Sqlite).await;
    staff_token(&server.app, "kassa", "cashier").await;
    let browser = signed_in_on(&server, 1280, "kassa", "/settings/stores").await;
    assert_eq!(browser.path().await, "/settings/stores");
    assert_eq!(browser.text("h1").await, "Нет доступа");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_settings_pages_fit_a_phone_sized_screen() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = signed_in_on(&server, 390, "owner", "/settings").await;
    for path in [
        "/settings",
        "/settings/groups",
        "/settings/groups/new",
        "/settings/stores",
        "/settings/stores/new",
        "/settings/properties",
        "/settings/properties/new",
        "/settings/staff",
        "/settings/staff/new",
        "/settings/staff/roles/new",
        "/settings/tills",
        "/settings/tills/new",
    ] {
        browser.go(&server.url(path)).await;
        assert!(
            !browser.scrolls_sideways().await,
            "{path} scrolls sideways at 390 px"
        );
        if path == "/settings/stores/new" {
            browser.shot("settings-phone-store-new").await;
        }
    }
    browser.close().await;
    server.stop().await;
}
