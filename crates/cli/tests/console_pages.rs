//! The console speaks to people where an address goes wrong: an unknown
//! address, a trailing slash, a malformed id and a stale cursor answer an
//! HTML page in the reader's language (with the menu when signed in), never
//! JSON or a parser's English; the API keeps its problem JSON. And a form's
//! one-time token holds across servers on one database.

use crate::common;

use clientele_app::{App, Clock};
use common::console::{browser, hidden, signed_in};
use common::{TestServer, engines};

/// A page as the browser gets it: status, content type, text.
async fn get(server: &TestServer, cookie: Option<&str>, path: &str) -> (u16, String, String) {
    let mut request = browser().get(server.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// The menu of a signed-in page.
const MENU: &str = r#"<a href="/customers""#;

#[tokio::test]
async fn a_wrong_address_is_a_page_in_the_readers_language() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let lang_en = format!("{cookie}; clientele_lang=en");
        for (path, status) in [
            ("/nope", 404),
            ("/customers/abc", 404),
            ("/customers/abc/edit", 404),
        ] {
            let (got, kind, html) = get(&server, Some(&cookie), path).await;
            assert_eq!(got, status, "{path}");
            assert!(kind.starts_with("text/html"), "{path}: {kind}");
            assert!(
                html.contains("Не найдено") && html.contains("Такой страницы нет."),
                "{path}: {html}"
            );
            assert!(html.contains(MENU), "{path}: the menu of a signed-in user");
            assert!(
                !html.contains("Cannot parse") && !html.contains("i64"),
                "{path}: {html}"
            );

            let (got, kind, html) = get(&server, Some(&lang_en), path).await;
            assert_eq!(got, status, "{path} in English");
            assert!(kind.starts_with("text/html"));
            assert!(html.contains("There is no such page."), "{path}: {html}");
            assert!(!html.contains("Такой страницы нет"), "{path}: {html}");
            assert!(html.contains(MENU));
        }

        // Signed out: a plain page, in the language asked for.
        let (got, kind, html) = get(&server, None, "/nope").await;
        assert_eq!(got, 404);
        assert!(kind.starts_with("text/html"));
        assert!(html.contains("Такой страницы нет."), "{html}");
        assert!(!html.contains(MENU), "no menu for a stranger");
        let (_, _, html) = get(&server, None, "/nope?lang=en").await;
        assert!(html.contains("There is no such page."), "{html}");

        // The API keeps its problem JSON.
        let (got, kind, body) = get(&server, Some(&cookie), "/api/v1/nope").await;
        assert_eq!(got, 404);
        assert_eq!(kind, "application/problem+json", "{body}");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_trailing_slash_leads_to_the_address_without_it() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let cookie = signed_in(&server, "owner").await;
    for (path, target) in [
        ("/settings/", "/settings"),
        ("/customers/?q=912", "/customers?q=912"),
        ("/settings/groups//", "/settings/groups"),
        // Never to another site.
        ("//evil.example/", "/evil.example"),
    ] {
        let response = browser()
            .get(server.url(path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert!(
            matches!(response.status().as_u16(), 301 | 308),
            "{path}: {}",
            response.status()
        );
        assert_eq!(response.headers()["location"], target, "{path}");
    }
    let (status, _, html) = get(&server, Some(&cookie), "/settings").await;
    assert_eq!(status, 200, "{html}");
    server.stop().await;
}

#[tokio::test]
async fn a_stale_cursor_says_so_and_leads_to_the_first_page() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let (status, kind, html) = get(
            &server,
            Some(&cookie),
            "/customers?q=912&cursor=not-a-cursor",
        )
        .await;
        assert_eq!(status, 422);
        assert!(kind.starts_with("text/html"));
        assert!(html.contains("Эта страница списка устарела"), "{html}");
        assert!(html.contains(r#"href="/customers?q=912""#), "{html}");
        assert!(html.contains(MENU));
        assert!(!html.contains("cursor is not one"), "{html}");

        let (status, _, html) = get(
            &server,
            Some(&cookie),
            "/customers?cursor=not-a-cursor&lang=en",
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("This page of the list is out of date"),
            "{html}"
        );
        server.stop().await;
    }
}

/// A form sent to one server and again to another on the same database
/// (or after a restart) does its work once.
#[tokio::test]
async fn a_form_token_holds_across_servers_on_one_database() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let (_, _, form) = get(&server, Some(&cookie), "/customers/new").await;
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Двое Серверов".to_owned()),
        ];
        let first = browser()
            .post(server.url("/customers/new"))
            .header("cookie", &cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(first.status(), 303);

        // A second server on the same database, as after a restart.
        let db = clientele_cli::open_database(&server.database_url)
            .await
            .unwrap();
        let clock = Clock::fixed(
            jiff::tz::TimeZone::get("Europe/Moscow").unwrap(),
            "2026-11-23T09:00:00Z".parse().unwrap(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let other = format!("http://{}", listener.local_addr().unwrap());
        let serving = tokio::spawn(clientele_http::serve(
            listener,
            App::new(db, clock),
            std::future::pending(),
        ));
        let again = browser()
            .post(format!("{other}/customers/new"))
            .header("cookie", &cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 303);
        assert_eq!(
            again.headers()["location"],
            first.headers()["location"],
            "sent where the first went"
        );
        let (_, found) = server.get("/api/v1/customers?q=Двое").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");

        // A refused form's token is freed for the corrected sending.
        let (_, _, form) = get(&server, Some(&cookie), "/customers/new").await;
        let token = hidden(&form, "token");
        let csrf = hidden(&form, "csrf");
        let refused = browser()
            .post(format!("{other}/customers/new"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("token", token.as_str()),
                ("name", "Исправленный"),
                ("phone", "не телефон"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let corrected = browser()
            .post(server.url("/customers/new"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("token", token.as_str()),
                ("name", "Исправленный"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(corrected.status(), 303);
        let location = corrected.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/customers/"), "{location}");
        serving.abort();
        server.stop().await;
    }
}
