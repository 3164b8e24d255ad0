//! The offers' pages over HTTP, as a browser without scripts uses them:
//! an offer made from the form's pickers, refused with each error beside
//! its field in Russian and what was typed kept, shown in words on the
//! list and its page, changed (a stale change refused), paused; single-use
//! codes made, listed a page at a time, printed and downloaded as a
//! workbook naming whom each went to (by name and phone or card, to a
//! user limited to stores only those of their stores); and the roles
//! without offers refused.

use crate::common;

use calamine::Reader;
use clientele_app::audit::ChangedBy;
use clientele_app::staff::StaffUserInput;
use common::console::{browser, hidden, page, post, signed_in, text_of};
use common::{TestServer, engines};
use serde_json::{Value, json};

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

/// A store and a segment to aim at.
async fn shop(server: &TestServer) -> (i64, i64) {
    let store = made(
        server,
        "/api/v1/stores",
        json!({"code": "S-1", "name": "Магазин на Ленина", "kind": "store"}),
    )
    .await;
    let segment = made(
        server,
        "/api/v1/segments",
        json!({"name": "Любители молочного",
               "rules": {"field": "gender", "op": "eq", "value": "female"}}),
    )
    .await;
    (store, segment)
}

/// An offer's codes workbook as the signed-in user downloads it, row by
/// row.
async fn workbook(server: &TestServer, cookie: &str, id: i64) -> Vec<Vec<String>> {
    let file = browser()
        .get(server.url(&format!("/offers/{id}/coupons.xlsx")))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    let bytes = file.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Купоны").unwrap();
    sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

fn id_in(to: &str) -> i64 {
    to.trim_start_matches("/offers/")
        .split(['?', '/', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_offer_is_made_from_the_form_refused_in_russian_changed_and_paused() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (store, segment) = shop(&server).await;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/offers").await;
        assert_eq!(status, 200);
        assert!(list.contains(r#"<a href="/offers" aria-current="page">Предложения</a>"#));
        assert!(list.contains(r#"href="/offers/new">Новое предложение</a>"#));
        assert!(list.contains("Предложений пока нет."));

        let (status, form) = page(&server, &cookie, "/offers/new").await;
        assert_eq!(status, 200);
        assert!(form.contains(&format!(
            r#"<option value="{segment}">Любители молочного</option>"#
        )));
        assert!(form.contains(&format!(r#"name="store_ids" value="{store}""#)));
        assert!(form.contains(r#"<option value="extra_points" selected>"#));
        let fields = |token: String, name: &str, value: &str, hours: &str, code: &str| {
            vec![
                ("csrf", hidden(&form, "csrf")),
                ("token", token),
                ("version", String::new()),
                ("name", name.to_owned()),
                ("segment_id", segment.to_string()),
                ("active", "on".to_owned()),
                ("reward", "extra_points".to_owned()),
                ("reward_value", value.to_owned()),
                ("categories", "Молочное".to_owned()),
                ("skus", String::new()),
                ("min_total_minor", "1 500".to_owned()),
                ("nth_purchase", String::new()),
                ("valid_from", "2026-12-01".to_owned()),
                ("valid_to", "2026-12-31".to_owned()),
                ("days", "monday".to_owned()),
                ("days", "friday".to_owned()),
                ("hours_from", hours.to_owned()),
                ("hours_to", "11:00".to_owned()),
                ("store_ids", store.to_string()),
                (
                    "coupon",
                    if code.is_empty() { "" } else { "shared" }.to_owned(),
                ),
                ("coupon_code", code.to_owned()),
                ("stacking", "exclusive".to_owned()),
                ("priority", "10".to_owned()),
                ("budget_points_total", "10000".to_owned()),
                ("budget_points_per_customer", String::new()),
                ("budget_money_total", String::new()),
                ("holdout_bp", String::new()),
            ]
        };

        // Refused: each error beside its field, in Russian, what was typed kept.
        let (status, _, html) = post(
            &server,
            &cookie,
            "/offers/new",
            &fields(hidden(&form, "token"), "", "много", "25:00", "ab"),
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {html}");
        assert!(html.contains(r#"<p class="error" id="name-error">Заполните это поле.</p>"#));
        assert!(html.contains(
            r#"<p class="error" id="reward_value-error">Множитель — число, например 2 или 1,5.</p>"#
        ));
        assert!(html.contains(r#"<p class="error" id="hours_from-error">Время в виде ЧЧ:ММ.</p>"#));
        assert!(html.contains(
            r#"<p class="error" id="coupon_code-error">Код — от 4 до 32 латинских букв, цифр и «-».</p>"#
        ));
        assert!(html.contains(r#"name="reward_value" inputmode="decimal" value="много""#));
        assert!(html.contains(r#"name="days" value="friday" checked"#));
        assert!(html.contains(r#"<option value="exclusive" selected>"#));
        assert!(html.contains(r#"value="25:00""#));
        let (_, listed) = server.get("/api/v1/offers").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 0);

        // Corrected with the same token: saved, the page says so.
        let (status, to, _) = post(
            &server,
            &cookie,
            "/offers/new",
            &fields(hidden(&form, "token"), "Молочная неделя", "2", "08:00", ""),
        )
        .await;
        assert_eq!(status, 303);
        assert!(to.ends_with("?done=created"), "{to}");
        let id = id_in(&to);
        let (_, kept) = server.get(&format!("/api/v1/offers/{id}")).await;
        assert_eq!(kept["reward"], "extra_points");
        assert_eq!(kept["reward_value"], 20_000);
        assert_eq!(kept["categories"], json!(["dairy"]));
        assert_eq!(kept["min_total_minor"], 150_000);
        assert_eq!(kept["budget"]["points"]["total"], 1_000_000);
        assert_eq!(kept["days"], json!(["monday", "friday"]));
        assert_eq!(kept["store_ids"], json!([store]));
        assert_eq!(kept["segment_id"], segment);
        assert_eq!(kept["hours_from"], "08:00");
        assert_eq!(kept["stacking"], "exclusive");
        assert_eq!(kept["coupon"], Value::Null);

        let (_, html) = page(&server, &cookie, &to).await;
        assert!(html.contains("Предложение создано."));
        let terms = text_of(&html, "terms");
        for said in [
            "Для кого: Сегмент «Любители молочного».",
            "Даёт: ×2 баллов на категорию «Молочное».",
            "Когда: с 1 декабря 2026 по 31 декабря 2026, по дням: понедельник, пятница, с 08:00 до 11:00.",
            "Где: Магазин на Ленина.",
            "Если товары предложения в чеке стоят не меньше 1 500,00 ₽.",
            "С другими предложениями: исключает другие на своих товарах.",
            "Баллов не больше: всего 10 000.",
        ] {
            assert!(terms.contains(said), "{said} in {terms}");
        }
        let (_, list) = page(&server, &cookie, "/offers").await;
        let row = text_of(&list, "offers");
        assert!(
            row.contains(
                "Молочная неделя Сегмент «Любители молочного» ×2 баллов на категорию «Молочное» \
                 01.12.2026 — 31.12.2026 действует 10 исключает другие на своих товарах"
            ),
            "{row}"
        );

        // The form shows it back; changed meanwhile, it saves nothing.
        let (_, edit) = page(&server, &cookie, &format!("/offers/{id}/edit")).await;
        assert!(edit.contains(r#"name="reward_value" inputmode="decimal" value="2""#));
        assert!(edit.contains(">Молочное</textarea>"), "{edit}");
        assert!(edit.contains(r#"name="budget_points_total" inputmode="decimal" value="10000""#));
        let version = hidden(&edit, "version");
        let mut changed = fields(
            hidden(&edit, "token"),
            "Скидка на молочное",
            "10",
            "08:00",
            "",
        );
        changed[2].1 = "0".to_owned();
        changed[6].1 = "percent_off".to_owned();
        let (status, _, html) =
            post(&server, &cookie, &format!("/offers/{id}/edit"), &changed).await;
        assert_eq!(status, 409);
        assert!(html.contains("Предложение изменили, пока вы его правили."));
        // A points cap on a discount is refused beside the caps.
        changed[0].1 = hidden(&html, "csrf");
        changed[1].1 = hidden(&html, "token");
        changed[2].1 = version;
        let (status, _, html) =
            post(&server, &cookie, &format!("/offers/{id}/edit"), &changed).await;
        assert_eq!(status, 422);
        assert!(html.contains(
            r#"id="budget_points-error">Это предложение не начисляет баллы: лимит баллов ему не нужен."#
        ));
        changed[1].1 = hidden(&html, "token");
        changed[23].1 = String::new();
        let (status, to, _) = post(&server, &cookie, &format!("/offers/{id}/edit"), &changed).await;
        assert_eq!((status, to), (303, format!("/offers/{id}?done=saved")));
        let changes = server
            .app
            .audit_entries(&clientele_store::AuditQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.entry.action == "offer.update")
            .count();
        assert_eq!(changes, 1, "the change is in the audit log once");
        let (_, list) = page(&server, &cookie, "/offers?done=saved").await;
        assert!(list.contains("Предложение сохранено."));
        assert!(
            text_of(&list, "offers").contains("10 % скидки на категорию «Молочное»"),
            "{list}"
        );

        // Paused from its button: the page and the API say so.
        let (_, html) = page(&server, &cookie, &format!("/offers/{id}")).await;
        let pause = [
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(&html, "token")),
            ("version", hidden(&html, "version")),
            ("active", "false".to_owned()),
        ];
        let (status, to, _) = post(&server, &cookie, &format!("/offers/{id}/active"), &pause).await;
        assert_eq!(
            (status, to.as_str()),
            (303, format!("/offers/{id}?done=paused").as_str())
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(html.contains("Предложение на паузе: на кассе оно не действует."));
        assert_eq!(text_of(&html, "offer-state"), "на паузе");
        assert!(html.contains(">Возобновить</button>"));
        let (_, kept) = server.get(&format!("/api/v1/offers/{id}")).await;
        assert_eq!(kept["active"], false);
        assert_eq!(kept["name"], "Скидка на молочное");
        server.stop().await;
    }
}

#[tokio::test]
async fn single_use_codes_are_made_listed_printed_and_downloaded() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let id = made(
            &server,
            "/api/v1/offers",
            json!({"name": "Купон на кофе", "reward": "amount_off", "reward_value": 15_000,
                   "coupon": "unique"}),
        )
        .await;
        let shared = made(
            &server,
            "/api/v1/offers",
            json!({"name": "Весна", "reward": "percent_off", "reward_value": 1_000,
                   "coupon": "shared", "coupon_code": "vesna-25"}),
        )
        .await;
        let cookie = signed_in(&server, "owner").await;
        let (_, html) = page(&server, &cookie, &format!("/offers/{shared}")).await;
        assert_eq!(text_of(&html, "shared-code"), "VESNA-25");
        assert!(!html.contains("make-coupons"));

        let (status, html) = page(&server, &cookie, &format!("/offers/{id}")).await;
        assert_eq!(status, 200);
        assert!(text_of(&html, "terms").contains("Даёт: 150,00 ₽ скидки."));
        assert_eq!(text_of(&html, "codes"), "Кодов пока нет.");
        // The make form's token, after the pause button's.
        let token_of = |html: &str| {
            let form = &html[html.find(r#"id="make-coupons""#).unwrap()..];
            hidden(form, "token")
        };
        let mut fields = vec![
            ("csrf", hidden(&html, "csrf")),
            ("token", token_of(&html)),
            ("count", "0".to_owned()),
        ];
        let path = format!("/offers/{id}/coupons");
        let (status, _, refused) = post(&server, &cookie, &path, &fields).await;
        assert_eq!(status, 422);
        assert!(refused.contains(
            r#"<p class="error" id="count-error">Введите целое число от 1 до 100 000.</p>"#
        ));
        assert!(refused.contains(r#"name="count" inputmode="numeric" value="0""#));

        fields[2].1 = "120".to_owned();
        let (status, to, _) = post(&server, &cookie, &path, &fields).await;
        assert_eq!(status, 303);
        assert_eq!(to, format!("/offers/{id}?made=120#coupons"));
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(html.contains("Создано 120 купонов."), "{html}");
        // Two more, issued to customers through the API: named, linked.
        // Анна is known by her phone, Борис by his card; Анна registered
        // in the shop.
        let (store, _) = shop(&server).await;
        let (_, anna) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Анна Купонова", "phone": "+79161234577", "store_id": store}),
            )
            .await;
        let anna = anna["id"].as_i64().unwrap();
        let (_, boris) = server
            .post("/api/v1/customers", json!({"name": "Борис Картин"}))
            .await;
        let boris = boris["id"].as_i64().unwrap();
        let (_, program) = server
            .post(
                "/api/v1/programs",
                json!({"name": "Бонусы", "is_default": true, "rules": {
                    "kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}),
            )
            .await;
        let group = made(
            &server,
            "/api/v1/card-groups",
            json!({"name": "Основные", "program_id": program["id"]}),
        )
        .await;
        let (status, card) = server
            .post(
                "/api/v1/cards",
                json!({"group_id": group, "customer_id": boris}),
            )
            .await;
        assert_eq!(status, 201, "{card}");
        let (status, issued) = server
            .post(
                &format!("/api/v1/offers/{id}/coupons"),
                json!({"customer_ids": [anna, boris]}),
            )
            .await;
        assert_eq!(status, 201, "{issued}");
        let codes_of = |issued: &Value| -> Vec<String> {
            issued["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect()
        };
        let issued = codes_of(&issued);
        let mut named = false;
        let mut seen = Vec::new();
        let mut at = format!("/offers/{id}");
        loop {
            let (status, html) = page(&server, &cookie, &at).await;
            assert_eq!(status, 200);
            let codes: Vec<String> = html
                .split(r#"<code class="coupon-code">"#)
                .skip(1)
                .map(|rest| rest.split('<').next().unwrap().to_owned())
                .collect();
            assert!(codes.len() <= 50);
            assert!(text_of(&html, "codes").contains("для раздачи"));
            named |= html.contains(&format!(r#"<a href="/customers/{anna}">Анна Купонова</a>"#));
            seen.extend(codes);
            let Some(end) = html.find(r#"" rel="next""#) else {
                break;
            };
            let start = html[..end].rfind("href=\"").unwrap() + "href=\"".len();
            at = html[start..end].to_owned();
        }
        assert_eq!(seen.len(), 122);
        assert!(named, "the customer's code names them");
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, seen, "listed once each, in order");

        // Printed a thousand to a page: all 122 here.
        let (status, print) = page(&server, &cookie, &format!("/offers/{id}/coupons/print")).await;
        assert_eq!(status, 200);
        assert_eq!(print.matches("<li><code>").count(), 122);
        assert!(print.contains(&seen[0]) && print.contains(&seen[121]));

        // The workbook holds every code under its header, and whom each
        // went to as a clerk knows them.
        let rows = workbook(&server, &cookie, id).await;
        assert_eq!(
            rows[0],
            [
                "Код",
                "Кому выдан",
                "Телефон или карта",
                "Покупатель (№)",
                "Создан"
            ]
        );
        let codes: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(codes, seen);
        let row_of = |rows: &[Vec<String>], code: &str| {
            let row = rows.iter().find(|r| r[0] == code).unwrap();
            row[1..4].to_vec()
        };
        let barcode = card["barcode"].as_str().unwrap();
        assert_eq!(
            row_of(&rows, &issued[0]),
            [
                "Анна Купонова",
                "+7 916 123-45-77",
                anna.to_string().as_str()
            ]
        );
        assert_eq!(
            row_of(&rows, &issued[1]),
            ["Борис Картин", barcode, boris.to_string().as_str()]
        );
        let blank = rows
            .iter()
            .find(|r| !issued.contains(&r[0]) && r[0] != "Код");
        assert_eq!(blank.unwrap()[1..4], ["", "", ""]);

        // A marketer of the shop alone sees its customers by name, the
        // others by number.
        let user = StaffUserInput {
            login: "shop-marketer".into(),
            name: None,
            role: "marketer".into(),
            password: "correct horse battery".into(),
            stores: vec!["S-1".into()],
        };
        (server.app)
            .add_staff_user(user, &ChangedBy::system("test"))
            .await
            .unwrap();
        let theirs = signed_in(&server, "shop-marketer").await;
        let rows = workbook(&server, &theirs, id).await;
        assert_eq!(
            row_of(&rows, &issued[0]),
            [
                "Анна Купонова",
                "+7 916 123-45-77",
                anna.to_string().as_str()
            ]
        );
        assert_eq!(
            row_of(&rows, &issued[1]),
            ["", "", boris.to_string().as_str()]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn ten_thousand_codes_are_made_at_once_and_said_so() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let id = made(
        &server,
        "/api/v1/offers",
        json!({"name": "Раздача", "reward": "bonus_points", "reward_value": 5_000,
               "coupon": "unique"}),
    )
    .await;
    let cookie = signed_in(&server, "owner").await;
    let (_, html) = page(&server, &cookie, &format!("/offers/{id}")).await;
    let form = &html[html.find(r#"id="make-coupons""#).unwrap()..];
    let (status, to, _) = post(
        &server,
        &cookie,
        &format!("/offers/{id}/coupons"),
        &[
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(form, "token")),
            ("count", "10 000".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&server, &cookie, &to).await;
    assert!(html.contains("Создано 10\u{a0}000 купонов."), "{html}");
    assert!(text_of(&html, "terms").contains("Даёт: 50 баллов."));
    server.stop().await;
}

#[tokio::test]
async fn roles_without_offers_are_refused_and_not_shown_them() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let id = made(
        &server,
        "/api/v1/offers",
        json!({"name": "Для всех", "reward": "percent_off", "reward_value": 500}),
    )
    .await;
    for role in ["cashier", "support", "registration_desk", "manager"] {
        common::staff_token(&server.app, role, role).await;
        let cookie = signed_in(&server, role).await;
        for path in [
            "/offers".to_owned(),
            "/offers/new".to_owned(),
            format!("/offers/{id}"),
            format!("/offers/{id}/edit"),
            format!("/offers/{id}/coupons/print"),
            format!("/offers/{id}/coupons.xlsx"),
        ] {
            let (status, html) = page(&server, &cookie, &path).await;
            assert_eq!(status, 403, "{role} {path}");
            assert!(html.contains("Нет доступа"), "{role} {path}");
        }
        let (_, home) = page(&server, &cookie, "/").await;
        assert!(
            !home.contains(r#"href="/offers""#),
            "{role} sees the menu item"
        );
    }
    common::staff_token(&server.app, "marina", "marketer").await;
    let cookie = signed_in(&server, "marina").await;
    let (status, html) = page(&server, &cookie, &format!("/offers/{id}")).await;
    assert_eq!(status, 200);
    assert!(text_of(&html, "terms").contains("Даёт: 5 % скидки."));
    server.stop().await;
}
