//! The access matrix: every route, called by every built-in role, with no
//! credential, with a revoked token and with a till key, answers exactly as
//! this table says. A route the API documents but the table does not know
//! fails the test, and so does a route without an access rule (the server
//! refuses it to everybody, the owner included).

use crate::common;

use std::collections::BTreeSet;

use clientele_domain::store::StoreInput;
use clientele_store::AuditQuery;
use common::{TestServer, client_with, engines, staff_token};
use reqwest::Method;

const ROLES: [&str; 6] = [
    "owner",
    "marketer",
    "manager",
    "registration_desk",
    "support",
    "cashier",
];
const EVERYONE: &[&str] = &ROLES;
const VIEW_CUSTOMERS: &[&str] = &ROLES;
const EDIT_CUSTOMERS: &[&str] = &["owner", "marketer", "registration_desk", "support"];
const VIEW_SETTINGS: &[&str] = &["owner", "marketer", "registration_desk", "support"];
const OWNER: &[&str] = &["owner"];
const VIEW_PROGRAMS: &[&str] = &["owner", "marketer", "registration_desk", "support"];
const EDIT_PROGRAMS: &[&str] = &["owner", "marketer"];
const POINTS_BY_HAND: &[&str] = &["owner", "support"];
const VIEW_REPORTS: &[&str] = &["owner", "marketer", "manager"];
const SEGMENTS: &[&str] = &["owner", "marketer"];
const CAMPAIGNS: &[&str] = &["owner", "marketer"];
/// `till` stands for a till key.
const POS: &[&str] = &["owner", "cashier", "till"];
const TILL: &[&str] = &["till"];

/// Method, path as documented, who may call it (`None`: anyone, signed in or not).
const MATRIX: &[(&str, &str, Option<&[&str]>)] = &[
    ("GET", "/healthz", None),
    ("GET", "/readyz", None),
    ("GET", "/metrics", None),
    ("GET", "/api/v1/openapi.json", None),
    ("GET", "/api/v1/docs/", None),
    ("GET", "/", None),
    ("GET", "/login", None),
    ("POST", "/login", None),
    ("POST", "/logout", None),
    ("GET", "/api/v1/customers", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/customers", Some(EDIT_CUSTOMERS)),
    ("GET", "/api/v1/customers/{id}", Some(VIEW_CUSTOMERS)),
    ("PATCH", "/api/v1/customers/{id}", Some(EDIT_CUSTOMERS)),
    (
        "POST",
        "/api/v1/customers/{id}/archive",
        Some(EDIT_CUSTOMERS),
    ),
    ("POST", "/api/v1/customers/{id}/merge", Some(EDIT_CUSTOMERS)),
    (
        "GET",
        "/api/v1/customers/{id}/personal-data",
        Some(EDIT_CUSTOMERS),
    ),
    ("POST", "/api/v1/customers/{id}/erase", Some(EDIT_CUSTOMERS)),
    ("GET", "/api/v1/segments", Some(SEGMENTS)),
    ("POST", "/api/v1/segments", Some(SEGMENTS)),
    ("GET", "/api/v1/segments/fields", Some(SEGMENTS)),
    ("POST", "/api/v1/segments/count", Some(SEGMENTS)),
    ("GET", "/api/v1/segments/{id}", Some(SEGMENTS)),
    ("PATCH", "/api/v1/segments/{id}", Some(SEGMENTS)),
    ("DELETE", "/api/v1/segments/{id}", Some(SEGMENTS)),
    ("POST", "/api/v1/segments/{id}/recompute", Some(SEGMENTS)),
    (
        "GET",
        "/api/v1/segments/{id}/customers",
        Some(VIEW_CUSTOMERS),
    ),
    ("GET", "/api/v1/offers", Some(SEGMENTS)),
    ("POST", "/api/v1/offers", Some(SEGMENTS)),
    ("GET", "/api/v1/offers/{id}", Some(SEGMENTS)),
    ("PATCH", "/api/v1/offers/{id}", Some(SEGMENTS)),
    ("GET", "/api/v1/offers/{id}/results", Some(SEGMENTS)),
    ("POST", "/api/v1/offers/{id}/coupons", Some(SEGMENTS)),
    ("GET", "/api/v1/coupons/{code}", Some(SEGMENTS)),
    ("GET", "/api/v1/messages", Some(CAMPAIGNS)),
    ("GET", "/api/v1/templates", Some(CAMPAIGNS)),
    ("POST", "/api/v1/templates", Some(CAMPAIGNS)),
    ("POST", "/api/v1/templates/preview", Some(CAMPAIGNS)),
    ("GET", "/api/v1/templates/{id}", Some(CAMPAIGNS)),
    ("PUT", "/api/v1/templates/{id}", Some(CAMPAIGNS)),
    ("GET", "/api/v1/campaigns", Some(CAMPAIGNS)),
    ("POST", "/api/v1/campaigns", Some(CAMPAIGNS)),
    ("GET", "/api/v1/campaigns/{id}", Some(CAMPAIGNS)),
    ("POST", "/api/v1/campaigns/{id}/cancel", Some(CAMPAIGNS)),
    ("GET", "/api/v1/campaigns/{id}/report", Some(CAMPAIGNS)),
    ("GET", "/api/v1/triggers", Some(CAMPAIGNS)),
    ("POST", "/api/v1/triggers", Some(CAMPAIGNS)),
    ("GET", "/api/v1/triggers/{id}", Some(CAMPAIGNS)),
    ("PUT", "/api/v1/triggers/{id}", Some(CAMPAIGNS)),
    ("GET", "/api/v1/chats", Some(CAMPAIGNS)),
    ("GET", "/api/v1/chats/{customer_id}", Some(CAMPAIGNS)),
    (
        "POST",
        "/api/v1/chats/{customer_id}/messages",
        Some(CAMPAIGNS),
    ),
    ("POST", "/api/v1/chats/{customer_id}/close", Some(CAMPAIGNS)),
    ("GET", "/api/v1/channels", Some(VIEW_SETTINGS)),
    ("PUT", "/api/v1/channels/{channel}", Some(OWNER)),
    ("POST", "/api/v1/channels/{channel}/test", Some(OWNER)),
    ("POST", "/api/v1/channels/{channel}/reports", None),
    ("POST", "/api/v1/channels/{channel}/inbound", None),
    ("GET", "/api/v1/customers/{id}/notes", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/customers/{id}/notes", Some(EDIT_CUSTOMERS)),
    (
        "GET",
        "/api/v1/customers/{id}/addresses",
        Some(VIEW_CUSTOMERS),
    ),
    (
        "POST",
        "/api/v1/customers/{id}/addresses",
        Some(EDIT_CUSTOMERS),
    ),
    (
        "DELETE",
        "/api/v1/customers/{id}/addresses",
        Some(EDIT_CUSTOMERS),
    ),
    ("GET", "/api/v1/customer-groups", Some(VIEW_SETTINGS)),
    ("POST", "/api/v1/customer-groups", Some(OWNER)),
    ("GET", "/api/v1/customer-groups/{id}", Some(VIEW_SETTINGS)),
    ("PATCH", "/api/v1/customer-groups/{id}", Some(OWNER)),
    ("DELETE", "/api/v1/customer-groups/{id}", Some(OWNER)),
    ("GET", "/api/v1/stores", Some(VIEW_SETTINGS)),
    ("POST", "/api/v1/stores", Some(OWNER)),
    ("GET", "/api/v1/stores/{id}", Some(VIEW_SETTINGS)),
    ("PATCH", "/api/v1/stores/{id}", Some(OWNER)),
    ("GET", "/api/v1/properties", Some(VIEW_SETTINGS)),
    ("POST", "/api/v1/properties", Some(OWNER)),
    ("PATCH", "/api/v1/properties/{id}", Some(OWNER)),
    ("GET", "/api/v1/staff", Some(OWNER)),
    ("POST", "/api/v1/staff", Some(OWNER)),
    ("PATCH", "/api/v1/staff/{id}", Some(OWNER)),
    ("GET", "/api/v1/roles", Some(OWNER)),
    ("POST", "/api/v1/roles", Some(OWNER)),
    ("PATCH", "/api/v1/roles/{id}", Some(OWNER)),
    ("GET", "/api/v1/tokens", Some(EVERYONE)),
    ("POST", "/api/v1/tokens", Some(EVERYONE)),
    ("DELETE", "/api/v1/tokens/{id}", Some(EVERYONE)),
    ("GET", "/api/v1/tills", Some(OWNER)),
    ("POST", "/api/v1/tills", Some(OWNER)),
    ("POST", "/api/v1/tills/{id}/rotate", Some(OWNER)),
    ("POST", "/api/v1/tills/{id}/revoke", Some(OWNER)),
    ("GET", "/api/v1/audit", Some(OWNER)),
    ("GET", "/api/v1/customers/{id}/ledger", Some(VIEW_CUSTOMERS)),
    (
        "GET",
        "/api/v1/customers/{id}/history",
        Some(VIEW_CUSTOMERS),
    ),
    ("GET", "/api/v1/programs", Some(VIEW_PROGRAMS)),
    ("POST", "/api/v1/programs", Some(EDIT_PROGRAMS)),
    ("GET", "/api/v1/programs/{id}", Some(VIEW_PROGRAMS)),
    ("PATCH", "/api/v1/programs/{id}", Some(EDIT_PROGRAMS)),
    ("POST", "/api/v1/tiers", Some(EDIT_PROGRAMS)),
    ("PATCH", "/api/v1/tiers/{id}", Some(EDIT_PROGRAMS)),
    ("POST", "/api/v1/tiers/assignments", Some(EDIT_CUSTOMERS)),
    ("GET", "/api/v1/card-groups", Some(VIEW_PROGRAMS)),
    ("POST", "/api/v1/card-groups", Some(EDIT_PROGRAMS)),
    ("PATCH", "/api/v1/card-groups/{id}", Some(EDIT_PROGRAMS)),
    (
        "POST",
        "/api/v1/card-groups/{id}/print-runs",
        Some(EDIT_PROGRAMS),
    ),
    ("GET", "/api/v1/cards", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/cards", Some(EDIT_CUSTOMERS)),
    ("GET", "/api/v1/cards/{id}", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/cards/{id}/block", Some(EDIT_CUSTOMERS)),
    ("POST", "/api/v1/cards/{id}/unblock", Some(EDIT_CUSTOMERS)),
    ("POST", "/api/v1/cards/{id}/replace", Some(EDIT_CUSTOMERS)),
    ("POST", "/api/v1/points/adjustments", Some(POINTS_BY_HAND)),
    ("GET", "/api/v1/reports/points-owed", Some(VIEW_REPORTS)),
    ("GET", "/api/v1/reports/{name}", Some(VIEW_REPORTS)),
    ("GET", "/api/v1/certificates/templates", Some(VIEW_PROGRAMS)),
    (
        "POST",
        "/api/v1/certificates/templates",
        Some(EDIT_PROGRAMS),
    ),
    (
        "PATCH",
        "/api/v1/certificates/templates/{id}",
        Some(EDIT_PROGRAMS),
    ),
    ("GET", "/api/v1/certificates", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/certificates", Some(EDIT_CUSTOMERS)),
    ("GET", "/api/v1/certificates/{code}", Some(VIEW_CUSTOMERS)),
    ("POST", "/api/v1/pos/identify", Some(POS)),
    ("POST", "/api/v1/pos/calculate", Some(POS)),
    ("POST", "/api/v1/pos/receipts", Some(TILL)),
    ("GET", "/api/v1/pos/receipts/{receipt_id}", Some(TILL)),
    (
        "POST",
        "/api/v1/pos/receipts/{receipt_id}/returns",
        Some(TILL),
    ),
    ("POST", "/api/v1/pos/receipts:batch", Some(TILL)),
    ("POST", "/api/v1/pos/holds", Some(TILL)),
    ("DELETE", "/api/v1/pos/holds/{hold_id}", Some(TILL)),
];

/// The routes the OpenAPI document describes, and the service's own.
async fn documented_routes(server: &TestServer) -> BTreeSet<(String, String)> {
    let (status, doc) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let mut routes: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/v1/openapi.json",
        "/api/v1/docs/",
        "/",
        "/login",
    ] {
        routes.insert(("GET".into(), path.into()));
    }
    for path in ["/login", "/logout"] {
        routes.insert(("POST".into(), path.into()));
    }
    routes
}

enum Credential {
    None,
    Role(&'static str),
    Revoked,
    ExpiredSession,
    Till,
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let app = &server.app;
        let mut tokens = vec![("owner", None)];
        for role in &ROLES[1..] {
            tokens.push((
                role,
                Some(staff_token(app, &format!("user.{role}"), role).await),
            ));
        }
        let revoked = staff_token(app, "leaver", "owner").await;
        let leaver = server
            .db
            .staff()
            .staff_user_by_login(&clientele_domain::Login::parse("leaver").unwrap())
            .await
            .unwrap()
            .unwrap()
            .0;
        let system = clientele_app::audit::ChangedBy::system("test");
        for token in app.api_tokens(leaver.id).await.unwrap() {
            app.revoke_api_token(leaver.id, token.id, &system)
                .await
                .unwrap();
        }
        let store = app
            .create_store(
                StoreInput {
                    code: "T-1".into(),
                    name: "Точка".into(),
                    kind: Some("store".into()),
                    parent_id: None,
                    address: None,
                    time_zone: None,
                },
                &clientele_app::audit::ChangedBy::system("test"),
            )
            .await
            .unwrap();
        let (_, till_key) = app.add_till(store.id, "Касса", &system).await.unwrap();

        let known: BTreeSet<(String, String)> = MATRIX
            .iter()
            .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        assert_eq!(
            documented_routes(&server).await,
            known,
            "every route needs a line in this matrix (and an access rule)"
        );

        // A console session that ended an hour ago, sent as its cookie.
        let owner = server
            .db
            .staff()
            .staff_user_by_login(&clientele_domain::Login::parse("owner").unwrap())
            .await
            .unwrap()
            .unwrap()
            .0;
        let ended = app.clock().now() - jiff::SignedDuration::from_hours(1);
        let secret = "ses_ended";
        server
            .db
            .staff()
            .create_session(
                &clientele_app::staff::secret_hash(secret),
                owner.id,
                "csrf",
                ended - jiff::SignedDuration::from_hours(12),
                ended,
            )
            .await
            .unwrap();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::COOKIE,
            format!("clientele_session={secret}").parse().unwrap(),
        );
        let expired_session = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap();
        let anonymous = reqwest::Client::new();
        let clients: Vec<(Credential, reqwest::Client)> = {
            let mut clients = vec![(Credential::None, anonymous)];
            for (role, token) in &tokens {
                let client = match token {
                    None => server.client.clone(),
                    Some(token) => client_with(token),
                };
                clients.push((Credential::Role(role), client));
            }
            clients.push((Credential::Revoked, client_with(&revoked)));
            clients.push((Credential::ExpiredSession, expired_session));
            clients.push((Credential::Till, client_with(till_key.expose())));
            clients
        };

        for (method, path, allowed) in MATRIX {
            let url = server.url(
                &path
                    .replace("{id}", "999999")
                    .replace("{receipt_id}", "R-404")
                    .replace("{hold_id}", "hold_404")
                    .replace("{code}", "NONE-NONE-NONE")
                    .replace("{name}", "sales"),
            );
            let method: Method = method.parse().unwrap();
            for (credential, client) in &clients {
                let mut request = client.request(method.clone(), &url);
                if method == Method::POST || method == Method::PATCH {
                    request = request.json(&serde_json::json!({}));
                }
                let status = request.send().await.unwrap().status().as_u16();
                let (expected, who): (Box<dyn Fn(u16) -> bool>, String) =
                    match (credential, allowed) {
                        (_, None) => (Box::new(|s| s != 401 && s != 403), "anyone".into()),
                        (
                            Credential::None | Credential::Revoked | Credential::ExpiredSession,
                            Some(_),
                        ) => (Box::new(|s| s == 401), "no valid credential".into()),
                        (Credential::Till, Some(roles)) if roles.contains(&"till") => (
                            Box::new(|s| s != 401 && s != 403),
                            "a till (allowed)".into(),
                        ),
                        (Credential::Till, Some(_)) => (Box::new(|s| s == 403), "a till".into()),
                        (Credential::Role(role), Some(roles)) if roles.contains(role) => (
                            Box::new(|s| s != 401 && s != 403),
                            format!("{role} (allowed)"),
                        ),
                        (Credential::Role(role), Some(_)) => {
                            (Box::new(|s| s == 403), format!("{role} (refused)"))
                        }
                    };
                assert!(
                    expected(status),
                    "{engine:?}: {method} {path} as {who} answered {status}"
                );
            }
        }

        // Refusals are in the audit log, with who tried.
        let denied = app
            .audit_entries(&AuditQuery {
                user: Some("user.cashier".into()),
                limit: 500,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            denied.iter().any(|e| e.entry.action == "access.denied"
                && e.entry.entity_id.as_deref() == Some("GET /api/v1/staff")),
            "the cashier's attempt on the staff list is logged"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_revoked_till_key_stops_working_at_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, store) = server
            .post(
                "/api/v1/stores",
                serde_json::json!({"code": "K-1", "name": "Касса-точка", "kind": "store"}),
            )
            .await;
        assert_eq!(status, 201, "{store}");
        let (status, till) = server
            .post(
                "/api/v1/tills",
                serde_json::json!({"store_id": store["id"], "name": "Касса 1"}),
            )
            .await;
        assert_eq!(status, 201, "{till}");
        let key = till["key"].as_str().unwrap().to_owned();
        let (_, listed) = server.get("/api/v1/tills").await;
        assert!(
            listed["items"][0].get("key").is_none(),
            "a key is shown once"
        );
        let as_till = client_with(&key);
        let customers = server.url("/api/v1/customers");
        assert_eq!(as_till.get(&customers).send().await.unwrap().status(), 403);
        let id = till["id"].as_i64().unwrap();
        let (status, _) = server
            .post(&format!("/api/v1/tills/{id}/revoke"), serde_json::json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(as_till.get(&customers).send().await.unwrap().status(), 401);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_manager_limited_to_a_region_sees_only_its_customers() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let store = |code: &str, kind: &str, parent: Option<serde_json::Value>| {
            let mut body = serde_json::json!({"code": code, "name": code, "kind": kind});
            if let Some(parent) = parent {
                body["parent_id"] = parent;
            }
            body
        };
        let (_, north) = server
            .post("/api/v1/stores", store("NORTH", "region", None))
            .await;
        let (_, south) = server
            .post("/api/v1/stores", store("SOUTH", "region", None))
            .await;
        let (_, north_shop) = server
            .post(
                "/api/v1/stores",
                store("N-1", "store", Some(north["id"].clone())),
            )
            .await;
        let (_, south_shop) = server
            .post(
                "/api/v1/stores",
                store("S-1", "store", Some(south["id"].clone())),
            )
            .await;
        let customer = |name: &str, shop: &serde_json::Value| serde_json::json!({"name": name, "store_id": shop["id"]});
        let (_, ours) = server
            .post("/api/v1/customers", customer("Северная", &north_shop))
            .await;
        let (_, theirs) = server
            .post("/api/v1/customers", customer("Южная", &south_shop))
            .await;

        let manager = server
            .app
            .add_staff_user(
                clientele_app::staff::StaffUserInput {
                    login: "north.manager".into(),
                    name: None,
                    role: "manager".into(),
                    password: "correct horse battery".into(),
                    stores: vec!["NORTH".into()],
                },
                &clientele_app::audit::ChangedBy::system("test"),
            )
            .await
            .unwrap();
        let (_, token) = server
            .app
            .create_api_token(
                manager.id,
                "",
                &clientele_app::audit::ChangedBy::system("test"),
            )
            .await
            .unwrap();
        let as_manager = client_with(token.expose());
        let listed: serde_json::Value = as_manager
            .get(server.url("/api/v1/customers"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let names: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Северная"], "{engine:?}");
        let read = |id: &serde_json::Value| server.url(&format!("/api/v1/customers/{id}"));
        let own = as_manager.get(read(&ours["id"])).send().await.unwrap();
        assert_eq!(own.status(), 200);
        let other = as_manager.get(read(&theirs["id"])).send().await.unwrap();
        assert_eq!(other.status(), 403);
        let logged = server
            .app
            .audit_entries(&AuditQuery {
                user: Some("north.manager".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(logged[0].entry.action, "access.out_of_scope");
        assert_eq!(
            logged[0].entry.customer_id.map(|c| c.0),
            theirs["id"].as_i64()
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_deactivated_user_is_out_at_once_and_the_last_owner_stays() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let token = staff_token(&server.app, "leaver", "support").await;
        let as_leaver = client_with(&token);
        let customers = server.url("/api/v1/customers");
        assert_eq!(
            as_leaver.get(&customers).send().await.unwrap().status(),
            200
        );
        let (_, staff) = server.get("/api/v1/staff").await;
        let id_of = |login: &str| {
            staff["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["login"] == login)
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let (status, leaver) = server
            .patch(
                &format!("/api/v1/staff/{}", id_of("leaver")),
                serde_json::json!({"active": false}),
            )
            .await;
        assert_eq!(status, 200, "{leaver}");
        assert_eq!(leaver["active"], false);
        assert_eq!(
            as_leaver.get(&customers).send().await.unwrap().status(),
            401,
            "the token stops with its user"
        );
        let (status, problem) = server
            .patch(
                &format!("/api/v1/staff/{}", id_of("owner")),
                serde_json::json!({"role": "cashier"}),
            )
            .await;
        assert_eq!(status, 409, "{problem}");
        let (status, problem) = server
            .patch(
                &format!("/api/v1/staff/{}", id_of("owner")),
                serde_json::json!({"password": "short", "role": "boss"}),
            )
            .await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["role", "password"]);
        server.stop().await;
    }
}

#[tokio::test]
async fn an_address_guessing_tokens_is_refused_for_a_while() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let url = server.url("/api/v1/customers");
    for n in 0..100 {
        let guess = client_with(&format!("clt_guess{n}"));
        assert_eq!(guess.get(&url).send().await.unwrap().status(), 401);
    }
    let refused = client_with("clt_guess100").get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let locked = server
        .app
        .audit_entries(&AuditQuery {
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.action == "access.locked_out")
        .count();
    assert_eq!(locked, 1, "the lock-out is logged once");
    server.stop().await;
}

/// The console's pages, by session cookie: who may open each (`None`:
/// anyone signed in).
const CONSOLE_MATRIX: &[(&str, &str, Option<&[&str]>)] = &[
    ("GET", "/", None),
    ("GET", "/customers", Some(VIEW_CUSTOMERS)),
    ("GET", "/customers/new", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/new", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/bulk", Some(EDIT_CUSTOMERS)),
    ("GET", "/customers/{id}", Some(VIEW_CUSTOMERS)),
    ("POST", "/customers/{id}/favourite", Some(VIEW_CUSTOMERS)),
    ("GET", "/customers/{id}/quick", Some(VIEW_CUSTOMERS)),
    ("POST", "/customers/{id}/certificates", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/merge", Some(EDIT_CUSTOMERS)),
    ("GET", "/customers/{id}/edit", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/edit", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/points", Some(POINTS_BY_HAND)),
    ("POST", "/customers/{id}/block", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/tier", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/notes", Some(EDIT_CUSTOMERS)),
    ("POST", "/customers/{id}/cards", Some(EDIT_CUSTOMERS)),
    (
        "GET",
        "/customers/{id}/receipts/{key}",
        Some(VIEW_CUSTOMERS),
    ),
    (
        "POST",
        "/customers/{id}/cards/{card_id}/replace",
        Some(EDIT_CUSTOMERS),
    ),
    ("GET", "/customers/export.xlsx", Some(EDIT_CUSTOMERS)),
    ("GET", "/birthdays", Some(VIEW_CUSTOMERS)),
    ("POST", "/birthdays/points", Some(POINTS_BY_HAND)),
    ("GET", "/messages", Some(CAMPAIGNS)),
    ("GET", "/templates", Some(CAMPAIGNS)),
    ("GET", "/templates/new", Some(CAMPAIGNS)),
    ("POST", "/templates/new", Some(CAMPAIGNS)),
    ("POST", "/templates/preview", Some(CAMPAIGNS)),
    ("GET", "/templates/{id}", Some(CAMPAIGNS)),
    ("POST", "/templates/{id}", Some(CAMPAIGNS)),
    ("GET", "/campaigns", Some(CAMPAIGNS)),
    ("GET", "/campaigns/new", Some(CAMPAIGNS)),
    ("POST", "/campaigns/new", Some(CAMPAIGNS)),
    ("GET", "/campaigns/{id}", Some(CAMPAIGNS)),
    ("POST", "/campaigns/{id}/cancel", Some(CAMPAIGNS)),
    ("GET", "/triggers", Some(CAMPAIGNS)),
    ("GET", "/triggers/{kind}", Some(CAMPAIGNS)),
    ("POST", "/triggers/{kind}", Some(CAMPAIGNS)),
    ("GET", "/chats", Some(CAMPAIGNS)),
    ("GET", "/reports", Some(VIEW_REPORTS)),
    ("GET", "/reports/{name}", Some(VIEW_REPORTS)),
    ("POST", "/customers/{id}/chat", Some(CAMPAIGNS)),
    ("POST", "/customers/{id}/chat/close", Some(CAMPAIGNS)),
    ("GET", "/segments", Some(SEGMENTS)),
    ("GET", "/segments/new", Some(SEGMENTS)),
    ("POST", "/segments/new", Some(SEGMENTS)),
    ("GET", "/segments/upload", Some(SEGMENTS)),
    ("POST", "/segments/upload", Some(SEGMENTS)),
    ("GET", "/segments/count", Some(SEGMENTS)),
    ("GET", "/segments/{id}", Some(SEGMENTS)),
    ("GET", "/segments/{id}/edit", Some(SEGMENTS)),
    ("POST", "/segments/{id}/edit", Some(SEGMENTS)),
    ("POST", "/segments/{id}/recompute", Some(SEGMENTS)),
    ("POST", "/segments/{id}/delete", Some(SEGMENTS)),
    ("GET", "/offers", Some(SEGMENTS)),
    ("GET", "/offers/new", Some(SEGMENTS)),
    ("POST", "/offers/new", Some(SEGMENTS)),
    ("GET", "/offers/{id}", Some(SEGMENTS)),
    ("GET", "/offers/{id}/edit", Some(SEGMENTS)),
    ("POST", "/offers/{id}/edit", Some(SEGMENTS)),
    ("POST", "/offers/{id}/active", Some(SEGMENTS)),
    ("POST", "/offers/{id}/coupons", Some(SEGMENTS)),
    ("GET", "/offers/{id}/coupons/print", Some(SEGMENTS)),
    ("GET", "/offers/{id}/coupons.xlsx", Some(SEGMENTS)),
    ("GET", "/settings", Some(VIEW_SETTINGS)),
    ("GET", "/settings/groups", Some(VIEW_SETTINGS)),
    ("GET", "/settings/groups/new", Some(OWNER)),
    ("POST", "/settings/groups/new", Some(OWNER)),
    ("GET", "/settings/groups/{id}/edit", Some(OWNER)),
    ("POST", "/settings/groups/{id}/edit", Some(OWNER)),
    ("POST", "/settings/groups/{id}/delete", Some(OWNER)),
    ("GET", "/settings/stores", Some(VIEW_SETTINGS)),
    ("GET", "/settings/stores/new", Some(OWNER)),
    ("POST", "/settings/stores/new", Some(OWNER)),
    ("GET", "/settings/stores/{id}/edit", Some(OWNER)),
    ("POST", "/settings/stores/{id}/edit", Some(OWNER)),
    ("GET", "/settings/properties", Some(VIEW_SETTINGS)),
    ("GET", "/settings/properties/new", Some(OWNER)),
    ("POST", "/settings/properties/new", Some(OWNER)),
    ("GET", "/settings/properties/{id}/edit", Some(OWNER)),
    ("POST", "/settings/properties/{id}/edit", Some(OWNER)),
    ("GET", "/settings/staff", Some(OWNER)),
    ("GET", "/settings/staff/new", Some(OWNER)),
    ("POST", "/settings/staff/new", Some(OWNER)),
    ("GET", "/settings/staff/{id}/edit", Some(OWNER)),
    ("POST", "/settings/staff/{id}/edit", Some(OWNER)),
    ("GET", "/settings/staff/roles/new", Some(OWNER)),
    ("POST", "/settings/staff/roles/new", Some(OWNER)),
    ("GET", "/settings/staff/roles/{id}/edit", Some(OWNER)),
    ("POST", "/settings/staff/roles/{id}/edit", Some(OWNER)),
    ("GET", "/settings/tills", Some(OWNER)),
    ("GET", "/settings/tills/new", Some(OWNER)),
    ("POST", "/settings/tills/new", Some(OWNER)),
    ("POST", "/settings/tills/{id}/rotate", Some(OWNER)),
    ("POST", "/settings/tills/{id}/revoke", Some(OWNER)),
    ("GET", "/settings/channels", Some(VIEW_SETTINGS)),
    ("GET", "/settings/channels/{channel}", Some(VIEW_SETTINGS)),
    ("POST", "/settings/channels/{channel}", Some(OWNER)),
    ("POST", "/settings/channels/{channel}/test", Some(OWNER)),
    // Programs settings
    ("GET", "/settings/programs", Some(VIEW_PROGRAMS)),
    ("GET", "/settings/programs/new", Some(EDIT_PROGRAMS)),
    ("POST", "/settings/programs/new", Some(EDIT_PROGRAMS)),
    ("GET", "/settings/programs/{id}", Some(VIEW_PROGRAMS)),
    ("GET", "/settings/programs/{id}/edit", Some(EDIT_PROGRAMS)),
    ("POST", "/settings/programs/{id}/edit", Some(EDIT_PROGRAMS)),
    ("POST", "/settings/programs/{id}/tiers", Some(EDIT_PROGRAMS)),
    (
        "POST",
        "/settings/programs/{id}/tiers/{tier_id}",
        Some(EDIT_PROGRAMS),
    ),
    ("GET", "/settings/cards", Some(VIEW_PROGRAMS)),
    ("POST", "/settings/cards", Some(EDIT_PROGRAMS)),
    ("POST", "/settings/cards/{id}", Some(EDIT_PROGRAMS)),
    (
        "POST",
        "/settings/cards/{id}/print-runs",
        Some(EDIT_PROGRAMS),
    ),
    ("GET", "/settings/certificates", Some(VIEW_PROGRAMS)),
    ("POST", "/settings/certificates", Some(EDIT_PROGRAMS)),
    ("POST", "/settings/certificates/{id}", Some(EDIT_PROGRAMS)),
    // Import
    ("GET", "/import", Some(EDIT_CUSTOMERS)),
    ("POST", "/import", Some(EDIT_CUSTOMERS)),
    ("GET", "/import/template.xlsx", Some(EDIT_CUSTOMERS)),
    ("GET", "/import/{id}", Some(EDIT_CUSTOMERS)),
    ("GET", "/import/{id}/check", Some(EDIT_CUSTOMERS)),
    ("POST", "/import/{id}/check", Some(EDIT_CUSTOMERS)),
    ("GET", "/import/{id}/result", Some(EDIT_CUSTOMERS)),
    ("POST", "/import/{id}/result", Some(EDIT_CUSTOMERS)),
    ("GET", "/import/{id}/{step}/progress", Some(EDIT_CUSTOMERS)),
    (
        "GET",
        "/import/{id}/{step}/rejected.xlsx",
        Some(EDIT_CUSTOMERS),
    ),
];

#[tokio::test]
async fn every_console_page_answers_every_role_as_the_matrix_says() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let app = &server.app;
    let console_routes: BTreeSet<(String, String)> = clientele_http::RULES
        .iter()
        .filter(|(_, _, rule)| {
            matches!(
                rule,
                clientele_http::Rule::Console(..) | clientele_http::Rule::ConsoleAny
            )
        })
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let known: BTreeSet<(String, String)> = CONSOLE_MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(
        console_routes, known,
        "every console page needs a line here"
    );

    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut sessions = vec![("nobody", String::new(), String::new())];
    for role in ROLES {
        let login = format!("console.{role}");
        staff_token(app, &login, role).await;
        let signed = app
            .sign_in(&login, "correct horse battery", "127.0.0.1")
            .await
            .unwrap();
        sessions.push((
            role,
            format!("clientele_session={}", signed.secret.expose()),
            signed.csrf,
        ));
    }
    for (method, path, allowed) in CONSOLE_MATRIX {
        let url = server.url(
            &path
                .replace("{id}", "999999")
                .replace("{card_id}", "999999")
                .replace("{tier_id}", "999999")
                .replace("{channel}", "sms")
                .replace("{kind}", "welcome")
                .replace("{name}", "sales"),
        );
        for (role, cookie, csrf) in &sessions {
            let method: Method = method.parse().unwrap();
            let mut request = plain.request(method.clone(), &url);
            if !cookie.is_empty() {
                request = request.header("cookie", cookie);
            }
            if method == Method::POST {
                request = request.form(&[("csrf", csrf.as_str()), ("token", "matrix")]);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            if *role == "nobody" {
                assert_eq!(status, 303, "{method} {path} without a session");
                let to = response.headers()["location"].to_str().unwrap().to_owned();
                assert!(to.starts_with("/login?next="), "{method} {path} → {to}");
                continue;
            }
            let may = allowed.is_none_or(|roles| roles.contains(role));
            if may {
                assert_ne!(status, 403, "{method} {path} as {role} (allowed)");
                assert_ne!(status, 500, "{method} {path} as {role}");
            } else {
                assert_eq!(status, 403, "{method} {path} as {role} (refused)");
            }
        }
    }
    server.stop().await;
}
