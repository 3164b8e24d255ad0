//! The POS protocol over HTTP with a till key, on every engine: identify,
//! calculate, commit (replayed and conflicting), returns, the offline batch,
//! points by hand, and the bad input a till or a person may send.

use crate::common;

use common::{TestServer, client_with, till_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

/// A store, a till key, a bonus program (5 % back, up to half a receipt
/// payable, tobacco excluded) and a group of blank cards.
struct Shop {
    till: reqwest::Client,
    store_id: i64,
    cards: Vec<String>,
}

async fn shop(server: &TestServer) -> Shop {
    let (status, store) = server
        .post(
            "/api/v1/stores",
            json!({"code": "S-1", "name": "Магазин", "kind": "store"}),
        )
        .await;
    assert_eq!(status, 201, "{store}");
    let store_id = store["id"].as_i64().unwrap();
    let (status, program) = server
        .post(
            "/api/v1/programs",
            json!({"name": "Бонусы", "is_default": true, "rules": {
                "kind": "bonus", "earn_rate_bp": 500, "max_payable_share_bp": 5000,
                "excluded_categories": ["tobacco"], "min_price_minor": 100}}),
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
            json!({"count": 3}),
        )
        .await;
    assert_eq!(status, 201, "{run}");
    let (_, listed) = server.get("/api/v1/cards?active=false").await;
    let cards: Vec<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["barcode"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(cards.len(), 3);
    assert_eq!(run["first_barcode"], cards[0].as_str());
    let (status, till) = server
        .post(
            "/api/v1/tills",
            json!({"store_id": store_id, "name": "Касса 1"}),
        )
        .await;
    assert_eq!(status, 201, "{till}");
    Shop {
        till: client_with(till["key"].as_str().unwrap()),
        store_id,
        cards,
    }
}

async fn call(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    body: &Value,
) -> (u16, Value, String, bool) {
    let response = client
        .post(server.url(path))
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value, text, replayed)
}

/// Registers a customer at the till by phone; answers their id.
async fn register(server: &TestServer, till: &reqwest::Client, phone: &str, name: &str) -> i64 {
    let body = json!({"phone": phone, "register_name": name});
    let (status, found, ..) = call(server, till, "/api/v1/pos/identify", &body).await;
    assert_eq!(status, 200, "{found}");
    found["customer"]["id"].as_i64().unwrap()
}

fn lines() -> Value {
    json!([
        {"sku": "milk", "name": "Молоко", "category": "dairy", "quantity": 2, "price_minor": 8990, "amount_minor": 17980},
        {"sku": "cheese", "name": "Сыр", "category": "dairy", "quantity": 0.532, "price_minor": 120000, "amount_minor": 63840},
        {"sku": "cigs", "name": "Сигареты", "category": "tobacco", "quantity": 1, "price_minor": 25000, "amount_minor": 25000},
        {"sku": "bag", "name": "Пакет", "quantity": 1, "price_minor": 50, "amount_minor": 50}
    ])
}

fn sums_add_up(answer: &Value) {
    for field in [
        "discount_minor",
        "points_paid",
        "points_accrued",
        "to_pay_minor",
    ] {
        let sum: i64 = answer["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l[field].as_i64().unwrap())
            .sum();
        assert_eq!(
            sum,
            answer[field].as_i64().unwrap(),
            "{field} adds up: {answer}"
        );
    }
    assert_eq!(
        answer["total_minor"].as_i64().unwrap(),
        answer["discount_minor"].as_i64().unwrap()
            + answer["points_paid"].as_i64().unwrap()
            + answer["to_pay_minor"].as_i64().unwrap()
    );
}

#[tokio::test]
async fn a_till_identifies_calculates_commits_and_returns() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let till = &shop.till;

        // A blank card alone cannot be used; with a new phone it registers
        // the customer and activates the card.
        let (status, problem, ..) = call(
            &server,
            till,
            "/api/v1/pos/identify",
            &json!({"card": shop.cards[0]}),
        )
        .await;
        assert_eq!(status, 409, "a blank card alone: {problem}");
        let (status, found, ..) = call(
            &server,
            till,
            "/api/v1/pos/identify",
            &json!({"card": shop.cards[0], "phone": "+7 916 123-45-67", "register_name": "Анна Петрова"}),
        )
        .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(found["registered"], true);
        assert_eq!(found["warnings"], json!(["card_activated"]));
        assert_eq!(found["program"]["name"], "Бонусы");
        let customer_id = found["customer"]["id"].as_i64().unwrap();
        let (_, customer) = server
            .get(&format!("/api/v1/customers/{customer_id}"))
            .await;
        assert_eq!(customer["channel"], "pos");
        assert_eq!(customer["store_id"], shop.store_id);

        // Calculate changes nothing; lines add up; tobacco and the cheap bag
        // are not payable with points, tobacco earns nothing.
        let basket = json!({"card": shop.cards[0], "lines": lines()});
        let (status, calc, ..) = call(&server, till, "/api/v1/pos/calculate", &basket).await;
        assert_eq!(status, 200, "{calc}");
        sums_add_up(&calc);
        assert_eq!(calc["total_minor"], 17980 + 63840 + 25000 + 50);
        assert_eq!(calc["points_payable_max"], 0, "no points yet");
        assert_eq!(
            calc["lines"][2]["points_accrued"], 0,
            "tobacco earns nothing"
        );
        assert_eq!(calc["points_accrued"], 899 + 3192 + 2);

        // Commit, replay byte for byte, conflict on another body.
        let mut receipt = basket.clone();
        receipt["receipt_id"] = json!("R-0001");
        receipt["created_at"] = json!("2026-11-23T11:55:00+03:00");
        let (status, first, first_text, replayed) =
            call(&server, till, "/api/v1/pos/receipts", &receipt).await;
        assert_eq!(status, 201, "{first}");
        assert!(!replayed);
        sums_add_up(&first);
        assert_eq!(first["points_available"], 4093);
        let (status, _, again_text, replayed) =
            call(&server, till, "/api/v1/pos/receipts", &receipt).await;
        assert_eq!((status, replayed), (201, true));
        assert_eq!(
            again_text, first_text,
            "a replay is the first answer byte for byte"
        );
        let mut other = receipt.clone();
        other["lines"][0]["quantity"] = json!(3);
        let (status, problem, ..) = call(&server, till, "/api/v1/pos/receipts", &other).await;
        assert_eq!(status, 409, "{problem}");
        let stored = till
            .get(server.url("/api/v1/pos/receipts/R-0001"))
            .send()
            .await
            .unwrap();
        assert_eq!(stored.status(), StatusCode::OK);
        assert_eq!(stored.text().await.unwrap(), first_text);
        let (_, ledger) = server
            .get(&format!("/api/v1/customers/{customer_id}/ledger"))
            .await;
        assert_eq!(
            ledger["items"].as_array().unwrap().len(),
            1,
            "the replay accrued nothing: {ledger}"
        );

        // Points by hand need the password again.
        let adjustment = json!({"customer_ids": [customer_id], "points": 100_000, "comment": "компенсация",
            "message": "Мы начислили вам 1000 баллов", "password": "wrong password!"});
        let (status, problem) = server
            .post("/api/v1/points/adjustments", adjustment.clone())
            .await;
        assert_eq!(status, 403, "{problem}");
        let mut adjustment = adjustment;
        adjustment["password"] = json!(PASSWORD);
        let (status, adjusted) = server.post("/api/v1/points/adjustments", adjustment).await;
        assert_eq!(status, 201, "{adjusted}");
        assert_eq!(adjusted["items"][0]["points_available"], 104_093);

        // Any amount up to the largest payable; more is refused with the limit.
        let (_, calc, ..) = call(&server, till, "/api/v1/pos/calculate", &basket).await;
        let max = calc["points_payable_max"].as_i64().unwrap();
        assert_eq!(max, (17980 + 63840 + 25000 + 50) / 2);
        let mut asking = basket.clone();
        asking["points_to_pay"] = json!(max + 1);
        let (status, problem, ..) = call(&server, till, "/api/v1/pos/calculate", &asking).await;
        assert_eq!(status, 409, "more than this receipt may take: {problem}");
        assert_eq!(problem["errors"][0]["field"], "points_to_pay");
        asking["points_to_pay"] = json!(1234);
        let (status, calc, ..) = call(&server, till, "/api/v1/pos/calculate", &asking).await;
        assert_eq!((status, calc["points_paid"].as_i64()), (200, Some(1234)));
        sums_add_up(&calc);
        assert_eq!(
            calc["lines"][2]["points_paid"], 0,
            "tobacco is not paid with points"
        );
        assert_eq!(
            calc["lines"][3]["points_paid"], 0,
            "below the minimum price"
        );

        // A hold reserves the points until the payment; released, they are free.
        let (status, held, ..) = call(&server, till, "/api/v1/pos/holds", &asking).await;
        assert_eq!(status, 201, "{held}");
        let hold_path = |id: &str| server.url(&format!("/api/v1/pos/holds/{id}"));
        let released = till
            .delete(hold_path(held["hold_id"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(released.status(), StatusCode::NO_CONTENT);
        let again = till
            .delete(hold_path(held["hold_id"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        let (status, held, ..) = call(&server, till, "/api/v1/pos/holds", &asking).await;
        assert_eq!(
            (status, held["points_paid"].as_i64()),
            (201, Some(1234)),
            "{held}"
        );
        let (_, found, ..) = call(
            &server,
            till,
            "/api/v1/pos/identify",
            &json!({"card": shop.cards[0]}),
        )
        .await;
        assert_eq!(
            found["points_available"],
            104_093 - 1234,
            "held points are not available"
        );

        let mut paying = asking.clone();
        paying["hold_id"] = held["hold_id"].clone();
        paying["receipt_id"] = json!("R-0002");
        paying["created_at"] = json!("2026-11-23T12:00:00+03:00");
        let (status, paid, ..) = call(&server, till, "/api/v1/pos/receipts", &paying).await;
        assert_eq!(status, 201, "{paid}");
        let available = paid["points_available"].as_i64().unwrap();
        assert_eq!(
            available,
            104_093 - 1234 + paid["points_accrued"].as_i64().unwrap()
        );

        // A return of one line in part, replayed, then too much, then the rest.
        let partial = json!({"return_id": "X-1", "lines": [{"line": 2, "quantity": 0.266}]});
        let path = "/api/v1/pos/receipts/R-0002/returns";
        let (status, returned, returned_text, _) = call(&server, till, path, &partial).await;
        assert_eq!(status, 201, "{returned}");
        assert_eq!(returned["lines"][0]["quantity"], "0.266");
        assert_eq!(
            returned["refund_minor"],
            paid["lines"][1]["to_pay_minor"].as_i64().unwrap() / 2
        );
        let (_, _, again, replayed) = call(&server, till, path, &partial).await;
        assert!(replayed && again == returned_text);
        let too_much = json!({"return_id": "X-2", "lines": [{"line": 2, "quantity": 0.3}]});
        let (status, problem, ..) = call(&server, till, path, &too_much).await;
        assert_eq!(status, 409, "more than is left of the line: {problem}");
        assert_eq!(problem["errors"][0]["field"], "lines[0].quantity");
        let (status, rest, ..) = call(&server, till, path, &json!({"return_id": "X-3"})).await;
        assert_eq!(status, 201, "{rest}");
        let refunded =
            returned["refund_minor"].as_i64().unwrap() + rest["refund_minor"].as_i64().unwrap();
        assert_eq!(
            refunded,
            paid["to_pay_minor"].as_i64().unwrap(),
            "everything returned"
        );
        let given_back = returned["points_returned"].as_i64().unwrap()
            + rest["points_returned"].as_i64().unwrap();
        assert_eq!(given_back, 1234);
        assert_eq!(
            rest["points_available"], 104_093,
            "the balance is as before the receipt"
        );
        let (status, problem, ..) = call(&server, till, path, &json!({"return_id": "X-4"})).await;
        assert_eq!(status, 409, "nothing left to return: {problem}");

        // An anonymous receipt is kept.
        let anonymous = json!({"receipt_id": "R-0003", "created_at": "2026-11-23T12:05:00+03:00", "lines": lines()});
        let (status, kept, ..) = call(&server, till, "/api/v1/pos/receipts", &anonymous).await;
        assert_eq!(status, 201, "{kept}");
        assert_eq!(
            (kept["customer_id"].clone(), kept["points_accrued"].as_i64()),
            (Value::Null, Some(0))
        );

        // The ledger sums to the balance.
        let (_, ledger) = server
            .get(&format!("/api/v1/customers/{customer_id}/ledger?limit=100"))
            .await;
        let sum: i64 = ledger["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["points"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, ledger["balance"].as_i64().unwrap());
        assert_eq!(ledger["points_available"], 104_093);

        // The history: two purchases, the second returned in two steps.
        let (status, history) = server
            .get(&format!("/api/v1/customers/{customer_id}/history"))
            .await;
        assert_eq!(status, 200, "{history}");
        let purchases = history["purchases"].as_array().unwrap();
        assert_eq!(purchases.len(), 2);
        assert_eq!(purchases[0]["receipt_id"], "R-0002", "newest first");
        assert_eq!(purchases[0]["lines"], 4);
        assert_eq!(history["returns"].as_array().unwrap().len(), 2);
        assert_eq!(history["totals"]["purchases"], 2);
        assert_eq!(
            history["totals"]["spent_minor"], first["total_minor"],
            "the returned receipt is taken off"
        );
        assert_eq!(history["totals"]["points_available"], 104_093);
        assert_eq!(history["cards"][0]["barcode"], shop.cards[0].as_str());
        assert!(!history["points_entries"].as_array().unwrap().is_empty());
        server.stop().await;
    }
}

#[tokio::test]
async fn an_offline_till_uploads_a_batch_answered_receipt_by_receipt() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let till = &shop.till;
        let customer = register(&server, till, "+79161112233", "Борис").await;
        let (status, _) = server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [customer], "points": 1000, "comment": "подарок", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 201);
        let line = json!([{"sku": "bread", "name": "Хлеб", "quantity": 1, "price_minor": 5000, "amount_minor": 5000}]);
        let receipt = |id: &str, points: i64, at: &str| json!({"receipt_id": id, "created_at": at, "customer_id": customer, "lines": line, "points_to_pay": points});
        let batch = json!({"receipts": [
            receipt("OFF-1", 800, "2026-11-22T10:00:00+03:00"),
            // Paid offline with points no longer there: the sale stands, the
            // shortfall is owed.
            receipt("OFF-2", 800, "2026-11-22T10:05:00+03:00"),
            {"receipt_id": "OFF-3", "created_at": "yesterday", "lines": line},
            receipt("OFF-1", 800, "2026-11-22T10:00:00+03:00"),
        ]});
        let (status, answer, ..) = call(&server, till, "/api/v1/pos/receipts:batch", &batch).await;
        assert_eq!(status, 200, "{answer}");
        let results = answer["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert_eq!(results[0]["status"], 201);
        assert_eq!(results[1]["status"], 201);
        let accrued = results[0]["body"]["points_accrued"].as_i64().unwrap();
        assert_eq!(
            results[1]["body"]["points_owed"],
            800 - (1000 - 800 + accrued)
        );
        assert_eq!(results[2]["status"], 422);
        assert_eq!(results[2]["body"]["errors"][0]["field"], "created_at");
        assert_eq!(results[3]["status"], 201);
        assert_eq!(
            results[3]["body"], results[0]["body"],
            "the repeat is answered as the first"
        );
        let (_, ledger) = server
            .get(&format!("/api/v1/customers/{customer}/ledger"))
            .await;
        assert_eq!(ledger["points_available"], 0);
        assert!(
            ledger["balance"].as_i64().unwrap() < 0,
            "a debt is owed: {ledger}"
        );
        let (status, owed) = server.get("/api/v1/reports/points-owed").await;
        assert_eq!(status, 200, "{owed}");
        assert_eq!(owed["customers_owing"], 1);
        assert_eq!(
            owed["total_points_owed"],
            -ledger["balance"].as_i64().unwrap()
        );
        assert_eq!(owed["items"][0]["customer_id"], customer);
        assert_eq!(owed["items"][0]["points_owed"], owed["total_points_owed"]);
        server.stop().await;
    }
}

#[tokio::test]
async fn an_offline_days_upload_larger_than_other_requests_is_read() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let line = json!({"sku": "milk-3.2-1l", "name": "Молоко пастеризованное 3,2 % 1 л, бутылка ПЭТ",
            "category": "dairy", "quantity": 1, "price_minor": 8990, "amount_minor": 8990});
        let receipts: Vec<_> = (0..400)
            .map(|n| {
                json!({"receipt_id": format!("DAY-{n}"), "created_at": "2026-11-22T10:00:00+03:00",
                "lines": vec![line.clone(); 20]})
            })
            .collect();
        let batch = json!({ "receipts": receipts });
        assert!(batch.to_string().len() > 1024 * 1024);
        let (status, answer, ..) =
            call(&server, &shop.till, "/api/v1/pos/receipts:batch", &batch).await;
        assert_eq!(status, 200, "{answer}");
        let results = answer["results"].as_array().unwrap();
        assert_eq!(results.len(), 400);
        assert!(results.iter().all(|r| r["status"] == 201));
        server.stop().await;
    }
}

#[tokio::test]
async fn many_tills_paying_with_one_customers_points_never_overdraw() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let customer = register(&server, &shop.till, "+79161112244", "Вера").await;
        server
            .post(
                "/api/v1/points/adjustments",
                json!({"customer_ids": [customer], "points": 1000, "comment": "подарок", "password": PASSWORD}),
            )
            .await;
        let mut tills = Vec::new();
        for n in 0..16 {
            let (_, till) = server
                .post(
                    "/api/v1/tills",
                    json!({"store_id": shop.store_id, "name": format!("Касса {n}")}),
                )
                .await;
            tills.push(client_with(till["key"].as_str().unwrap()));
        }
        // 300 of a 600 receipt in points, 5 % back on the 300 paid in money
        // (usable at once): 1000 → 715 → 430 → 145, then nothing fits.
        let line = json!([{"sku": "tea", "name": "Чай", "quantity": 1, "price_minor": 600, "amount_minor": 600}]);
        let commits = tills.iter().enumerate().map(|(n, till)| {
            let body = json!({"receipt_id": format!("P-{n}"), "created_at": "2026-11-23T12:00:00+03:00",
                "customer_id": customer, "lines": line, "points_to_pay": 300});
            let url = server.url("/api/v1/pos/receipts");
            async move { till.post(url).json(&body).send().await.unwrap() }
        });
        let responses = futures_util::future::join_all(commits).await;
        let mut committed = 0;
        for response in responses {
            match response.status().as_u16() {
                201 => committed += 1,
                409 => {
                    let problem: Value = response.json().await.unwrap();
                    assert!(
                        problem["points_available"].as_i64().unwrap() < 300,
                        "{problem}"
                    );
                }
                other => panic!("{other}: {}", response.text().await.unwrap()),
            }
        }
        assert_eq!(committed, 3);
        let (_, ledger) = server
            .get(&format!("/api/v1/customers/{customer}/ledger"))
            .await;
        assert_eq!(ledger["points_available"], 145);
        assert_eq!(ledger["balance"], 145);
        server.stop().await;
    }
}

#[tokio::test]
async fn bad_input_at_the_till_is_refused_and_changes_nothing() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let till = &shop.till;
        let (_, found, ..) = call(
            &server,
            till,
            "/api/v1/pos/identify",
            &json!({"card": shop.cards[1], "phone": "+79161112255", "register_name": "Галина"}),
        )
        .await;
        let card_id = found["card"]["id"].as_i64().unwrap();
        let line = |quantity: Value, amount: Value| json!([{"sku": "a", "name": "A", "quantity": quantity, "price_minor": 1000, "amount_minor": amount}]);
        let receipt = |id: &str, lines: Value| json!({"receipt_id": id, "created_at": "2026-11-23T12:00:00+03:00", "card": shop.cards[1], "lines": lines});
        let many: Vec<Value> = (0..10_000)
            .map(|i| json!({"sku": format!("s{i}"), "name": "x", "quantity": 1, "price_minor": 1, "amount_minor": 1}))
            .collect();
        let cases = [
            (
                "zero quantity",
                receipt("B-1", line(json!(0), json!(1000))),
                422,
                "lines[0].quantity",
            ),
            (
                "negative quantity",
                receipt("B-2", line(json!(-1), json!(1000))),
                422,
                "lines[0].quantity",
            ),
            (
                "a fourth decimal",
                receipt("B-3", line(json!(0.0001), json!(1000))),
                422,
                "lines[0].quantity",
            ),
            (
                "a fraction of a kopeck",
                receipt("B-4", line(json!(1), json!(10.5))),
                422,
                "",
            ),
            (
                "10,000 lines",
                receipt("B-5", Value::Array(many)),
                422,
                "lines",
            ),
            (
                "an unknown card",
                json!({"receipt_id": "B-6", "created_at": "2026-11-23T12:00:00+03:00", "card": "9999999999999", "lines": line(json!(1), json!(1000))}),
                404,
                "",
            ),
            (
                "another store",
                {
                    let mut r = receipt("B-7", line(json!(1), json!(1000)));
                    r["store_id"] = json!(shop.store_id + 1000);
                    r
                },
                409,
                "store_id",
            ),
        ];
        for (what, body, status, field) in cases {
            let (got, problem, ..) = call(&server, till, "/api/v1/pos/receipts", &body).await;
            assert_eq!(got, status, "{what}: {problem}");
            if !field.is_empty() {
                assert_eq!(problem["errors"][0]["field"], field, "{what}: {problem}");
            }
        }
        let kept = receipt("OK-1", line(json!(1), json!(1000)));
        let (status, _, first, _) = call(&server, till, "/api/v1/pos/receipts", &kept).await;
        assert_eq!(status, 201, "{first}");
        let (status, blocked) = server
            .post(&format!("/api/v1/cards/{card_id}/block"), json!({}))
            .await;
        assert_eq!(status, 200, "{blocked}");
        let (status, _, again, replayed) = call(&server, till, "/api/v1/pos/receipts", &kept).await;
        assert_eq!(
            (status, replayed, again),
            (201, true, first),
            "a replay is answered as first, though the card is blocked since"
        );
        let (status, problem, ..) = call(
            &server,
            till,
            "/api/v1/pos/receipts",
            &receipt("B-8", line(json!(1), json!(1000))),
        )
        .await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "card_refused");
        let (status, found, ..) = call(
            &server,
            till,
            "/api/v1/pos/identify",
            &json!({"card": shop.cards[1]}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            found["warnings"],
            json!(["card_blocked"]),
            "identify shows why"
        );
        // A staff token cannot commit receipts, only a till can.
        let (status, problem) = server
            .post(
                "/api/v1/pos/receipts",
                receipt("B-9", line(json!(1), json!(1000))),
            )
            .await;
        assert_eq!(status, 403, "{problem}");
        for id in [
            "B-1", "B-2", "B-3", "B-4", "B-5", "B-6", "B-7", "B-8", "B-9",
        ] {
            let response = till
                .get(server.url(&format!("/api/v1/pos/receipts/{id}")))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "{id} was not kept"
            );
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn expired_points_are_written_off_once_per_slot() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let (_, found, ..) = call(
            &server,
            &shop.till,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112266", "register_name": "Дарья"}),
        )
        .await;
        let customer = clientele_domain::CustomerId(found["customer"]["id"].as_i64().unwrap());
        let app = &server.app;
        let now = app.clock().now();
        let author = app.staff_users().await.unwrap()[0].id;
        // Points given a month ago that expired yesterday.
        let month_ago = now - jiff::SignedDuration::from_hours(24 * 30);
        server
            .db
            .adjust_points(&clientele_store::PointsAdjustment {
                customer_ids: vec![customer],
                points: 500,
                comment: "акция".into(),
                message: None,
                kind: clientele_domain::posting::LedgerKind::Manual,
                author: Some(author),
                lot: clientele_domain::posting::LotTerms {
                    usable_from: month_ago,
                    expires_at: Some(now - jiff::SignedDuration::from_hours(24)),
                },
                at: month_ago,
            })
            .await
            .unwrap();
        let first = app.run_due_jobs().await.unwrap();
        assert!(first.expiry_ran);
        assert_eq!(first.expired_customers, 1);
        let again = app.run_due_jobs().await.unwrap();
        assert!(!again.expiry_ran, "the hour's slot is taken");
        let (_, ledger) = server
            .get(&format!("/api/v1/customers/{}/ledger", customer.0))
            .await;
        assert_eq!(ledger["balance"], 0);
        assert_eq!(ledger["items"][0]["kind"], "expiry");
        assert_eq!(ledger["items"][0]["points"], -500);
        server.stop().await;
    }
}

#[tokio::test]
async fn tiers_set_by_hand_price_the_next_receipt() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let (_, programs) = server.get("/api/v1/programs").await;
        let program = programs["items"][0]["id"].clone();
        let (status, gold) = server
            .post(
                "/api/v1/tiers",
                json!({"program_id": program, "name": "Золото", "threshold_minor": 100_000_000, "earn_rate_bp": 1000}),
            )
            .await;
        assert_eq!(status, 201, "{gold}");
        let (_, found, ..) = call(
            &server,
            &shop.till,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112277", "register_name": "Ева"}),
        )
        .await;
        let customer = found["customer"]["id"].clone();
        let basket = json!({"customer_id": customer, "lines": [
            {"sku": "tea", "name": "Чай", "quantity": 1, "price_minor": 10_000, "amount_minor": 10_000}]});
        let (_, before, ..) = call(&server, &shop.till, "/api/v1/pos/calculate", &basket).await;
        assert_eq!(before["points_accrued"], 500, "the program's 5 %");

        let bad = [
            (json!({"customer_ids": [], "tier_id": gold["id"]}), 422),
            (json!({"customer_ids": [customer], "tier_id": 999_999}), 404),
            (
                json!({"customer_ids": [customer], "tier_id": gold["id"], "until": "2020-01-01T00:00:00Z"}),
                422,
            ),
        ];
        for (body, refused) in bad {
            let (status, problem) = server.post("/api/v1/tiers/assignments", body).await;
            assert_eq!(status, refused, "{problem}");
        }
        let (status, set) = server
            .post(
                "/api/v1/tiers/assignments",
                json!({"customer_ids": [customer], "tier_id": gold["id"], "until": "2027-01-01T00:00:00+03:00"}),
            )
            .await;
        assert_eq!((status, set["customers"].as_i64()), (200, Some(1)), "{set}");
        let (_, after, ..) = call(&server, &shop.till, "/api/v1/pos/calculate", &basket).await;
        assert_eq!(after["points_accrued"], 1000, "gold's 10 %");
        let (_, found, ..) = call(
            &server,
            &shop.till,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112277"}),
        )
        .await;
        assert_eq!(found["tier"]["name"], "Золото");
        let (_, audit) = server
            .get(&format!("/api/v1/audit?customer_id={customer}"))
            .await;
        assert!(
            audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "tier.set"),
            "{audit}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn birthdays_and_referrals_are_rewarded_once() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let (_, programs) = server.get("/api/v1/programs").await;
        let program = &programs["items"][0];
        let mut rules = program["rules"].clone();
        rules["birthday_points"] = json!(30_000);
        rules["birthday_days_before"] = json!(3);
        rules["birthday_message"] = json!("С днём рождения!");
        rules["referral_points"] = json!(20_000);
        let (status, _) = server
            .patch(
                &format!("/api/v1/programs/{}", program["id"]),
                json!({"rules": rules}),
            )
            .await;
        assert_eq!(status, 200);
        // The test clock says 2026-11-23: three days before 26 November.
        let (_, born) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Именинница", "birth_date": "1990-11-26"}),
            )
            .await;
        let (_, other) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Не сегодня", "birth_date": "1990-11-27"}),
            )
            .await;
        let (_, referrer) = server
            .post("/api/v1/customers", json!({"name": "Пригласивший"}))
            .await;
        let (_, referred) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Приглашённый", "referrer_id": referrer["id"]}),
            )
            .await;
        let bought = json!({"receipt_id": "F-1", "created_at": "2026-11-23T12:00:00+03:00",
            "customer_id": referred["id"], "lines": [
            {"sku": "tea", "name": "Чай", "quantity": 1, "price_minor": 10_000, "amount_minor": 10_000}]});
        let (status, ..) = call(&server, &shop.till, "/api/v1/pos/receipts", &bought).await;
        assert_eq!(status, 201);

        let report = server.app.run_due_jobs().await.unwrap();
        assert_eq!((report.birthdays, report.referrals), (1, 1), "{report:?}");
        let again = server.app.run_due_jobs().await.unwrap();
        assert_eq!(
            (again.birthdays, again.referrals),
            (0, 0),
            "once each: {again:?}"
        );

        let entries = |id: &Value| {
            let path = format!("/api/v1/customers/{id}/ledger");
            let server = &server;
            async move { server.get(&path).await.1["items"].clone() }
        };
        let birthday = entries(&born["id"]).await;
        assert_eq!(
            (birthday[0]["kind"].as_str(), birthday[0]["points"].as_i64()),
            (Some("birthday"), Some(30_000))
        );
        assert_eq!(entries(&other["id"]).await, json!([]));
        let (_, history) = server
            .get(&format!("/api/v1/customers/{}/history", referrer["id"]))
            .await;
        assert_eq!(
            history["referrals"][0]["customer_id"], referred["id"],
            "{history}"
        );
        let reward = entries(&referrer["id"]).await;
        assert_eq!(
            (reward[0]["kind"].as_str(), reward[0]["points"].as_i64()),
            (Some("referral"), Some(20_000))
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn tiers_of_a_rolling_period_are_recomputed_daily() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let (_, programs) = server.get("/api/v1/programs").await;
        let program = &programs["items"][0];
        let mut rules = program["rules"].clone();
        rules["tier_period_days"] = json!(30);
        let (status, _) = server
            .patch(
                &format!("/api/v1/programs/{}", program["id"]),
                json!({"rules": rules}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, silver) = server
            .post("/api/v1/tiers", json!({"program_id": program["id"], "name": "Серебро", "threshold_minor": 5_000, "earn_rate_bp": 700}))
            .await;
        let recent = register(&server, &shop.till, "+79161112288", "Свежий").await;
        let old = register(&server, &shop.till, "+79161112299", "Давний").await;
        let receipt = |id: &str, customer: i64, at: &str| {
            json!({"receipt_id": id, "created_at": at, "customer_id": customer, "lines": [
                {"sku": "tea", "name": "Чай", "quantity": 1, "price_minor": 6_000, "amount_minor": 6_000}]})
        };
        // The test clock says 2026-11-23; the old purchase is outside the 30 days.
        for (id, customer, at) in [
            ("T-1", recent, "2026-11-20T12:00:00+03:00"),
            ("T-2", old, "2026-09-01T12:00:00+03:00"),
        ] {
            let (status, body, ..) = call(
                &server,
                &shop.till,
                "/api/v1/pos/receipts:batch",
                &json!({"receipts": [receipt(id, customer, at)]}),
            )
            .await;
            assert_eq!(
                (status, body["results"][0]["status"].as_i64()),
                (200, Some(201)),
                "{body}"
            );
        }
        let report = server.app.run_due_jobs().await.unwrap();
        assert_eq!(report.tiers_recomputed, 2, "{report:?}");
        let tier = |customer: i64| {
            let server = &server;
            async move {
                let (_, history) = server
                    .get(&format!("/api/v1/customers/{customer}/history"))
                    .await;
                history["totals"]["tier_id"].clone()
            }
        };
        assert_eq!(tier(recent).await, silver["id"]);
        assert_eq!(
            tier(old).await,
            Value::Null,
            "spend outside the period does not count"
        );
        assert_eq!(
            server.app.run_due_jobs().await.unwrap().tiers_recomputed,
            0,
            "once a day"
        );
        // A purchase whose spend of the period reaches a tier raises it at once.
        let today = receipt("T-3", old, "2026-11-23T12:00:00+03:00");
        let (status, ..) = call(&server, &shop.till, "/api/v1/pos/receipts", &today).await;
        assert_eq!(status, 201);
        assert_eq!(tier(old).await, silver["id"]);
        server.stop().await;
    }
}

#[tokio::test]
async fn certificates_are_issued_and_shown_at_the_till() {
    for engine in till_engines() {
        let server = TestServer::start(engine).await;
        let shop = shop(&server).await;
        let anna = register(&server, &shop.till, "+79161112200", "Анна").await;
        let boris = register(&server, &shop.till, "+79161112201", "Борис").await;
        let (status, problem) = server
            .post(
                "/api/v1/certificates/templates",
                json!({"name": "", "face_value_minor": 0, "valid_days": 0}),
            )
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 3);
        let (status, template) = server
            .post(
                "/api/v1/certificates/templates",
                json!({"name": "Подарок 1000", "face_value_minor": 100_000, "valid_days": 365, "partial_use": true}),
            )
            .await;
        assert_eq!(status, 201, "{template}");
        // To the ticked customers at once, and to the bearer.
        let (status, issued) = server
            .post(
                "/api/v1/certificates",
                json!({"template_id": template["id"], "customer_ids": [anna, boris, anna]}),
            )
            .await;
        assert_eq!(status, 201, "{issued}");
        assert_eq!(issued["items"].as_array().unwrap().len(), 2, "one each");
        let (status, bearer) = server
            .post(
                "/api/v1/certificates",
                json!({"template_id": template["id"], "count": 3}),
            )
            .await;
        assert_eq!(
            (status, bearer["items"].as_array().unwrap().len()),
            (201, 3)
        );
        let (status, problem) = server
            .post(
                "/api/v1/certificates",
                json!({"template_id": template["id"], "customer_ids": [anna], "count": 1}),
            )
            .await;
        assert_eq!(status, 422, "{problem}");

        let code = issued["items"][0]["code"].as_str().unwrap().to_owned();
        let typed = code.to_lowercase().replace('-', " ");
        let (status, history) = server
            .get(&format!(
                "/api/v1/certificates/{}",
                typed.replace(' ', "%20")
            ))
            .await;
        assert_eq!(status, 200, "{history}");
        assert_eq!(history["certificate"]["balance_minor"], 100_000);
        assert_eq!(history["movements"][0]["kind"], "issue");
        let (_, found, ..) = call(
            &server,
            &shop.till,
            "/api/v1/pos/identify",
            &json!({"phone": "+79161112200"}),
        )
        .await;
        assert_eq!(
            found["certificates"].as_array().unwrap().len(),
            1,
            "{found}"
        );
        assert_eq!(found["certificates"][0]["balance_minor"], 100_000);
        let (_, history) = server
            .get(&format!("/api/v1/customers/{boris}/history"))
            .await;
        assert_eq!(
            history["certificates"].as_array().unwrap().len(),
            1,
            "{history}"
        );
        let (_, listed) = server
            .get(&format!("/api/v1/certificates?customer_id={boris}"))
            .await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let (status, _) = server.get("/api/v1/certificates/NONE-NONE-NONE").await;
        assert_eq!(status, 404);

        // At the till: the certificate pays after points, the rest stays on it.
        let basket = json!({"customer_id": anna, "certificates": [typed], "lines": [
            {"sku": "coat", "name": "Пальто", "quantity": 1, "price_minor": 60_000, "amount_minor": 60_000}]});
        let (status, calc, ..) = call(&server, &shop.till, "/api/v1/pos/calculate", &basket).await;
        assert_eq!(status, 200, "{calc}");
        assert_eq!(
            (
                calc["certificates_paid_minor"].as_i64(),
                calc["money_to_pay_minor"].as_i64()
            ),
            (Some(60_000), Some(0))
        );
        let mut receipt = basket.clone();
        receipt["receipt_id"] = json!("C-1");
        receipt["created_at"] = json!("2026-11-23T12:00:00+03:00");
        let (status, committed, ..) =
            call(&server, &shop.till, "/api/v1/pos/receipts", &receipt).await;
        assert_eq!(status, 201, "{committed}");
        let (_, history) = server.get(&format!("/api/v1/certificates/{code}")).await;
        assert_eq!(history["certificate"]["balance_minor"], 40_000);
        assert_eq!(history["movements"][1]["kind"], "redeem");
        assert_eq!(history["movements"][1]["amount_minor"], -60_000);
        let (status, _, _, replayed) =
            call(&server, &shop.till, "/api/v1/pos/receipts", &receipt).await;
        assert!(status == 201 && replayed);
        let (_, history) = server.get(&format!("/api/v1/certificates/{code}")).await;
        assert_eq!(
            history["certificate"]["balance_minor"], 40_000,
            "the replay took nothing"
        );
        // The coat comes back: what the certificate paid goes back onto it.
        let (status, returned, ..) = call(
            &server,
            &shop.till,
            "/api/v1/pos/receipts/C-1/returns",
            &json!({"return_id": "CR-1"}),
        )
        .await;
        assert_eq!(status, 201, "{returned}");
        assert_eq!(returned["refund_minor"], 60_000);
        assert_eq!(returned["money_refund_minor"], 0);
        assert_eq!(returned["certificates"][0]["code"], code.as_str());
        assert_eq!(returned["certificates"][0]["refunded_minor"], 60_000);
        let (_, history) = server.get(&format!("/api/v1/certificates/{code}")).await;
        assert_eq!(history["certificate"]["balance_minor"], 100_000);
        assert_eq!(history["movements"][2]["kind"], "refund");

        let mut unknown = basket.clone();
        unknown["certificates"] = json!(["ZZZZ-ZZZZ-ZZZZ"]);
        let (status, problem, ..) =
            call(&server, &shop.till, "/api/v1/pos/calculate", &unknown).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (404, Some("certificates[0]")),
            "{problem}"
        );
        server.stop().await;
    }
}
