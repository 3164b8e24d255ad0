//! The programs' settings in a real headless Chromium: the owner creates a
//! bonus program with a tier and watches the preview sentence follow a
//! sample basket, creates a card group and issues a print run, and creates
//! a certificate template; a bad form keeps what was typed and says why
//! beside the field.

use crate::common;

use common::browser::{Browser, owner_on};
use common::{Engine, TestServer};

#[tokio::test]
async fn the_owner_sets_up_a_bonus_program_cards_and_certificates() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = owner_on(&server, "/settings/programs").await;
    assert_eq!(browser.path().await, "/settings/programs");
    assert!(browser.page_text().await.contains("Программ пока нет."));
    browser.click_through("a.button").await;
    assert_eq!(browser.path().await, "/settings/programs/new");

    // A bad form: no name and a rate over 100 %; each error beside its
    // field, what was typed kept.
    browser.fill("#earn_rate", "150").await;
    browser.fill("#max_payable_share", "50").await;
    browser.fill("#expiry_days", "365").await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    assert_eq!(browser.text("#name-error").await, "Заполните это поле.");
    assert_eq!(browser.text("#earn_rate-error").await, "От 0 до 100 %.");
    assert_eq!(browser.value("#earn_rate").await, "150");
    assert_eq!(browser.value("#max_payable_share").await, "50");
    assert_eq!(browser.value("#expiry_days").await, "365");

    browser.fill("#name", "Бонусы").await;
    browser.fill("#earn_rate", "5").await;
    browser.fill("#birthday_points", "500").await;
    browser.fill("#birthday_days_before", "3").await;
    browser
        .fill("#birthday_message", "С днём рождения! Дарим 500 баллов.")
        .await;
    browser
        .click_through("form.steps button[type=submit]")
        .await;
    assert!(browser.path().await.starts_with("/settings/programs/"));
    assert_eq!(browser.text("h1").await, "Бонусы");
    let figures = browser.text(".figures").await;
    assert!(
        figures.contains("5 %") && figures.contains("50 %"),
        "{figures}"
    );
    assert!(figures.contains("через 365 дней"), "{figures}");
    assert!(
        figures.contains("Баллы ко дню рождения") && figures.contains("500 баллов"),
        "{figures}"
    );

    // A tier: refused first (a rate over 100 %), then added.
    browser.click("#add-tier summary").await;
    browser.fill("#tier-name", "Серебро").await;
    browser.fill("#tier-threshold", "10 000").await;
    browser.fill("#tier-rate", "107").await;
    browser.click_through("#add-tier button[type=submit]").await;
    assert_eq!(browser.text("#tier-rate-error").await, "От 0 до 100 %.");
    assert_eq!(browser.value("#tier-name").await, "Серебро");
    browser.fill("#tier-rate", "7").await;
    browser.click_through("#add-tier button[type=submit]").await;
    assert_eq!(browser.text(".notice").await, "Уровень добавлен.");
    let tiers = browser.text("table.list").await;
    assert!(
        tiers.contains("Серебро") && tiers.contains("10 000,00 ₽") && tiers.contains("7 %"),
        "{tiers}"
    );

    // A second tier, then the first changed: refused where it would start
    // where the second does, then given a new rate.
    browser.click("#add-tier summary").await;
    browser.fill("#tier-name", "Золото").await;
    browser.fill("#tier-threshold", "30 000").await;
    browser.fill("#tier-rate", "10").await;
    browser.click_through("#add-tier button[type=submit]").await;
    let silver = "table.list tbody tr:first-child";
    browser.click(&format!("{silver} details summary")).await;
    browser
        .fill(&format!("{silver} input[name=threshold]"), "30000")
        .await;
    browser
        .click_through(&format!("{silver} button[type=submit]"))
        .await;
    assert_eq!(
        browser.text(&format!("{silver} .error")).await,
        "Уровень с таким порогом уже есть."
    );
    assert_eq!(
        browser
            .value(&format!("{silver} input[name=threshold]"))
            .await,
        "30000"
    );
    browser
        .fill(&format!("{silver} input[name=threshold]"), "10000")
        .await;
    browser
        .fill(&format!("{silver} input[name=rate]"), "7,5")
        .await;
    browser
        .click_through(&format!("{silver} button[type=submit]"))
        .await;
    assert_eq!(browser.text(".notice").await, "Уровень сохранён.");
    let tiers = browser.text("table.list").await;
    assert!(
        tiers.contains("7,5 %") && !tiers.contains(" 7 %"),
        "{tiers}"
    );

    // The preview follows the sample basket as it is typed.
    assert_eq!(
        browser.text("#preview").await,
        "Введите цену хотя бы в одной строке."
    );
    browser.fill("input[name=name_1]", "Кофе").await;
    browser.fill("input[name=price_1]", "1500").await;
    browser
        .wait_for_text(
            "#preview",
            "Покупатель без уровня за чек на 1 500,00 ₽ получит 75 баллов; \
             баллами можно оплатить до 750,00 ₽.",
        )
        .await;
    browser.fill("#sample-spent", "12000").await;
    browser
        .wait_for_text(
            "#preview",
            "Покупатель с уровнем „Серебро“ за чек на 1 500,00 ₽ получит 112,50 балла",
        )
        .await;
    browser.fill("input[name=quantity_1]", "0,5").await;
    browser
        .wait_for_text("#preview", "за чек на 750,00 ₽ получит 56,25 балла")
        .await;

    // A card group, a refused print run, then one that is issued.
    browser.go(&server.url("/settings/cards")).await;
    browser.fill("#group-name", "Пластиковые").await;
    browser
        .click_through("#new-group button[type=submit]")
        .await;
    assert_eq!(browser.text(".notice").await, "Группа карт создана.");
    let groups = browser.text("#card-groups").await;
    assert!(
        groups.contains("Пластиковые") && groups.contains("Бонусы"),
        "{groups}"
    );
    browser.fill("input[name=count]", "0").await;
    browser
        .click_through("#card-groups button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#card-groups .error").await,
        "От 1 до 100 000 карт за тираж."
    );
    assert_eq!(browser.value("input[name=count]").await, "0");
    browser.fill("input[name=count]", "25").await;
    browser
        .click_through("#card-groups button[type=submit]")
        .await;
    let notice = browser.text(".notice").await;
    assert!(
        notice.starts_with("В группе «Пластиковые» выпущено 25 карт: с 2000000000"),
        "{notice}"
    );
    // The run stays in the history below the groups.
    let runs = browser.text("#print-runs").await;
    assert!(
        runs.contains("Пластиковые") && runs.contains("25") && runs.contains("owner"),
        "{runs}"
    );

    // The group renamed; an empty name is refused beside the field.
    let group = "#card-groups tbody tr:first-child";
    browser.click(&format!("{group} details summary")).await;
    browser
        .fill(&format!("{group} details input[name=name]"), "")
        .await;
    browser
        .click_through(&format!("{group} details button[type=submit]"))
        .await;
    assert_eq!(
        browser.text(&format!("{group} details .error")).await,
        "Заполните это поле."
    );
    browser
        .fill(&format!("{group} details input[name=name]"), "Пластик")
        .await;
    browser
        .click_through(&format!("{group} details button[type=submit]"))
        .await;
    assert_eq!(browser.text(".notice").await, "Группа карт сохранена.");
    assert!(browser.text("#card-groups").await.contains("Пластик"));

    // A certificate template.
    browser.go(&server.url("/settings/certificates")).await;
    browser.fill("#template-name", "Подарочный").await;
    browser.fill("#face_value", "3 000").await;
    browser.fill("#valid_days", "365").await;
    browser
        .click_through("#new-template button[type=submit]")
        .await;
    assert_eq!(browser.text(".notice").await, "Шаблон сертификата создан.");
    let templates = browser.text("#certificate-templates").await;
    assert!(
        templates.contains("Подарочный")
            && templates.contains("3 000,00 ₽")
            && templates.contains("365 дней")
            && templates.contains("частями"),
        "{templates}"
    );
    // Its terms changed for the certificates issued from now on.
    let template = "#certificate-templates tbody tr:first-child";
    browser.click(&format!("{template} details summary")).await;
    browser
        .fill(
            &format!("{template} details input[name=face_value]"),
            "5000",
        )
        .await;
    browser
        .click(&format!("{template} details input[value=whole]"))
        .await;
    browser
        .click_through(&format!("{template} details button[type=submit]"))
        .await;
    assert_eq!(browser.text(".notice").await, "Шаблон сохранён.");
    let templates = browser.text("#certificate-templates").await;
    assert!(
        templates.contains("5 000,00 ₽") && templates.contains("целиком"),
        "{templates}"
    );
    browser.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_programs_pages_fit_a_phone() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (status, program) = server
        .post(
            "/api/v1/programs",
            serde_json::json!({"name": "Бонусы", "is_default": true, "rules": {
                "kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}),
        )
        .await;
    assert_eq!(status, 201, "{program}");
    let browser = Browser::start(390).await;
    let page = format!("/settings/programs/{}?price_1=1500", program["id"]);
    browser.go(&server.url(&page)).await;
    browser.fill("#login", "owner").await;
    browser.fill("#password", "correct horse battery").await;
    browser.click_through("button[type=submit]").await;
    assert!(browser.text("#preview").await.contains("75 баллов"));
    for path in [
        page.as_str(),
        "/settings/programs",
        "/settings/programs/new",
        "/settings/cards",
        "/settings/certificates",
    ] {
        browser.go(&server.url(path)).await;
        assert!(!browser.scrolls_sideways().await, "{path} at 390 px");
    }
    browser.close().await;
    server.stop().await;
}
