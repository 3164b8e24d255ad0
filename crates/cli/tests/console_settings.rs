//! The settings forms over HTTP, as a browser sends them: a form sent twice
//! does its work once (a till's key is never shown twice), and a role
//! without the right is refused and changes nothing.

use crate::common;

use common::console::{browser, hidden, page, signed_in};
use common::{TestServer, engines, staff_token};

async fn count(server: &TestServer, path: &str) -> usize {
    let (status, listed) = server.get(path).await;
    assert_eq!(status, 200, "{listed}");
    listed["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_settings_form_sent_twice_does_its_work_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let cookie = signed_in(&server, "owner").await;
        let groups_before = count(&server, "/api/v1/customer-groups").await;
        let (_, form) = page(&server, &cookie, "/settings/groups/new").await;
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Дважды нажатая".to_owned()),
        ];
        let send = || {
            browser()
                .post(server.url("/settings/groups/new"))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        let (first, second) = tokio::join!(send(), send());
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.status(), 303);
        assert_eq!(second.status(), 303);
        assert_eq!(first.headers()["location"], second.headers()["location"]);
        assert_eq!(
            count(&server, "/api/v1/customer-groups").await,
            groups_before + 1
        );

        // A till: the first sending shows the key, the second only the list.
        let (status, store) = server
            .post(
                "/api/v1/stores",
                serde_json::json!({"code": "S1", "name": "Первый"}),
            )
            .await;
        assert_eq!(status, 201, "{store}");
        let (_, form) = page(&server, &cookie, "/settings/tills/new").await;
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("store", store["id"].to_string()),
            ("name", "Касса 1".to_owned()),
        ];
        let send = || {
            browser()
                .post(server.url("/settings/tills/new"))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        let first = send().await.unwrap();
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], "no-store");
        assert!(first.text().await.unwrap().contains("till_"));
        let again = send().await.unwrap();
        assert_eq!(again.status(), 303);
        assert_eq!(again.headers()["location"], "/settings/tills?done=created");
        assert_eq!(count(&server, "/api/v1/tills").await, 1);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_refused_settings_form_changes_nothing() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        // A marketer may read the settings but change none of them, nor staff.
        staff_token(&server.app, "marketing", "marketer").await;
        let cookie = signed_in(&server, "marketing").await;
        let (_, groups) = page(&server, &cookie, "/settings/groups").await;
        assert!(!groups.contains("/settings/groups/new"), "no form offered");
        let csrf = hidden(&groups, "csrf");
        let (_, store) = server
            .post(
                "/api/v1/stores",
                serde_json::json!({"code": "S1", "name": "Первый"}),
            )
            .await;
        let groups_before = count(&server, "/api/v1/customer-groups").await;
        let staff_before = count(&server, "/api/v1/staff").await;
        let roles_before = count(&server, "/api/v1/roles").await;
        let store_id = store["id"].to_string();
        let attempts: [(&str, Vec<(&str, &str)>); 6] = [
            ("/settings/groups/new", vec![("name", "Чужая")]),
            (
                "/settings/stores/new",
                vec![("code", "S2"), ("name", "Второй")],
            ),
            (
                "/settings/properties/new",
                vec![("name", "pet"), ("label", "Питомец"), ("kind", "string")],
            ),
            (
                "/settings/staff/new",
                vec![
                    ("login", "intruder"),
                    ("role", "owner"),
                    ("password", "correct horse battery"),
                ],
            ),
            (
                "/settings/staff/roles/new",
                vec![("name", "Всемогущий"), ("edit_staff", "on")],
            ),
            ("/settings/tills/new", vec![("store", store_id.as_str())]),
        ];
        for (path, fields) in attempts {
            let mut form = vec![("csrf", csrf.as_str()), ("token", "refused-form")];
            form.extend(fields);
            let refused = browser()
                .post(server.url(path))
                .header("cookie", &cookie)
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), 403, "{path}");
        }
        assert_eq!(
            count(&server, "/api/v1/customer-groups").await,
            groups_before
        );
        assert_eq!(count(&server, "/api/v1/stores").await, 1);
        assert_eq!(count(&server, "/api/v1/properties").await, 0);
        assert_eq!(count(&server, "/api/v1/staff").await, staff_before);
        assert_eq!(count(&server, "/api/v1/roles").await, roles_before);
        assert_eq!(count(&server, "/api/v1/tills").await, 0);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_role_of_staff_own_is_renamed_and_given_other_rights_but_a_built_in_one_is_not() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let (status, role) = server
            .post(
                "/api/v1/roles",
                serde_json::json!({"name": "Стажёр", "permissions": {"customers": "view"}}),
            )
            .await;
        assert_eq!(status, 201, "{role}");
        let cookie = signed_in(&server, "owner").await;
        let edit = format!("/settings/staff/roles/{}/edit", role["id"]);
        let (status, form) = page(&server, &cookie, &edit).await;
        assert_eq!(status, 200);
        assert!(form.contains(r#"value="Стажёр""#), "the name is filled in");
        let fields = [
            ("csrf", hidden(&form, "csrf")),
            ("token", hidden(&form, "token")),
            ("name", "Консультант".to_owned()),
            ("view_customers", "on".to_owned()),
            ("edit_customers", "on".to_owned()),
            ("view_reports", "on".to_owned()),
        ];
        let saved = browser()
            .post(server.url(&edit))
            .header("cookie", &cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let (_, roles) = server.get("/api/v1/roles").await;
        let changed = roles["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == role["id"])
            .unwrap()
            .clone();
        assert_eq!(changed["name"], "Консультант");
        assert_eq!(
            changed["permissions"],
            serde_json::json!({"customers": "edit", "reports": "view"})
        );
        let (_, audit) = server.get("/api/v1/audit?user=owner").await;
        assert!(
            audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "role.update"),
            "{audit}"
        );

        // A built-in role: no form, and the API says why.
        let owner = roles["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "owner")
            .unwrap()
            .clone();
        let (status, _) = page(
            &server,
            &cookie,
            &format!("/settings/staff/roles/{}/edit", owner["id"]),
        )
        .await;
        assert_eq!(status, 404);
        let (status, problem) = server
            .patch(
                &format!("/api/v1/roles/{}", owner["id"]),
                serde_json::json!({"name": "owner", "permissions": {}}),
            )
            .await;
        assert_eq!(status, 409, "a built-in role keeps its rights: {problem}");
        assert_eq!(problem["errors"][0]["field"], "name");
        server.stop().await;
    }
}
