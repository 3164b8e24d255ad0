//! The `clientele` binary as a shop uses it: migrate, demo, import, export.

use crate::common;

use clientele_domain::posting::LedgerKind;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::{Engine, drop_database, engines, fresh_database};

fn clientele(database_url: &str, args: &[&str]) -> Output {
    common::clientele_output(database_url, args, &[])
}

fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientele-cli-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

async fn customer_count(url: &str) -> usize {
    let db = clientele_cli::open_database(url).await.unwrap();
    let query = clientele_store::CustomerQuery {
        filter: Default::default(),
        order: Default::default(),
        limit: 10_000,
        after: None,
    };
    db.list_customers(&query).await.unwrap().items.len()
}

#[tokio::test]
async fn demo_data_is_generated() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        let out = ok(clientele(&url, &["demo", "--customers", "1200"]));
        assert!(out.contains("added 1200 demo customers"), "{out}");
        ok(clientele(&url, &["demo", "--customers", "300"]));
        assert_eq!(customer_count(&url).await, 1500, "a second run adds more");
        let db = clientele_cli::open_database(&url).await.unwrap();
        assert!(db.directory().stores().await.unwrap().len() >= 10);
        assert!(db.directory().customer_groups().await.unwrap().len() >= 4);

        let out = ok(clientele(
            &url,
            &["demo", "--customers", "0", "--receipts", "700"],
        ));
        let anonymous: i64 = out
            .split_once("lines (")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{out}"));
        assert!(out.contains("added 700 demo receipts"), "{out}");
        let now = jiff::Timestamp::now();
        let (mut purchases, mut spent) = (0, 0);
        for id in db
            .jobs()
            .customer_ids(clientele_domain::CustomerId(0), 10_000)
            .await
            .unwrap()
        {
            let loyalty = db.customer_loyalty(id, now).await.unwrap();
            purchases += loyalty.purchases;
            spent += loyalty.spent_minor;
        }
        assert_eq!(
            purchases,
            700 - anonymous,
            "each identified receipt counts once"
        );
        assert!(spent > 0 && anonymous > 0 && anonymous < 350, "{out}");
        drop(db);
        drop_database(&url).await;
    }
}

/// `serve --demo` on an empty database, as the README runs it (smaller):
/// what it printed up to «serving on», and the server still running.
fn serve_demo(url: &str, customers: &str, receipts: &str) -> (std::process::Child, Vec<String>) {
    use std::io::BufRead as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .args(["--demo-customers", customers, "--demo-receipts", receipts])
        .env("CLIENTELE_DATABASE_URL", url)
        .env("CLIENTELE_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut lines = Vec::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = out.next() {
        let line = line.unwrap();
        let serving = line.starts_with("Clientele is serving on ");
        lines.push(line);
        if serving {
            // The server says more; a closed pipe would stop it.
            std::thread::spawn(move || out.for_each(drop));
            return (child, lines);
        }
    }
    let status = child.wait().unwrap();
    panic!("serve --demo ended ({status}) before serving: {lines:#?}");
}

#[tokio::test]
async fn serve_demo_fills_a_living_shop_and_its_owner_signs_in() {
    use clientele_domain::CustomerId;
    use clientele_store::CardQuery;

    for engine in engines() {
        let url = fresh_database(engine).await;
        let (mut server, out) = serve_demo(&url, "400", "1200");
        let said = out.join("\n");
        assert!(said.contains("400 customers"), "{said}");
        assert!(said.contains("1200 receipts"), "{said}");
        let password = out
            .iter()
            .find_map(|l| l.strip_prefix("sign in as «owner» with the password "))
            .unwrap_or_else(|| panic!("{said}"));
        let base = out
            .last()
            .and_then(|l| l.strip_prefix("Clientele is serving on "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap()
            .to_owned();

        // The console lets the owner in with the password it printed.
        let signed = common::console::browser()
            .post(format!("{base}/login"))
            .header("origin", &base)
            .form(&[("login", "owner"), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status().as_u16(), 303, "{said}");
        let cookie = common::console::session_cookie(&signed).expect("a session cookie");
        let home = common::console::browser()
            .get(format!("{base}/"))
            .header("cookie", cookie.split(';').next().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(home.status().as_u16(), 200);
        let home = home.text().await.unwrap();
        assert!(home.contains("Владелец"), "{home}");
        server.kill().unwrap();
        server.wait().unwrap();

        let db = clientele_cli::open_database(&url).await.unwrap();
        let ids = db.jobs().customer_ids(CustomerId(0), 10_000).await.unwrap();
        assert_eq!(ids.len(), 400);
        let now = jiff::Timestamp::now();
        let (mut buyers, mut with_points, mut given_by_hand, mut certificates) = (0, 0, 0, 0);
        for &id in &ids {
            let loyalty = db.customer_loyalty(id, now).await.unwrap();
            buyers += usize::from(loyalty.purchases > 0);
            with_points += usize::from(loyalty.account.balance() > 0);
            let ledger = db.history().ledger(id, None, 500).await.unwrap();
            given_by_hand += usize::from(ledger.iter().any(|e| e.kind == LedgerKind::Manual));
            certificates += db.card_reads().certificates_of(id, 10).await.unwrap().len();
        }
        assert!(buyers > 200, "{buyers} of 400 customers bought something");
        assert!(with_points > 150, "{with_points} customers have points");
        assert!(given_by_hand > 0 && given_by_hand < 80, "{given_by_hand}");
        assert!(certificates > 0 && certificates < 80, "{certificates}");
        let cards = db
            .card_reads()
            .cards(&CardQuery {
                limit: 1_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let bound = cards.iter().filter(|c| c.customer_id.is_some()).count();
        assert!(
            (200..=330).contains(&bound),
            "{bound} of 400 customers have a card"
        );
        assert!(
            cards.iter().any(|c| c.customer_id.is_none()),
            "blank cards to give out"
        );
        drop(db);

        // Served again, the shop is left as it is: no second demo, no owner.
        let (mut again, out) = serve_demo(&url, "400", "1200");
        assert!(!out.join("\n").contains("password"), "{out:?}");
        again.kill().unwrap();
        again.wait().unwrap();
        drop_database(&url).await;
    }
}

/// The demo is the same shop every time: the same customers hold cards and
/// certificates, and buy the same baskets.
#[tokio::test]
async fn the_demo_shop_is_deterministic() {
    let mut shops = Vec::new();
    for _ in 0..2 {
        let url = fresh_database(Engine::Sqlite).await;
        let (mut server, _) = serve_demo(&url, "200", "300");
        server.kill().unwrap();
        server.wait().unwrap();
        let db = clientele_cli::open_database(&url).await.unwrap();
        let now = jiff::Timestamp::now();
        let mut shop = Vec::new();
        for id in db
            .jobs()
            .customer_ids(clientele_domain::CustomerId(0), 1_000)
            .await
            .unwrap()
        {
            let loyalty = db.customer_loyalty(id, now).await.unwrap();
            let cards = db
                .card_reads()
                .cards(&clientele_store::CardQuery {
                    customer_id: Some(id),
                    limit: 10,
                    ..Default::default()
                })
                .await
                .unwrap();
            let certificates = db.card_reads().certificates_of(id, 10).await.unwrap();
            // Accruals and points by hand; the server's scheduled work
            // (expiry, birthdays) may or may not have run before it stopped.
            let earned: Vec<i64> = db
                .history()
                .ledger(id, None, 500)
                .await
                .unwrap()
                .iter()
                .filter(|e| matches!(e.kind, LedgerKind::Accrual | LedgerKind::Manual))
                .map(|e| e.points)
                .collect();
            shop.push((
                id,
                loyalty.purchases,
                loyalty.spent_minor,
                earned,
                cards
                    .iter()
                    .map(|c| c.barcode.as_str().to_owned())
                    .collect::<Vec<_>>(),
                certificates
                    .iter()
                    .map(|c| c.face_value_minor)
                    .collect::<Vec<_>>(),
            ));
        }
        shops.push(shop);
        drop(db);
        drop_database(&url).await;
    }
    assert_eq!(shops[0], shops[1]);
}

#[tokio::test]
async fn a_russian_excel_csv_imports_with_a_report() {
    let csv = "ФИО;Телефон;E-mail;Дата рождения;Пол;Согласие на SMS\r\n\
               Иванов Иван Иванович;8 (912) 345-67-89;ivan@mail.ru;05.03.1980;м;да\r\n\
               Петрова Мария;7.91E+10;;31.02.1990;ж;нет\r\n\
               Сидорова Ольга;+7 903 111 22 33;olga@mail.ru;1991-07-01;жен;1\r\n\
               Дубль Ивана;89123456789;;;;\r\n\
               ;+7 903 000 00 01;;;;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(csv);
    let path = temp_file("customers-cp1251.csv");
    std::fs::write(&path, &bytes).unwrap();
    let file = path.to_str().unwrap();
    for engine in engines() {
        let url = fresh_database(engine).await;
        ok(clientele(&url, &["migrate"]));
        let dry = ok(clientele(&url, &["import", "customers", file, "--dry-run"]));
        assert!(dry.contains("2 would be created"), "{dry}");
        assert_eq!(customer_count(&url).await, 0, "a dry run writes nothing");
        let strict = clientele(&url, &["import", "customers", file, "--strict"]);
        assert!(!strict.status.success(), "--strict fails on bad rows");
        assert_eq!(customer_count(&url).await, 0, "--strict lands nothing");

        let report = ok(clientele(&url, &["import", "customers", file]));
        assert!(
            report.contains("row 3: phone:"),
            "the rounded phone is reported: {report}"
        );
        assert!(
            report.contains("row 5: phone: the same as row 2"),
            "{report}"
        );
        assert!(report.contains("row 6: name:"), "{report}");
        assert!(report.contains("2 were created"), "{report}");
        assert_eq!(customer_count(&url).await, 2);
        let again = ok(clientele(&url, &["import", "customers", file]));
        assert!(
            again.contains("0 were created, 0 were updated, 2 unchanged"),
            "re-running changes nothing: {again}"
        );
        drop_database(&url).await;
    }
}

/// The owner's points at the card's customer, by the card's barcode.
async fn balance_of_card(url: &str, barcode: &str) -> Option<i64> {
    let db = clientele_cli::open_database(url).await.unwrap();
    let card = db.card_reads().card_by_barcode(barcode).await.unwrap()?;
    let now = jiff::Timestamp::now();
    let loyalty = db.customer_loyalty(card.customer_id?, now).await.unwrap();
    Some(loyalty.account.available(now))
}

#[tokio::test]
async fn cards_and_opening_balances_import_once_with_a_report() {
    let csv = "ФИО;Телефон;Номер карты;Бонусный баланс;Дата сгорания баллов\n\
               Иванов Иван;+7 912 345-67-89;4600000000008;150,50;31.12.2099\n\
               Петрова Мария;+7 903 111 22 33;CARD-0002;20;\n\
               Сидорова Ольга;+7 903 111 22 34;4600000000009;10;\n\
               ;+7 999 000 00 00;CARD-0004;5;\n\
               ;;CARD-0005;;\n\
               ;;CARD-0002;;\n";
    let path = temp_file("cards.csv");
    std::fs::write(&path, csv).unwrap();
    let file = path.to_str().unwrap();
    for engine in engines() {
        let url = fresh_database(engine).await;
        // The demo brings the bonus program and its card group.
        ok(clientele(&url, &["demo", "--customers", "10"]));
        ok(clientele(&url, &["import", "customers", file]));

        let dry = ok(clientele(&url, &["import", "cards", file, "--dry-run"]));
        assert!(
            dry.contains("3 cards would be created with 170.5 points of opening balances"),
            "{dry}"
        );
        assert!(dry.contains("column «Номер карты» → barcode"), "{dry}");
        assert_eq!(balance_of_card(&url, "4600000000008").await, None);
        let strict = clientele(&url, &["import", "cards", file, "--strict"]);
        assert!(!strict.status.success(), "--strict fails on bad rows");
        assert_eq!(balance_of_card(&url, "4600000000008").await, None);

        let report = ok(clientele(&url, &["import", "cards", file]));
        assert!(report.contains("row 4: barcode:"), "{report}");
        assert!(
            report.contains("row 5: phone: there is no customer"),
            "{report}"
        );
        assert!(
            report.contains("row 7: barcode: the same as row 3"),
            "{report}"
        );
        assert!(
            report.contains("3 cards were created with 170.5 points of opening balances, 0 unchanged, 3 rejected"),
            "{report}"
        );
        assert_eq!(balance_of_card(&url, "4600000000008").await, Some(15_050));
        assert_eq!(balance_of_card(&url, "CARD-0002").await, Some(2_000));
        let db = clientele_cli::open_database(&url).await.unwrap();
        let blank = db
            .card_reads()
            .card_by_barcode("CARD-0005")
            .await
            .unwrap()
            .unwrap();
        assert!(blank.customer_id.is_none() && !blank.active, "{blank:?}");
        let owner = db
            .card_reads()
            .card_by_barcode("4600000000008")
            .await
            .unwrap()
            .unwrap()
            .customer_id
            .unwrap();
        let ledger = db.history().ledger(owner, None, 10).await.unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(
            ledger[0].kind,
            clientele_domain::posting::LedgerKind::OpeningBalance
        );
        assert_eq!(
            ledger[0].expires_at,
            Some("2099-12-31T21:00:00Z".parse().unwrap()),
            "the points last to the end of the day in the shop's zone"
        );
        drop(db);

        let again = ok(clientele(&url, &["import", "cards", file]));
        assert!(
            again.contains("0 cards were created with 0 points of opening balances, 3 unchanged"),
            "re-running credits nothing twice: {again}"
        );
        assert_eq!(balance_of_card(&url, "4600000000008").await, Some(15_050));
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn exports_import_back_unchanged() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        ok(clientele(&url, &["demo", "--customers", "400"]));
        let csv = temp_file(&format!("export-{engine:?}.csv"));
        let xlsx = temp_file(&format!("export-{engine:?}.xlsx"));
        let out = ok(clientele(
            &url,
            &[
                "export",
                "customers",
                "--format",
                "csv",
                "--output",
                csv.to_str().unwrap(),
            ],
        ));
        assert!(out.contains("exported 400 customers"), "{out}");
        let female = ok(clientele(
            &url,
            &[
                "export",
                "customers",
                "--format",
                "xlsx",
                "--output",
                xlsx.to_str().unwrap(),
                "--filter",
                "gender=female",
            ],
        ));
        let exported: usize = female.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(exported > 100 && exported < 400, "{female}");
        let back = ok(clientele(
            &url,
            &["import", "customers", csv.to_str().unwrap()],
        ));
        assert!(
            back.contains("400 rows read") && back.contains("400 unchanged"),
            "{back}"
        );
        let back = ok(clientele(
            &url,
            &["import", "customers", xlsx.to_str().unwrap(), "--dry-run"],
        ));
        assert!(back.contains(&format!("{exported} unchanged")), "{back}");
        let bad = clientele(
            &url,
            &[
                "export",
                "customers",
                "--format",
                "csv",
                "--output",
                csv.to_str().unwrap(),
                "--filter",
                "age_min=old",
            ],
        );
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("age_min"));
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn a_newer_database_is_refused() {
    let url = fresh_database(Engine::Sqlite).await;
    ok(clientele(&url, &["migrate"]));
    let path = url.strip_prefix("sqlite://").unwrap();
    let db = clientele_cli::open_database(&url).await.unwrap();
    drop(db);
    let conn = sqlx_sqlite_exec(path, "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'from the future', 1, x'00', 0)").await;
    assert!(conn);
    for args in [&["migrate"][..], &["migrate", "--dry-run"]] {
        let out = clientele(&url, args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("newer than this binary"),
            "{args:?}: {stderr}"
        );
    }
    drop_database(&url).await;
}

#[tokio::test]
async fn a_dry_run_lists_the_migrations_a_release_s_database_needs_and_runs_none() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/v0.1.0/clientele.sqlite"
    );
    let copy = temp_file("dry-run.db");
    std::fs::copy(fixture, &copy).unwrap();
    let url = format!("sqlite://{}", copy.display());
    let said = ok(clientele(&url, &["migrate", "--dry-run"]));
    let newest = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../store-sqlite/migrations"
    ))
    .unwrap()
    .count();
    assert!(
        said.starts_with(&format!(
            "database is at schema version 19; `clientele migrate` would apply {} migration(s), up to {newest}:",
            newest - 19
        )),
        "{said}"
    );
    assert!(said.contains("\n    20  posting figures\n"), "{said}");
    assert_eq!(said.lines().count(), 1 + newest - 19, "{said}");
    // Nothing ran: the same list again, then a real migration, then nothing.
    assert_eq!(ok(clientele(&url, &["migrate", "--dry-run"])), said);
    ok(clientele(&url, &["migrate"]));
    assert_eq!(
        ok(clientele(&url, &["migrate", "--dry-run"])).trim(),
        format!("database is at schema version {newest}: nothing to migrate")
    );
    drop_database(&url).await;
}

async fn sqlx_sqlite_exec(path: &str, sql: &'static str) -> bool {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut conn).await.is_ok()
}

fn clientele_with_input(database_url: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .env("CLIENTELE_DATABASE_URL", database_url)
        .env("CLIENTELE_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn staff_users_tokens_and_tills_from_the_command_line() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        ok(clientele(&url, &["demo", "--customers", "0"]));
        let added = ok(clientele_with_input(
            &url,
            &["user", "add", "anna", "--role", "owner"],
            "correct horse battery\n",
        ));
        assert!(added.contains("added staff user «anna»"), "{added}");
        let refused = clientele_with_input(
            &url,
            &["user", "add", "boris", "--role", "boss"],
            "correct horse battery\n",
        );
        assert!(!refused.status.success());
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains("there is no role «boss»"), "{message}");

        let token = ok(clientele(&url, &["token", "create", "--user", "anna"]));
        let token = token.trim();
        assert!(token.starts_with("clt_"), "{token}");
        let unknown = clientele(&url, &["token", "create", "--user", "nobody"]);
        assert!(!unknown.status.success());

        let db = clientele_cli::open_database(&url).await.unwrap();
        let store = db
            .directory()
            .stores()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.kind == clientele_domain::StoreKind::Store)
            .expect("the demo has stores");
        let key = ok(clientele(&url, &["till", "add", "--store", &store.code]));
        let key = key.trim();
        assert!(key.starts_with("till_"), "{key}");

        let hash = |secret: &str| clientele_app::staff::secret_hash(secret);
        match db.staff().principal_by_secret(&hash(token)).await.unwrap() {
            Some(clientele_store::Principal::User { user, role }) => {
                assert_eq!(user.login.as_str(), "anna");
                assert_eq!(role.name, "owner");
            }
            other => panic!("the token is Anna's, not {other:?}"),
        }
        match db.staff().principal_by_secret(&hash(key)).await.unwrap() {
            Some(clientele_store::Principal::Till(till)) => assert_eq!(till.store_id, store.id),
            other => panic!("the key is the till's, not {other:?}"),
        }
        drop(db);
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn an_import_reads_a_column_as_the_field_it_is_told() {
    let url = fresh_database(Engine::Sqlite).await;
    ok(clientele(&url, &["migrate"]));
    let csv = temp_file("mapped.csv");
    std::fs::write(
        &csv,
        "ФИО;Связь;Примечание\nКартова Анна;+7 912 555-00-01;VIP\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap();

    // As recognised, «Связь» is not read: no phone.
    let dry = ok(clientele(&url, &["import", "customers", file, "--dry-run"]));
    assert!(dry.contains("«Связь» → (ignored"), "{dry}");

    let report = ok(clientele(
        &url,
        &[
            "import",
            "customers",
            file,
            "--map",
            "Связь=phone",
            "--map",
            "Примечание=",
        ],
    ));
    assert!(report.contains("«Связь» → phone"), "{report}");
    assert!(report.contains("«Примечание» → (ignored"), "{report}");
    let db = clientele_cli::open_database(&url).await.unwrap();
    let phone = clientele_domain::Phone::parse("+79125550001").unwrap();
    let anna = db
        .customer_by_phone(&phone)
        .await
        .unwrap()
        .expect("imported with the phone");
    assert_eq!(anna.profile.notes, None, "the notes column was left unread");

    for (map, says) in [
        ("Телефон=phone", "the file has no column «Телефон»"),
        ("Связь=mobile", "«mobile» is not a field"),
        ("Связь", "is not HEADER=FIELD"),
    ] {
        let refused = clientele(&url, &["import", "customers", file, "--map", map]);
        assert!(!refused.status.success(), "{map}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(says), "{map}: {stderr}");
    }
    drop_database(&url).await;
}
