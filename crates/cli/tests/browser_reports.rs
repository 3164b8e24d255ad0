//! Every report opened in a real Chromium: the list under «Отчёты», each
//! page's filter, charts drawn and tables in Russian words, at 390 px
//! without sideways scrolling, in English too; a refused period shown
//! beside its field; an RFM cell opening its customers.

use crate::common;

use common::Engine;
use common::browser::signed_in_on;
use common::reports::seed;

const PERIOD: &str = "from=2026-09-01&to=2026-11-23";

/// Words a Russian reader must never meet on a report page.
const CODE_WORDS: [&str; 8] = [
    "revenue_minor",
    "report-",
    "identified",
    "anonymous",
    "email",
    "null",
    "sms",
    "customers",
];

#[tokio::test]
async fn every_report_opens_in_russian_at_390_px_and_in_english() {
    let base = seed(Engine::Sqlite).await;
    let (status, offer) = base
        .server
        .post(
            "/api/v1/offers",
            serde_json::json!({"name": "Половине — бонус", "reward": "bonus_points",
                "reward_value": 100, "holdout_bp": 5000, "valid_from": "2026-09-01"}),
        )
        .await;
    assert_eq!(status, 201, "{offer}");
    let phone = signed_in_on(&base.server, 390, "owner", "/reports").await;
    assert_eq!(phone.text("h1").await, "Отчёты");
    let listed = phone.text("#reports").await;
    for title in [
        "Продажи и лояльность",
        "Качество базы",
        "Баллы: обязательства и сгорание",
        "RFM-анализ",
        "Лучшие покупатели",
        "Ушедшие покупатели",
        "Когорты",
        "Скидки и баллы",
        "Покупатели товара",
        "Эффект предложений и рассылок",
    ] {
        assert!(listed.contains(title), "{listed}");
    }
    assert!(!phone.scrolls_sideways().await);
    phone.shot("reports-ru-390").await;

    for (name, heading, charted) in [
        ("sales", "Продажи и лояльность", true),
        ("base-quality", "Качество базы", true),
        ("points", "Баллы: обязательства и сгорание", true),
        ("rfm", "RFM-анализ", false),
        ("customers-top", "Лучшие покупатели", false),
        ("customers-lapsed", "Ушедшие покупатели", false),
        ("cohorts", "Когорты", false),
        ("discounts", "Скидки и баллы", true),
        ("product-buyers", "Покупатели товара", false),
        ("effect", "Эффект предложений и рассылок", true),
    ] {
        phone
            .go(&base.server.url(&format!("/reports/{name}?{PERIOD}")))
            .await;
        assert_eq!(phone.text("h1").await, heading, "{name}");
        if charted {
            phone.wait_for("canvas[data-drawn=true]").await;
        }
        let text = phone.text("main").await;
        for word in CODE_WORDS {
            assert!(!text.contains(word), "{name}: «{word}» in {text}");
        }
        assert!(
            !phone.scrolls_sideways().await,
            "{name} scrolls sideways: {:?}",
            phone.too_wide().await
        );
        phone.shot(&format!("report-{name}-ru-390")).await;
    }

    // Buyers of a product: asked for one, listed with their phones.
    phone
        .go(&base
            .server
            .url(&format!("/reports/product-buyers?{PERIOD}")))
        .await;
    assert!(phone.text("#unasked").await.contains("Укажите артикулы"));
    phone.fill("#sku", "milk").await;
    phone.click_through("#filters button[type=submit]").await;
    let buyers = phone.text("#section-buyers").await;
    assert!(buyers.contains("+7916123"), "{buyers}");
    assert!(!phone.scrolls_sideways().await);
    phone.shot("report-product-buyers-milk-ru-390").await;

    // The sales page in numbers a reader checks: the period's receipts.
    phone
        .go(&base.server.url(&format!("/reports/sales?{PERIOD}")))
        .await;
    let total = phone.text("#section-total").await;
    assert!(
        total.contains("Итого за период") && total.contains("Средний чек"),
        "{total}"
    );

    // A period the wrong way round: said beside the field, no figures.
    phone.set("from", "2026-11-20").await;
    phone.set("to", "2026-11-01").await;
    phone.click_through("#filters button[type=submit]").await;
    assert_eq!(
        phone.text("#from-error").await,
        "Начало периода позже его конца."
    );
    assert!(phone.page_text().await.contains("Продажи и лояльность"));
    phone.shot("report-sales-refused-ru-390").await;
    phone.close().await;

    // An RFM cell opens its customers, each a link to their page.
    let desk = signed_in_on(&base.server, 1280, "owner", "/reports/rfm").await;
    desk.click_through("#section-cells tbody tr:first-child a")
        .await;
    desk.wait_for("#section-customers").await;
    let customers = desk.text("#section-customers").await;
    assert!(customers.contains("Покупатель"), "{customers}");
    desk.shot("report-rfm-cell-ru").await;

    // English, with the file's link beside the figures.
    desk.go(&base.server.url(&format!("/reports/sales?{PERIOD}&lang=en")))
        .await;
    assert_eq!(desk.text("h1").await, "Sales and loyalty");
    desk.wait_for("canvas[data-drawn=true]").await;
    assert_eq!(desk.text("#download").await, "Download as Excel");
    desk.shot("report-sales-en").await;
    desk.go(&base.server.url("/reports/base-quality?lang=en"))
        .await;
    assert!(desk.text("#section-reachability").await.contains("E-mail"));
    desk.shot("report-base-quality-en").await;
    desk.go(&base
        .server
        .url(&format!("/reports/effect?{PERIOD}&lang=en")))
        .await;
    assert!(
        desk.text("#section-offer_effect")
            .await
            .contains("Revenue per customer")
    );
    desk.wait_for("canvas[data-drawn=true]").await;
    desk.shot("report-effect-en").await;
    desk.go(&base
        .server
        .url(&format!("/reports/effect?{PERIOD}&lang=ru")))
        .await;
    desk.wait_for("canvas[data-drawn=true]").await;
    // A section with nothing in the period has no empty chart above it.
    assert_eq!(desk.count("#section-campaign_effect canvas").await, 0);
    desk.shot("report-effect-ru").await;
    desk.close().await;
    base.server.stop().await;
}
