//! A base to ask the reports about: a region with a city of two stores, a
//! second region with one, a till in each store, customers registered at
//! each, and receipts over two months, the figures rolled up.

use std::collections::BTreeMap;

use clientele_app::Clock;
use jiff::SignedDuration;
use serde_json::{Value, json};

use super::{Engine, TestServer, client_with, fresh_database, shop};

pub const NOW: &str = "2026-11-23T09:00:00Z";

/// The base, with the stores by name and the customers in order.
pub struct Base {
    pub server: TestServer,
    pub stores: BTreeMap<&'static str, i64>,
    pub customers: Vec<i64>,
    /// The shop's program: customers 1 to 3 hold its cards.
    pub program_id: i64,
    /// A till in each store, customer i buying at the (i mod 3)th.
    pub tills: [reqwest::Client; 3],
}

async fn node(server: &TestServer, code: &str, kind: &str, parent: Option<i64>) -> i64 {
    let (status, store) = server
        .post(
            "/api/v1/stores",
            json!({"code": code, "name": format!("Узел {code}"), "kind": kind, "parent_id": parent}),
        )
        .await;
    assert_eq!(status, 201, "{store}");
    store["id"].as_i64().unwrap()
}

async fn till_at(server: &TestServer, store: i64, name: &str) -> reqwest::Client {
    let (status, till) = server
        .post("/api/v1/tills", json!({"store_id": store, "name": name}))
        .await;
    assert_eq!(status, 201, "{till}");
    client_with(till["key"].as_str().unwrap())
}

/// A receipt of groceries committed at `till`, made at `created_at`.
pub async fn commit(
    server: &TestServer,
    till: &reqwest::Client,
    customer: Option<i64>,
    receipt_id: &str,
    created_at: &str,
    points_to_pay: i64,
) -> Value {
    let response = till
        .post(server.url("/api/v1/pos/receipts"))
        .json(&json!({"customer_id": customer, "lines": shop::groceries(),
                      "receipt_id": receipt_id, "created_at": created_at,
                      "points_to_pay": points_to_pay}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

pub async fn seed(engine: Engine) -> Base {
    let clock = Clock::fixed(
        jiff::tz::TimeZone::get("Europe/Moscow").unwrap(),
        NOW.parse().unwrap(),
    );
    let server = TestServer::start_on(fresh_database(engine).await, clock.clone(), "owner").await;
    // The program, a card group and the first store (S-1) come with the shop.
    let shop = shop::open(&server, 1).await;
    let north = node(&server, "NORTH", "region", None).await;
    let city = node(&server, "CITY", "city", Some(north)).await;
    let (status, moved) = server
        .patch(
            &format!("/api/v1/stores/{}", shop.store_id),
            json!({"parent_id": city}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let second = node(&server, "S-2", "store", Some(city)).await;
    let south = node(&server, "SOUTH", "region", None).await;
    let third = node(&server, "S-3", "store", Some(south)).await;
    let tills = [
        shop.till.clone(),
        till_at(&server, second, "Касса 2").await,
        till_at(&server, third, "Касса 3").await,
    ];
    let stores = BTreeMap::from([
        ("north", north),
        ("city", city),
        ("s1", shop.store_id),
        ("s2", second),
        ("south", south),
        ("s3", third),
    ]);
    let registered = [shop.store_id, second, third];
    let mut customers = Vec::new();
    for i in 0..9i64 {
        let mut customer = json!({
            "name": format!("Покупатель {i}"),
            "phone": format!("+7916123{i:04}"),
            "store_id": registered[(i % 3) as usize],
            "consents": {"sms": i % 2 == 0, "email": i % 3 == 0},
        });
        if i % 4 != 3 {
            customer["email"] = json!(format!("buyer{i}@example.ru"));
        }
        let (status, body) = server.post("/api/v1/customers", customer).await;
        assert_eq!(status, 201, "{body}");
        customers.push(body["id"].as_i64().unwrap());
    }
    for customer in &customers[1..4] {
        let (status, card) = server
            .post(
                "/api/v1/cards",
                json!({"group_id": shop.group_id, "customer_id": customer}),
            )
            .await;
        assert_eq!(status, 201, "{card}");
    }
    let (_, programs) = server.get("/api/v1/programs").await;
    let program_id = programs["items"][0]["id"].as_i64().unwrap();
    // Two months of receipts: customer i buys i times (the last two never
    // buy), at the till of the store they registered at, one a week back
    // from the 20th of November; an anonymous receipt at each till on
    // some of those days.
    let mut n = 0;
    for (i, customer) in customers.iter().enumerate().take(7) {
        for visit in 0..i {
            let day = 20 - 7 * visit as i64;
            let created_at = jiff::civil::date(2026, 11, 1)
                .checked_add(jiff::Span::new().days(day - 1))
                .unwrap()
                .at(12, 0, 0, 0)
                .in_tz("Europe/Moscow")
                .unwrap()
                .timestamp()
                .to_string();
            n += 1;
            let pay = if visit == 1 { 1_000 } else { 0 };
            commit(
                &server,
                &tills[i % 3],
                Some(*customer),
                &format!("R-{n}"),
                &created_at,
                pay,
            )
            .await;
            if visit % 2 == 0 {
                n += 1;
                commit(
                    &server,
                    &tills[i % 3],
                    None,
                    &format!("R-{n}"),
                    &created_at,
                    0,
                )
                .await;
            }
        }
    }
    // A return of the first receipt of customer 2, today.
    let response = tills[2]
        .post(server.url("/api/v1/pos/receipts/R-3/returns"))
        .json(&json!({"return_id": "RT-1", "lines": [{"line": 1, "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );

    // The figures are kept a minute behind, two minutes settled; the
    // closed months as the job keeps them, a month a pass.
    clock.advance(SignedDuration::from_secs(180));
    server.app.roll_up_day_figures().await.unwrap();
    while server.app.keep_month_figures().await.unwrap().is_some() {}
    server
        .app
        .recompute_rfm(&clientele_app::progress::Silent)
        .await
        .unwrap();
    Base {
        server,
        stores,
        customers,
        program_id,
        tills,
    }
}
