//! The console in a real headless Chromium: sign in, find a customer by a
//! part of their phone, open their page, switch the language, come back
//! after the session ended, and be refused a page the role may not open.

use crate::common;

use common::browser::{Browser, owner_on};
use common::{Engine, TestServer, staff_token};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// The default bonus program: 5 % earned, up to half a receipt payable.
async fn bonus_program(server: &TestServer) -> serde_json::Value {
    let (status, program) = server
        .post(
            "/api/v1/programs",
            json!({"name": "Бонусы", "is_default": true, "rules": {
                "kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}),
        )
        .await;
    assert_eq!(status, 201, "{program}");
    program
}

/// A customer registered through the API.
async fn registered(server: &TestServer, body: serde_json::Value) -> serde_json::Value {
    let (status, customer) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{customer}");
    customer
}

/// A gift certificate template «Подарок» of this face value, spent in parts.
async fn gift_template(server: &TestServer, face_value_minor: i64) -> serde_json::Value {
    let (status, template) = server
        .post(
            "/api/v1/certificates/templates",
            json!({"name": "Подарок", "face_value_minor": face_value_minor,
                   "valid_days": 365, "partial_use": true}),
        )
        .await;
    assert_eq!(status, 201, "{template}");
    template
}

#[tokio::test]
async fn staff_find_a_customer_by_part_of_the_phone_and_read_their_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    let anna = registered(
        &server,
        json!({"name": "Анна Петрова", "phone": "8 (912) 345-67-89", "birth_date": "1990-05-17"}),
    )
    .await;
    let _ = registered(
        &server,
        json!({"name": "Борис Иванов", "phone": "+7 903 111-22-33"}),
    )
    .await;
    let browser = Browser::start(1280).await;

    // A page asked for before signing in is where sign-in leads.
    browser.go(&server.url("/customers?q=4567")).await;
    assert!(browser.path().await.starts_with("/login?next="));
    assert!(browser.page_text().await.contains("Логин"));
    browser.sign_in("owner").await;
    assert_eq!(browser.path().await, "/customers?q=4567");
    let listed = browser.text("table.list tbody").await;
    assert!(listed.contains("Анна Петрова"), "{listed}");
    assert!(!listed.contains("Борис"), "{listed}");
    assert!(listed.contains("+7 912 345-67-89"), "{listed}");
    assert!(listed.contains("17.05.1990"), "{listed}");
    assert_eq!(browser.text(".found").await, "Найден 1 покупатель");

    // The quick search box, typed into: the list follows as one types,
    // and so does the address.
    browser.fill("#q", "903 111").await;
    let listed = browser.wait_for_text("#results", "Борис Иванов").await;
    assert!(!listed.contains("Анна"), "{listed}");
    assert!(browser.path().await.starts_with("/customers?q=903%20111&"));
    browser.click_through(".quick button").await;
    let listed = browser.text("table.list tbody").await;
    assert!(
        listed.contains("Борис Иванов") && !listed.contains("Анна"),
        "{listed}"
    );

    browser.fill("#q", "912345").await;
    browser.click_through(".quick button").await;
    browser.click_through("table.list tbody a").await;
    assert_eq!(
        browser.path().await,
        format!("/customers/{}", anna["id"].as_i64().unwrap())
    );
    assert_eq!(browser.text("h1").await, "Анна Петрова");
    let figures = browser.text(".figures").await;
    assert!(
        figures.contains("Баланс") && figures.contains("Уровень"),
        "{figures}"
    );
    assert!(browser.text("#consents").await.contains("SMS"));

    // English by a switch, remembered on the next page; Russian again.
    browser.click_through("a.lang").await;
    assert_eq!(browser.text("h1").await, "Анна Петрова");
    assert!(browser.text(".figures").await.contains("Balance"));
    browser.go(&server.url("/customers?q=9123")).await;
    assert_eq!(browser.text("h1").await, "Customers");
    assert_eq!(browser.text(".found").await, "1 customer found");
    browser.click_through("a.lang").await;
    assert_eq!(browser.text("h1").await, "Покупатели");

    // The session ends (signed out elsewhere): sign-in, then the same page.
    let cookie = browser
        .client
        .get_named_cookie("clientele_session")
        .await
        .unwrap();
    server.app.sign_out(cookie.value()).await.unwrap();
    let wanted = format!("/customers/{}", anna["id"].as_i64().unwrap());
    browser.go(&server.url(&wanted)).await;
    assert!(browser.path().await.starts_with("/login?next="));
    assert!(
        browser
            .text("[role=alert]")
            .await
            .contains("Сеанс закончился")
    );
    browser.sign_in("owner").await;
    assert_eq!(browser.path().await, wanted);

    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_new_customer_is_registered_step_by_step_with_errors_beside_their_fields() {
    let server = TestServer::start(Engine::Sqlite).await;
    let taken = registered(
        &server,
        json!({"name": "Вера", "phone": "+7 912 000-00-01"}),
    )
    .await;
    let browser = owner_on(&server, "/customers").await;
    browser
        .click_through("a.button[href='/customers/new']")
        .await;
    assert_eq!(browser.path().await, "/customers/new");

    // No name, a phone that is no phone, an impossible birthday.
    browser.fill("#phone", "12-34").await;
    browser.fill("#email", "ivan@example.com").await;
    browser.click("input[name=consent_sms]").await;
    browser.set("birth_date", "1800-01-01").await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    assert_eq!(browser.path().await, "/customers/new");
    assert_eq!(browser.text("#name-error").await, "Заполните это поле.");
    assert_eq!(
        browser.text("#phone-error").await,
        "Это не похоже на номер телефона."
    );
    assert!(!browser.text("#birth_date-error").await.is_empty());
    assert_eq!(
        browser.value("#phone").await,
        "12-34",
        "what was typed stays"
    );
    assert_eq!(browser.value("#email").await, "ivan@example.com");
    assert!(browser.checked("input[name=consent_sms]").await);

    // A phone another customer has: named beside the field.
    browser.fill("#name", "Иван Сидоров").await;
    browser.fill("#phone", "8 912 000-00-01").await;
    browser.set("birth_date", "").await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    let holder = taken["id"].as_i64().unwrap();
    assert_eq!(
        browser.text("#phone-error").await,
        format!("Уже есть у покупателя №{holder}.")
    );

    browser.fill("#phone", "8 912 777-66-55").await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    assert!(browser.path().await.starts_with("/customers/"));
    assert_eq!(browser.text("h1").await, "Иван Сидоров");
    let (_, found) = server.get("/api/v1/customers?q=9127776655").await;
    let ivan = &found["items"][0];
    assert_eq!(ivan["email"], "ivan@example.com");
    assert_eq!(ivan["channel"], "console");
    assert_eq!(ivan["consents"]["sms"]["granted"], true);

    // Edited: the form comes filled in; a cleared field is cleared.
    browser.click_through("a.button[href$='/edit']").await;
    assert_eq!(browser.value("#name").await, "Иван Сидоров");
    browser.fill("#email", "").await;
    browser.fill("#city", "Казань").await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    let (_, ivan) = server
        .get(&format!("/api/v1/customers/{}", ivan["id"]))
        .await;
    assert_eq!(ivan["city"], "Казань");
    assert!(ivan["email"].is_null(), "{ivan}");

    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn points_given_by_hand_with_the_password_change_the_balance() {
    let server = TestServer::start(Engine::Sqlite).await;
    let anna = registered(
        &server,
        json!({"name": "Анна", "phone": "+7 912 345-67-89"}),
    )
    .await;
    let page = format!("/customers/{}", anna["id"].as_i64().unwrap());
    let browser = owner_on(&server, &page).await;
    let balance = || async { browser.text(".figures div:nth-child(5) dd").await };
    assert_eq!(balance().await, "0");

    browser.click("#points-form summary").await;
    browser.fill("#points-amount", "150").await;
    browser
        .fill("#points-comment", "Извинение за очередь")
        .await;
    browser.fill("#points-password", "not my password").await;
    browser
        .click_through("#points-form button[type=submit]")
        .await;
    assert_eq!(browser.text("#password-error").await, "Пароль неверный.");
    assert_eq!(
        browser.value("#points-amount").await,
        "150",
        "what was typed stays"
    );
    assert_eq!(
        browser.value("#points-comment").await,
        "Извинение за очередь"
    );
    assert_eq!(
        browser.value("#points-password").await,
        "",
        "but not the password"
    );
    assert_eq!(balance().await, "0", "nothing was given");

    browser.fill("#points-password", PASSWORD).await;
    browser
        .click_through("#points-form button[type=submit]")
        .await;
    assert_eq!(browser.text("[role=status]").await, "Баллы проведены.");
    assert_eq!(balance().await, "150");
    assert!(
        browser
            .text("#points table")
            .await
            .contains("Извинение за очередь")
    );

    // More than there is cannot be written off.
    browser.click("#points-form summary").await;
    browser
        .click("input[name=direction][value=write_off]")
        .await;
    browser.fill("#points-amount", "200").await;
    browser.fill("#points-comment", "Ошибка").await;
    browser.fill("#points-password", PASSWORD).await;
    browser
        .click_through("#points-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#points-error").await,
        "У покупателя нет столько баллов, ничего не списано."
    );
    assert!(
        browser
            .checked("input[name=direction][value=write_off]")
            .await
    );
    assert_eq!(balance().await, "150");

    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_replaced_card_is_withdrawn_with_its_reason_and_the_balance_stays() {
    let server = TestServer::start(Engine::Sqlite).await;
    let anna = registered(
        &server,
        json!({"name": "Анна", "phone": "+7 912 345-67-89"}),
    )
    .await;
    let program = bonus_program(&server).await;
    let (_, group) = server
        .post(
            "/api/v1/card-groups",
            json!({"name": "Основные", "program_id": program["id"]}),
        )
        .await;
    let (status, card) = server
        .post(
            "/api/v1/cards",
            json!({"group_id": group["id"], "customer_id": anna["id"]}),
        )
        .await;
    assert_eq!(status, 201, "{card}");
    let (status, _) = server
        .post(
            "/api/v1/points/adjustments",
            json!({"customer_ids": [anna["id"]], "points": 12_000, "comment": "Перенос",
                   "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 201);
    let page = format!("/customers/{}", anna["id"].as_i64().unwrap());
    let row = format!("#card-{}", card["id"]);
    let browser = owner_on(&server, &page).await;
    assert_eq!(browser.text(".figures div:nth-child(5) dd").await, "120");

    browser.click(&format!("{row} summary")).await;
    browser
        .click_through(&format!("{row} button[type=submit]"))
        .await;
    assert_eq!(
        browser.text(&format!("#reason-error-{}", card["id"])).await,
        "Заполните это поле."
    );
    browser
        .fill(&format!("#reason-{}", card["id"]), "Потеряна")
        .await;
    browser
        .click_through(&format!("{row} button[type=submit]"))
        .await;
    assert_eq!(
        browser.text("[role=status]").await,
        "Карта заменена, старая выведена из оборота."
    );
    let cards = browser.text("#cards table").await;
    assert!(cards.contains("Выведена Потеряна"), "{cards}");
    assert!(cards.contains("Действует"), "{cards}");
    assert_eq!(
        browser.text(".figures div:nth-child(5) dd").await,
        "120",
        "the balance stays with the customer"
    );
    let (_, listed) = server
        .get(&format!(
            "/api/v1/cards?customer_id={}&active=true",
            anna["id"]
        ))
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_ne!(listed["items"][0]["barcode"], card["barcode"]);

    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn birthday_customers_of_a_day_get_points_with_a_message_in_one_action() {
    let server = TestServer::start(Engine::Sqlite).await;
    let mut born_25th = Vec::new();
    for (name, born) in [
        ("Анна", "1990-11-25"),
        ("Борис", "1985-11-25"),
        ("Вера", "1970-11-05"),
        ("Гоша", "1999-12-25"),
    ] {
        let customer = registered(&server, json!({"name": name, "birth_date": born})).await;
        if born.ends_with("11-25") {
            born_25th.push(customer["id"].as_i64().unwrap());
        }
    }
    let browser = owner_on(&server, "/birthdays").await;
    assert_eq!(browser.text("#month").await, "Ноябрь 2026");
    let marked = browser.text("td.marked").await;
    assert_eq!(
        marked, "5\n1",
        "the first marked day: the 5th, one customer"
    );
    browser
        .click_through("a[href='/birthdays?month=2026-11&day=25']")
        .await;
    assert_eq!(
        browser.text("#day h2").await,
        "25 ноября 2026: 2 именинника"
    );
    let listed = browser.text("#day table").await;
    assert!(listed.contains("Анна") && listed.contains("Борис") && !listed.contains("Гоша"));
    assert!(listed.contains("36"), "Анна turns 36: {listed}");

    browser.click("#birthday-points summary").await;
    browser.fill("#points-amount", "100").await;
    browser.fill("#points-comment", "С днём рождения").await;
    browser
        .fill("#points-message", "Поздравляем! Дарим 100 баллов.")
        .await;
    browser.fill("#points-password", PASSWORD).await;
    browser
        .click_through("#birthday-points button[type=submit]")
        .await;
    assert_eq!(
        browser.text("[role=status]").await,
        "Баллы начислены, поздравления ждут отправки."
    );
    for id in born_25th {
        let (_, ledger) = server.get(&format!("/api/v1/customers/{id}/ledger")).await;
        assert_eq!(ledger["points_available"], 10_000, "{ledger}");
    }

    // The next month, by its link.
    browser.click_through("a[rel=next]").await;
    assert_eq!(browser.text("#month").await, "Декабрь 2026");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn ticked_customers_each_get_a_certificate_in_one_action() {
    let server = TestServer::start(Engine::Sqlite).await;
    gift_template(&server, 100_000).await;
    let mut ids = Vec::new();
    for name in ["Ткачёва Анна", "Ткачёв Борис", "Ткачёва Вера"] {
        let customer = registered(&server, json!({"name": name})).await;
        ids.push(customer["id"].as_i64().unwrap());
    }
    let browser = owner_on(&server, "/customers?q=Ткач").await;

    // Nothing ticked: said, nothing done.
    browser
        .click("form.bulk details:first-of-type summary")
        .await;
    browser.click_through("button[value=certificate]").await;
    assert_eq!(
        browser.text("[role=alert]").await,
        "Отметьте покупателей в списке."
    );
    assert_eq!(
        browser.text(".found").await,
        "Найдено 3 покупателя",
        "the same list"
    );

    browser
        .click(&format!("input[name=customer_id][value='{}']", ids[0]))
        .await;
    browser
        .click(&format!("input[name=customer_id][value='{}']", ids[2]))
        .await;
    // The refused action is still open.
    browser.click_through("button[value=certificate]").await;
    assert_eq!(browser.text("[role=status]").await, "Выдано 2 сертификата");
    for (id, expected) in [(ids[0], 1), (ids[1], 0), (ids[2], 1)] {
        let (_, held) = server
            .get(&format!("/api/v1/certificates?customer_id={id}"))
            .await;
        assert_eq!(
            held["items"].as_array().unwrap().len(),
            expected,
            "customer {id}"
        );
    }
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn ticked_customers_get_points_a_group_and_a_star_from_the_list() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (_, group) = server
        .post("/api/v1/customer-groups", json!({"name": "Оптовики"}))
        .await;
    let mut ids = Vec::new();
    for (name, phone) in [
        ("Ткачёва Анна", "+79120000001"),
        ("Ткачёв Борис", "+79120000002"),
        ("Ткачёва Вера", "+79120000003"),
    ] {
        let customer = registered(&server, json!({"name": name, "phone": phone})).await;
        ids.push(customer["id"].as_i64().unwrap());
    }
    let browser = owner_on(&server, "/customers?q=Ткач&sort=name").await;
    let tick = |id: i64| format!("input[name=customer_id][value='{id}']");

    // A star, set in place; the favourites filter finds only her.
    browser.click("tbody tr:nth-child(2) button.star").await;
    browser
        .wait_for("tbody tr:nth-child(2) button.star[aria-pressed=true]")
        .await;
    browser.go(&server.url("/customers?favourite=true")).await;
    let listed = browser.text("table.list tbody").await;
    assert!(listed.contains("Ткачёва Анна"), "{listed}");
    assert!(
        !listed.contains("Борис") && !listed.contains("Вера"),
        "{listed}"
    );

    // Ticking a row opens its quick look beside the list.
    browser.go(&server.url("/customers?q=Ткач&sort=name")).await;
    browser.click(&tick(ids[1])).await;
    let look = browser.wait_for_text("#quick-info", "Ткачёв Борис").await;
    assert!(look.contains("+7 912 000-00-02"), "{look}");
    assert!(look.contains("Баланс"), "{look}");
    browser.click(&tick(ids[2])).await;

    // Points to the two ticked, with a wrong password first: refused beside
    // the field, the rest kept, the rows still ticked.
    browser
        .click("form.bulk details:nth-of-type(2) summary")
        .await;
    browser.fill("#points-amount", "50").await;
    browser
        .fill("#points-comment", "Извинение за очередь")
        .await;
    browser.fill("#points-password", "wrong").await;
    browser.click_through("button[value=points]").await;
    assert_eq!(browser.text("#password-error").await, "Пароль неверный.");
    assert_eq!(browser.value("#points-amount").await, "50");
    assert_eq!(
        browser.value("#points-comment").await,
        "Извинение за очередь"
    );
    assert!(browser.checked(&tick(ids[1])).await && browser.checked(&tick(ids[2])).await);
    assert!(!browser.checked(&tick(ids[0])).await);
    browser.fill("#points-password", PASSWORD).await;
    browser.click_through("button[value=points]").await;
    assert_eq!(
        browser.text("p.notice").await,
        "Баллы проведены 2 покупателям"
    );
    for (id, expected) in [(ids[0], 0), (ids[1], 5000), (ids[2], 5000)] {
        let (_, ledger) = server.get(&format!("/api/v1/customers/{id}/ledger")).await;
        assert_eq!(
            ledger["points_available"], expected,
            "customer {id}: {ledger}"
        );
    }

    // Another group for the first one.
    browser.click(&tick(ids[0])).await;
    browser
        .click("form.bulk details:nth-of-type(4) summary")
        .await;
    browser.set("bulk-group", &group["id"].to_string()).await;
    browser.click_through("button[value=group]").await;
    assert_eq!(
        browser.text("p.notice").await,
        "В группу переведён 1 покупатель"
    );
    let (_, anna) = server.get(&format!("/api/v1/customers/{}", ids[0])).await;
    assert_eq!(anna["group_id"], group["id"]);
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_customer_gets_a_certificate_a_duplicate_merged_in_and_a_star_from_their_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    gift_template(&server, 50_000).await;
    let anna = registered(
        &server,
        json!({"name": "Анна Петрова", "phone": "+79120000021"}),
    )
    .await;
    let twin = registered(
        &server,
        json!({"name": "Петрова Анна", "phone": "+79120000022", "email": "anna@example.com"}),
    )
    .await;
    let id = anna["id"].as_i64().unwrap();
    let browser = owner_on(&server, &format!("/customers/{id}")).await;

    // A star on the page itself.
    browser.click(".title button.star").await;
    assert_eq!(browser.path().await, format!("/customers/{id}"));
    browser
        .wait_for(".title button.star[aria-pressed=true]")
        .await;

    browser.click("#certificate-form summary").await;
    browser
        .click_through("#certificate-form button[type=submit]")
        .await;
    assert_eq!(browser.text("p.notice").await, "Сертификат выдан.");
    let issued = browser.text("#certificates table").await;
    assert!(issued.contains("500,00 ₽"), "{issued}");

    // The duplicate, named by its phone; unconfirmed first.
    browser.click("#merge-form summary").await;
    browser.fill("#merge-duplicate", "+7 912 000-00-22").await;
    browser
        .click_through("#merge-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#merge-confirm-error").await,
        "Подтвердите объединение."
    );
    assert_eq!(browser.value("#merge-duplicate").await, "+7 912 000-00-22");
    browser.click("#merge-confirm").await;
    browser
        .click_through("#merge-form button[type=submit]")
        .await;
    assert!(
        browser
            .text("p.notice")
            .await
            .starts_with("Дубль присоединён")
    );
    assert!(browser.text(".contacts").await.contains("anna@example.com"));
    let (_, gone) = server
        .get(&format!("/api/v1/customers/{}", twin["id"]))
        .await;
    assert_eq!(gone["merged_into"]["id"], json!(id), "{gone}");

    // The audit trail says what was done, by whom.
    let trail = browser.text("#audit table").await;
    assert!(trail.contains("Присоединён дубль"), "{trail}");
    assert!(trail.contains("Выдан сертификат"), "{trail}");
    assert!(trail.contains("owner"), "{trail}");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_list_is_narrowed_by_group_consent_and_a_property_of_the_marketer() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (_, vip) = server
        .post("/api/v1/customer-groups", json!({"name": "VIP"}))
        .await;
    let (status, _) = server
        .post(
            "/api/v1/properties",
            json!({"name": "vision", "label": "Зрение", "kind": "choice", "choices": ["Близорукость", "Норма"]}),
        )
        .await;
    assert_eq!(status, 201);
    for (name, group, sms, vision) in [
        ("Фильтрова Анна", vip["id"].clone(), true, "Близорукость"),
        ("Фильтров Борис", vip["id"].clone(), false, "Близорукость"),
        ("Фильтрова Вера", json!(null), true, "Близорукость"),
        ("Фильтров Глеб", vip["id"].clone(), true, "Норма"),
    ] {
        let mut body = json!({"name": name, "consents": {"sms": sms},
                              "properties": {"vision": vision}});
        if !group.is_null() {
            body["group_id"] = group;
        }
        registered(&server, body).await;
    }
    let browser = owner_on(&server, "/customers?q=Фильтров").await;
    browser.click("#filters details summary").await;
    browser.set("filter-group_id", &vip["id"].to_string()).await;
    browser
        .click("select[name=consent_sms] option[value=true]")
        .await;
    browser
        .click("select[name=property_vision] option[value='Близорукость']")
        .await;
    browser.click_through("#filters .actions button").await;
    let listed = browser.text("table.list tbody").await;
    assert!(listed.contains("Фильтрова Анна"), "{listed}");
    for other in ["Борис", "Вера", "Глеб"] {
        assert!(!listed.contains(other), "{other} in {listed}");
    }
    assert_eq!(browser.text(".found").await, "Найден 1 покупатель");
    // The form shows the filters chosen, open.
    assert_eq!(
        browser.value("#filter-group_id").await,
        vip["id"].to_string()
    );
    assert_eq!(browser.value("select[name=consent_sms]").await, "true");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_customer_is_blocked_with_a_reason_and_unblocked() {
    let server = TestServer::start(Engine::Sqlite).await;
    let anna = registered(&server, json!({"name": "Анна"})).await;
    let page = format!("/customers/{}", anna["id"].as_i64().unwrap());
    let browser = owner_on(&server, &page).await;

    browser.click("#block-form summary").await;
    browser
        .click_through("#block-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#block-reason-error").await,
        "Заполните это поле."
    );
    browser
        .fill("#block-reason", "Мошенничество с картой")
        .await;
    browser
        .click_through("#block-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#blocked").await,
        "Заблокирован: Мошенничество с картой"
    );
    let (_, blocked) = server
        .get(&format!("/api/v1/customers/{}", anna["id"]))
        .await;
    assert_eq!(blocked["blocked"], true);
    assert_eq!(blocked["blocked_reason"], "Мошенничество с картой");

    browser.click("#block-form summary").await;
    browser
        .click_through("#block-form button[type=submit]")
        .await;
    assert_eq!(
        browser.text("[role=status]").await,
        "Покупатель разблокирован."
    );
    let (_, unblocked) = server
        .get(&format!("/api/v1/customers/{}", anna["id"]))
        .await;
    assert_eq!(unblocked["blocked"], false);
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_tier_is_set_by_hand_until_a_day() {
    let server = TestServer::start(Engine::Sqlite).await;
    let program = bonus_program(&server).await;
    let (status, gold) = server
        .post(
            "/api/v1/tiers",
            json!({"program_id": program["id"], "name": "Золото", "threshold_minor": 5_000_000,
                   "earn_rate_bp": 1000}),
        )
        .await;
    assert_eq!(status, 201, "{gold}");
    let anna = registered(&server, json!({"name": "Анна"})).await;
    let browser = owner_on(&server, &format!("/customers/{}", anna["id"])).await;
    assert_eq!(browser.text(".figures div:nth-child(7) dd").await, "нет");

    browser.click("#tier-form summary").await;
    browser
        .client
        .execute(
            "document.getElementById('tier-id').value = arguments[0]",
            vec![gold["id"].to_string().into()],
        )
        .await
        .unwrap();
    browser.set("tier-until", "2026-11-01").await;
    browser
        .click_through("#tier-form button[type=submit]")
        .await;
    assert!(
        !browser.text("#tier-form .error").await.is_empty(),
        "a day already past"
    );
    assert_eq!(
        browser.value("#tier-id").await,
        gold["id"].to_string(),
        "the tier chosen stays chosen"
    );

    browser.set("tier-until", "2026-12-31").await;
    browser
        .click_through("#tier-form button[type=submit]")
        .await;
    assert_eq!(browser.text("[role=status]").await, "Уровень назначен.");
    let (_, history) = server
        .get(&format!("/api/v1/customers/{}/history", anna["id"]))
        .await;
    assert_eq!(history["totals"]["tier_id"], gold["id"]);
    assert_eq!(browser.text(".figures div:nth-child(7) dd").await, "Золото");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_home_page_shows_the_owner_figures_and_a_chart_of_90_days() {
    let server = TestServer::start(Engine::Sqlite).await;
    bonus_program(&server).await;
    let (_, store) = server
        .post(
            "/api/v1/stores",
            json!({"code": "S-1", "name": "Магазин", "kind": "store"}),
        )
        .await;
    let (status, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": store["id"], "name": "Касса 1"}),
        )
        .await;
    assert_eq!(status, 201, "{till}");
    let till = common::client_with(till["key"].as_str().unwrap());
    for (phone, name) in [("+79123456789", "Анна"), ("+79031112233", "Борис")] {
        let response = till
            .post(server.url("/api/v1/pos/identify"))
            .json(&json!({"phone": phone, "register_name": name}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    // Two receipts today (the test clock's 23 November), one of them
    // Anna's, and one the day before.
    for (id, phone, at, amount) in [
        (
            "R-1",
            Some("+79123456789"),
            "2026-11-23T10:15:00+03:00",
            150_000,
        ),
        ("R-2", None, "2026-11-23T11:30:00+03:00", 4_990),
        (
            "R-3",
            Some("+79031112233"),
            "2026-11-22T18:00:00+03:00",
            20_000,
        ),
    ] {
        let mut receipt = json!({
            "receipt_id": id, "created_at": at,
            "lines": [{"sku": "tea", "name": "Чай", "quantity": 1,
                       "price_minor": amount, "amount_minor": amount}]});
        if let Some(phone) = phone {
            receipt["phone"] = json!(phone);
        }
        let response = till
            .post(server.url("/api/v1/pos/receipts"))
            .json(&receipt)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }

    let browser = owner_on(&server, "/").await;
    assert_eq!(browser.text("#figure-customers dd").await, "2");
    // Boris bought yesterday: within 30 days all the same.
    assert_eq!(browser.text("#figure-active dd").await, "2");
    assert_eq!(browser.text("#figure-receipts dd").await, "2");
    assert_eq!(browser.text("#figure-revenue dd").await, "1 549,90 ₽");
    // 5 % of Anna's 1 500 ₽ and of Boris's 200 ₽.
    assert_eq!(browser.text("#figure-points dd").await, "85");
    // Chart.js drew the 90 days; the same days are in a table for the
    // keyboard and screen readers, newest first.
    browser.wait_for("#sales-chart[data-drawn=true]").await;
    browser.click("details summary").await;
    let first_row = browser.text("table.days tbody tr:first-child").await;
    assert!(first_row.starts_with("23 ноября 2026"), "{first_row}");
    assert!(first_row.contains("1 549,90 ₽"), "{first_row}");
    let second_row = browser.text("table.days tbody tr:nth-child(2)").await;
    assert!(second_row.contains("200,00 ₽"), "{second_row}");

    // The chart's script is sent to this page alone, and stays small.
    let page = server
        .client
        .get(server.url("/assets/home.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let scripts: Vec<String> = browser
        .client
        .execute(
            "return Array.from(document.scripts).filter(s => s.src).map(s => s.src)",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(scripts.len(), 3, "{scripts:?}");
    browser.go(&server.url("/customers")).await;
    let elsewhere = browser
        .client
        .execute(
            "return Array.from(document.scripts).map(s => s.src.split('/').pop())",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        elsewhere,
        json!(["htmx-2.0.11.min.js", "list.js"]),
        "no chart on other pages"
    );
    browser.close().await;

    // A cashier's home has the search but no owner's figures.
    staff_token(&server.app, "kassa", "cashier").await;
    let browser = Browser::start(1280).await;
    browser.go(&server.url("/")).await;
    browser.sign_in("kassa").await;
    assert!(!browser.page_text().await.contains("Выручка"));
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_main_flow_works_from_the_keyboard_alone() {
    use common::browser::{ENTER, TAB};

    let server = TestServer::start(Engine::Sqlite).await;
    bonus_program(&server).await;
    let anna = registered(
        &server,
        json!({"name": "Клавиатурова Анна", "phone": "+79120000031"}),
    )
    .await;
    let browser = Browser::start(1280).await;
    browser.go(&server.url("/customers")).await;
    // Sign-in: the login field has the focus; Tab, Enter.
    assert!(browser.focused("#login").await);
    browser.press("owner").await;
    browser.press(TAB).await;
    browser.press(PASSWORD).await;
    browser.press(ENTER).await;
    browser.wait_for("#q").await;
    assert_eq!(browser.path().await, "/customers");

    // On a page without a field waiting, the first Tab offers to skip the
    // menu.
    browser.go(&server.url("/")).await;
    browser.press(TAB).await;
    assert!(browser.focused("a.skip").await, "the skip link comes first");

    // The search has the focus; the customer is reached and opened by keys.
    browser.go(&server.url("/customers")).await;
    assert!(browser.focused("#q").await);
    browser.press("Клавиатурова").await;
    browser.press(ENTER).await;
    browser
        .wait_for_text("table.list tbody", "Клавиатурова Анна")
        .await;
    let href = format!("/customers/{}", anna["id"]);
    browser
        .tab_to(&format!("table.list a[href='{href}']"))
        .await;
    browser.press(ENTER).await;
    browser.wait_for("#points-form").await;
    assert_eq!(browser.path().await, href);

    // Points by hand, opened and sent from the keyboard.
    browser.tab_to("#points-form summary").await;
    browser.press(ENTER).await;
    browser.tab_to("#points-amount").await;
    browser.press("25").await;
    browser.press(TAB).await;
    browser.press("Клавиатура").await;
    browser.tab_to("#points-password").await;
    browser.press(PASSWORD).await;
    browser.press(ENTER).await;
    assert_eq!(
        browser.wait_for_text("p.notice", "Баллы").await,
        "Баллы проведены."
    );
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn pages_fit_a_phone_sized_screen() {
    let server = TestServer::start(Engine::Sqlite).await;
    let anna = registered(
        &server,
        json!({"name": "Анна Александровна Константинопольская-Рождественская",
                   "phone": "+7 912 345-67-89", "email": "anna.konstantinopolskaya@example.com"}),
    )
    .await;
    let browser = Browser::start(390).await;
    browser.go(&server.url("/login")).await;
    assert!(!browser.scrolls_sideways().await, "the sign-in page");
    browser.sign_in("owner").await;
    for path in [
        "/".to_owned(),
        "/customers".to_owned(),
        "/customers/new".to_owned(),
        format!("/customers/{}", anna["id"].as_i64().unwrap()),
        format!("/customers/{}/edit", anna["id"].as_i64().unwrap()),
        "/settings".to_owned(),
        "/birthdays?day=23".to_owned(),
    ] {
        browser.go(&server.url(&path)).await;
        assert!(
            !browser.scrolls_sideways().await,
            "{path} scrolls sideways at 390 px"
        );
    }
    // Every filter of the list, unfolded.
    browser.go(&server.url("/customers")).await;
    browser.click("#filters details summary").await;
    assert!(!browser.scrolls_sideways().await, "the list's filters");
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_cashier_who_opens_settings_is_refused() {
    let server = TestServer::start(Engine::Sqlite).await;
    staff_token(&server.app, "kassa", "cashier").await;
    let browser = Browser::start(1280).await;
    browser.go(&server.url("/settings")).await;
    browser.sign_in("kassa").await;
    assert_eq!(browser.path().await, "/settings");
    assert_eq!(browser.text("h1").await, "Нет доступа");
    // Nor are the modules the role cannot open offered.
    browser.go(&server.url("/")).await;
    let menu = browser.text("header nav").await;
    assert!(!menu.contains("Настройки"), "{menu}");
    browser.close().await;
    server.stop().await;
}

/// A number the page's script works out.
async fn reckon(browser: &common::browser::Browser, script: &str) -> f64 {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_else(|| panic!("{script} is not a number"))
}

#[tokio::test]
async fn the_quick_look_opens_under_a_row_ticked_midway_and_select_all_ticks_the_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    for n in 0..60 {
        registered(
            &server,
            json!({"name": format!("Длинный Список {n:02}"), "phone": format!("+7912000{n:04}")}),
        )
        .await;
    }
    let browser = owner_on(&server, "/customers?q=Длинный&sort=name").await;

    // Row 30 of 50, far below the first screen: its quick look opens under
    // it and in view.
    let row = "table.list tbody tr:nth-child(30)";
    browser
        .click(&format!("{row} input[name=customer_id]"))
        .await;
    browser
        .wait_for_text("#quick-info", "Длинный Список 29")
        .await;
    assert_eq!(
        reckon(
            &browser,
            "return document.querySelector('table.list tbody tr:nth-child(30)')\
                 .nextElementSibling.querySelector('#quick-info') ? 1 : 0"
        )
        .await,
        1.0,
        "the quick look is in the row under the ticked one"
    );
    let top = reckon(
        &browser,
        "return document.getElementById('quick-info').getBoundingClientRect().top",
    )
    .await;
    let bottom = reckon(
        &browser,
        "return document.getElementById('quick-info').getBoundingClientRect().bottom",
    )
    .await;
    let height = reckon(&browser, "return window.innerHeight").await;
    // Within a pixel: the browser places boxes at fractions of one.
    assert!(
        top >= 0.0 && bottom <= height + 1.0,
        "the quick look at {top}..{bottom} of a {height} px window"
    );
    let page_y = reckon(&browser, "return window.scrollY").await;
    assert!(page_y > 300.0, "the page was scrolled to the row: {page_y}");

    // Select all ticks every row of the page; one row unticked leaves it
    // half ticked.
    browser.click("th input.tick-all").await;
    let ticked = "return document.querySelectorAll('tbody input[name=customer_id]:checked').length";
    assert_eq!(reckon(&browser, ticked).await, 50.0);
    browser
        .click("tbody tr:first-child input[name=customer_id]")
        .await;
    assert_eq!(reckon(&browser, ticked).await, 49.0);
    assert_eq!(
        reckon(
            &browser,
            "return document.querySelector('input.tick-all').indeterminate ? 1 : 0"
        )
        .await,
        1.0
    );
    browser.click("th input.tick-all").await;
    assert_eq!(reckon(&browser, ticked).await, 50.0);

    // Opening one bulk action closes the one open; what was typed stays.
    browser
        .click("form.bulk details:nth-of-type(2) summary")
        .await;
    browser.fill("#points-amount", "75").await;
    browser
        .click("form.bulk details:nth-of-type(3) summary")
        .await;
    let open = "return document.querySelectorAll('form.bulk details[open]').length";
    assert_eq!(reckon(&browser, open).await, 1.0);
    assert_eq!(
        reckon(
            &browser,
            "return document.querySelector('form.bulk details:nth-of-type(3)').open ? 1 : 0"
        )
        .await,
        1.0
    );
    browser
        .click("form.bulk details:nth-of-type(2) summary")
        .await;
    assert_eq!(browser.value("#points-amount").await, "75");
    assert_eq!(reckon(&browser, open).await, 1.0);

    // A list the search brings in works the same.
    browser.fill("#q", "Длинный Список 5").await;
    browser
        .wait_for_text("table.list tbody", "Длинный Список 59")
        .await;
    browser.click("th input.tick-all").await;
    assert_eq!(reckon(&browser, ticked).await, 10.0);
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_list_on_a_phone_has_a_short_header_and_no_stray_labels() {
    let server = TestServer::start(Engine::Sqlite).await;
    registered(
        &server,
        json!({"name": "Анна Телефонова", "phone": "+7 912 345-67-89"}),
    )
    .await;
    let browser = common::browser::signed_in_on(&server, 390, "owner", "/customers").await;
    for path in ["/customers", "/customers?lang=en", "/customers?lang=ru"] {
        browser.go(&server.url(path)).await;
        let header = reckon(
            &browser,
            "return document.querySelector('header.top').getBoundingClientRect().height",
        )
        .await;
        assert!(header < 100.0, "{path}: the header is {header} px tall");
        assert!(!browser.scrolls_sideways().await, "{path} scrolls sideways");
    }
    // The tick-box and the star share a line, with no «:» before them.
    for cell in ["td.tick", "td.star"] {
        let before = browser
            .client
            .execute(
                "return getComputedStyle(document.querySelector(arguments[0]), '::before').content",
                vec![cell.into()],
            )
            .await
            .unwrap();
        assert_eq!(before, "none", "{cell}");
    }
    let apart = reckon(
        &browser,
        "return Math.abs(document.querySelector('td.tick').getBoundingClientRect().top \
             - document.querySelector('td.star').getBoundingClientRect().top)",
    )
    .await;
    assert!(
        apart < 4.0,
        "the tick-box and the star are {apart} px apart"
    );
    // The filters, unfolded: labels above fields, nothing cut or sideways.
    browser.click("#filters details summary").await;
    assert!(!browser.scrolls_sideways().await, "the filters");
    assert_eq!(
        reckon(
            &browser,
            "return document.querySelectorAll('#filters [placeholder]').length"
        )
        .await,
        0.0
    );
    let cut = browser
        .client
        .execute(
            "return [...document.querySelectorAll('#filters label, #filters legend, #filters option')]\
                 .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).map(e => e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cut, json!([]), "labels cut at 390 px");
    browser.close().await;
    server.stop().await;
}
