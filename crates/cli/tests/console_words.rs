//! The console speaks the reader's language: a walk through its pages, as
//! an owner of a demo shop with receipts, finds no English or code word on
//! a Russian page, and no Russian word on an English one (data aside: the
//! shop's own names, e-mail addresses, logins and codes shown as codes).

use crate::common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use clientele_app::DemoShop;
use clientele_app::audit::ChangedBy;
use clientele_app::progress::Silent;
use clientele_app::staff::StaffUserInput;
use clientele_domain::campaign::CampaignInput;
use clientele_domain::report::{Cell, ReportAsked, ReportName};
use clientele_domain::template::TemplateInput;
use clientele_domain::{CustomerId, ReceiptKey};
use common::console::{page, signed_in};
use common::{Engine, TestServer};

/// Latin words a Russian page may show: product, channel and provider
/// names (ours and those an import reads from), file kinds, protocols,
/// barcode symbologies, and the language switch.
const LATIN_ALLOWED: &[&str] = &[
    "clientele",
    "mail",
    "viber",
    "push",
    "telegram",
    "whatsapp",
    "excel",
    "xlsx",
    "xls",
    "csv",
    "html",
    "ean",
    "code",
    "qr",
    "sms",
    "vk",
    "max",
    "api",
    "english",
    "regos",
    "uds",
    // The name of the analysis the segment editor offers fields of.
    "rfm",
    // Messaging providers (SMS.ru, SMSC, Infobip, Firebase's FCM), and the
    // protocols and formats their settings name.
    "ru",
    "smsc",
    "infobip",
    "firebase",
    "fcm",
    "smtp",
    "tls",
    "starttls",
    "json",
    "post",
    "get",
];

/// Pages the walk does not open: leaving, files, and the API.
fn walkable(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/logout")
        && !path.starts_with("/api")
        && !path.starts_with("/assets")
        && !path.contains("lang=")
        && !path.contains("export")
        && !path.contains("/download")
        && !path.contains("rejected")
}

/// What a reader sees of a page: its text and the words of its
/// placeholders, titles and labels, without scripts, styles, `<code>`
/// (logins and codes are shown as codes) and e-mail addresses.
fn visible_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        for attribute in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                text.push_str(value.split('"').next().unwrap_or(""));
                text.push(' ');
            }
        }
        rest = &rest[tag_end..];
        for skipped in ["script", "style", "code"] {
            if tag.starts_with(&format!("<{skipped}")) {
                let close = format!("</{skipped}>");
                rest = rest.find(&close).map_or("", |e| &rest[e + close.len()..]);
            }
        }
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"");
    text.split_whitespace()
        .filter(|token| !token.contains('@') && !token.contains("://"))
        .flat_map(|token| {
            token
                .split(|c: char| !c.is_alphabetic())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|word| word.chars().count() > 1)
        .collect()
}

/// The links and form targets of a page reached by GET.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .filter(|href| walkable(href))
        .collect()
}

/// Walks the console from home, breadth first, up to `limit` pages, with
/// the language cookie given; answers each page's words.
async fn walk(
    server: &TestServer,
    cookie: &str,
    start: &[String],
    limit: usize,
) -> BTreeMap<String, Vec<String>> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let mut pages = BTreeMap::new();
    // Pages of one kind (a customer, a program) are read a few at a time.
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= limit || !seen.insert(path.clone()) {
            continue;
        }
        let kind: String = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .split('/')
            .map(|part| match part.parse::<i64>() {
                Ok(_) => "{id}",
                Err(_) => part,
            })
            .collect::<Vec<_>>()
            .join("/");
        let count = per_kind.entry(kind).or_default();
        *count += 1;
        if *count > 3 {
            continue;
        }
        let (status, html) = page(server, cookie, &path).await;
        assert!(status < 500, "{path} answered {status}");
        if !html.contains("<html") {
            continue;
        }
        for link in links(&html) {
            let link = link.split('#').next().unwrap_or("").to_owned();
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
        pages.insert(path, visible_words(&html));
    }
    pages
}

fn is_latin(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_alphabetic())
}

fn is_cyrillic(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

#[tokio::test]
async fn the_console_speaks_the_readers_language_on_every_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    let by = ChangedBy::system("test");
    server
        .app
        .add_staff_user(
            StaffUserInput {
                login: "marina".into(),
                name: Some("Марина Соколова".into()),
                role: "owner".into(),
                password: "correct horse battery".into(),
                stores: vec![],
            },
            &by,
        )
        .await
        .unwrap();
    server
        .app
        .seed_demo_shop(
            DemoShop {
                customers: 60,
                receipts: 400,
            },
            &Silent,
        )
        .await
        .unwrap();
    // Segments of each kind: a rule the editor shows in rows, one it shows
    // in words only, and ticked customers.
    for body in [
        serde_json::json!({"name": "Любители сыра", "schedule": "weekly", "weekday": 5,
        "rules": {"all": [
            {"field": "bought", "op": "gte", "value": 2, "period_days": 30, "categories": ["dairy"]},
            {"any": [
                {"field": "gender", "op": "eq", "value": "female"},
                {"field": "rfm_group", "op": "in", "value": ["champions", "loyal"]}
            ]}
        ]}}),
        serde_json::json!({"name": "Без возраста", "rules": {"not": {"field": "age", "op": "exists"}}}),
        serde_json::json!({"name": "Отмеченные", "kind": "static", "customer_ids": [1, 2]}),
    ] {
        let (status, made) = server.post("/api/v1/segments", body).await;
        assert_eq!(status, 201, "{made}");
    }
    // Offers of each reward, one with single-use codes made, one with a
    // shared code (its code is the shop's own word).
    for body in [
        serde_json::json!({"name": "Двойные баллы на сыр", "reward": "extra_points",
            "reward_value": 20_000, "categories": ["dairy"], "days": ["saturday", "sunday"],
            "hours_from": "08:00", "hours_to": "12:00", "valid_from": "2026-12-01",
            "budget": {"points": {"total": 1_000_000, "per_customer": 10_000}}}),
        serde_json::json!({"name": "Кофе со скидкой", "reward": "amount_off",
            "reward_value": 15_000, "coupon": "unique", "stacking": "best", "nth_purchase": 3,
            "every_nth": true, "min_total_minor": 50_000}),
        serde_json::json!({"name": "Весна", "reward": "percent_off", "reward_value": 1_000,
            "coupon": "shared", "coupon_code": "VESNA-25", "stacking": "exclusive",
            "skus": ["4601234567890"], "holdout_bp": 0, "active": false}),
        serde_json::json!({"name": "Баллы за покупку", "reward": "bonus_points",
            "reward_value": 5_000, "holdout_bp": 1_000, "priority": 5}),
    ] {
        let (status, made) = server.post("/api/v1/offers", body).await;
        assert_eq!(status, 201, "{made}");
    }
    let offers = server.app.offers().await.unwrap();
    let unique = offers
        .iter()
        .find(|o| o.offer.terms.name == "Кофе со скидкой")
        .unwrap();
    server
        .app
        .issue_coupons(unique.offer.id, 5, vec![], &by)
        .await
        .unwrap();
    // A template and a campaign made from it, queued.
    let template = TemplateInput {
        name: "Весенняя распродажа".into(),
        locale: "ru".into(),
        subject: Some("Весна пришла".into()),
        body: "Скидки на молочное всю неделю.".into(),
        html: Some("<p>Скидки на молочное всю неделю.</p>".into()),
    };
    let template = server.app.create_template(template, &by).await.unwrap();
    let campaign = CampaignInput {
        name: "Весна для всех".into(),
        template_id: Some(template.id),
        holdout_bp: Some(1_000),
        ..CampaignInput::default()
    };
    server.app.create_campaign(campaign, &by).await.unwrap();
    server.app.queue_due_campaigns(&Silent).await.unwrap();
    // The shop's own words in Latin letters: store codes, group names, logins.
    let mut data: BTreeSet<String> = BTreeSet::new();
    for store in server.app.stores().await.unwrap() {
        data.extend(visible_words(store.code.as_str()));
    }
    for group in server.app.customer_groups().await.unwrap() {
        data.extend(visible_words(&group.name));
    }
    data.extend(visible_words("VESNA-25"));
    for user in server.app.staff_users().await.unwrap() {
        data.extend(visible_words(user.login.as_str()));
    }
    // And in Cyrillic, which an English page shows as the shop named them.
    let app = &server.app;
    let mut named: Vec<String> = Vec::new();
    for store in app.stores().await.unwrap() {
        named.push(store.name);
        named.extend(store.address);
    }
    named.extend(
        app.customer_groups()
            .await
            .unwrap()
            .into_iter()
            .map(|g| g.name),
    );
    for property in app.property_definitions().await.unwrap() {
        named.push(property.label);
        named.extend(property.choices);
    }
    for program in app.cached_programs().await.unwrap().iter() {
        named.push(program.name.clone());
        named.extend(program.tiers.iter().map(|t| t.name.clone()));
    }
    named.extend(
        app.certificate_templates()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name),
    );
    named.extend(app.card_groups().await.unwrap().into_iter().map(|g| g.name));
    named.extend(app.tills().await.unwrap().into_iter().map(|t| t.name));
    named.extend(app.segments().await.unwrap().into_iter().map(|s| s.name));
    named.extend(offers.into_iter().map(|o| o.offer.terms.name));
    for template in app.templates().await.unwrap() {
        let words = template.record;
        named.extend([words.name, words.body]);
        named.extend(words.subject);
    }
    named.extend(
        app.campaigns(&by)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.name),
    );
    // The products the reports name, as the tills sent them.
    let discounts = app
        .report(ReportName::Discounts, &ReportAsked::default(), None)
        .await
        .unwrap();
    for section in &discounts.sections {
        if let Some(column) = section.columns.iter().position(|c| c.key == "name") {
            for row in &section.rows {
                if let Cell::Text(name) = &row[column] {
                    named.push(name.clone());
                }
            }
        }
    }
    for name in &named {
        data.extend(visible_words(name));
    }
    let cookie = signed_in(&server, "marina").await;
    let start: Vec<String> = [
        "/",
        "/customers",
        "/customers/new",
        "/customers/1",
        "/customers/2/edit",
        "/birthdays",
        "/programs",
        "/import",
        "/settings",
        "/segments",
        "/segments/new",
        "/offers",
        "/offers/new",
        "/templates",
        "/templates/new",
        "/campaigns",
        "/campaigns/new",
        "/triggers",
        "/chats",
        "/settings/channels",
        "/nope",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();

    let russian = walk(&server, &cookie, &start, 80).await;
    assert!(russian.len() > 25, "the walk saw {} pages", russian.len());
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, words) in &russian {
        for word in words {
            let allowed = LATIN_ALLOWED.contains(&word.to_lowercase().as_str());
            if is_latin(word) && !allowed && !data.contains(word) {
                found.entry(word.clone()).or_default().insert(path.clone());
            }
        }
    }
    assert!(
        found.is_empty(),
        "English or code words on Russian pages: {found:#?}"
    );

    let english_cookie = format!("{cookie}; clientele_lang=en");
    let english = walk(&server, &english_cookie, &start, 80).await;
    // The products of the receipts it opened are named as the shop sells them.
    for path in english.keys() {
        let parts: Vec<&str> = path.split('/').collect();
        if let ["", "customers", customer, "receipts", key] = parts.as_slice() {
            let opened = app
                .receipt_of(
                    CustomerId(customer.parse().unwrap()),
                    ReceiptKey(key.parse().unwrap()),
                    &by,
                )
                .await
                .unwrap();
            for line in &opened.receipt.lines {
                data.extend(visible_words(&line.name));
            }
        }
    }
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, words) in &english {
        for word in words {
            // The customers' own names and cities are capitalised.
            let name = word.chars().next().is_some_and(char::is_uppercase);
            if is_cyrillic(word) && !name && !data.contains(word) {
                found.entry(word.clone()).or_default().insert(path.clone());
            }
        }
    }
    assert!(
        found.is_empty(),
        "Russian words on English pages: {found:#?}"
    );
    server.stop().await;
}
