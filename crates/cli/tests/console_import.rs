//! The console's import wizard over HTTP, as a browser's forms drive it:
//! a CSV upload, the mapping sent, the dry run, the import sent twice
//! (it runs once), bad files refused with a readable message, and a role
//! without the right refused.

use crate::common;

use common::console::{browser, hidden, multipart, page, signed_in};
use std::time::Duration;

use clientele_app::import::table::{FileKind, read_table};
use common::{Engine, TestServer, engines};

/// Uploads a file through the form; answers the response.
async fn upload(
    server: &TestServer,
    cookie: &str,
    file_name: &str,
    file: &[u8],
) -> reqwest::Response {
    let (_, form) = page(server, cookie, "/import").await;
    let (content_type, body) = multipart(
        &[
            ("csrf", &hidden(&form, "csrf")),
            ("token", &hidden(&form, "token")),
        ],
        file_name,
        file,
    );
    browser()
        .post(server.url("/import"))
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The selects of the columns page as the page chose them.
fn selected(html: &str) -> Vec<(String, String)> {
    html.split("<select id=\"column_")
        .skip(1)
        .map(|select| {
            let name = format!("column_{}", select.split('"').next().unwrap());
            let body = select.split("</select>").next().unwrap();
            let value = body
                .split("<option value=\"")
                .skip(1)
                .find(|option| option.split('>').next().unwrap().contains(" selected"))
                .map(|option| option.split('"').next().unwrap().to_owned())
                .unwrap_or_default();
            (name, value)
        })
        .collect()
}

/// Waits (up to 60 s) until a run's page shows its report.
async fn finished(server: &TestServer, cookie: &str, path: &str) -> String {
    for _ in 0..1200 {
        let (status, html) = page(server, cookie, path).await;
        assert_eq!(status, 200, "{html}");
        if html.contains("id=\"rows\"") || html.contains("role=\"alert\"") {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{path} never finished");
}

fn figure(html: &str, id: &str) -> String {
    html.split(&format!("id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no figure «{id}»"))
        .to_owned()
}

/// Uploads `csv`, sends the mapping as matched, and waits for the dry run;
/// answers the upload's address and the dry run's page.
async fn checked(server: &TestServer, cookie: &str, name: &str, csv: &[u8]) -> (String, String) {
    let uploaded = upload(server, cookie, name, csv).await;
    assert_eq!(uploaded.status(), 303, "{}", uploaded.text().await.unwrap());
    let columns_page = uploaded.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = page(server, cookie, &columns_page).await;
    assert_eq!(status, 200);
    let mut fields = selected(&html);
    fields.push(("csrf".into(), hidden(&html, "csrf")));
    fields.push(("token".into(), hidden(&html, "token")));
    let sent = browser()
        .post(server.url(&format!("{columns_page}/check")))
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let check = finished(server, cookie, &format!("{columns_page}/check")).await;
    (columns_page, check)
}

#[tokio::test]
async fn the_import_sent_twice_runs_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        // No phone, no e-mail: a second run would add them all again.
        let csv = "ФИО;Город\nБезтелефонов Первый;Вологда\nБезтелефонов Второй;Вологда\n";
        let (upload, check) = checked(&server, &cookie, "клиенты.csv", csv.as_bytes()).await;
        assert_eq!(figure(&check, "created"), "2", "{check}");
        let (_, found) = server.get("/api/v1/customers?q=Безтелефонов").await;
        assert!(
            found["items"].as_array().unwrap().is_empty(),
            "a dry run writes nothing"
        );

        let fields = [
            ("csrf", hidden(&check, "csrf")),
            ("token", hidden(&check, "token")),
        ];
        let send = || {
            browser()
                .post(server.url(&format!("{upload}/result")))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        let (first, second) = tokio::join!(send(), send());
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.status(), 303);
        assert_eq!(second.status(), 303);
        assert_eq!(first.headers()["location"], second.headers()["location"]);
        let result = finished(&server, &cookie, &format!("{upload}/result")).await;
        assert_eq!(figure(&result, "created"), "2", "{result}");
        // Sent once more, from a page kept open: nothing runs again.
        let again = browser()
            .post(server.url(&format!("{upload}/result")))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", hidden(&check, "csrf")),
                ("token", "another".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 303);
        let (_, found) = server.get("/api/v1/customers?q=Безтелефонов").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 2, "{found}");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_windows_csv_and_an_old_xls_upload_with_their_columns_matched_and_bad_files_are_refused_readably()
 {
    let server = TestServer::start(Engine::Sqlite).await;
    let cookie = signed_in(&server, "owner").await;
    let source = "Фамилия;Имя;Моб. телефон;Дата рождения;Любимый цвет\r\n\
        Ёлкина;Алёна;8 (912) 345-67-89;01.02.1990;зелёный\r\n\
        Петров;Пётр;плохой номер;;синий\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(source);
    let (_, check) = checked(&server, &cookie, "из 1С.csv", &bytes).await;
    assert_eq!(figure(&check, "rows"), "2");
    assert_eq!(figure(&check, "created"), "1");
    assert_eq!(figure(&check, "rejected"), "1");
    assert!(
        check.contains("<td class=\"num\" data-label=\"Строка\">3</td>"),
        "{check}"
    );

    let uploaded = upload(&server, &cookie, "из 1С.csv", &bytes).await;
    let (_, columns) = page(
        &server,
        &cookie,
        uploaded.headers()["location"].to_str().unwrap(),
    )
    .await;
    let chosen: Vec<String> = selected(&columns).into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        chosen,
        ["last_name", "first_name", "phone", "birth_date", ""],
        "an unknown column is not loaded"
    );
    assert!(columns.contains("Ёлкина"), "the preview shows the rows");

    // An old Excel 97–2003 workbook reads too.
    let xls = include_bytes!("../../app/tests/data/customers.xls");
    let (_, check) = checked(&server, &cookie, "клиенты.xls", xls).await;
    assert_eq!(figure(&check, "rows"), "2");
    assert_eq!(figure(&check, "created"), "2");

    for (name, file, says) in [
        ("пусто.csv", &b""[..], "Файл пустой."),
        ("отчёт.pdf", b"%PDF-1.4", "Загружаются только файлы"),
        (
            "книга.xlsx",
            "ФИО;Телефон\n".as_bytes(),
            "Это не книга Excel",
        ),
        (
            "заголовки.csv",
            "ФИО;Телефон\n".as_bytes(),
            "нет ни одной строки",
        ),
    ] {
        let refused = upload(&server, &cookie, name, file).await;
        assert_eq!(refused.status(), 422, "{name}");
        let html = refused.text().await.unwrap();
        assert!(html.contains(says), "{name}: {html}");
        assert!(
            html.contains("id=\"file-error\""),
            "{name}: beside the field"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_mapping_without_a_name_is_refused_beside_the_columns() {
    let server = TestServer::start(Engine::Sqlite).await;
    let cookie = signed_in(&server, "owner").await;
    let uploaded = upload(
        &server,
        &cookie,
        "a.csv",
        "ФИО;Телефон\nИванов;79120000001\n".as_bytes(),
    )
    .await;
    let columns_page = uploaded.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = page(&server, &cookie, &columns_page).await;
    let refused = browser()
        .post(server.url(&format!("{columns_page}/check")))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(&html, "token")),
            ("column_0", String::new()),
            ("column_1", "phone".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Ни один столбец не выбран как имя"), "{html}");
    assert_eq!(
        selected(&html),
        [
            ("column_0".into(), String::new()),
            ("column_1".into(), "phone".into())
        ],
        "what was chosen is kept"
    );
    let twice = browser()
        .post(server.url(&format!("{columns_page}/check")))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(&html, "token")),
            ("column_0", "phone".into()),
            ("column_1", "phone".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), 422);
    let html = twice.text().await.unwrap();
    assert!(html.contains("id=\"column_1-error\""), "{html}");
    server.stop().await;
}

#[tokio::test]
async fn a_cashier_is_refused_the_import_and_does_not_see_it_in_the_menu() {
    let server = TestServer::start(Engine::Sqlite).await;
    common::staff_token(&server.app, "kassa", "cashier").await;
    let cookie = signed_in(&server, "kassa").await;
    for path in ["/import", "/import/template.xlsx"] {
        let (status, html) = page(&server, &cookie, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Нет доступа"));
    }
    let (status, home) = page(&server, &cookie, "/").await;
    assert_eq!(status, 200);
    assert!(!home.contains("href=\"/import\""), "{home}");
    let owner = signed_in(&server, "owner").await;
    let (_, home) = page(&server, &owner, "/").await;
    assert!(home.contains("href=\"/import\""));
    // The template to fill in: our headers, which the wizard reads back.
    let template = browser()
        .get(server.url("/import/template.xlsx"))
        .header("cookie", &owner)
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), 200);
    assert!(
        template.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = template.bytes().await.unwrap();
    let headers = read_table(&bytes, FileKind::Xlsx).unwrap().headers;
    assert_eq!(headers[..3], ["ФИО", "Телефон", "E-mail"]);
    // Another user's upload is no one else's to see.
    let uploaded = upload(&server, &owner, "a.csv", "ФИО\nИванов\n".as_bytes()).await;
    let columns_page = uploaded.headers()["location"].to_str().unwrap().to_owned();
    common::staff_token(&server.app, "desk", "registration_desk").await;
    let desk = signed_in(&server, "desk").await;
    let (status, _) = page(&server, &desk, &columns_page).await;
    assert_eq!(status, 404);
    server.stop().await;
}

#[tokio::test]
async fn a_file_larger_than_the_api_takes_uploads() {
    let server = TestServer::start(Engine::Sqlite).await;
    let cookie = signed_in(&server, "owner").await;
    let mut csv = String::from("ФИО;Телефон;Примечание\n");
    for i in 0..40_000 {
        csv.push_str(&format!("Клиент {i};7912{i:07};постоянный покупатель\n"));
    }
    assert!(csv.len() > clientele_http::BODY_LIMIT);
    let (_, check) = checked(&server, &cookie, "big.csv", csv.as_bytes()).await;
    assert_eq!(figure(&check, "rows"), "40000");
    assert_eq!(figure(&check, "created"), "40000");
    server.stop().await;
}
