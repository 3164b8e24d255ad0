//! The import wizard in a real headless Chromium on a phone-sized screen:
//! the owner uploads a small .xlsx with one bad row, sees its columns
//! matched, leaves one out, runs the dry run (nothing written), imports,
//! reads the counts, downloads the rejected row, and finds the customers;
//! a session that ends on the way leads back after sign-in; a file that is
//! no spreadsheet is refused in words.

use crate::common;

use clientele_app::import::table::{Cell, FileKind, read_table};
use common::browser::{Browser, TempFile};
use common::{Engine, TestServer};
use fantoccini::Locator;

/// Three good customers and one with a phone that is no phone (row 4).
fn customers_workbook() -> TempFile {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, header) in ["ФИО", "Телефон", "E-mail", "Примечание"]
        .into_iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, header).unwrap();
    }
    let rows = [
        ("Импортова Анна", "8 (912) 000-00-01", "anna@example.ru"),
        ("Импортов Борис", "+7 912 000-00-02", ""),
        ("Импортова Вера", "123", ""),
        ("Импортов Глеб", "79120000004", "gleb@example.ru"),
    ];
    for (row, (name, phone, email)) in rows.into_iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, name).unwrap();
        sheet.write_string(row, 1, phone).unwrap();
        if !email.is_empty() {
            sheet.write_string(row, 2, email).unwrap();
        }
        sheet.write_string(row, 3, "не загружать это").unwrap();
    }
    let file = TempFile::new("клиенты.xlsx");
    book.save(&file.0).unwrap();
    file
}

async fn customers_named(server: &TestServer, q: &str) -> Vec<serde_json::Value> {
    let (status, found) = server.get(&format!("/api/v1/customers?q={q}")).await;
    assert_eq!(status, 200);
    found["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_owner_imports_a_small_workbook_step_by_step() {
    let server = TestServer::start(Engine::Sqlite).await;
    let workbook = customers_workbook();
    let browser = Browser::start(390).await;
    browser.go(&server.url("/import")).await;
    browser.sign_in("owner").await;
    assert_eq!(browser.path().await, "/import");
    assert!(browser.text("main").await.contains("ФИО, Телефон"));
    assert!(
        !browser.scrolls_sideways().await,
        "the upload page at 390 px"
    );

    // The upload: the columns as matched, the first rows as a preview.
    browser.attach("#file", workbook.path()).await;
    browser
        .click_through(".import-upload button[type=submit]")
        .await;
    let columns = browser.path().await;
    assert!(columns.starts_with("/import/upload_"), "{columns}");
    assert_eq!(browser.text("h1").await, "Столбцы файла");
    assert!(browser.text(".file-name").await.contains("4 строки"));
    assert_eq!(browser.value("#column_0").await, "name");
    assert_eq!(browser.value("#column_1").await, "phone");
    assert_eq!(browser.value("#column_2").await, "email");
    assert_eq!(browser.value("#column_3").await, "notes");
    assert!(browser.text(".preview").await.contains("Импортова Анна"));
    assert!(
        !browser.scrolls_sideways().await,
        "the columns page at 390 px"
    );

    // The notes left out, then the dry run: figures, nothing written.
    browser
        .client
        .find(Locator::Css("#column_3"))
        .await
        .unwrap()
        .select_by_value("")
        .await
        .unwrap();
    browser
        .click_through(".import-columns button[type=submit]")
        .await;
    assert_eq!(browser.path().await, format!("{columns}/check"));
    browser.wait_for_text("#run", "Будет добавлено").await;
    assert_eq!(browser.text("#rows").await, "4");
    assert_eq!(browser.text("#created").await, "3");
    assert_eq!(browser.text("#rejected").await, "1");
    let refused = browser.text("table.rejected").await;
    assert!(
        refused.contains('4') && refused.contains("Телефон: Это не похоже на номер телефона."),
        "{refused}"
    );
    assert!(!browser.scrolls_sideways().await, "the dry run at 390 px");
    assert!(customers_named(&server, "Импорт").await.is_empty());

    // The session ends: sign-in leads back to the dry run.
    let session = browser
        .client
        .get_named_cookie("clientele_session")
        .await
        .unwrap();
    server.app.sign_out(session.value()).await.unwrap();
    browser.go(&server.url(&format!("{columns}/check"))).await;
    assert!(browser.path().await.starts_with("/login?next="));
    browser.sign_in("owner").await;
    assert_eq!(browser.path().await, format!("{columns}/check"));

    // The import itself, and its result.
    browser.click_through("#import-now").await;
    assert_eq!(browser.path().await, format!("{columns}/result"));
    browser.wait_for_text("#run", "Загрузка завершена").await;
    assert_eq!(browser.text("#created").await, "3");
    assert_eq!(browser.text("#rejected").await, "1");
    let imported = customers_named(&server, "Импорт").await;
    assert_eq!(imported.len(), 3, "{imported:?}");
    assert!(
        imported.iter().all(|c| c["notes"].is_null()),
        "the column left out is not loaded: {imported:?}"
    );

    // The rejected row downloads with its number and reasons.
    let link = browser
        .client
        .find(Locator::Css("a.download"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let session = browser
        .client
        .get_named_cookie("clientele_session")
        .await
        .unwrap();
    let download = reqwest::Client::new()
        .get(server.url(&link))
        .header("cookie", format!("clientele_session={}", session.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let bytes = download.bytes().await.unwrap();
    let rejected = read_table(&bytes, FileKind::Xlsx).unwrap();
    assert_eq!(
        rejected.headers,
        [
            "ФИО",
            "Телефон",
            "E-mail",
            "Примечание",
            "Строка",
            "Причины"
        ]
    );
    assert_eq!(rejected.rows.len(), 1);
    let row = &rejected.rows[0].cells;
    assert_eq!(row[0], Cell::Text("Импортова Вера".into()));
    assert_eq!(row[1], Cell::Text("123".into()));
    assert_eq!(row[4], Cell::Number(4.0));
    // In the reader's language: the column's name and why.
    assert_eq!(
        row[5],
        Cell::Text("Телефон: Это не похоже на номер телефона.".into()),
        "{row:?}"
    );

    // The customers are in the list.
    browser.go(&server.url("/customers?q=Импорт")).await;
    let listed = browser.text("table.list tbody").await;
    for name in ["Импортова Анна", "Импортов Борис", "Импортов Глеб"]
    {
        assert!(listed.contains(name), "{listed}");
    }
    assert!(!listed.contains("Вера"), "{listed}");

    // A file that is no spreadsheet: said in words beside the field.
    let pdf = TempFile::new("отчёт.pdf");
    std::fs::write(&pdf.0, b"%PDF-1.4").unwrap();
    browser.go(&server.url("/import")).await;
    browser.attach("#file", pdf.path()).await;
    browser
        .click_through(".import-upload button[type=submit]")
        .await;
    assert_eq!(browser.path().await, "/import");
    assert!(
        browser
            .text("#file-error")
            .await
            .contains("Загружаются только файлы .xlsx, .xls, .csv и .txt")
    );
    browser.close().await;
    server.stop().await;
}
