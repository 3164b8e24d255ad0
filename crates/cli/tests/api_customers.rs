//! Finding and following customers over the API, on each engine: the quick
//! search by card and by name words, merges, the list's figures, notes,
//! receipts and cards given at the desk.

mod common;

use common::{TestServer, engines};
use serde_json::{Value, json};

/// A store, a till key, a bonus program and a card group with three blank
/// cards.
struct Shop {
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
        group_id: group["id"].as_i64().unwrap(),
        blanks,
    }
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
