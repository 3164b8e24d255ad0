//! The programs' settings pages over HTTP, as a browser posts them: a form
//! sent twice creates once, a refused form keeps what was typed, and a
//! cashier is refused the pages.

use crate::common;

use common::console::{browser, hidden, page, signed_in};
use common::{TestServer, engines};

#[tokio::test]
async fn a_program_form_sent_twice_creates_the_program_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let (status, form) = page(&server, &cookie, "/settings/programs/new").await;
        assert_eq!(status, 200);
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Дважды нажатая".to_owned()),
            ("kind", "bonus".to_owned()),
            ("earn_rate", "5".to_owned()),
            ("max_payable_share", "50".to_owned()),
        ];
        let send = || {
            browser()
                .post(server.url("/settings/programs/new"))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        let (first, second) = tokio::join!(send(), send());
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.status(), 303);
        assert_eq!(second.status(), 303);
        assert_eq!(first.headers()["location"], second.headers()["location"]);
        let (_, programs) = server.get("/api/v1/programs").await;
        let programs = programs["items"].as_array().unwrap();
        assert_eq!(programs.len(), 1, "{programs:?}");
        assert_eq!(programs[0]["rules"]["earn_rate_bp"], 500);
        assert_eq!(programs[0]["rules"]["max_payable_share_bp"], 5000);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_refused_template_keeps_what_was_typed_and_says_why_beside_the_field() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let cookie = signed_in(&server, "owner").await;
    let (_, form) = page(&server, &cookie, "/settings/certificates").await;
    let refused = browser()
        .post(server.url("/settings/certificates"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Подарок".to_owned()),
            ("face_value", "3000".to_owned()),
            ("valid_days", "0".to_owned()),
            ("usage", "whole".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains(r#"id="valid_days-error">От 1 до 3 660 дней."#),
        "{html}"
    );
    assert!(html.contains(r#"name="face_value" inputmode="decimal" value="3000""#));
    assert!(html.contains(r#"value="whole" checked"#));
    let (_, templates) = server.get("/api/v1/certificates/templates").await;
    assert_eq!(templates["items"].as_array().unwrap().len(), 0);
    server.stop().await;
}

#[tokio::test]
async fn a_cashier_is_refused_the_programs_settings() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    common::staff_token(&server.app, "kassa", "cashier").await;
    let cookie = signed_in(&server, "kassa").await;
    for path in [
        "/settings/programs",
        "/settings/programs/new",
        "/settings/cards",
        "/settings/certificates",
    ] {
        let (status, html) = page(&server, &cookie, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Нет доступа"), "{path}");
    }
    // The support desk reads programs but may not change them.
    common::staff_token(&server.app, "desk", "support").await;
    let cookie = signed_in(&server, "desk").await;
    let (status, html) = page(&server, &cookie, "/settings/programs").await;
    assert_eq!(status, 200);
    assert!(!html.contains("/settings/programs/new"));
    let (status, _) = page(&server, &cookie, "/settings/programs/new").await;
    assert_eq!(status, 403);
    server.stop().await;
}

#[tokio::test]
async fn a_program_is_edited_from_its_form_and_read_in_english() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let (status, program) = server
        .post(
            "/api/v1/programs",
            serde_json::json!({"name": "Бонусы", "rules": {
                "kind": "bonus", "earn_rate_bp": 250, "max_payable_share_bp": 5000,
                "birthday_points": 10000, "excluded_skus": ["gift-card"]}}),
        )
        .await;
    assert_eq!(status, 201, "{program}");
    let id = program["id"].as_i64().unwrap();
    let cookie = signed_in(&server, "owner").await;
    let (status, form) = page(&server, &cookie, &format!("/settings/programs/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"name="earn_rate" value="2,5""#), "{form}");
    assert!(
        form.contains(r#"name="birthday_points" value="100""#),
        "{form}"
    );
    let edited = browser()
        .post(server.url(&format!("/settings/programs/{id}/edit")))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Бонусы плюс".to_owned()),
            ("kind", "bonus".to_owned()),
            ("earn_rate", "3".to_owned()),
            ("max_payable_share", "30".to_owned()),
            ("excluded_categories", "табак, Алкоголь, рыба".to_owned()),
            ("birthday_points", "100".to_owned()),
            ("referral_points", "50".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 303);
    let (_, program) = server.get(&format!("/api/v1/programs/{id}")).await;
    assert_eq!(program["name"], "Бонусы плюс");
    assert_eq!(program["rules"]["earn_rate_bp"], 300);
    assert_eq!(program["rules"]["max_payable_share_bp"], 3000);
    assert_eq!(
        program["rules"]["excluded_categories"],
        serde_json::json!(["tobacco", "alcohol", "рыба"]),
        "a known category typed by its name is kept by its code, any other as typed"
    );
    assert_eq!(program["rules"]["birthday_points"], 10000);
    assert_eq!(program["rules"]["referral_points"], 5000);
    assert_eq!(
        program["rules"]["excluded_skus"],
        serde_json::json!(["gift-card"]),
        "what the form does not show stays"
    );
    let (_, html) = page(
        &server,
        &cookie,
        &format!("/settings/programs/{id}?lang=en&price_1=1000&category_2=табак&price_2=500"),
    )
    .await;
    assert!(
        html.contains(
            "A customer gets 30 points for a receipt of 1,500.00\u{a0}₽; \
             points may pay up to 450.00\u{a0}₽ of it."
        ),
        "{html}"
    );
    assert!(html.contains("Not in the program: Line 2."), "{html}");
    assert!(
        html.contains("Tobacco, Alcohol, рыба"),
        "known categories by name in the reader's language: {html}"
    );
    server.stop().await;
}
