//! Offers over the API, on each engine: made for a segment, paused and
//! resumed, ten thousand single-use coupons made at once and read back by
//! code; every mistake refused with nothing saved.

use crate::common;

use std::collections::BTreeSet;
use std::time::Instant;

use common::{TestServer, engines};
use serde_json::json;

#[tokio::test]
async fn an_offer_for_a_segment_makes_its_coupons() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, segment) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Все женщины", "rules": {"field": "gender", "op": "eq", "value": "female"}}),
            )
            .await;
        assert_eq!(status, 201, "{segment}");
        let offer = json!({
            "name": "Двойные баллы на молочное",
            "segment_id": segment["id"],
            "reward": "extra_points", "reward_value": 20000,
            "categories": ["dairy"], "days": ["saturday", "sunday"],
            "hours_from": "09:00", "hours_to": "21:00",
            "coupon": "unique", "budget": {"points": {"per_customer": 50000}},
        });
        let (status, created) = server.post("/api/v1/offers", offer.clone()).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(
            (
                &created["reward"],
                &created["reward_value"],
                &created["coupon"],
                &created["active"]
            ),
            (
                &json!("extra_points"),
                &json!(20000),
                &json!("unique"),
                &json!(true)
            )
        );
        assert_eq!(created["days"], json!(["saturday", "sunday"]));
        assert_eq!(created["budget"]["points"]["per_customer"], 50000);
        let id = created["id"].as_i64().unwrap();

        let started = Instant::now();
        let (status, made) = server
            .post(
                &format!("/api/v1/offers/{id}/coupons"),
                json!({"count": 10000}),
            )
            .await;
        let took = started.elapsed();
        assert_eq!(status, 201, "{made}");
        let codes: BTreeSet<&str> = made["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(codes.len(), 10000, "every code is new");
        assert!(took.as_secs() < 30, "10,000 coupons took {took:?}");
        let code = *codes.iter().next().unwrap();
        let (status, coupon) = server
            .get(&format!("/api/v1/coupons/{}", code.to_lowercase()))
            .await;
        assert_eq!(status, 200, "{coupon}");
        assert_eq!(
            (&coupon["offer_id"], &coupon["customer_id"]),
            (&json!(id), &json!(null))
        );
        let (status, _) = server.get("/api/v1/coupons/NOPE-NOPE-NOPE").await;
        assert_eq!(status, 404);

        let (status, paused) = server
            .patch(
                &format!("/api/v1/offers/{id}"),
                json!({"version": 1, "active": false}),
            )
            .await;
        assert_eq!(status, 200, "{paused}");
        assert_eq!(
            (&paused["active"], &paused["version"]),
            (&json!(false), &json!(2))
        );
        let (status, stale) = server
            .patch(
                &format!("/api/v1/offers/{id}"),
                json!({"version": 1, "active": true}),
            )
            .await;
        assert_eq!(status, 409, "{stale}");

        // The segment an offer aims at is kept.
        let response = server
            .client
            .delete(server.url(&format!("/api/v1/segments/{}", segment["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 409);

        let (status, shared) = server
            .post(
                "/api/v1/offers",
                json!({"name": "Скидка по коду", "reward": "percent_off", "reward_value": 1000,
                       "coupon": "shared", "coupon_code": " vesna-2027 "}),
            )
            .await;
        assert_eq!(status, 201, "{shared}");
        assert_eq!(shared["coupon_code"], "VESNA-2027");
        let (status, refused) = server
            .post(
                &format!("/api/v1/offers/{}/coupons", shared["id"]),
                json!({"count": 5}),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_wrong_offer_is_refused_and_nothing_is_saved() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let base = json!({"name": "Акция", "reward": "percent_off", "reward_value": 500});
        let cases = [
            (json!({"reward_value": 20000}), "reward_value", 422),
            (json!({"reward": "free_beer"}), "reward", 422),
            (
                json!({"valid_from": "2027-02-01", "valid_to": "2027-01-01"}),
                "valid_to",
                422,
            ),
            (json!({"hours_from": "10:00"}), "hours_to", 422),
            (json!({"coupon": "shared"}), "coupon_code", 422),
            (
                json!({"coupon": "unique", "holdout_bp": 1000}),
                "holdout_bp",
                422,
            ),
            (
                json!({"budget": {"points": {"total": 100}}}),
                "budget.points",
                422,
            ),
            (json!({"segment_id": 4242}), "segment_id", 404),
        ];
        for (change, field, expected) in cases {
            let mut body = base.clone();
            for (key, value) in change.as_object().unwrap() {
                body[key] = value.clone();
            }
            let (status, problem) = server.post("/api/v1/offers", body.clone()).await;
            assert_eq!(status, expected, "{body}: {problem}");
            let errors = problem["errors"].as_array().unwrap();
            assert!(
                errors.iter().any(|e| e["field"] == field),
                "{body}: {problem}"
            );
        }
        let (_, offers) = server.get("/api/v1/offers").await;
        assert_eq!(offers, json!({"items": []}));
        server.stop().await;
    }
}
