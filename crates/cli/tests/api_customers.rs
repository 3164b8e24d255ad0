//! Finding and following customers over the API, on each engine: the quick
//! search by card and by name words, merges, the list's figures, notes,
//! receipts and cards given at the desk.

use crate::common;

use common::{TestServer, engines};
use serde_json::{Value, json};

/// A store, a till key, a bonus program and a card group with three blank
/// cards.
struct Shop {
    till: reqwest::Client,
    program_id: i64,
    group_id: i64,
    blanks: Vec<String>,
}

async fn shop(server: &TestServer) -> Shop {
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
    let (status, group) = server
        .post(
            "/api/v1/card-groups",
            json!({"name": "Основные", "program_id": program["id"]}),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    let (status, _) = server
        .post(
            &format!("/api/v1/card-groups/{}/print-runs", group["id"]),
            json!({"count": 3}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, listed) = server.get("/api/v1/cards?active=false").await;
    let blanks = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["barcode"].as_str().unwrap().to_owned())
        .collect();
    let (status, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": store["id"], "name": "Касса 1"}),
        )
        .await;
    assert_eq!(status, 201, "{till}");
    Shop {
        till: common::client_with(till["key"].as_str().unwrap()),
        program_id: program["id"].as_i64().unwrap(),
        group_id: group["id"].as_i64().unwrap(),
        blanks,
    }
}

/// A receipt of one line committed at the till for a customer; answers
/// what the till was told.
async fn sell(server: &TestServer, shop: &Shop, id: &str, customer: i64, amount: i64) -> Value {
    let body = json!({
        "receipt_id": id,
        "created_at": "2026-11-23T12:00:00+03:00",
        "customer_id": customer,
        "lines": [{"sku": "milk", "name": "Молоко", "category": "dairy", "quantity": 1,
                   "price_minor": amount, "amount_minor": amount}],
    });
    let response = shop
        .till
        .post(server.url("/api/v1/pos/receipts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, answer) = common::decode(response).await;
    assert_eq!(status, 201, "{answer}");
    answer
}

async fn customer(server: &TestServer, body: Value) -> i64 {
    let (status, created) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// The names a list answers, in order.
async fn names(server: &TestServer, query: &str) -> Vec<String> {
    let (status, page) = server.get(&format!("/api/v1/customers?{query}")).await;
    assert_eq!(status, 200, "{query}: {page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// `text` as a query string value.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_card_number_finds_its_holder() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let anna = customer(&server, json!({"name": "Анна", "phone": "+79161234567"})).await;
        customer(&server, json!({"name": "Борис", "phone": "+79162000000"})).await;
        let (status, card) = server
            .post(
                "/api/v1/cards",
                json!({"barcode": shop.blanks[0].clone() , "group_id": shop.group_id, "customer_id": anna}),
            )
            .await;
        // The blank of the print run holds that barcode already.
        assert_eq!(status, 409, "{card}");
        let (status, card) = server
            .post(
                "/api/v1/cards",
                json!({"group_id": shop.group_id, "customer_id": anna}),
            )
            .await;
        assert_eq!(status, 201, "{card}");
        let barcode = card["barcode"].as_str().unwrap();
        assert_eq!(
            names(&server, &format!("q={barcode}")).await,
            ["Анна"],
            "{engine:?}"
        );
        assert!(
            names(&server, &format!("q={}", shop.blanks[1]))
                .await
                .is_empty()
        );
        assert_eq!(
            names(&server, "q=2000").await,
            ["Борис"],
            "phones still match"
        );
        let spaced = format!("{} {}", &barcode[..4], &barcode[4..]);
        assert_eq!(
            names(&server, &format!("q={}", encoded(&spaced))).await,
            ["Анна"]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn names_are_found_by_any_of_their_words_best_first() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        for name in [
            "Иванова Мария Петровна",
            "Марина Иванова",
            "Иван Марков",
            "Ёлкина Мария",
        ] {
            customer(&server, json!({ "name": name })).await;
        }
        assert_eq!(
            names(&server, &format!("q={}", encoded("Мария Петровна"))).await,
            ["Иванова Мария Петровна"]
        );
        assert_eq!(
            names(&server, &format!("q={}", encoded("Петровна"))).await,
            ["Иванова Мария Петровна"]
        );
        assert_eq!(
            names(&server, &format!("q={}", encoded("Мария Иванова"))).await,
            ["Иванова Мария Петровна"]
        );
        assert_eq!(
            names(&server, &format!("q={}", encoded("Ива Мар"))).await,
            ["Иван Марков", "Иванова Мария Петровна", "Марина Иванова"]
        );
        assert_eq!(
            names(&server, &format!("q={}", encoded("елкина"))).await,
            ["Ёлкина Мария"]
        );
        assert_eq!(
            names(&server, &format!("q={}", encoded("иван"))).await,
            ["Иван Марков", "Иванова Мария Петровна", "Марина Иванова"],
            "{engine:?}: the whole word first"
        );
        // Pages in match order follow one another.
        let (_, first) = server
            .get("/api/v1/customers?q=%D0%B8%D0%B2%D0%B0%D0%BD&limit=2")
            .await;
        let cursor = first["next_cursor"].as_str().unwrap();
        let (status, second) = server
            .get(&format!(
                "/api/v1/customers?q=%D0%B8%D0%B2%D0%B0%D0%BD&limit=2&cursor={cursor}"
            ))
            .await;
        assert_eq!(status, 200, "{second}");
        assert_eq!(second["items"][0]["name"], "Марина Иванова");
        assert_eq!(second["next_cursor"], Value::Null);
        // An order asked for is kept.
        assert_eq!(
            names(&server, &format!("q={}&sort=-name", encoded("иван"))).await,
            ["Марина Иванова", "Иванова Мария Петровна", "Иван Марков"]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_merged_duplicate_hands_over_its_history_and_says_where_it_went() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let anna = customer(
            &server,
            json!({"name": "Анна Смирнова", "phone": "+79161234567"}),
        )
        .await;
        let twin = customer(&server, json!({"name": "Анна С.", "phone": "+79161234568"})).await;
        sell(&server, &shop, "A-1", anna, 10_000).await;
        for n in 0..2 {
            sell(&server, &shop, &format!("T-{n}"), twin, 5_000).await;
        }
        let (status, _) = server
            .post(
                &format!("/api/v1/customers/{anna}/merge"),
                json!({"duplicate_id": twin}),
            )
            .await;
        assert_eq!(status, 200);

        let (status, history) = server
            .get(&format!("/api/v1/customers/{anna}/history"))
            .await;
        assert_eq!(status, 200, "{history}");
        let purchases = history["purchases"].as_array().unwrap();
        assert_eq!(purchases.len(), 3, "{engine:?}: both histories");
        assert_eq!(history["totals"]["purchases"], 3, "as many as it counts");
        assert_eq!(
            purchases
                .iter()
                .filter(|p| p["customer_id"] == twin)
                .count(),
            2,
            "{history}"
        );
        let merge = history["points_entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "merge")
            .cloned()
            .expect("the twin's points moved");
        assert_eq!(merge["counterpart"], json!({"id": twin, "name": "Анна С."}));

        let (_, gone) = server.get(&format!("/api/v1/customers/{twin}")).await;
        assert_eq!(
            gone["merged_into"],
            json!({"id": anna, "name": "Анна Смирнова"})
        );
        let (_, left) = server
            .get(&format!("/api/v1/customers/{twin}/history"))
            .await;
        assert_eq!(left["purchases"], json!([]), "the survivor's now");

        assert_eq!(
            names(&server, &format!("q={}", encoded("Анна"))).await,
            ["Анна Смирнова"]
        );
        assert_eq!(
            names(&server, &format!("q={}&status=archived", encoded("Анна"))).await,
            ["Анна С."]
        );
        let (status, refused) = server
            .patch(
                &format!("/api/v1/customers/{twin}"),
                json!({"city": "Казань"}),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        assert_eq!(refused["existing_customer_id"], anna);
        let (_, unchanged) = server.get(&format!("/api/v1/customers/{twin}")).await;
        assert_eq!(unchanged["city"], Value::Null, "nothing written");

        // The twin's receipt returned after the merge takes its points back
        // from Anna, who holds them now; the twin's account stays empty.
        let before = points_available(&server, anna).await;
        let response = shop
            .till
            .post(server.url("/api/v1/pos/receipts/T-0/returns"))
            .json(&json!({"return_id": "T-0-R"}))
            .send()
            .await
            .unwrap();
        let (status, returned) = common::decode(response).await;
        assert_eq!(status, 201, "{returned}");
        let taken_back = returned["points_taken_back"].as_i64().unwrap();
        assert!(taken_back > 0, "{returned}");
        assert_eq!(returned["points_available"], before - taken_back);
        assert_eq!(points_available(&server, anna).await, before - taken_back);
        assert_eq!(points_available(&server, twin).await, 0, "{engine:?}");
        server.stop().await;
    }
}

async fn points_available(server: &TestServer, id: i64) -> i64 {
    let (status, ledger) = server.get(&format!("/api/v1/customers/{id}/ledger")).await;
    assert_eq!(status, 200, "{ledger}");
    ledger["points_available"].as_i64().unwrap()
}

#[tokio::test]
async fn the_list_is_newest_first_unless_an_order_is_asked() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        // Demo customers registered over years, not in the order of their ids.
        server
            .app
            .seed_demo(40, &clientele_app::progress::Silent)
            .await
            .unwrap();
        let mut times = Vec::new();
        let mut ids = Vec::new();
        let mut path = "/api/v1/customers?limit=15".to_owned();
        loop {
            let (status, page) = server.get(&path).await;
            assert_eq!(status, 200, "{page}");
            for item in page["items"].as_array().unwrap() {
                let at: jiff::Timestamp = item["created_at"].as_str().unwrap().parse().unwrap();
                times.push(at);
                ids.push(item["id"].as_i64().unwrap());
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/customers?limit=15&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(times.len(), 40, "{engine:?}: every customer once");
        assert!(
            times.windows(2).all(|pair| pair[0] >= pair[1]),
            "{engine:?}: newest registration first: {times:?}"
        );
        let mut by_id = ids.clone();
        by_id.sort_unstable();
        assert_ne!(ids, by_id, "the registration order is not the order of ids");
        let (_, asked) = server.get("/api/v1/customers?limit=500&sort=id").await;
        let asked: Vec<i64> = asked["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(asked, by_id, "an order asked for is kept");
        server.stop().await;
    }
}

/// The ids a list answers, in order.
async fn ids(server: &TestServer, query: &str) -> Vec<i64> {
    let (status, page) = server.get(&format!("/api/v1/customers?{query}")).await;
    assert_eq!(status, 200, "{query}: {page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_list_shows_sorts_and_filters_by_the_customers_figures() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let (status, tier) = server
            .post(
                "/api/v1/tiers",
                json!({"program_id": shop.program_id, "name": "Серебро", "threshold_minor": 20_000}),
            )
            .await;
        assert_eq!(status, 201, "{tier}");
        let big = customer(&server, json!({"name": "Большой"})).await;
        let small = customer(&server, json!({"name": "Малый"})).await;
        let never = customer(&server, json!({"name": "Никогда"})).await;
        sell(&server, &shop, "B-1", big, 30_000).await;
        sell(&server, &shop, "B-2", big, 10_000).await;
        sell(&server, &shop, "S-1", small, 5_000).await;

        let (status, page) = server.get("/api/v1/customers?sort=-spent_minor").await;
        assert_eq!(status, 200, "{page}");
        let first = &page["items"][0];
        assert_eq!(first["id"], big, "{engine:?}: {page}");
        assert_eq!(first["spent_minor"], 40_000);
        assert_eq!(first["purchases"], 2);
        assert_eq!(first["balance"], 2_000, "5 % of 400.00 as points");
        assert_eq!(first["points_available"], 2_000);
        assert_eq!(first["tier"], json!({"id": tier["id"], "name": "Серебро"}));
        assert!(first["last_purchase_at"].is_string());
        assert_eq!(page["items"][2]["last_purchase_at"], Value::Null);
        assert_eq!(page["items"][2]["tier"], Value::Null);

        assert_eq!(ids(&server, "sort=-spent_minor").await, [big, small, never]);
        assert_eq!(ids(&server, "sort=spent_minor").await, [never, small, big]);
        assert_eq!(
            ids(&server, "sort=last_purchase_at").await[0],
            never,
            "never bought sorts first"
        );
        assert_eq!(ids(&server, "sort=-last_purchase_at").await[2], never);
        // Pages of one follow one another in a figure's order.
        let (_, one) = server
            .get("/api/v1/customers?sort=-spent_minor&limit=1")
            .await;
        let cursor = one["next_cursor"].as_str().unwrap();
        assert_eq!(
            ids(
                &server,
                &format!("sort=-spent_minor&limit=1&cursor={cursor}")
            )
            .await,
            [small]
        );

        assert_eq!(ids(&server, "spent_min=10000").await, [big]);
        assert_eq!(ids(&server, "spent_max=5000&sort=id").await, [small, never]);
        assert_eq!(
            ids(&server, "purchases_min=1&purchases_max=1").await,
            [small]
        );
        assert_eq!(ids(&server, "balance_min=1&sort=id").await, [big, small]);
        assert_eq!(ids(&server, "balance_max=0").await, [never]);
        assert_eq!(
            ids(&server, "last_purchase_from=2026-11-23&sort=id").await,
            [big, small]
        );
        assert!(ids(&server, "last_purchase_to=2026-11-22").await.is_empty());
        assert_eq!(
            ids(&server, "no_purchase_days=1").await,
            [never],
            "today counts"
        );

        let (status, problem) = server
            .get("/api/v1/customers?spent_min=-1&purchases_max=many&no_purchase_days=0&sort=spent")
            .await;
        assert_eq!(status, 422, "{problem}");
        let mut fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["no_purchase_days", "purchases_max", "sort", "spent_min"]
        );

        // Export takes the same filters.
        let path = std::env::temp_dir().join(format!(
            "clientele-export-figures-{}-{engine:?}.csv",
            std::process::id()
        ));
        let out = common::clientele(
            &server.database_url,
            &[
                "export",
                "customers",
                "--format",
                "csv",
                "--output",
                path.to_str().unwrap(),
                "--filter",
                "spent_min=1",
                "--filter",
                "no_purchase_days=400",
            ],
            "",
        );
        assert!(out.contains("exported 0 customers"), "{out}");
        common::clientele(
            &server.database_url,
            &[
                "export",
                "customers",
                "--format",
                "csv",
                "--output",
                path.to_str().unwrap(),
                "--filter",
                "spent_min=10000",
            ],
            "",
        );
        let csv = std::fs::read_to_string(&path).unwrap();
        assert!(csv.contains("Большой") && !csv.contains("Малый"), "{csv}");
        let _ = std::fs::remove_file(&path);
        server.stop().await;
    }
}

#[tokio::test]
async fn the_document_lists_every_filter_key() {
    let server = TestServer::start(engines()[0]).await;
    let (status, document) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let parameters: Vec<&str> = document["paths"]["/api/v1/customers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for key in clientele_domain::FILTER_KEYS {
        assert!(
            parameters.contains(&key.key),
            "{} in {parameters:?}",
            key.key
        );
    }
    assert!(parameters.contains(&"consent_sms"));
    let spent = document["paths"]["/api/v1/customers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "spent_min")
        .unwrap();
    assert_eq!(spent["schema"]["minimum"], 0);
    server.stop().await;
}

/// A text holding NUL, which PostgreSQL cannot keep, is refused alike on
/// every engine, as a field error, and nothing is kept.
#[tokio::test]
async fn a_text_holding_nul_is_refused_on_every_engine() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        for (path, body) in [
            ("/api/v1/customers", json!({"name": "Анна\u{0}Петрова"})),
            (
                "/api/v1/stores",
                json!({"code": "S-9", "name": "Точка\u{0}"}),
            ),
        ] {
            let (status, problem) = server.post(path, body).await;
            assert_eq!(status, 422, "{path}: {problem}");
            assert_eq!(problem["errors"][0]["code"], "nul_character", "{problem}");
        }
        let (_, customers) = server.get("/api/v1/customers").await;
        assert_eq!(customers["items"], json!([]), "{customers}");
        let (_, stores) = server.get("/api/v1/stores").await;
        assert_eq!(stores["items"], json!([]), "{stores}");
        server.stop().await;
    }
}
