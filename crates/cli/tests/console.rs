//! Signing in to the console and out again, as a browser does it.

mod common;

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
            "attachment; filename=\"customers.xlsx\""
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
