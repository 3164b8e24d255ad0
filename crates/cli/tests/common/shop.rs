//! A shop to sell in over the API: a store, a default bonus program, a card
//! group with a print run of blank cards, and a till with its key.

use serde_json::{Value, json};

use super::{TestServer, client_with};

pub struct Shop {
    pub till: reqwest::Client,
    pub store_id: i64,
    pub group_id: i64,
    /// The print run's blank cards, in number order.
    pub cards: Vec<String>,
}

/// The shop, with `blank` cards printed.
pub async fn open(server: &TestServer, blank: u32) -> Shop {
    let (status, store) = server
        .post(
            "/api/v1/stores",
            json!({"code": "S-1", "name": "Магазин на Ленина", "kind": "store"}),
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
    let (status, run) = server
        .post(
            &format!("/api/v1/card-groups/{}/print-runs", group["id"]),
            json!({"count": blank}),
        )
        .await;
    assert_eq!(status, 201, "{run}");
    let (_, listed) = server.get("/api/v1/cards?active=false").await;
    let cards = listed["items"]
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
        till: client_with(till["key"].as_str().unwrap()),
        store_id: store["id"].as_i64().unwrap(),
        group_id: group["id"].as_i64().unwrap(),
        cards,
    }
}

/// Milk and cheese by weight.
pub fn groceries() -> Value {
    json!([
        {"sku": "milk", "name": "Молоко", "category": "dairy", "quantity": 2, "price_minor": 8990, "amount_minor": 17980},
        {"sku": "cheese", "name": "Сыр", "category": "dairy", "quantity": 0.532, "price_minor": 120000, "amount_minor": 63840}
    ])
}

/// A receipt of the customer committed at the till; answers the till's answer.
pub async fn sell(
    server: &TestServer,
    shop: &Shop,
    customer_id: i64,
    receipt_id: &str,
    lines: Value,
) -> Value {
    let body = json!({"customer_id": customer_id, "lines": lines, "receipt_id": receipt_id,
                      "created_at": "2026-11-22T11:55:00+03:00"});
    let response = shop
        .till
        .post(server.url("/api/v1/pos/receipts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Returns the whole receipt.
pub async fn return_all(server: &TestServer, shop: &Shop, receipt_id: &str, return_id: &str) {
    let response = shop
        .till
        .post(server.url(&format!("/api/v1/pos/receipts/{receipt_id}/returns")))
        .json(&json!({"return_id": return_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}
