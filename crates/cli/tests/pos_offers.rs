//! Offers at the till, on each engine: what each gave per line and in all,
//! the customer's offers at identify, a single-use coupon good once, for
//! its customer only, replayed without a second use and good again after a
//! return of the whole receipt; a budget that 32 tills at once never pass,
//! kept for a hold until its receipt comes, it is released or it expires;
//! an offer's control group beside those who got it.

use crate::common;

use clientele_app::Clock;
use clientele_app::pos::HOLD_FOR;
use common::shop::{Shop, groceries, open, return_all};
use common::{TestServer, client_with, till_engines};
use jiff::SignedDuration;
use serde_json::{Value, json};

async fn till_call(server: &TestServer, shop: &Shop, path: &str, body: &Value) -> (u16, Value) {
    let response = shop
        .till
        .post(server.url(path))
        .json(body)
        .send()
        .await
        .unwrap();
    common::decode(response).await
}

async fn customer(server: &TestServer, shop: &Shop, phone: &str, name: &str) -> i64 {
    let body = json!({"phone": phone, "register_name": name});
    let (status, found) = till_call(server, shop, "/api/v1/pos/identify", &body).await;
    assert_eq!(status, 200, "{found}");
    found["customer"]["id"].as_i64().unwrap()
}

async fn offer(server: &TestServer, body: Value) -> i64 {
    let (status, made) = server.post("/api/v1/offers", body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

fn receipt(id: &str, customer: i64, coupons: &[&str]) -> Value {
    json!({"receipt_id": id, "created_at": "2026-11-22T11:55:00+03:00",
           "customer_id": customer, "lines": groceries(), "coupons": coupons})
}

fn offer_ids(answer: &Value, key: &str) -> Vec<i64> {
    answer[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {answer}"))
        .iter()
        .map(|o| o["offer_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn offers_apply_per_line_and_a_coupon_is_good_once_for_its_customer() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = open(&server, 1).await;
        let vera = customer(&server, &shop, "+79161112244", "Вера").await;
        let oleg = customer(&server, &shop, "+79161112255", "Олег").await;

        let dairy = offer(
            &server,
            json!({"name": "Молочная неделя", "reward": "percent_off", "reward_value": 1000,
                   "categories": ["dairy"]}),
        )
        .await;
        let bonus = offer(
            &server,
            json!({"name": "50 баллов по купону", "reward": "bonus_points", "reward_value": 5000,
                   "coupon": "unique"}),
        )
        .await;
        let (status, segment) = server
            .post(
                "/api/v1/segments",
                json!({"name": "Олег", "kind": "static", "customer_ids": [oleg]}),
            )
            .await;
        assert_eq!(status, 201, "{segment}");
        let olegs = offer(
            &server,
            json!({"name": "Двойные баллы Олегу", "reward": "extra_points", "reward_value": 20000,
                   "segment_id": segment["id"]}),
        )
        .await;
        let (status, made) = server
            .post(
                &format!("/api/v1/offers/{bonus}/coupons"),
                json!({"customer_ids": [vera]}),
            )
            .await;
        assert_eq!(status, 201, "{made}");
        let code = made["codes"][0].as_str().unwrap().to_owned();

        // Identify lists the customer's offers with their own coupon.
        let (status, found) = till_call(
            &server,
            &shop,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112244"}),
        )
        .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(offer_ids(&found, "personal_offers"), [bonus, dairy]);
        assert_eq!(found["personal_offers"][0]["coupons"], json!([code]));
        let (_, found) = till_call(
            &server,
            &shop,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112255"}),
        )
        .await;
        assert_eq!(offer_ids(&found, "personal_offers"), [bonus, olegs, dairy]);

        // 10 % off dairy on each line; the coupon's 50 points spread by amount.
        let basket =
            json!({"customer_id": vera, "lines": groceries(), "coupons": [code.to_lowercase()]});
        let (status, priced) = till_call(&server, &shop, "/api/v1/pos/calculate", &basket).await;
        assert_eq!(status, 200, "{priced}");
        assert_eq!(offer_ids(&priced, "offers_applied"), [dairy, bonus]);
        assert_eq!(priced["offers_applied"][0]["discount_minor"], 1798 + 6384);
        assert_eq!(priced["offers_applied"][1]["points_accrued"], 5000);
        assert_eq!(priced["offers_applied"][1]["coupon"], json!(code));
        assert_eq!(priced["discount_minor"], 1798 + 6384);
        assert_eq!(
            offer_ids(&priced["lines"][0], "offers_applied"),
            [dairy, bonus]
        );
        assert_eq!(
            priced["lines"][0]["offers_applied"][0]["discount_minor"],
            1798
        );
        assert_eq!(priced["to_pay_minor"], 17980 + 63840 - 1798 - 6384);
        // 5 % of what is paid, and the coupon's points.
        assert_eq!(
            priced["points_accrued"],
            (17980 - 1798) * 5 / 100 + (63840 - 6384) * 5 / 100 + 5000
        );
        let without = json!({"customer_id": vera, "lines": groceries()});
        let (_, plain) = till_call(&server, &shop, "/api/v1/pos/calculate", &without).await;
        assert_eq!(offer_ids(&plain, "offers_applied"), [dairy]);
        let skipped = &plain["offers_skipped"];
        assert_eq!(
            (&skipped[0]["offer_id"], &skipped[0]["reason"]),
            (&json!(bonus), &json!("coupon_missing")),
            "{plain}"
        );
        assert_eq!(
            skipped.as_array().unwrap().len(),
            1,
            "Oleg's offer is not Vera's business"
        );

        // Oleg's segment doubles his points; Vera's coupon is not his.
        let his = json!({"customer_id": oleg, "lines": groceries()});
        let (_, priced) = till_call(&server, &shop, "/api/v1/pos/calculate", &his).await;
        assert_eq!(offer_ids(&priced, "offers_applied"), [dairy, olegs]);
        let stolen = json!({"customer_id": oleg, "lines": groceries(), "coupons": [code]});
        let (status, problem) = till_call(&server, &shop, "/api/v1/pos/calculate", &stolen).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "coupons[0]", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "other_customer", "{problem}");

        // Committed once; the replay answers the same and uses nothing more.
        let first = receipt("R-1", vera, &[&code]);
        let (status, committed) = till_call(&server, &shop, "/api/v1/pos/receipts", &first).await;
        assert_eq!(status, 201, "{committed}");
        assert_eq!(offer_ids(&committed, "offers_applied"), [dairy, bonus]);
        // The same points available: nothing was committed twice.
        let (status, replayed) = till_call(&server, &shop, "/api/v1/pos/receipts", &first).await;
        assert_eq!(status, 201, "{replayed}");
        assert_eq!(replayed, committed);
        let (_, coupon) = server.get(&format!("/api/v1/coupons/{code}")).await;
        assert!(coupon["used_at"].is_string(), "{coupon}");
        let (status, problem) = till_call(
            &server,
            &shop,
            "/api/v1/pos/receipts",
            &receipt("R-2", vera, &[&code]),
        )
        .await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "used", "{problem}");
        let (_, found) = till_call(
            &server,
            &shop,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112244"}),
        )
        .await;
        assert_eq!(found["personal_offers"][0]["coupons"], json!([]));

        // The whole receipt back: the coupon is good again.
        return_all(&server, &shop, "R-1", "V-1").await;
        let (_, coupon) = server.get(&format!("/api/v1/coupons/{code}")).await;
        assert_eq!(coupon["used_at"], json!(null), "{coupon}");
        let (status, again) = till_call(
            &server,
            &shop,
            "/api/v1/pos/receipts",
            &receipt("R-3", vera, &[&code]),
        )
        .await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(offer_ids(&again, "offers_applied"), [dairy, bonus]);

        // A code nobody issued, and coupons on an anonymous receipt.
        let (status, problem) = till_call(
            &server,
            &shop,
            "/api/v1/pos/calculate",
            &json!({"customer_id": vera, "lines": groceries(), "coupons": ["NOPE-NOPE"]}),
        )
        .await;
        assert_eq!(status, 404, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "unknown", "{problem}");
        let (status, problem) = till_call(
            &server,
            &shop,
            "/api/v1/pos/calculate",
            &json!({"lines": groceries(), "coupons": [code]}),
        )
        .await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "coupons", "{problem}");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_budget_holds_with_32_tills_committing_at_once() {
    const TILLS: usize = 32;
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = open(&server, 1).await;
        // 100 points a receipt, 500 points in all: five receipts get it.
        let capped = offer(
            &server,
            json!({"name": "Сто баллов первым", "reward": "bonus_points", "reward_value": 10000,
                   "budget": {"points": {"total": 50000}}}),
        )
        .await;
        let mut tills = Vec::new();
        let mut customers = Vec::new();
        for n in 0..TILLS {
            let (_, till) = server
                .post(
                    "/api/v1/tills",
                    json!({"store_id": shop.store_id, "name": format!("Касса {n}")}),
                )
                .await;
            tills.push(client_with(till["key"].as_str().unwrap()));
            customers
                .push(customer(&server, &shop, &format!("+7916222{n:04}"), "Покупатель").await);
        }
        // A till priced with the offer while the budget lasted; the commit
        // checks again under lock, and refuses what would pass the cap.
        let commits = tills
            .iter()
            .zip(&customers)
            .enumerate()
            .map(|(n, (till, &customer))| {
                let body = receipt(&format!("B-{n}"), customer, &[]);
                let url = server.url("/api/v1/pos/receipts");
                async move {
                    let response = till.post(url).json(&body).send().await.unwrap();
                    common::decode(response).await
                }
            });
        let answers = futures_util::future::join_all(commits).await;
        let mut given = 0;
        let mut refused = Vec::new();
        for (n, (status, answer)) in answers.into_iter().enumerate() {
            match status {
                201 if offer_ids(&answer, "offers_applied") == [capped] => given += 1,
                201 => assert_eq!(answer["offers_skipped"][0]["reason"], "budget_exhausted"),
                409 => {
                    let said = answer["detail"].as_str().unwrap_or_default();
                    assert!(said.contains("no budget left"), "{answer}");
                    refused.push(n);
                }
                other => panic!("{engine:?} {other}: {answer}"),
            }
        }
        assert_eq!(given, 5, "{engine:?}");
        // Those refused price again and go through without it.
        for n in refused {
            let body = json!({"customer_id": customers[n], "lines": groceries()});
            let (_, priced) = till_call(&server, &shop, "/api/v1/pos/calculate", &body).await;
            assert_eq!(offer_ids(&priced, "offers_applied"), Vec::<i64>::new());
            assert_eq!(priced["offers_skipped"][0]["reason"], "budget_exhausted");
            let (status, answer) = till_call(
                &server,
                &shop,
                "/api/v1/pos/receipts",
                &receipt(&format!("B-{n}"), customers[n], &[]),
            )
            .await;
            assert_eq!(status, 201, "{answer}");
        }

        // A control group of half of everyone, over November on: every
        // customer in one group or the other, every receipt counted once.
        let held = offer(
            &server,
            json!({"name": "Половине", "reward": "bonus_points", "reward_value": 100,
                   "holdout_bp": 5000, "valid_from": "2026-11-01"}),
        )
        .await;
        let (status, results) = server.get(&format!("/api/v1/offers/{held}/results")).await;
        assert_eq!(status, 200, "{results}");
        let (offered, control) = (&results["offered"], &results["control"]);
        let sum = |key: &str| offered[key].as_i64().unwrap() + control[key].as_i64().unwrap();
        assert_eq!(sum("customers"), TILLS as i64, "{results}");
        assert_eq!(sum("buyers"), TILLS as i64, "{results}");
        assert_eq!(sum("receipts"), TILLS as i64, "{results}");
        assert_eq!(
            sum("revenue_minor"),
            TILLS as i64 * (17980 + 63840),
            "{results}"
        );
        assert!(control["customers"].as_i64().unwrap() > 0, "{results}");
        assert_eq!(results["from"], "2026-11-01");
        server.stop().await;
    }
}

/// The till's hold of `points` of the customer's, for the groceries.
async fn hold(server: &TestServer, shop: &Shop, customer: i64) -> (u16, Value) {
    let body = json!({"customer_id": customer, "lines": groceries(), "points_to_pay": 1000});
    till_call(server, shop, "/api/v1/pos/holds", &body).await
}

#[tokio::test]
async fn a_hold_keeps_its_offers_budget_until_its_receipt_comes_or_it_ends() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = open(&server, 1).await;
        let mut customers = Vec::new();
        for (n, name) in ["Анна", "Борис", "Карл"].into_iter().enumerate() {
            customers.push(customer(&server, &shop, &format!("+7916333000{n}"), name).await);
        }
        let [anna, boris, carl] = customers[..] else {
            unreachable!()
        };
        let (status, given) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": customers, "points": 100_000, "comment": "на пробу",
                       "password": "correct horse battery"}),
            )
            .await;
        assert_eq!(status, 201, "{given}");
        // 50 roubles off a basket, 80 roubles in all.
        let capped = offer(
            &server,
            json!({"name": "Полтинник", "reward": "amount_off", "reward_value": 5000,
                   "budget": {"money": {"total": 8000}}}),
        )
        .await;

        // Anna's hold keeps 50 of the 80: Boris's basket no longer fits.
        let (status, anna_held) = hold(&server, &shop, anna).await;
        assert_eq!(status, 201, "{engine:?} {anna_held}");
        assert_eq!(offer_ids(&anna_held, "offers_applied"), [capped]);
        let (status, problem) = hold(&server, &shop, boris).await;
        assert_eq!(status, 409, "{engine:?} {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("no budget left"),
            "{problem}"
        );
        let (_, found) = till_call(
            &server,
            &shop,
            "/api/v1/pos/identify",
            &json!({"phone": "+79163330001"}),
        )
        .await;
        assert_eq!(found["points_available"], 100_000, "nothing held: {found}");

        // Released, it frees its part; Boris's receipt then pays with his
        // own hold, whose part is its own.
        let released = shop
            .till
            .delete(server.url(&format!(
                "/api/v1/pos/holds/{}",
                anna_held["hold_id"].as_str().unwrap()
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(released.status(), 204);
        let (status, boris_held) = hold(&server, &shop, boris).await;
        assert_eq!(status, 201, "{boris_held}");
        let (status, _) = hold(&server, &shop, anna).await;
        assert_eq!(status, 409, "Boris's hold keeps 50 of the 80");
        let mut paying = receipt("H-1", boris, &[]);
        paying["points_to_pay"] = json!(1000);
        paying["hold_id"] = boris_held["hold_id"].clone();
        let (status, paid) = till_call(&server, &shop, "/api/v1/pos/receipts", &paying).await;
        assert_eq!(status, 201, "{engine:?} {paid}");
        assert_eq!(paid["offers_applied"][0]["discount_minor"], 5000);

        // 30 roubles are left: Anna's hold takes them, cut to what is left,
        // and Carl's basket gets nothing until her hold expires.
        let (status, anna_held) = hold(&server, &shop, anna).await;
        assert_eq!(status, 201, "{anna_held}");
        assert_eq!(anna_held["offers_applied"][0]["discount_minor"], 3000);
        let (status, _) = hold(&server, &shop, carl).await;
        assert_eq!(status, 409, "Anna's hold keeps the last 30");
        let later = TestServer::start_on(
            server.database_url.clone(),
            Clock::fixed(
                server.app.clock().zone().clone(),
                server.app.clock().now() + HOLD_FOR + SignedDuration::from_secs(1),
            ),
            "later",
        )
        .await;
        let (status, carl_held) = hold(&later, &shop, carl).await;
        assert_eq!(status, 201, "{engine:?} {carl_held}");
        assert_eq!(carl_held["offers_applied"][0]["discount_minor"], 3000);
    }
}
