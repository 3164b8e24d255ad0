//! A database that release v0.1.0 wrote migrates forward, on each engine,
//! with every balance, receipt and card intact.
//!
//! The fixture (tests/fixtures/v0.1.0, made by its make.sh from a checkout
//! of tag v0.1.0) is a small shop: the SQLite file, a `pg_dump` of the same
//! shop on PostgreSQL, and expected.json, what the v0.1.0 API answered about
//! each of them. This test puts a fixture in place, starts the current code
//! on it (which migrates it) with its clock standing where the fixture was
//! read, and asks the API the same questions: the answers must hold
//! everything the old ones held. It then checks that the old data still
//! works: replays get their first answers, phones, e-mails and barcodes are
//! still taken, and new writes on upgraded customers (a commit with a hold
//! placed before the upgrade, points by hand, a return of an old receipt)
//! move their balances by exactly what they say.
//!
//! Only the API is read, never a table: the schema may change under it as it
//! likes. Row keys that mean nothing outside a table (a ledger entry's and an
//! audit entry's `id`) are not compared, and a `receipt_key` is compared as
//! the receipt it names (its till and the till's `receipt_id`).

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use clientele_app::Clock;
use common::{Engine, TestServer, client_with, decode, engines, fresh_database};
use serde_json::{Value, json};
use sqlx::Connection;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v0.1.0");
/// The password of the staff user [`staff_token`] makes.
const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn a_v0_1_0_database_migrates_forward_with_every_balance_receipt_and_card() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(format!("{FIXTURE}/expected.json")).unwrap())
            .unwrap();
    for engine in engines() {
        let capture = &expected[match engine {
            Engine::Sqlite => "sqlite",
            Engine::Postgres | Engine::Partitioned => "postgres",
        }];
        assert_eq!(capture["release"], "v0.1.0");
        let url = restore(engine).await;
        let mut server = Upgraded::start(&url, capture).await;

        let mut diff = Diff::default();
        let actual = read_everything(&mut server, capture, &mut diff).await;
        compare_summary(capture, &actual, &mut diff);
        diff.assert(engine, "the upgraded data as the API reads it");

        let mut diff = Diff::default();
        replays_get_their_first_answers(&server, capture, &mut diff).await;
        diff.assert(engine, "replays after the upgrade");

        taken_values_are_still_taken(&server, capture).await;
        new_writes_move_balances_exactly(&server, capture).await;
        eprintln!(
            "{engine:?}: the v0.1.0 fixture migrated forward intact: {}",
            capture["summary"]
        );
        server.stop().await;
    }
}

/// A fresh database of the engine holding the v0.1.0 fixture; its URL.
async fn restore(engine: Engine) -> String {
    let url = fresh_database(engine).await;
    match engine {
        Engine::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap();
            std::fs::copy(format!("{FIXTURE}/clientele.sqlite"), path).unwrap();
        }
        Engine::Postgres | Engine::Partitioned => {
            let dump = std::fs::read_to_string(format!("{FIXTURE}/clientele.pg.sql")).unwrap();
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("the fresh PostgreSQL database is reachable");
            sqlx::raw_sql(sqlx::AssertSqlSafe(dump))
                .execute(&mut conn)
                .await
                .expect("the v0.1.0 dump loads");
            conn.close().await.unwrap();
        }
    }
    url
}

/// The current code serving an upgraded fixture, its clock where the
/// fixture was read.
struct Upgraded {
    /// Its client holds an owner's token made after the upgrade.
    server: TestServer,
    /// Each till's key, rotated after the upgrade.
    tills: HashMap<i64, reqwest::Client>,
    /// The fixture's own till (its receipts, returns and hold).
    till: reqwest::Client,
}

impl Upgraded {
    async fn start(database_url: &str, capture: &Value) -> Upgraded {
        let zone = jiff::tz::TimeZone::get(capture["timezone"].as_str().unwrap()).unwrap();
        let as_of = capture["as_of"].as_str().unwrap().parse().unwrap();
        let clock = Clock::fixed(zone, as_of);
        let server = TestServer::start_on(database_url.to_owned(), clock, "upgrade-check").await;
        server
            .db
            .check_schema()
            .await
            .expect("the v0.1.0 database migrated");
        Upgraded {
            server,
            tills: HashMap::new(),
            till: reqwest::Client::new(),
        }
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value, bool) {
        let mut request = client.request(method, self.server.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let replayed = response
            .headers()
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true");
        let (status, body) = decode(response).await;
        (status, body, replayed)
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body, _) = self
            .call(&self.server.client, reqwest::Method::GET, path, None)
            .await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let (status, body, _) = self
            .call(&self.server.client, reqwest::Method::POST, path, Some(body))
            .await;
        (status, body)
    }

    /// Every item of a cursor-paged list, and its last page.
    async fn pages(&self, path: &str) -> (Vec<Value>, Value) {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let mut query = format!("{path}{sep}limit=500");
            if let Some(cursor) = &cursor {
                query.push_str(&format!("&cursor={}", encode(cursor)));
            }
            let page = self.get(&query).await;
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return (items, page),
            }
        }
    }

    async fn ledger(&self, customer: &Value) -> Value {
        self.get(&format!("/api/v1/customers/{customer}/ledger?limit=1"))
            .await
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

/// Percent-encodes a path segment or a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where the upgraded data differs from the fixture's: every difference,
/// reported at once.
#[derive(Default)]
struct Diff(Vec<String>);

impl Diff {
    /// `actual` holds everything `expected` held (it may hold more fields).
    fn same(&mut self, at: &str, expected: &Value, actual: &Value) {
        match (expected, actual) {
            (Value::Object(e), Value::Object(a)) => {
                for (key, value) in e {
                    match a.get(key) {
                        Some(found) => self.same(&format!("{at}.{key}"), value, found),
                        None => self.0.push(format!("{at}.{key}: gone (was {value})")),
                    }
                }
            }
            (Value::Array(e), Value::Array(a)) => {
                if e.len() != a.len() {
                    self.0
                        .push(format!("{at}: {} items, were {}", a.len(), e.len()));
                }
                for (i, (e, a)) in e.iter().zip(a).enumerate() {
                    self.same(&format!("{at}[{i}]"), e, a);
                }
            }
            (Value::String(e), Value::String(a)) if e != a && !same_instant(e, a) => {
                self.0.push(format!("{at}: «{a}», was «{e}»"))
            }
            (Value::String(_), Value::String(_)) => {}
            (e, a) if e != a => self.0.push(format!("{at}: {a}, was {e}")),
            _ => {}
        }
    }

    /// The same things in any order: each expected item is held by an
    /// item of `actual` (matched once); with `more`, `actual` may have more.
    fn same_items(&mut self, at: &str, expected: &Value, actual: &Value, more: bool) {
        let mut left: Vec<&Value> = actual.as_array().unwrap().iter().collect();
        for item in expected.as_array().unwrap() {
            match left.iter().position(|found| holds(item, found)) {
                Some(i) => {
                    left.swap_remove(i);
                }
                None => self.0.push(format!("{at}: gone: {item}")),
            }
        }
        if !more {
            for item in left {
                self.0.push(format!("{at}: new: {item}"));
            }
        }
    }

    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn assert(self, engine: Engine, what: &str) {
        if !self.0.is_empty() {
            let shown: Vec<&str> = self.0.iter().take(60).map(String::as_str).collect();
            panic!(
                "{engine:?}: {what}: {} differences from the v0.1.0 fixture:\n  {}",
                self.0.len(),
                shown.join("\n  ")
            );
        }
    }
}

/// Whether `actual` holds everything `expected` held.
fn holds(expected: &Value, actual: &Value) -> bool {
    let mut diff = Diff::default();
    diff.same("", expected, actual);
    diff.0.is_empty()
}

/// Two times written differently (a precision, an offset) that are one instant.
fn same_instant(a: &str, b: &str) -> bool {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn instant(value: &Value) -> Option<jiff::Timestamp> {
    value.as_str().and_then(|s| s.parse().ok())
}

/// Items by their `key` field.
fn by(items: &[Value], key: &str) -> BTreeMap<String, Value> {
    items
        .iter()
        .map(|item| (item[key].to_string(), item.clone()))
        .collect()
}

/// Two lists of the same things by `key`: none gone, none new, each the same.
fn same_sets(diff: &mut Diff, at: &str, key: &str, expected: &[Value], actual: &[Value]) {
    let (expected, actual) = (by(expected, key), by(actual, key));
    for (id, item) in &expected {
        match actual.get(id) {
            Some(found) => diff.same(&format!("{at}[{key}={id}]"), item, found),
            None => diff.0.push(format!("{at}[{key}={id}]: gone")),
        }
    }
    for id in actual.keys().filter(|id| !expected.contains_key(*id)) {
        diff.0.push(format!("{at}[{key}={id}]: new"));
    }
}

/// The receipts customers' histories name, by `receipt_key`: «till/receipt_id».
fn receipt_names(customers: &BTreeMap<String, Value>) -> HashMap<i64, String> {
    let mut names = HashMap::new();
    for customer in customers.values() {
        for purchase in customer["history"]["purchases"].as_array().unwrap() {
            names.insert(
                purchase["receipt_key"].as_i64().unwrap(),
                format!(
                    "{}/{}",
                    purchase["till_id"],
                    purchase["receipt_id"].as_str().unwrap()
                ),
            );
        }
    }
    names
}

/// `receipt_key` replaced by the receipt it names (or the mere fact that it
/// names one, when no history lists that receipt).
fn name_receipt(item: &Value, names: &HashMap<i64, String>) -> Value {
    let mut item = item.clone();
    if let Some(key) = item.get("receipt_key").and_then(Value::as_i64) {
        item["receipt_key"] = json!(names.get(&key).cloned().unwrap_or("a receipt".into()));
    }
    item
}

/// Items with their receipts named and row keys put aside, in the order of
/// their text (for reading a difference).
fn canonical(items: &Value, names: &HashMap<i64, String>, drop: &[&str]) -> Value {
    let mut items: Vec<Value> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut item = name_receipt(item, names);
            for key in drop {
                item.as_object_mut().unwrap().remove(*key);
            }
            // Times as instants, so that the order does not hang on their text.
            for key in ["created_at", "at"] {
                if let Some(t) = instant(&item[key]) {
                    item[key] = json!(t.as_microsecond());
                }
            }
            item
        })
        .collect();
    items.sort_by_key(|item| item.to_string());
    Value::Array(items)
}

/// The lists of a customer's history, their receipts named, and the rest.
fn history(history: &Value, names: &HashMap<i64, String>) -> Value {
    let mut history = history.clone();
    let object = history.as_object_mut().unwrap();
    object.remove("points_entries");
    object.insert(
        "purchases".into(),
        canonical(&object["purchases"], names, &["receipt_key"]),
    );
    object.insert("returns".into(), canonical(&object["returns"], names, &[]));
    object.insert(
        "certificates".into(),
        canonical(&object["certificates"], names, &[]),
    );
    history
}

/// What was read after the upgrade, for the summary.
#[derive(Default)]
struct Read {
    customers: BTreeMap<String, Value>,
    listed: usize,
    archived: usize,
    cards: Vec<Value>,
    certificates: BTreeMap<String, Value>,
    receipts: Vec<Value>,
    points_owed: Value,
}

async fn read_everything(server: &mut Upgraded, capture: &Value, diff: &mut Diff) -> Read {
    let mut read = Read::default();
    let directory = &capture["directory"];
    // The directory: nothing gone; roles and staff may have more (a new
    // built-in role; this test's own user).
    for (name, path, exact) in [
        ("stores", "stores", true),
        ("customer_groups", "customer-groups", true),
        ("properties", "properties", true),
        ("programs", "programs", true),
        ("card_groups", "card-groups", true),
        ("certificate_templates", "certificates/templates", true),
        ("tills", "tills", true),
        ("staff", "staff", false),
        ("roles", "roles", false),
    ] {
        let actual = server.get(&format!("/api/v1/{path}")).await["items"]
            .as_array()
            .unwrap()
            .clone();
        let expected = directory[name].as_array().unwrap();
        if exact {
            same_sets(diff, name, "id", expected, &actual);
        } else {
            let actual = by(&actual, "id");
            for (id, item) in by(expected, "id") {
                match actual.get(&id) {
                    Some(found) => diff.same(&format!("{name}[id={id}]"), &item, found),
                    None => diff.0.push(format!("{name}[id={id}]: gone")),
                }
            }
        }
    }

    // The customer list with each customer's figures, and the archived.
    for (key, path) in [
        ("listed", "/api/v1/customers?sort=id"),
        (
            "listed_archived",
            "/api/v1/customers?sort=id&status=archived",
        ),
    ] {
        let (items, _) = server.pages(path).await;
        if key == "listed" {
            read.listed = items.len();
        } else {
            read.archived = items.len();
        }
        same_sets(diff, key, "id", capture[key].as_array().unwrap(), &items);
    }

    // Each customer: the record, the history, the whole ledger, notes and
    // certificates.
    let expected_customers: BTreeMap<String, Value> = capture["customers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for id in expected_customers.keys() {
        let (entries, last) = server
            .pages(&format!("/api/v1/customers/{id}/ledger"))
            .await;
        let customer = json!({
            "record": server.get(&format!("/api/v1/customers/{id}")).await,
            "history": server.get(&format!("/api/v1/customers/{id}/history")).await,
            "ledger": {
                "points_available": last["points_available"],
                "balance": last["balance"],
                "next_expiry": last["next_expiry"],
                "items": entries,
            },
            "notes": server.get(&format!("/api/v1/customers/{id}/notes")).await["items"],
            "certificates": server.get(&format!("/api/v1/certificates?customer_id={id}")).await["items"],
        });
        read.customers.insert(id.clone(), customer);
    }
    let (old_names, new_names) = (
        receipt_names(&expected_customers),
        receipt_names(&read.customers),
    );
    for (id, expected) in &expected_customers {
        let actual = &read.customers[id];
        let at = format!("customer {id}");
        diff.same(
            &format!("{at} record"),
            &expected["record"],
            &actual["record"],
        );
        let (mut old, mut new) = (
            history(&expected["history"], &old_names),
            history(&actual["history"], &new_names),
        );
        for key in ["purchases", "returns", "certificates"] {
            let (old, new) = (
                old.as_object_mut().unwrap().remove(key).unwrap(),
                new.as_object_mut().unwrap().remove(key).unwrap(),
            );
            diff.same_items(&format!("{at} history.{key}"), &old, &new, false);
        }
        diff.same(&format!("{at} history"), &old, &new);
        for key in ["points_available", "balance", "next_expiry"] {
            diff.same(
                &format!("{at} ledger.{key}"),
                &expected["ledger"][key],
                &actual["ledger"][key],
            );
        }
        diff.same_items(
            &format!("{at} ledger.items"),
            &canonical(&expected["ledger"]["items"], &old_names, &["id"]),
            &canonical(&actual["ledger"]["items"], &new_names, &["id"]),
            false,
        );
        diff.same(&format!("{at} notes"), &expected["notes"], &actual["notes"]);
        diff.same_items(
            &format!("{at} certificates"),
            &canonical(&expected["certificates"], &old_names, &[]),
            &canonical(&actual["certificates"], &new_names, &[]),
            false,
        );
    }

    // Every card: bound, blank, blocked, withdrawn.
    let (cards, _) = server.pages("/api/v1/cards").await;
    same_sets(
        diff,
        "cards",
        "id",
        capture["cards"].as_array().unwrap(),
        &cards,
    );
    read.cards = cards;

    // Every certificate by its code: balance and movements.
    for (code, expected) in capture["certificates"].as_object().unwrap() {
        let actual = server
            .get(&format!("/api/v1/certificates/{}", encode(code)))
            .await;
        diff.same(
            &format!("certificate {code}"),
            &expected["certificate"],
            &actual["certificate"],
        );
        diff.same_items(
            &format!("certificate {code} movements"),
            &canonical(&expected["movements"], &old_names, &[]),
            &canonical(&actual["movements"], &new_names, &[]),
            false,
        );
        read.certificates.insert(code.clone(), actual);
    }

    // Every receipt, anonymous ones too, read at its till with a new key.
    let mut keys = HashMap::new();
    for till in directory["tills"].as_array().unwrap() {
        let (status, rotated) = server
            .post(
                &format!("/api/v1/tills/{}/rotate", till["id"]),
                &json!(null),
            )
            .await;
        assert_eq!(status, 200, "{rotated}");
        keys.insert(
            till["id"].as_i64().unwrap(),
            client_with(rotated["key"].as_str().unwrap()),
        );
    }
    server.tills = keys;
    server.till = server.tills[&capture["people"]["till_id"].as_i64().unwrap()].clone();
    for receipt in capture["receipts"].as_array().unwrap() {
        let till = &server.tills[&receipt["till_id"].as_i64().unwrap()];
        let id = receipt["receipt_id"].as_str().unwrap();
        let (status, answer, _) = server
            .call(
                till,
                reqwest::Method::GET,
                &format!("/api/v1/pos/receipts/{}", encode(id)),
                None,
            )
            .await;
        diff.check(status == 200, || {
            format!(
                "receipt {id} at till {}: {status} {answer}",
                receipt["till_id"]
            )
        });
        if status == 200 {
            diff.same(&format!("receipt {id}"), &receipt["answer"], &answer);
            read.receipts.push(answer);
        }
    }

    // The till finds each customer by card and by phone as before.
    for identify in capture["identify"].as_array().unwrap() {
        let (status, answer, _) = server
            .call(
                &server.till,
                reqwest::Method::POST,
                "/api/v1/pos/identify",
                Some(&identify["request"]),
            )
            .await;
        let at = format!("identify {}", identify["request"]);
        diff.check(status == identify["status"], || {
            format!("{at}: {status}, was {}: {answer}", identify["status"])
        });
        if status == 200 && identify["status"] == 200 {
            diff.same(&at, &identify["answer"], &answer);
        }
    }

    // Search still finds customers by e-mail, phone digits and card.
    let listed: BTreeSet<i64> = capture["listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    for (n, (id, customer)) in expected_customers.iter().enumerate() {
        let id: i64 = id.parse().unwrap();
        if !listed.contains(&id) || n % 7 != 0 {
            continue;
        }
        let record = &customer["record"];
        let mut queries = Vec::new();
        if let Some(email) = record["email"].as_str() {
            queries.push(email.to_owned());
        }
        if let Some(phone) = record["phone"].as_str() {
            queries.push(phone[phone.len() - 7..].to_owned());
        }
        for card in customer["history"]["cards"].as_array().unwrap() {
            if card["withdrawn_at"].is_null() {
                queries.push(card["barcode"].as_str().unwrap().to_owned());
            }
        }
        for q in queries {
            let (found, _) = server
                .pages(&format!("/api/v1/customers?q={}", encode(&q)))
                .await;
            diff.check(found.iter().any(|c| c["id"] == id), || {
                format!("search «{q}» no longer finds customer {id}")
            });
        }
    }

    // The points owed.
    let (owed, last) = server.pages("/api/v1/reports/points-owed").await;
    let expected_owed = &capture["points_owed"];
    for key in ["total_points_owed", "customers_owing"] {
        diff.same(
            &format!("points_owed.{key}"),
            &expected_owed[key],
            &last[key],
        );
    }
    same_sets(
        diff,
        "points_owed",
        "customer_id",
        expected_owed["items"].as_array().unwrap(),
        &owed,
    );
    read.points_owed = last;

    // The audit log lost nothing (the test's own changes come on top).
    let (audit, _) = server.pages("/api/v1/audit").await;
    diff.same_items(
        "audit",
        &canonical(&capture["audit"], &HashMap::new(), &["id"]),
        &canonical(&json!(audit), &HashMap::new(), &["id"]),
        true,
    );
    read
}

/// The fixture's totals (make.py's summary), counted again from what was read.
fn compare_summary(capture: &Value, read: &Read, diff: &mut Diff) {
    let ledger = |key: &str| -> i64 {
        read.customers
            .values()
            .map(|c| c["ledger"][key].as_i64().unwrap())
            .sum()
    };
    let summary = json!({
        "customers": read.customers.len(),
        "customers_listed": read.listed,
        "customers_archived": read.archived,
        "receipts": read.receipts.len(),
        "receipts_anonymous": read.receipts.iter().filter(|r| r["customer_id"].is_null()).count(),
        "returns": read.customers.values().map(|c| c["history"]["returns"].as_array().unwrap().len()).sum::<usize>(),
        "cards": read.cards.len(),
        "cards_blank": read.cards.iter().filter(|c| c["customer_id"].is_null()).count(),
        "certificates": read.certificates.len(),
        "certificates_balance_minor": read.certificates.values()
            .map(|c| c["certificate"]["balance_minor"].as_i64().unwrap()).sum::<i64>(),
        "ledger_entries": read.customers.values()
            .map(|c| c["ledger"]["items"].as_array().unwrap().len()).sum::<usize>(),
        "ledger_balance": ledger("balance"),
        "points_available": ledger("points_available"),
        "points_owed": read.points_owed["total_points_owed"],
    });
    diff.same("summary", &summary_of(capture), &summary);
}

/// The summary's figures the test counts again (the audit's it does not:
/// the test writes to the log).
fn summary_of(capture: &Value) -> Value {
    let mut summary = capture["summary"].clone();
    summary.as_object_mut().unwrap().remove("audit_entries");
    summary
}

/// Commits, returns and an offline batch sent again after the upgrade get
/// the answers they got before it and change nothing; another body under an
/// old receipt id is still a conflict.
async fn replays_get_their_first_answers(server: &Upgraded, capture: &Value, diff: &mut Diff) {
    for replay in capture["replays"].as_array().unwrap() {
        let path = replay["path"].as_str().unwrap();
        let method =
            reqwest::Method::from_bytes(replay["method"].as_str().unwrap().as_bytes()).unwrap();
        let (status, answer, replayed) = server
            .call(&server.till, method, path, Some(&replay["body"]))
            .await;
        let at = format!("replay {path} {}", replay["body"]);
        diff.check(status == replay["status"], || {
            format!("{at}: {status}, was {}: {answer}", replay["status"])
        });
        diff.same(&at, &replay["answer"], &answer);
        if !path.ends_with(":batch") {
            diff.check(replayed, || format!("{at}: not marked Idempotent-Replayed"));
        }
    }
    let first = capture["replays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/api/v1/pos/receipts")
        .unwrap();
    let mut other = first["body"].clone();
    other["lines"] = json!([other["lines"][0]]);
    let (status, answer, _) = server
        .call(
            &server.till,
            reqwest::Method::POST,
            "/api/v1/pos/receipts",
            Some(&other),
        )
        .await;
    diff.check(status == 409, || {
        format!("another body under an old receipt id: {status} {answer}")
    });
    for (id, customer) in capture["customers"].as_object().unwrap() {
        let ledger = server.ledger(&json!(id.parse::<i64>().unwrap())).await;
        for key in ["points_available", "balance"] {
            diff.same(
                &format!("customer {id} ledger.{key} after the replays"),
                &customer["ledger"][key],
                &ledger[key],
            );
        }
    }
}

/// The phones, e-mails and barcodes of upgraded customers and cards are
/// still theirs: a new customer or card with one is refused, naming the
/// holder.
async fn taken_values_are_still_taken(server: &Upgraded, capture: &Value) {
    let people = &capture["people"];
    let customers = &capture["customers"];
    let group_id = &capture["directory"]["customer_groups"][0]["id"];
    let by_phone = &customers[people["bought_by_phone"].to_string()]["record"];
    let with_email = customers
        .as_object()
        .unwrap()
        .values()
        .map(|c| &c["record"])
        .find(|r| r["email"].is_string() && r["merged_into"].is_null() && r["status"] == "active")
        .unwrap();
    for (field, owner) in [("phone", by_phone), ("email", with_email)] {
        let (status, problem) = server
            .post(
                "/api/v1/customers",
                &json!({"name": "Двойник После Обновления", "group_id": group_id, field: owner[field]}),
            )
            .await;
        assert_eq!(
            status, 409,
            "a new customer with an upgraded {field}: {problem}"
        );
        assert_eq!(
            problem["existing_customer_id"], owner["id"],
            "the {field}'s holder: {problem}"
        );
    }
    let card = capture["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer_id"].is_i64())
        .unwrap();
    let (status, problem) = server
        .post(
            "/api/v1/cards",
            &json!({"barcode": card["barcode"], "symbology": card["symbology"],
                    "group_id": card["group_id"]}),
        )
        .await;
    assert_eq!(
        status, 409,
        "a new card with an upgraded barcode: {problem}"
    );
}

fn groceries() -> Value {
    json!([
        {"sku": "1001", "name": "Молоко 3,2% 1 л", "category": "dairy", "quantity": 2, "price_minor": 8990, "amount_minor": 17980},
        {"sku": "1004", "name": "Сыр Российский", "category": "dairy", "quantity": 0.532, "price_minor": 79900, "amount_minor": 42506},
        {"sku": "5007", "name": "Кофе молотый 250 г", "category": "grocery", "quantity": 1, "price_minor": 49990, "amount_minor": 49990}
    ])
}

/// A till's POST, answered 201.
async fn till_post(server: &Upgraded, till: &reqwest::Client, path: &str, body: &Value) -> Value {
    let (status, answer, _) = server
        .call(till, reqwest::Method::POST, path, Some(body))
        .await;
    assert_eq!(status, 201, "{path} {body}: {answer}");
    answer
}

fn int(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("{value} is an integer"))
}

/// New writes on upgraded customers work, and move their balances (the sum
/// of their ledgers) by exactly what they say.
async fn new_writes_move_balances_exactly(server: &Upgraded, capture: &Value) {
    let people = &capture["people"];
    let as_of = capture["as_of"].as_str().unwrap();

    // The hold placed before the upgrade pays its receipt.
    let hold = &capture["hold"];
    let holder = &hold["request"]["customer_id"];
    let before = server.ledger(holder).await;
    let mut body = hold["request"].clone();
    body["receipt_id"] = json!("UPGRADE-HOLD-0001");
    body["created_at"] = json!(as_of);
    body["hold_id"] = hold["answer"]["hold_id"].clone();
    let answer = till_post(server, &server.till, "/api/v1/pos/receipts", &body).await;
    assert_eq!(answer["customer_id"], *holder, "{answer}");
    assert_eq!(
        answer["points_paid"], hold["request"]["points_to_pay"],
        "{answer}"
    );
    let after = server.ledger(holder).await;
    assert_eq!(
        int(&after["balance"]),
        int(&before["balance"]) - int(&answer["points_paid"]) + int(&answer["points_accrued"]),
        "the held points paid, the receipt's accrued: {answer}"
    );
    assert_eq!(after["points_available"], answer["points_available"]);

    // Points by hand to the survivor of the merge.
    let survivor = &people["survivor"];
    let before = server.ledger(survivor).await;
    let (status, given) = server
        .post(
            "/api/v1/points/adjustments",
            &json!({"customer_ids": [survivor], "points": 12345,
                    "comment": "После обновления", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 201, "{given}");
    let after = server.ledger(survivor).await;
    assert_eq!(int(&after["balance"]), int(&before["balance"]) + 12345);
    assert_eq!(
        int(&after["points_available"]),
        int(&before["points_available"]) + 12345
    );

    // Receipts by the survivor's cards (the duplicate's among them) are the survivor's.
    let cards: Vec<&Value> = capture["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["customer_id"] == *survivor
                && c["active"] == true
                && c["blocked"] == false
                && c["withdrawn_at"].is_null()
        })
        .collect();
    assert!(cards.len() >= 2, "the survivor holds both customers' cards");
    for (n, card) in cards.iter().enumerate() {
        let before = server.ledger(survivor).await;
        let body = json!({"receipt_id": format!("UPGRADE-CARD-{n:04}"), "created_at": as_of,
                          "card": card["barcode"], "lines": groceries()});
        let answer = till_post(server, &server.till, "/api/v1/pos/receipts", &body).await;
        assert_eq!(answer["customer_id"], *survivor, "{answer}");
        let after = server.ledger(survivor).await;
        assert_eq!(
            int(&after["balance"]),
            int(&before["balance"]) + int(&answer["points_accrued"]),
            "{answer}"
        );
    }

    // A receipt of before the upgrade returned whole after it.
    let buyer = &people["bought_by_card"];
    let before = server.ledger(buyer).await;
    let returned = till_post(
        server,
        &server.till,
        "/api/v1/pos/receipts/FX-0003/returns",
        &json!({"return_id": "UPGRADE-R-0001"}),
    )
    .await;
    let after = server.ledger(buyer).await;
    assert!(int(&returned["refund_minor"]) > 0, "{returned}");
    assert_eq!(
        int(&after["balance"]),
        int(&before["balance"]) + int(&returned["points_returned"])
            - int(&returned["points_taken_back"]),
        "{returned}"
    );

    // An anonymous receipt of the demo's, returned whole at its own till.
    let anonymous = capture["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["answer"]["customer_id"].is_null() && r["till_id"] != people["till_id"])
        .unwrap();
    let till = &server.tills[&int(&anonymous["till_id"])];
    let returned = till_post(
        server,
        till,
        &format!(
            "/api/v1/pos/receipts/{}/returns",
            encode(anonymous["receipt_id"].as_str().unwrap())
        ),
        &json!({"return_id": "UPGRADE-R-0002"}),
    )
    .await;
    assert_eq!(
        returned["receipt_id"], anonymous["receipt_id"],
        "{returned}"
    );

    // A new anonymous receipt, read back.
    let body =
        json!({"receipt_id": "UPGRADE-ANON-0001", "created_at": as_of, "lines": groceries()});
    let answer = till_post(server, &server.till, "/api/v1/pos/receipts", &body).await;
    assert!(answer["customer_id"].is_null(), "{answer}");
    let (status, read, _) = server
        .call(
            &server.till,
            reqwest::Method::GET,
            "/api/v1/pos/receipts/UPGRADE-ANON-0001",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(read, answer);
}
