//! Segments over the API, on each engine: a dynamic segment over purchase
//! history computed at once with its live count, members and history; a
//! changed rule recomputed; a static list; every mistake refused with
//! nothing saved.

use crate::common;

use common::{TestServer, engines};
use serde_json::{Value, json};

async fn customer(server: &TestServer, body: Value) -> i64 {
    let (status, created) = server.post("/api/v1/customers", body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// A till in a store of its own.
async fn till(server: &TestServer) -> reqwest::Client {
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
    let (status, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": store["id"], "name": "Касса 1"}),
        )
        .await;
    assert_eq!(status, 201, "{till}");
    common::client_with(till["key"].as_str().unwrap())
}

/// `units` of milk sold to `customer` on `day` (the server's today is 2026-11-23).
async fn sell(
    server: &TestServer,
    till: &reqwest::Client,
    id: &str,
    customer: i64,
    units: i64,
    day: &str,
) {
    let body = json!({
        "receipt_id": id,
        "created_at": format!("{day}T12:00:00+03:00"),
        "customer_id": customer,
        "lines": [{"sku": "milk", "name": "Молоко", "category": "dairy", "quantity": units,
                   "price_minor": 9000, "amount_minor": 9000 * units}],
    });
    let response = till
        .post(server.url("/api/v1/pos/receipts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, answer) = common::decode(response).await;
    assert_eq!(status, 201, "{answer}");
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_segment_of_buyers_is_counted_computed_and_recomputed() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let till = till(&server).await;
        let anna = customer(&server, json!({"name": "Анна", "gender": "female"})).await;
        let vera = customer(&server, json!({"name": "Вера", "gender": "female"})).await;
        let boris = customer(&server, json!({"name": "Борис", "gender": "male"})).await;
        customer(&server, json!({"name": "Галина", "phone": "+79165550001"})).await;
        sell(&server, &till, "R-1", anna, 3, "2026-11-20").await;
        sell(&server, &till, "R-2", vera, 1, "2026-11-21").await;
        // Long ago: outside a 30-day period.
        sell(&server, &till, "R-3", vera, 5, "2026-06-01").await;
        sell(&server, &till, "R-4", boris, 4, "2026-11-22").await;

        let rules = json!({"all": [
            {"field": "gender", "op": "eq", "value": "female"},
            {"field": "bought", "op": "gte", "value": 2, "period_days": 30, "categories": ["dairy"]},
        ]});
        let (status, count) = server
            .post("/api/v1/segments/count", json!({"rules": rules}))
            .await;
        assert_eq!((status, count), (200, json!({"count": 1})));
        let (status, segments) = server.get("/api/v1/segments").await;
        assert_eq!(
            (status, segments),
            (200, json!({"items": []})),
            "the count saved nothing"
        );

        let (status, created) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Любят молочное", "rules": rules, "schedule": "daily", "hour": 4}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(
            (
                &created["kind"],
                &created["size"],
                &created["schedule"],
                &created["hour"]
            ),
            (&json!("dynamic"), &json!(1), &json!("daily"), &json!(4))
        );
        assert_eq!(created["rules"], rules, "the rules read back as sent");
        let history = created["size_history"].as_array().unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (
                &history[0]["size"],
                &history[0]["entered"],
                &history[0]["left"]
            ),
            (&json!(1), &json!(1), &json!(0))
        );
        let id = created["id"].as_i64().unwrap();
        let (status, members) = server
            .get(&format!("/api/v1/segments/{id}/customers"))
            .await;
        assert_eq!(status, 200, "{members}");
        assert_eq!(ids(&members), [anna]);
        let (_, listed) = server
            .get(&format!("/api/v1/customers?segment_id={id}"))
            .await;
        assert_eq!(ids(&listed), [anna]);

        // Anyone who bought dairy at all: Vera enters, Anna stays.
        let wider = json!({"all": [
            {"field": "gender", "op": "eq", "value": "female"},
            {"field": "bought", "op": "gte", "value": 1, "categories": ["dairy"]},
        ]});
        let (status, changed) = server
            .patch(
                &format!("/api/v1/segments/{id}"),
                json!({"version": 1, "rules": wider}),
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(
            (&changed["size"], &changed["version"]),
            (&json!(2), &json!(2))
        );
        assert_eq!(changed["schedule"], "daily", "what was not sent stays");
        let last = &changed["size_history"][0];
        assert_eq!((&last["entered"], &last["left"]), (&json!(1), &json!(0)));
        let (status, stale) = server
            .patch(
                &format!("/api/v1/segments/{id}"),
                json!({"version": 1, "name": "X"}),
            )
            .await;
        assert_eq!(status, 409, "{stale}");
        let (status, again) = server
            .post(&format!("/api/v1/segments/{id}/recompute"), json!({}))
            .await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(
            (&again["size"], &again["entered"], &again["left"]),
            (&json!(2), &json!(0), &json!(0))
        );

        let (status, taken) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Любят молочное", "rules": rules}),
            )
            .await;
        assert_eq!(status, 409, "{taken}");

        let (status, list) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Для звонка", "kind": "static", "customer_ids": [boris, 999_999]}),
            )
            .await;
        assert_eq!(status, 201, "{list}");
        assert_eq!(list["size"], 1, "a customer who does not exist is left out");
        let (status, by_phone) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Из файла", "kind": "static",
                       "phones": ["8 (916) 555-00-01", "+7 916 000 00 00", "не телефон"]}),
            )
            .await;
        assert_eq!(status, 201, "{by_phone}");
        assert_eq!(by_phone["size"], 1, "only the phone of a customer counts");
        let list_id = list["id"].as_i64().unwrap();
        let (status, refused) = server
            .post(&format!("/api/v1/segments/{list_id}/recompute"), json!({}))
            .await;
        assert_eq!(status, 409, "{refused}");
        let (_, members) = server
            .get(&format!("/api/v1/segments/{list_id}/customers"))
            .await;
        assert_eq!(ids(&members), [boris]);

        let response = server
            .client
            .delete(server.url(&format!("/api/v1/segments/{list_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        let (status, _) = server.get(&format!("/api/v1/segments/{list_id}")).await;
        assert_eq!(status, 404);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_wrong_rule_is_refused_by_its_path_and_nothing_is_saved() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cases = [
            (
                json!({"field": "agee", "op": "eq", "value": 1}),
                "rules.field",
                "unknown_field",
            ),
            (
                json!({"field": "age", "op": "like", "value": 1}),
                "rules.op",
                "unknown_op",
            ),
            (json!({"all": []}), "rules.all", "empty_rule"),
            (
                json!({"any": [{"field": "spent_minor", "op": "gte", "value": 1, "period_days": -1}]}),
                "rules.any[0].period_days",
                "invalid_period",
            ),
            (
                json!({"field": "age", "op": "gt", "value": "old"}),
                "rules.value",
                "invalid_value",
            ),
            (
                json!({"field": "bought", "op": "gte", "value": 1}),
                "rules.skus",
                "goods_required",
            ),
        ];
        for (rules, field, code) in cases {
            for (path, body) in [
                ("/api/v1/segments/count", json!({"rules": rules})),
                (
                    "/api/v1/segments",
                    json!({"name": "Ошибка", "rules": rules}),
                ),
            ] {
                let (status, problem) = server.post(path, body).await;
                assert_eq!(status, 422, "{path} {rules}: {problem}");
                let errors = problem["errors"].as_array().unwrap();
                assert!(
                    errors
                        .iter()
                        .any(|e| e["field"] == field && e["code"] == code),
                    "{path} {rules}: {problem}"
                );
            }
        }
        let (status, problem) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Без правил", "kind": "dynamic"}),
            )
            .await;
        assert_eq!(status, 422, "{problem}");
        let (_, segments) = server.get("/api/v1/segments").await;
        assert_eq!(segments, json!({"items": []}));
        let (status, fields) = server.get("/api/v1/segments/fields").await;
        assert_eq!(status, 200);
        let names: Vec<&str> = fields["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        for name in [
            "gender",
            "consent_sms",
            "bought",
            "rfm_group",
            "days_to_birthday",
        ] {
            assert!(names.contains(&name), "{name} is offered");
        }
        server.stop().await;
    }
}
