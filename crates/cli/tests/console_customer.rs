//! A customer's page as a clerk reads it over plain HTTP: the profile first,
//! dated notes, a receipt opened, a card given, a merged duplicate that says
//! where it went, the default group preselected, a save confirmed.

use crate::common;

use common::console::{answered, browser, hidden, page, signed_in};
use common::shop::{self, groceries, return_all, sell};
use common::{TestServer, engines};
use serde_json::json;

/// A customer registered through the API; answers the id.
async fn registered(server: &TestServer, body: serde_json::Value) -> i64 {
    let (status, customer) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{customer}");
    customer["id"].as_i64().unwrap()
}

/// The one-time token of the form that posts to `action`.
fn token_of(html: &str, action: &str) -> String {
    let form = html
        .split(&format!(r#"action="{action}"#))
        .nth(1)
        .unwrap_or_else(|| panic!("no form posts to {action}"));
    hidden(form, "token")
}

/// Sends the form of the page at `path` that posts to `action`, with its
/// tokens; answers the status, where it led, and the page it answered.
async fn send(
    server: &TestServer,
    cookie: &str,
    path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let (_, html) = page(server, cookie, path).await;
    let (csrf, token) = (hidden(&html, "csrf"), token_of(&html, action));
    let mut all = vec![("csrf", csrf.as_str()), ("token", token.as_str())];
    all.extend_from_slice(fields);
    let post = action.split('#').next().unwrap();
    let response = browser()
        .post(server.url(post))
        .header("cookie", cookie)
        .form(&all)
        .send()
        .await
        .unwrap();
    answered(response).await
}

/// The text of the element that starts with `opening`, up to its end tag.
fn part<'a>(html: &'a str, opening: &str, end: &str) -> &'a str {
    let start = html
        .find(opening)
        .unwrap_or_else(|| panic!("no {opening} in the page"));
    let rest = &html[start..];
    &rest[..rest.find(end).unwrap()]
}

#[tokio::test]
async fn the_profile_comes_first_in_the_readers_words() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop::open(&server, 1).await;
        let anna = registered(
            &server,
            json!({"name": "Анна Петрова", "phone": "+7 912 345-67-89", "gender": "female",
                   "birth_date": "1990-11-24", "city": "Казань", "store_id": shop.store_id,
                   "notes": "Любит сыр", "consents": {"sms": true}}),
        )
        .await;
        let cookie = signed_in(&server, "owner").await;
        let path = format!("/customers/{anna}");
        send(
            &server,
            &cookie,
            &path,
            &format!("/customers/{anna}/cards"),
            &[("how", "free"), ("group_id", &shop.group_id.to_string())],
        )
        .await;

        let (status, html) = page(&server, &cookie, &path).await;
        assert_eq!(status, 200);
        let profile = part(&html, r#"<dl class="profile""#, "</dl>");
        for said in [
            "24\u{a0}ноября 1990 · 35 лет",
            "Женский",
            "Казань",
            "S-1 · Магазин на Ленина",
            &shop.cards[0],
            "SMS",
            "Любит сыр",
        ] {
            assert!(profile.contains(said), "{said} in {profile}");
        }
        for code in ["female", "sms", "general", "ean13"] {
            assert!(
                !profile.contains(code),
                "no code word «{code}» in {profile}"
            );
        }
        let at = |needle: &str| html.find(needle).unwrap();
        assert!(
            at(r#"class="profile""#) < at(r#"class="figures""#)
                && at(r#"class="figures""#) < at(r#"class="tabs""#),
            "the profile, then the figures, then the sections"
        );

        let (_, english) = page(&server, &format!("{cookie}; clientele_lang=en"), &path).await;
        let profile = part(&english, r#"<dl class="profile""#, "</dl>");
        assert!(
            profile.contains("24\u{a0}Nov 1990 · 35 years old"),
            "{profile}"
        );
        assert!(
            profile.contains("Female") && profile.contains("Gender"),
            "{profile}"
        );
        assert!(
            !profile.contains("Пол") && !profile.contains("Женский"),
            "no Russian in English: {profile}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn notes_are_added_signed_and_listed_newest_first() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let anna = registered(&server, json!({"name": "Анна", "notes": "Старое поле"})).await;
        let cookie = signed_in(&server, "owner").await;
        let path = format!("/customers/{anna}");
        let action = format!("/customers/{anna}/notes");

        let (status, _, html) = send(&server, &cookie, &path, &action, &[("text", "   ")]).await;
        assert_eq!(status, 422);
        let form = part(&html, r#"id="note-form""#, "</form>");
        assert!(form.contains("Напишите текст заметки."), "{form}");
        assert!(form.contains(r#"aria-invalid="true" autofocus"#), "{form}");
        let long = "я".repeat(2001);
        let (status, _, html) = send(&server, &cookie, &path, &action, &[("text", &long)]).await;
        assert_eq!(status, 422);
        let form = part(&html, r#"id="note-form""#, "</form>");
        assert!(form.contains("Не длиннее 2000 знаков."), "{form}");
        assert!(form.contains(&long), "the text is kept");

        let (status, to, _) = send(
            &server,
            &cookie,
            &path,
            &action,
            &[("text", "Просит звонить после 18:00")],
        )
        .await;
        assert_eq!(
            (status, to.as_str()),
            (303, format!("{path}?done=note#notice").as_str())
        );
        let (status, note) = server
            .post(
                &format!("/api/v1/customers/{anna}/notes"),
                json!({"text": " Аллергия на орехи "}),
            )
            .await;
        assert_eq!(status, 201, "{note}");
        assert_eq!(
            (note["author"].as_str(), note["text"].as_str()),
            (Some("owner"), Some("Аллергия на орехи"))
        );

        let (_, html) = page(&server, &cookie, &format!("{path}?done=note")).await;
        assert!(html.contains(r#"id="notice">Заметка добавлена."#));
        assert!(
            part(&html, r#"<section id="audit""#, "</section>").contains("Добавлена заметка"),
            "the audit trail says a note was added"
        );
        let notes = part(&html, r#"<ul class="notes-list">"#, "</ul>");
        let (newer, older) = (
            notes.find("Аллергия на орехи").unwrap(),
            notes.find("Просит звонить после 18:00").unwrap(),
        );
        assert!(newer < older, "newest first: {notes}");
        assert!(
            notes.contains("23\u{a0}ноября 2026 12:00 · owner"),
            "{notes}"
        );
        assert!(
            part(&html, r#"<dl class="profile""#, "</dl>").contains("Старое поле"),
            "the profile's own notes field stays"
        );

        let (status, listed) = server.get(&format!("/api/v1/customers/{anna}/notes")).await;
        assert_eq!(status, 200);
        let texts: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["Аллергия на орехи", "Просит звонить после 18:00"]);
        for (body, status) in [
            (json!({"text": ""}), 422),
            (json!({"text": "  "}), 422),
            (json!({"text": "x".repeat(2001)}), 422),
            (json!({"text": "ok", "extra": 1}), 422),
        ] {
            let (got, problem) = server
                .post(&format!("/api/v1/customers/{anna}/notes"), body)
                .await;
            assert_eq!(got, status, "{problem}");
        }
        let (status, _) = server
            .post("/api/v1/customers/999999/notes", json!({"text": "кому?"}))
            .await;
        assert_eq!(status, 404);
        let (_, listed) = server.get(&format!("/api/v1/customers/{anna}/notes")).await;
        assert_eq!(
            listed["items"].as_array().unwrap().len(),
            2,
            "refusals changed nothing"
        );
        let (_, audit) = server
            .get(&format!("/api/v1/audit?customer_id={anna}"))
            .await;
        let notes_logged = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "customer.note")
            .count();
        assert_eq!(notes_logged, 2, "{audit}");
        let (_, document) = server.get("/api/v1/openapi.json").await;
        let post = &document["paths"]["/api/v1/customers/{id}/notes"]["post"];
        for status in ["201", "404", "409", "422"] {
            assert!(post["responses"][status].is_object(), "{status} documented");
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_purchase_opens_its_receipt_with_lines_store_till_and_returns() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop::open(&server, 1).await;
        let anna = registered(&server, json!({"name": "Анна"})).await;
        let boris = registered(&server, json!({"name": "Борис"})).await;
        sell(&server, &shop, anna, "R 1/А", groceries()).await;
        return_all(&server, &shop, "R%201%2F%D0%90", "X-1").await;
        sell(&server, &shop, boris, "B-1", groceries()).await;
        let cookie = signed_in(&server, "owner").await;

        let (_, html) = page(&server, &cookie, &format!("/customers/{anna}")).await;
        let purchases = part(&html, r#"<section id="purchases""#, "</section>");
        let href = purchases
            .split(r#"<a href=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        assert!(
            href.starts_with(&format!("/customers/{anna}/receipts/")),
            "{href}"
        );
        assert!(purchases.contains(">R 1/А</a>"), "{purchases}");
        let (status, receipt) = page(&server, &cookie, &href).await;
        assert_eq!(status, 200, "{receipt}");
        for said in [
            "Чек R 1/А",
            "S-1 · Магазин на Ленина",
            "Касса 1",
            "Молоко",
            "milk",
            "Сыр",
            "0,532",
            "1\u{a0}200,00\u{a0}₽",
            "818,20\u{a0}₽",
            "X-1",
        ] {
            assert!(receipt.contains(said), "{said} in the receipt");
        }
        let (_, english) = page(&server, &format!("{cookie}; clientele_lang=en"), &href).await;
        assert!(english.contains("Receipt R 1/А") && english.contains("0.532"));
        assert!(english.contains("<dt>Till</dt>") && english.contains("<dt>Store</dt>"));
        assert!(!english.contains("<dt>Касса</dt>") && !english.contains("Позиции"));

        // Boris's receipt is not Anna's to show; a malformed key is no page.
        let (_, theirs) = page(&server, &cookie, &format!("/customers/{boris}")).await;
        let boris_key = theirs
            .split(&format!("/customers/{boris}/receipts/"))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        for wrong in [
            format!("/customers/{anna}/receipts/{boris_key}"),
            format!("/customers/{anna}/receipts/abc"),
            format!("/customers/{anna}/receipts/99999"),
        ] {
            let (status, html) = page(&server, &cookie, &wrong).await;
            assert_eq!(status, 404, "{wrong}");
            assert!(html.contains("Не найдено"), "{wrong}: {html}");
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_card_is_given_free_from_a_group_or_scanned() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop::open(&server, 2).await;
        let anna = registered(&server, json!({"name": "Анна"})).await;
        let boris = registered(&server, json!({"name": "Борис"})).await;
        let cookie = signed_in(&server, "owner").await;
        let group = shop.group_id.to_string();
        let give = |customer: i64, fields: Vec<(&'static str, String)>| {
            let (server, cookie) = (&server, &cookie);
            async move {
                let path = format!("/customers/{customer}");
                let action = format!("/customers/{customer}/cards");
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                send(server, cookie, &path, &action, &fields).await
            }
        };

        let (status, to, _) = give(
            anna,
            vec![("how", "free".into()), ("group_id", group.clone())],
        )
        .await;
        assert_eq!(
            (status, to),
            (303, format!("/customers/{anna}?done=card-given#notice"))
        );
        let (_, html) = page(
            &server,
            &cookie,
            &format!("/customers/{anna}?done=card-given"),
        )
        .await;
        assert!(html.contains("Карта выдана и активна."));
        assert!(part(&html, r#"<section id="cards""#, "</section>").contains(&shop.cards[0]));

        // The same card scanned for Boris: someone else's.
        let (status, _, html) = give(
            boris,
            vec![
                ("how", "scanned".into()),
                ("group_id", group.clone()),
                ("barcode", shop.cards[0].clone()),
                ("valid_to", "2027-12-31".into()),
            ],
        )
        .await;
        assert_eq!(status, 422);
        let form = part(&html, r#"id="give-form""#, "</details>");
        assert!(
            form.contains("Эта карта уже у другого покупателя."),
            "{form}"
        );
        assert!(
            form.contains(&shop.cards[0]) && form.contains("2027-12-31"),
            "kept"
        );
        assert!(form.contains(r#"value="scanned" checked"#), "{form}");

        // The last free one for Boris, valid to a day; then none is left.
        let (status, ..) = give(
            boris,
            vec![
                ("how", "free".into()),
                ("group_id", group.clone()),
                ("valid_to", "2027-12-31".into()),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, cards) = server
            .get(&format!("/api/v1/cards?customer_id={boris}"))
            .await;
        assert_eq!(cards["items"][0]["barcode"], shop.cards[1].as_str());
        assert_eq!(cards["items"][0]["active"], true);
        assert_eq!(
            cards["items"][0]["valid_to"], "2027-12-31T21:00:00Z",
            "{cards}"
        );
        let (status, _, html) = give(
            anna,
            vec![("how", "free".into()), ("group_id", group.clone())],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("В этой группе не осталось свободных карт."));

        // A new card scanned: checked, then made in the group.
        let (status, _, html) = give(
            anna,
            vec![
                ("how", "scanned".into()),
                ("group_id", group.clone()),
                ("barcode", "4006381333932".into()),
                ("symbology", "ean13".into()),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Такого номера не бывает для этого типа штрихкода."));
        let (status, _, html) = give(
            anna,
            vec![
                ("how", "scanned".into()),
                ("group_id", group.clone()),
                ("valid_from", "2027-01-01".into()),
                ("valid_to", "2026-01-01".into()),
                ("barcode", "4006381333931".into()),
                ("symbology", "ean13".into()),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Конец срока должен быть позже начала."));
        let (status, ..) = give(
            anna,
            vec![
                ("how", "scanned".into()),
                ("group_id", group.clone()),
                ("barcode", "4006381333931".into()),
                ("symbology", "ean13".into()),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, cards) = server
            .get(&format!("/api/v1/cards?customer_id={anna}"))
            .await;
        let barcodes: Vec<&str> = cards["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["barcode"].as_str().unwrap())
            .collect();
        assert_eq!(barcodes, [shop.cards[0].as_str(), "4006381333931"]);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_merged_duplicate_says_where_it_went_and_offers_no_action() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop::open(&server, 1).await;
        let maria = registered(&server, json!({"name": "Мария Петрова"})).await;
        let ivan = registered(&server, json!({"name": "Иван Петров"})).await;
        sell(&server, &shop, maria, "M-1", groceries()).await;
        sell(&server, &shop, ivan, "I-1", groceries()).await;
        sell(&server, &shop, ivan, "I-2", groceries()).await;
        let (status, _) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [ivan], "points": 5000, "comment": "за отзыв",
                       "password": "correct horse battery"}),
            )
            .await;
        assert_eq!(status, 201);
        let (status, merged) = server
            .post(
                &format!("/api/v1/customers/{maria}/merge"),
                json!({"duplicate_id": ivan}),
            )
            .await;
        assert_eq!(status, 200, "{merged}");
        let cookie = signed_in(&server, "owner").await;

        let (status, gone) = page(&server, &cookie, &format!("/customers/{ivan}")).await;
        assert_eq!(status, 200);
        let notice = part(&gone, r#"<p class="alert" id="merged">"#, "</p>");
        assert!(notice.contains("Объединён с"), "{notice}");
        assert!(
            notice.contains(&format!(
                r#"<a href="/customers/{maria}">Мария Петрова</a>"#
            )),
            "{notice}"
        );
        assert!(
            gone.find(r#"id="merged""#).unwrap() < gone.find(r#"class="figures""#).unwrap(),
            "at the top"
        );
        for action in [
            "points",
            "block",
            "tier",
            "certificates",
            "merge",
            "cards",
            "notes",
            "edit",
        ] {
            assert!(
                !gone.contains(&format!(r#"action="/customers/{ivan}/{action}"#))
                    && !gone.contains(&format!(r#"href="/customers/{ivan}/{action}""#)),
                "no {action} on a merged customer"
            );
        }

        let (_, kept) = page(&server, &cookie, &format!("/customers/{maria}")).await;
        let purchases = part(&kept, r#"<section id="purchases""#, "</section>");
        for receipt in ["M-1", "I-1", "I-2"] {
            assert!(
                purchases.contains(&format!(">{receipt}</a>")),
                "{receipt}: both histories"
            );
        }
        let figures = part(&kept, r#"<dl class="figures">"#, "</dl>");
        assert!(figures.contains("<dd>3</dd>"), "three purchases: {figures}");
        let gone_purchases = part(&gone, r#"<section id="purchases""#, "</section>");
        assert!(!gone_purchases.contains("I-1"), "they went to the survivor");
        let points = part(&kept, r#"<section id="points""#, "</section>");
        assert!(
            points.contains("объединение: Иван Петров → Мария Петрова"),
            "{points}"
        );
        assert!(!points.contains(&format!("{ivan} →")), "names, not ids");
        let points = part(&gone, r#"<section id="points""#, "</section>");
        assert!(
            points.contains("объединение: Иван Петров → Мария Петрова"),
            "{points}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_new_customer_lands_in_the_default_group_and_saves_are_confirmed() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, vip) = server
            .post("/api/v1/customer-groups", json!({"name": "AAA VIP"}))
            .await;
        assert_eq!(status, 201, "{vip}");
        let (_, groups) = server.get("/api/v1/customer-groups").await;
        let default = groups["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["is_default"] == true)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let cookie = signed_in(&server, "owner").await;
        let (_, form) = page(&server, &cookie, "/customers/new").await;
        let select = part(&form, r#"<select id="group_id""#, "</select>");
        assert!(
            select.contains(&format!(r#"<option value="{default}" selected>"#)),
            "{select}"
        );
        assert!(!select.contains(&format!(r#"value="{}" selected"#, vip["id"])));

        let (status, _, refused) = send(
            &server,
            &cookie,
            "/customers/new",
            "/customers/new",
            &[
                ("name", "Новая Покупательница"),
                ("phone", "не телефон"),
                ("email", "не почта"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            refused.matches(" autofocus").count(),
            1,
            "one field has the focus"
        );
        assert!(
            part(&refused, r#"<input id="phone""#, ">").contains(" autofocus"),
            "the first field in error, in the form's order"
        );

        let (status, to, _) = send(
            &server,
            &cookie,
            "/customers/new",
            "/customers/new",
            &[
                ("name", "Новая Покупательница"),
                ("group_id", &default.to_string()),
            ],
        )
        .await;
        assert_eq!(status, 303);
        assert!(to.ends_with("?done=created#notice"), "{to}");
        let path = to.split('#').next().unwrap().to_owned();
        let (_, html) = page(&server, &cookie, &path).await;
        assert!(
            html.contains(r#"id="notice">Клиент зарегистрирован."#),
            "{html}"
        );
        let id = path
            .trim_start_matches("/customers/")
            .split('?')
            .next()
            .unwrap();
        let (_, customer) = server.get(&format!("/api/v1/customers/{id}")).await;
        assert_eq!(customer["group_id"], default);

        let edit = format!("/customers/{id}/edit");
        let (status, to, _) = send(
            &server,
            &cookie,
            &edit,
            &edit,
            &[
                ("name", "Новая Покупательница"),
                ("city", "Тверь"),
                ("group_id", &default.to_string()),
            ],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(to, format!("/customers/{id}?done=saved#notice"));
        let (_, html) = page(&server, &cookie, &format!("/customers/{id}?done=saved")).await;
        assert!(html.contains(r#"id="notice">Изменения сохранены."#));
        assert!(html.contains("Тверь"));
        server.stop().await;
    }
}
