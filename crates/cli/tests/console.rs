//! Signing in to the console and out again, as a browser does it.

use crate::common;

use common::console::{browser, hidden, session_cookie, signed_in};
use common::{TestServer, engines};

#[tokio::test]
async fn staff_sign_in_land_where_they_asked_and_sign_out() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let browser = browser();

        let home = browser.get(server.url("/")).send().await.unwrap();
        assert_eq!(home.status(), 303);
        assert_eq!(home.headers()["location"], "/login?next=/");
        let form = browser
            .get(server.url("/login?next=/"))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200);
        let html = form.text().await.unwrap();
        assert!(html.contains(r#"name="login""#) && html.contains(r#"name="password""#));

        let wrong = browser
            .post(server.url("/login"))
            .form(&[("login", "owner"), ("password", "wrong"), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        assert!(session_cookie(&wrong).is_none());
        assert!(
            wrong
                .text()
                .await
                .unwrap()
                .contains("Неверный логин или пароль")
        );

        let forged = browser
            .post(server.url("/login"))
            .header("origin", "http://evil.example")
            .form(&[("login", "owner"), ("password", "correct horse battery")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "a form from another site");

        let signed = browser
            .post(server.url("/login"))
            .header("origin", server.base.as_str())
            .form(&[
                ("login", "owner"),
                ("password", "correct horse battery"),
                ("next", "/customers?q=1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), 303);
        assert_eq!(
            signed.headers()["location"],
            "/customers?q=1",
            "where they asked"
        );
        let cookie = session_cookie(&signed).expect("a session cookie");
        for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        let pair = cookie.split(';').next().unwrap().to_owned();

        let home = browser
            .get(server.url("/"))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        assert!(html.contains("owner"));
        let csrf = html
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();

        let tampered = browser
            .get(server.url("/"))
            .header("cookie", format!("{pair}x"))
            .send()
            .await
            .unwrap();
        assert_eq!(tampered.status(), 303, "a tampered cookie is no session");

        let no_token = browser
            .post(server.url("/logout"))
            .header("cookie", &pair)
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(no_token.status(), 403, "sign-out needs the form's token");
        let out = browser
            .post(server.url("/logout"))
            .header("cookie", &pair)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert!(session_cookie(&out).unwrap().contains("Max-Age=0"));
        let after = browser
            .get(server.url("/"))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 303, "the session is over");

        let away = browser
            .post(server.url("/login"))
            .form(&[
                ("login", "owner"),
                ("password", "correct horse battery"),
                ("next", "//evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(away.headers()["location"], "/", "never to another site");
        server.stop().await;
    }
}

#[tokio::test]
async fn the_sign_in_page_is_rate_limited_per_address() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let browser = browser();
    let mut limited = None;
    for _ in 0..40 {
        let response = browser.get(server.url("/login")).send().await.unwrap();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status(), 200);
    }
    let limited = limited.expect("a burst of 40 sign-in pages is limited");
    assert!(limited.headers().contains_key("retry-after"));
    server.stop().await;
}

#[tokio::test]
async fn a_form_sent_twice_registers_the_customer_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let form = browser()
            .get(server.url("/customers/new"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Дважды Нажатый".to_owned()),
        ];
        let send = || {
            browser()
                .post(server.url("/customers/new"))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        let (first, second) = tokio::join!(send(), send());
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.status(), 303);
        assert_eq!(second.status(), 303);
        assert_eq!(
            first.headers()["location"],
            second.headers()["location"],
            "both go to the one customer"
        );
        let (_, found) = server.get("/api/v1/customers?q=Дважды").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);

        let forged = browser()
            .post(server.url("/customers/new"))
            .header("cookie", &cookie)
            .form(&[("csrf", "forged"), ("token", "t"), ("name", "Чужой")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "a form without the session's token");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_role_without_the_right_gets_a_refusal_page_and_an_audit_entry() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    common::staff_token(&server.app, "kassa", "cashier").await;
    let cookie = signed_in(&server, "kassa").await;
    for path in ["/settings", "/customers/new"] {
        let refused = browser()
            .get(server.url(path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{path}");
        assert!(refused.text().await.unwrap().contains("Нет доступа"));
    }
    let (_, audit) = server.get("/api/v1/audit?limit=50").await;
    let denied = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "access.denied")
        .count();
    assert!(denied >= 2, "{audit}");
    server.stop().await;
}

#[tokio::test]
async fn ticked_customers_are_exported_to_excel() {
    use calamine::Reader;

    for engine in engines() {
        let server = TestServer::start(engine).await;
        let mut ids = Vec::new();
        for (name, phone) in [
            ("Экспорт Анна", "+79120000011"),
            ("Экспорт Борис", "+79120000012"),
        ] {
            let (_, customer) = server
                .post(
                    "/api/v1/customers",
                    serde_json::json!({"name": name, "phone": phone}),
                )
                .await;
            ids.push(customer["id"].as_i64().unwrap().to_string());
        }
        let cookie = signed_in(&server, "owner").await;
        let list = browser()
            .get(server.url("/customers?q=Экспорт"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let fields = [
            ("csrf", hidden(&list, "csrf")),
            ("token", hidden(&list, "token")),
            ("back", "/customers?q=Экспорт".to_owned()),
            ("customer_id", ids[1].clone()),
            ("action", "export".to_owned()),
        ];
        let file = browser()
            .post(server.url("/customers/bulk"))
            .header("cookie", &cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert_eq!(
            file.headers()["content-disposition"],
            "attachment; filename=\"customers.xlsx\"; filename*=UTF-8''customers.xlsx"
        );
        let bytes = file.bytes().await.unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range("Покупатели").unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|row| row.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 2, "the header and the one ticked: {rows:?}");
        assert_eq!(rows[0][..3], ["clientele_id", "name", "phone"]);
        assert_eq!(
            rows[1][..3],
            [ids[1].as_str(), "Экспорт Борис", "+79120000012"]
        );

        // Nothing ticked: the list again, saying so, and no file.
        let none = browser()
            .post(server.url("/customers/bulk"))
            .header("cookie", &cookie)
            .form(&fields[..3])
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 422);
        assert!(
            none.text()
                .await
                .unwrap()
                .contains("Отметьте покупателей в списке.")
        );
        server.stop().await;
    }
}

/// A till of a store under a 5 % bonus program with a tier «Серебро» from
/// 200 ₽, and receipts of one line sold at it: `(receipt, customer, kopecks)`.
async fn sold_at_a_till(server: &TestServer, sales: &[(&str, i64, i64)]) {
    use serde_json::json;

    let (status, store) = server
        .post(
            "/api/v1/stores",
            json!({"code": "S-1", "name": "Магазин", "kind": "store"}),
        )
        .await;
    assert_eq!(status, 201, "{store}");
    let (status, program) = server
        .post(
            "/api/v1/programs",
            json!({"name": "Бонусы", "is_default": true, "rules": {
                "kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000}}),
        )
        .await;
    assert_eq!(status, 201, "{program}");
    let (status, tier) = server
        .post(
            "/api/v1/tiers",
            json!({"program_id": program["id"], "name": "Серебро", "threshold_minor": 20_000}),
        )
        .await;
    assert_eq!(status, 201, "{tier}");
    let (status, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": store["id"], "name": "Касса 1"}),
        )
        .await;
    assert_eq!(status, 201, "{till}");
    let till = common::client_with(till["key"].as_str().unwrap());
    for (receipt, customer, amount) in sales {
        let body = json!({
            "receipt_id": receipt,
            "created_at": "2026-11-23T12:00:00+03:00",
            "customer_id": customer,
            "lines": [{"sku": "milk", "name": "Молоко", "category": "dairy", "quantity": 1,
                       "price_minor": amount, "amount_minor": amount}],
        });
        let response = till
            .post(server.url("/api/v1/pos/receipts"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, answer) = common::decode(response).await;
        assert_eq!(status, 201, "{answer}");
    }
}

/// The names a list page shows, in order, among these.
fn listed<'a>(html: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = names
        .iter()
        .filter_map(|name| html.find(&format!(">{name}</a>")).map(|at| (at, *name)))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, name)| name).collect()
}

#[tokio::test]
async fn the_list_shows_sorts_and_filters_by_figures_typed_in_roubles_and_points() {
    use common::console::page;

    for engine in engines() {
        let server = TestServer::start(engine).await;
        let mut ids = Vec::new();
        for (name, birth_date) in [
            ("Большой", "1990-03-05"),
            ("Малый", "1985-07-20"),
            ("Никогда", "2000-03-05"),
        ] {
            let (status, customer) = server
                .post(
                    "/api/v1/customers",
                    serde_json::json!({"name": name, "birth_date": birth_date}),
                )
                .await;
            assert_eq!(status, 201, "{customer}");
            ids.push(customer["id"].as_i64().unwrap());
        }
        let (big, small) = (ids[0], ids[1]);
        sold_at_a_till(
            &server,
            &[
                ("B-1", big, 30_000),
                ("B-2", big, 10_000),
                ("S-1", small, 5_000),
            ],
        )
        .await;
        let cookie = signed_in(&server, "owner").await;
        let all = ["Большой", "Малый", "Никогда"];
        let names = |path: &'static str| {
            let cookie = cookie.clone();
            let server = &server;
            async move {
                let (status, html) = page(server, &cookie, path).await;
                assert_eq!(status, 200, "{path}: {html}");
                listed(&html, &all)
            }
        };

        // The columns, with the figures in the reader's words.
        let (_, html) = page(&server, &cookie, "/customers?sort=-spent_minor").await;
        for column in ["Баланс", "Потрачено", "Последняя покупка", "Уровень"]
        {
            assert!(html.contains(&format!(">{column}</th>")), "{column}");
        }
        let big_row = html.split(">Большой</a>").nth(1).unwrap();
        let big_row = big_row.split("</tr>").next().unwrap();
        for figure in [">20<", "400,00\u{a0}₽", "23.11.2026", "Серебро"] {
            assert!(big_row.contains(figure), "{figure} in {big_row}");
        }
        let never_row = html.split(">Никогда</a>").nth(1).unwrap();
        assert!(
            never_row
                .split("</tr>")
                .next()
                .unwrap()
                .contains("ещё не было")
        );

        // Both ways by spend and by the last purchase.
        assert_eq!(
            names("/customers?sort=-spent_minor").await,
            ["Большой", "Малый", "Никогда"]
        );
        assert_eq!(
            names("/customers?sort=spent_minor").await,
            ["Никогда", "Малый", "Большой"]
        );
        assert_eq!(
            names("/customers?sort=last_purchase_at").await[0],
            "Никогда"
        );
        assert_eq!(
            names("/customers?sort=-last_purchase_at").await[2],
            "Никогда"
        );

        // Roubles typed as a clerk types them: 100 ₽ is 10 000 kopecks.
        assert_eq!(
            names("/customers?spent_min=100&sort=name").await,
            ["Большой"]
        );
        assert_eq!(
            names("/customers?spent_min=50&spent_max=399%2C99&sort=name").await,
            ["Малый"]
        );
        assert_eq!(
            names("/customers?spent_min=1+500&sort=name").await,
            Vec::<&str>::new()
        );
        assert_eq!(
            names("/customers?purchases_min=2&sort=name").await,
            ["Большой"]
        );
        assert_eq!(
            names("/customers?purchases_max=0&sort=name").await,
            ["Никогда"]
        );
        assert_eq!(
            names("/customers?last_purchase_from=2026-11-23&last_purchase_to=2026-11-23&sort=name")
                .await,
            ["Большой", "Малый"]
        );
        assert_eq!(
            names("/customers?no_purchase_days=1&sort=name").await,
            ["Никогда"]
        );
        // Points: 5 % of 400 ₽ is 20 points, of 50 ₽ 2,5.
        assert_eq!(
            names("/customers?balance_min=2%2C5&balance_max=19&sort=name").await,
            ["Малый"]
        );
        // A birthday as a day and a month, or as MM-DD in a link.
        assert_eq!(
            names("/customers?birthday_from_day=5&birthday_from_month=3&sort=name").await,
            ["Большой", "Никогда"]
        );
        let (_, html) = page(&server, &cookie, "/customers?birthday_to=03-05").await;
        assert!(html.contains(r#"<option value="5" selected>5</option>"#));
        assert!(html.contains(r#"<option value="3" selected>марта</option>"#));
        // What was typed is shown again; «any» agrees with its field.
        let (_, html) = page(&server, &cookie, "/customers?spent_min=1+500").await;
        assert!(html.contains(r#"name="spent_min" inputmode="decimal" size="8" value="1 500""#));
        let group = html.split(r#"name="group_id""#).nth(1).unwrap();
        let any = group.split("</option>").next().unwrap();
        assert!(any.ends_with(">Любая"), "{group}");
        assert!(!html.contains("MM-DD"));
        server.stop().await;
    }
}

#[tokio::test]
async fn filters_typed_wrong_are_refused_beside_their_fields_in_the_readers_language() {
    use common::console::page;

    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let wrong = "spent_min=abc&purchases_max=2%2C5&age_min=200&last_purchase_from=вчера\
                     &birthday_from_day=31&birthday_from_month=2&birthday_to_day=5\
                     &balance_min=5&balance_max=4";
        let beside = |html: &str, field: &str| -> String {
            let marker = format!(r#"id="filter-{field}-error">"#);
            let rest = html
                .split(&marker)
                .nth(1)
                .unwrap_or_else(|| panic!("no error beside {field}"));
            rest.split('<').next().unwrap().to_owned()
        };
        let (status, html) = page(&server, &cookie, &format!("/customers?{wrong}")).await;
        assert_eq!(status, 422);
        assert_eq!(
            beside(&html, "spent_min"),
            "Сумма в рублях, например 1 500 или 1500,50."
        );
        assert_eq!(beside(&html, "purchases_max"), "Целое число, например 5.");
        assert_eq!(beside(&html, "birthday_to"), "Выберите и день, и месяц.");
        assert!(html.contains(r#"value="abc""#), "what was typed stays");
        assert!(html.contains("Фильтры не применены"));

        // The figures read, the parser's complaints in words too.
        let (status, html) = page(
            &server,
            &cookie,
            "/customers?age_min=200&last_purchase_from=вчера&birthday_from_day=31\
             &birthday_from_month=2&balance_min=5&balance_max=4&no_purchase_days=0&sort=spent",
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            beside(&html, "age_min"),
            "Возраст — целое число от 0 до 150."
        );
        assert_eq!(beside(&html, "last_purchase_from"), "Это не дата.");
        assert_eq!(beside(&html, "birthday_from"), "Такого дня в году нет.");
        assert_eq!(beside(&html, "balance_min"), "Начало больше конца.");
        assert_eq!(
            beside(&html, "no_purchase_days"),
            "Целое число от 1 до 36\u{a0}500."
        );
        for english in ["whole number", "RFC 3339", "neither", "MM-DD", "sort by"] {
            assert!(!html.contains(english), "{english} in the Russian list");
        }
        assert!(html.contains("Такой сортировки нет."));

        // Keys the form has no field for: said above the list.
        let (status, html) =
            page(&server, &cookie, "/customers?gendr=female&consent_fax=true").await;
        assert_eq!(status, 422);
        let above = html
            .split(r#"<ul role="alert" class="alert">"#)
            .nth(1)
            .unwrap();
        let above = above.split("</ul>").next().unwrap();
        assert!(above.contains("Такого фильтра нет."), "{above}");
        assert!(above.contains("Такого согласия нет."), "{above}");

        let (status, html) = page(
            &server,
            &cookie,
            "/customers?lang=en&spent_min=abc&age_min=200&last_purchase_from=x",
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            beside(&html, "spent_min"),
            "An amount in roubles, such as 1500 or 1500.50."
        );
        let (status, html) = page(
            &server,
            &cookie,
            "/customers?lang=en&age_min=200&last_purchase_from=x",
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            beside(&html, "age_min"),
            "An age is a whole number from 0 to 150."
        );
        assert_eq!(beside(&html, "last_purchase_from"), "This is not a date.");
        server.stop().await;
    }
}
