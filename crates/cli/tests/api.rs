//! The customer API over HTTP, on each engine.

use crate::common;

use common::{TestServer, engines};
use reqwest::Method;
use serde_json::json;

async fn count(server: &TestServer) -> usize {
    let (status, body) = server.get("/api/v1/customers?limit=500").await;
    assert_eq!(status, 200);
    body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn customers_are_registered_edited_archived_and_merged() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, anna) = server
            .post(
                "/api/v1/customers",
                json!({
                    "name": "Иванова Анна",
                    "phone": "8 (912) 345-67-89",
                    "email": "Anna@Mail.ru",
                    "gender": "female",
                    "birth_date": "05.03.1990",
                    "consents": {"sms": true, "email": false},
                }),
            )
            .await;
        assert_eq!(status, 201, "{engine:?}: {anna}");
        assert_eq!(anna["phone"], "+79123456789");
        assert_eq!(anna["email"], "anna@mail.ru");
        assert_eq!(anna["birth_date"], "1990-03-05");
        assert_eq!(anna["consents"]["sms"]["granted"], true);
        assert_eq!(anna["consents"]["sms"]["source"], "api");
        assert_eq!(anna["channel"], "api");
        let id = anna["id"].as_i64().unwrap();

        let (status, problem) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Анна 2", "phone": "+7 912 345 67 89"}),
            )
            .await;
        assert_eq!(status, 409);
        assert_eq!(problem["existing_customer_id"], id);
        assert_eq!(problem["errors"][0]["field"], "phone");

        let (status, patched) = server
            .patch(
                &format!("/api/v1/customers/{id}"),
                json!({"email": null, "city": "Казань"}),
            )
            .await;
        assert_eq!(status, 200, "{patched}");
        assert_eq!(patched["email"], serde_json::Value::Null);
        assert_eq!(patched["city"], "Казань");
        assert_eq!(patched["phone"], "+79123456789", "untouched fields stay");
        // JSON Schema reads 1.0 as the integer 1, and so does the API.
        let group = patched["group_id"].as_i64().unwrap();
        let (status, same) = server
            .patch(
                &format!("/api/v1/customers/{id}"),
                json!({"group_id": group as f64}),
            )
            .await;
        assert_eq!((status, &same["group_id"]), (200, &json!(group)), "{same}");

        let (status, dup) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Анна Иванова", "email": "anna2@mail.ru", "notes": "VIP"}),
            )
            .await;
        assert_eq!(status, 201);
        let dup_id = dup["id"].as_i64().unwrap();
        let (status, merged) = server
            .post(
                &format!("/api/v1/customers/{id}/merge"),
                json!({"duplicate_id": dup_id}),
            )
            .await;
        assert_eq!(status, 200, "{merged}");
        assert_eq!(merged["email"], "anna2@mail.ru");
        assert_eq!(merged["notes"], "VIP");
        let (_, gone) = server.get(&format!("/api/v1/customers/{dup_id}")).await;
        assert_eq!(gone["merged_into"]["id"], id);
        assert_eq!(gone["status"], "archived");
        let (status, _) = server
            .post(
                &format!("/api/v1/customers/{id}/merge"),
                json!({"duplicate_id": dup_id}),
            )
            .await;
        assert_eq!(status, 409, "merging twice is refused");

        let (status, archived) = server
            .post(&format!("/api/v1/customers/{id}/archive"), json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(archived["status"], "archived");
        server.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_a_clear_problem_and_changes_nothing() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        server
            .post(
                "/api/v1/customers",
                json!({"name": "Есть", "phone": "+79001112233"}),
            )
            .await;
        let raw = |body: &'static str| {
            server
                .client
                .post(server.url("/api/v1/customers"))
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let (status, problem) = common::decode(raw("{\"name\": ").await.unwrap()).await;
        assert_eq!(status, 400, "malformed JSON: {problem}");
        let (status, _) =
            common::decode(raw("{\"name\": \"A\", \"nickname\": \"B\"}").await.unwrap()).await;
        assert_eq!(status, 422, "unknown field");
        let (status, _) = common::decode(raw("{\"name\": 42}").await.unwrap()).await;
        assert_eq!(status, 422, "wrong type");
        let (status, _) = common::decode(raw("[\"A\", null]").await.unwrap()).await;
        assert_eq!(status, 422, "a body is an object, not a list of its fields");
        let response = server
            .client
            .post(server.url("/api/v1/customers"))
            .header("content-type", "text/plain")
            .body("{\"name\": \"A\"}")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        assert_eq!(common::decode(response).await.0, 415, "not sent as JSON");
        let huge = format!("{{\"name\": \"{}\"}}", "я".repeat(1_100_000));
        let response = server
            .client
            .post(server.url("/api/v1/customers"))
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(common::decode(response).await.0, 413, "too large");

        let (status, problem) = server
            .post("/api/v1/customers", json!({"name": " ", "phone": "12", "email": "x@", "birth_date": "31.02.1990", "gender": "other", "group_id": 999}))
            .await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["name", "phone", "email", "gender", "birth_date"],
            "{problem}"
        );
        let (status, problem) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Группа", "group_id": 999}),
            )
            .await;
        assert_eq!(status, 404, "a group named that does not exist");
        assert_eq!(problem["errors"][0]["field"], "group_id");

        assert_eq!(server.get("/api/v1/customers/999999").await.0, 404);
        assert_eq!(server.get("/api/v1/customers/abc").await.0, 404);
        assert_eq!(server.get("/api/v1/customers/-1").await.0, 404);
        assert_eq!(server.get("/api/v1/nothing-here").await.0, 404);
        assert_eq!(
            server
                .send(Method::PUT, "/api/v1/customers", json!({}))
                .await
                .0,
            405
        );
        let (status, problem) = server.get("/api/v1/customers?gendr=female").await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("gendr"))
        );
        assert_eq!(server.get("/api/v1/customers?cursor=nonsense").await.0, 404);
        assert_eq!(server.get("/api/v1/customers?limit=0").await.0, 422);
        assert_eq!(
            server.get("/api/v1/customers?birthday_from=13-01").await.0,
            422
        );
        assert_eq!(
            server
                .patch("/api/v1/customers/1", json!({"phone": "nope"}))
                .await
                .0,
            422
        );

        assert_eq!(count(&server).await, 1, "{engine:?}: nothing was written");
        server.stop().await;
    }
}

#[tokio::test]
async fn lists_filter_sort_and_page() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (_, property) = server.post("/api/v1/properties", json!({"name": "pet", "label": "Питомец", "kind": "choice", "choices": ["Кошка", "Собака"]})).await;
        assert_eq!(property["name"], "pet");
        for i in 0..25 {
            let (status, body) = server
                .post(
                    "/api/v1/customers",
                    json!({
                        "name": format!("Клиент {i:02}"),
                        "phone": format!("+7916000{i:04}"),
                        "gender": if i % 2 == 0 { "female" } else { "male" },
                        "birth_date": format!("19{}-12-{:02}", 60 + i, 20 + i % 10),
                        "consents": {"sms": i % 3 == 0},
                        "properties": {"pet": if i % 5 == 0 { "кошка" } else { "Собака" }},
                    }),
                )
                .await;
            assert_eq!(status, 201, "{body}");
        }
        let mut names = Vec::new();
        let mut path = "/api/v1/customers?limit=4&sort=-name&gender=female".to_owned();
        loop {
            let (status, page) = server.get(&path).await;
            assert_eq!(status, 200, "{page}");
            names.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_owned()),
            );
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    path = format!(
                        "/api/v1/customers?limit=4&sort=-name&gender=female&cursor={cursor}"
                    )
                }
                None => break,
            }
        }
        let expected: Vec<String> = (0..25)
            .rev()
            .filter(|i| i % 2 == 0)
            .map(|i| format!("Клиент {i:02}"))
            .collect();
        assert_eq!(names, expected);
        let (_, cats) = server
            .get("/api/v1/customers?property_pet=Кошка&consent_sms=true&sort=id")
            .await;
        let cat_names: Vec<&str> = cats["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(cat_names, ["Клиент 00", "Клиент 15"]);
        let (_, by_phone) = server.get("/api/v1/customers?q=0000017").await;
        assert_eq!(by_phone["items"][0]["name"], "Клиент 17");
        server.stop().await;
    }
}

#[tokio::test]
async fn groups_stores_and_properties_are_managed() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, groups) = server.get("/api/v1/customer-groups").await;
        assert_eq!(status, 200);
        assert_eq!(
            groups["items"][0]["is_default"], true,
            "a fresh database has a default group"
        );
        let (status, vip) = server
            .post("/api/v1/customer-groups", json!({"name": "VIP"}))
            .await;
        assert_eq!(status, 201);
        assert_eq!(
            server
                .post("/api/v1/customer-groups", json!({"name": "VIP"}))
                .await
                .0,
            409
        );
        // A group steps down from the default only by another's stepping up.
        let vip_id = vip["id"].as_i64().unwrap();
        let (status, same) = server
            .patch(
                &format!("/api/v1/customer-groups/{vip_id}"),
                json!({"is_default": false}),
            )
            .await;
        assert_eq!((status, &same["is_default"]), (200, &json!(false)));
        let default_id = groups["items"][0]["id"].as_i64().unwrap();
        let (status, problem) = server
            .patch(
                &format!("/api/v1/customer-groups/{default_id}"),
                json!({"is_default": false}),
            )
            .await;
        assert_eq!(status, 409, "{problem}");
        let (status, region) = server
            .post(
                "/api/v1/stores",
                json!({"code": "TAT", "name": "Татарстан", "kind": "region"}),
            )
            .await;
        assert_eq!(status, 201);
        let (status, store) = server
            .post(
                "/api/v1/stores",
                json!({"code": "KZN-01", "name": "Казань, Баумана", "parent_id": region["id"]}),
            )
            .await;
        assert_eq!(status, 201, "{store}");
        let (status, problem) = server.post("/api/v1/stores", json!({"code": "X", "name": "Регион под магазином", "kind": "region", "parent_id": store["id"]})).await;
        assert_eq!(status, 409, "{problem}");
        let (status, customer) = server
            .post("/api/v1/customers", json!({"name": "Покупатель", "group_id": vip["id"], "store_id": store["id"], "channel": "pos"}))
            .await;
        assert_eq!(status, 201, "{customer}");
        let vip_path = format!("/api/v1/customer-groups/{}", vip["id"]);
        assert_eq!(
            server.send(Method::DELETE, &vip_path, json!(null)).await.0,
            409,
            "a group in use stays"
        );
        let (status, _) = server
            .get(&format!(
                "/api/v1/customers?store_id={}&channel=pos",
                store["id"]
            ))
            .await;
        assert_eq!(status, 200);
        // A property defined now filters at once, though the list read the
        // definitions a moment ago.
        assert_eq!(server.get("/api/v1/customers").await.0, 200);
        let (status, _) = server
            .post(
                "/api/v1/properties",
                json!({"name": "vision", "label": "Зрение", "kind": "number"}),
            )
            .await;
        assert_eq!(status, 201);
        assert_eq!(
            server.get("/api/v1/customers?property_vision=-1.5").await.0,
            200
        );
        let (status, property) = server
            .post(
                "/api/v1/properties",
                json!({"name": "Bad Name", "label": "x", "kind": "string"}),
            )
            .await;
        assert_eq!(
            (status, property["errors"][0]["field"].as_str()),
            (422, Some("name"))
        );
        let (_, log) = server.get("/api/v1/audit?user=owner&limit=500").await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for action in ["customer_group.create", "store.create", "property.create"] {
            assert!(actions.contains(&action), "{action} is logged: {actions:?}");
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn service_routes_answer() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let (status, health) = server.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(health["engine"], "sqlite");
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    assert!(ready["schema_version"].as_i64().unwrap() > 0, "{ready}");
    let (status, openapi) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(
        openapi["components"]["securitySchemes"]["bearer"]["scheme"], "bearer",
        "the API page offers to authorize with a token"
    );
    for path in [
        "/api/v1/customers",
        "/api/v1/customers/{id}",
        "/api/v1/customers/{id}/merge",
        "/api/v1/stores",
        "/api/v1/properties",
        "/api/v1/customer-groups",
    ] {
        assert!(
            openapi["paths"][path].is_object(),
            "the OpenAPI document describes {path}"
        );
    }
    let docs = server
        .client
        .get(server.url("/api/v1/docs/"))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status().as_u16(), 200);
    let headers = docs.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        docs.text().await.unwrap().contains("swagger-ui"),
        "the API page is served locally"
    );
    let metrics = server
        .client
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("http_request_duration_seconds"));
    server.stop().await;
}

#[tokio::test]
async fn customer_changes_are_in_the_audit_log_without_personal_values() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (_, anna) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Иванова Анна", "phone": "+79123456789", "city": "Тула"}),
            )
            .await;
        let id = anna["id"].as_i64().unwrap();
        let (status, _) = server
            .patch(
                &format!("/api/v1/customers/{id}"),
                json!({"city": "Казань", "phone": "+79120000000"}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, unchanged) = server
            .patch(
                &format!("/api/v1/customers/{id}"),
                json!({"city": "Казань"}),
            )
            .await;
        assert_eq!(status, 200, "{unchanged}");

        let (status, log) = server.get(&format!("/api/v1/audit?customer_id={id}")).await;
        assert_eq!(status, 200, "{log}");
        let items = log["items"].as_array().unwrap();
        let actions: Vec<&str> = items
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["customer.update", "customer.create"],
            "newest first; a change that changes nothing is not one"
        );
        let update = &items[0];
        assert_eq!(update["actor"]["kind"], "user");
        assert_eq!(update["actor"]["login"], "owner");
        assert_eq!(update["ip"], "127.0.0.1");
        assert_eq!(update["before"], json!({"city": "Тула", "phone": "•••"}));
        assert_eq!(update["after"], json!({"city": "Казань", "phone": "•••"}));
        assert!(
            !log.to_string().contains("912"),
            "no phone digits in the log"
        );

        let (status, by_user) = server.get("/api/v1/audit?user=owner&limit=1").await;
        assert_eq!(status, 200);
        assert_eq!(by_user["items"].as_array().unwrap().len(), 1);
        assert!(by_user["next_cursor"].is_string());
        let (status, problem) = server.get("/api/v1/audit?from=yesterday").await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "from");
        server.stop().await;
    }
}

#[tokio::test]
async fn personal_data_is_exported_and_erased_on_request() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (_, anna) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Иванова Анна", "phone": "+79123456789",
                       "email": "anna@mail.ru", "birth_date": "1990-03-05",
                       "consents": {"sms": true}}),
            )
            .await;
        let id = anna["id"].as_i64().unwrap();

        let (status, export) = server
            .get(&format!("/api/v1/customers/{id}/personal-data"))
            .await;
        assert_eq!(status, 200, "{export}");
        assert_eq!(export["customer"]["phone"], "+79123456789");
        assert_eq!(export["customer"]["consents"]["sms"]["granted"], true);
        assert_eq!(export["audit"][0]["action"], "customer.create");

        let erase = format!("/api/v1/customers/{id}/erase");
        let (status, problem) = server
            .post(&erase, json!({"password": "not my password"}))
            .await;
        assert_eq!(status, 403, "{problem}");
        let (_, still) = server.get(&format!("/api/v1/customers/{id}")).await;
        assert_eq!(
            still["phone"], "+79123456789",
            "a refused erasure changes nothing"
        );

        let (status, erased) = server
            .post(&erase, json!({"password": "correct horse battery"}))
            .await;
        assert_eq!(status, 200, "{erased}");
        for field in ["phone", "email", "birth_date", "gender", "city"] {
            assert_eq!(erased[field], serde_json::Value::Null, "{field}");
        }
        assert!(!erased["name"].as_str().unwrap().contains("Анна"));
        assert_eq!(erased["status"], "archived");
        assert_eq!(erased["consents"], json!({}));

        // The phone is free again, and the log tells what happened without it.
        let (status, _) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Новая", "phone": "+79123456789"}),
            )
            .await;
        assert_eq!(status, 201);
        let (_, log) = server.get("/api/v1/audit").await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"customer.erase"), "{actions:?}");
        assert!(
            actions.contains(&"staff.password_confirmation_failed"),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"customer.personal_data_export"),
            "{actions:?}"
        );
        assert!(!log.to_string().contains("9123456789"));
        server.stop().await;
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_user_out() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let (_, anna) = server
        .post(
            "/api/v1/customers",
            json!({"name": "Анна", "phone": "+79123456789"}),
        )
        .await;
    let erase = format!("/api/v1/customers/{}/erase", anna["id"]);
    for _ in 0..5 {
        let (status, _) = server.post(&erase, json!({"password": "guess"})).await;
        assert_eq!(status, 403);
    }
    let response = server
        .client
        .post(server.url(&erase))
        .json(&json!({"password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        429,
        "even the right password waits"
    );
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let (_, still) = server
        .get(&format!("/api/v1/customers/{}", anna["id"]))
        .await;
    assert_eq!(still["phone"], "+79123456789", "nothing was erased");
    let (_, log) = server.get("/api/v1/audit").await;
    assert!(log.to_string().contains("staff.locked_out"));
    server.stop().await;
}

#[tokio::test]
async fn a_database_at_another_schema_is_not_ready_but_the_server_lives() {
    use sqlx::Connection;
    let server = TestServer::start(common::Engine::Sqlite).await;
    let mut conn = sqlx::SqliteConnection::connect(&server.database_url)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from a newer binary', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 503, "{ready}");
    assert_eq!(ready["detail"], "the database is not ready", "{ready}");
    let (status, _) = server.get("/healthz").await;
    assert_eq!(status, 200);
    server.stop().await;
}
