//! The reports count what a plain SQL count over the same base counts, on
//! every engine; a store-scoped manager's figures and files hold only
//! their stores; the Excel file holds the JSON's rows; a wrong question
//! is refused by field, never a 500.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use clientele_app::audit::ChangedBy;
use clientele_app::staff::StaffUserInput;
use clientele_domain::ConsentKind;
use clientele_domain::report::Cell;
use common::reports::{Base, NOW, commit, seed};
use common::{Engine, client_with, till_engines};
use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde_json::{Value, json};
use sqlx::Connection;

/// One number a plain SQL query answers.
async fn sql(url: &str, query: &str) -> i64 {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
            .await
            .unwrap();
        sqlx::query_scalar::<_, Option<i64>>(sqlx::AssertSqlSafe(query.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .unwrap_or(0)
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        let wrapped = format!("SELECT ({query})::bigint");
        sqlx::query_scalar::<_, Option<i64>>(sqlx::AssertSqlSafe(wrapped))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .unwrap_or(0)
    }
}

/// A moment as each engine keeps it, for a query to compare with.
fn at(url: &str, moment: Timestamp) -> String {
    if url.starts_with("sqlite://") {
        moment.as_microsecond().to_string()
    } else {
        format!("'{moment}'::timestamptz")
    }
}

/// The rows of a report's section.
fn rows<'a>(report: &'a Value, section: &str) -> &'a Vec<Value> {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == section)
        .unwrap_or_else(|| panic!("no section {section} in {report}"))["rows"]
        .as_array()
        .unwrap()
}

async fn report(client: &reqwest::Client, base: &Base, query: &str) -> Value {
    let response = client
        .get(base.server.url(&format!("/api/v1/reports/{query}")))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{query}: {body}");
    body
}

#[tokio::test]
async fn every_report_counts_what_a_plain_count_does() {
    for engine in till_engines() {
        let base = seed(engine).await;
        let url = base.server.database_url.clone();
        let owner = &base.server.client;
        let period = "from=2026-09-01&to=2026-11-23";

        // Sales: the whole period's total row.
        let sales = report(owner, &base, &format!("sales?{period}")).await;
        let total = &rows(&sales, "total")[0];
        assert_eq!(
            total["receipts"],
            sql(&url, "SELECT COUNT(*) FROM receipts").await
        );
        assert_eq!(
            total["identified_receipts"],
            sql(
                &url,
                "SELECT COUNT(*) FROM receipts WHERE customer_id IS NOT NULL"
            )
            .await
        );
        assert_eq!(
            total["revenue_minor"],
            sql(&url, "SELECT SUM(total_minor) FROM receipts").await
        );
        assert_eq!(
            total["returns"],
            sql(&url, "SELECT COUNT(*) FROM returns").await
        );
        assert_eq!(
            total["refunds_minor"],
            sql(&url, "SELECT SUM(refund_minor) FROM returns").await
        );
        let loyalty = &rows(&sales, "loyalty_total")[0];
        assert_eq!(
            loyalty["points_paid"],
            sql(&url, "SELECT SUM(points_paid) FROM receipts").await
        );
        assert!(loyalty["points_paid"].as_i64().unwrap() > 0, "{engine:?}");
        assert_eq!(
            loyalty["points_accrued"],
            sql(&url, "SELECT SUM(points_accrued) FROM receipts").await
        );
        // The days add up to the total.
        let by_day: i64 = rows(&sales, "receipts")
            .iter()
            .map(|r| r["receipts"].as_i64().unwrap())
            .sum();
        assert_eq!(total["receipts"], by_day);
        assert_eq!(sales["period"]["bucket"], "day");

        // A region: its stores' receipts, the other region's left out.
        let north = base.stores["north"];
        let (s1, s2) = (base.stores["s1"], base.stores["s2"]);
        let regional = report(owner, &base, &format!("sales?{period}&store_id={north}")).await;
        assert_eq!(
            rows(&regional, "total")[0]["receipts"],
            sql(
                &url,
                &format!("SELECT COUNT(*) FROM receipts WHERE store_id IN ({s1}, {s2})")
            )
            .await
        );

        // Base quality.
        let quality = report(owner, &base, &format!("base-quality?{period}&days=30")).await;
        let figure = |name: &str| {
            rows(&quality, "summary")
                .iter()
                .find(|r| r["figure"] == name)
                .unwrap()["customers"]
                .clone()
        };
        let living = "FROM customers WHERE status <> 'archived' AND merged_into IS NULL";
        assert_eq!(
            figure("customers"),
            sql(&url, &format!("SELECT COUNT(*) {living}")).await
        );
        assert_eq!(
            figure("with_email"),
            sql(
                &url,
                &format!("SELECT COUNT(*) {living} AND email IS NOT NULL")
            )
            .await
        );
        assert_eq!(
            figure("anonymous_receipts"),
            sql(
                &url,
                "SELECT COUNT(*) FROM receipts WHERE customer_id IS NULL"
            )
            .await
        );
        let now: Timestamp = NOW.parse().unwrap();
        let month_ago = now + SignedDuration::from_secs(180) - SignedDuration::from_hours(24 * 30);
        assert_eq!(
            figure("active"),
            sql(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM customer_loyalty WHERE last_purchase_at >= {}",
                    at(&url, month_ago)
                )
            )
            .await
        );
        let email = rows(&quality, "reachability")
            .iter()
            .find(|r| r["channel"] == "email")
            .unwrap()
            .clone();
        assert_eq!(
            email["reachable"],
            sql(
                &url,
                &format!(
                    "SELECT COUNT(*) {living} AND email IS NOT NULL AND (consent_flags & 4) <> 0"
                )
            )
            .await
        );
        // A device and two handles: counted per customer, the push consent
        // read from the profile.
        for (customer, channel, address) in [
            (base.customers[0], "push", "device-a"),
            (base.customers[0], "messenger", "handle-a"),
            (base.customers[1], "messenger", "handle-b"),
        ] {
            let added = owner
                .post(
                    base.server
                        .url(&format!("/api/v1/customers/{customer}/addresses")),
                )
                .json(&json!({"channel": channel, "address": address}))
                .send()
                .await
                .unwrap();
            assert!(added.status().is_success(), "{}", added.status());
        }
        let quality = report(owner, &base, &format!("base-quality?{period}&days=30")).await;
        let channel = |name: &str| {
            rows(&quality, "reachability")
                .iter()
                .find(|r| r["channel"] == name)
                .unwrap()
                .clone()
        };
        assert_eq!(channel("push")["with_contact"], 1);
        assert_eq!(channel("messenger")["with_contact"], 2);
        for name in ["push", "messenger"] {
            assert_eq!(
                channel(name)["reachable"],
                sql(
                    &url,
                    &format!(
                        "SELECT COUNT(DISTINCT a.customer_id) FROM customer_addresses a
                         JOIN customers c ON c.id = a.customer_id
                         WHERE a.channel = '{name}' AND (c.consent_flags & {}) <> 0",
                        if name == "push" {
                            ConsentKind::Push.flag()
                        } else {
                            ConsentKind::Messenger.flag()
                        }
                    )
                )
                .await,
                "{engine:?} {name}"
            );
        }
        let registered: i64 = rows(&quality, "registrations")
            .iter()
            .map(|r| r["customers"].as_i64().unwrap())
            .sum();
        assert_eq!(registered, 9, "{engine:?}: everyone registered today");

        // Points: what the open lots hold.
        let points = report(owner, &base, &format!("points?{period}")).await;
        let owed = &rows(&points, "owed")[0];
        assert_eq!(
            owed["outstanding"],
            sql(
                &url,
                "SELECT SUM(remaining) FROM point_lots WHERE remaining > 0"
            )
            .await
        );
        assert_eq!(owed["outstanding_minor"], owed["outstanding"]);
        let paid: i64 = rows(&points, "by_month")
            .iter()
            .map(|r| r["points_paid"].as_i64().unwrap())
            .sum();
        assert_eq!(
            paid,
            sql(&url, "SELECT SUM(points_paid) FROM receipts").await
        );

        // RFM: each cell as the scores counted.
        let rfm = report(owner, &base, "rfm").await;
        for cell in rows(&rfm, "cells") {
            let counted = sql(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM customer_loyalty WHERE rfm_recency = {} AND rfm_frequency = {}",
                    cell["recency"], cell["frequency"]
                ),
            )
            .await;
            assert_eq!(cell["customers"], counted, "{engine:?}: {cell}");
        }
        let cell = &rows(&rfm, "cells")[0];
        let opened = report(
            owner,
            &base,
            &format!(
                "rfm?recency={}&frequency={}",
                cell["recency"], cell["frequency"]
            ),
        )
        .await;
        assert_eq!(rows(&opened, "found")[0]["customers"], cell["customers"]);
        let row = report(owner, &base, &format!("rfm?recency={}", cell["recency"])).await;
        assert_eq!(
            rows(&row, "found")[0]["customers"],
            sql(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM customer_loyalty WHERE rfm_recency = {}",
                    cell["recency"]
                )
            )
            .await
        );

        // Top and lapsed customers.
        let top = report(owner, &base, "customers-top?limit=2").await;
        assert_eq!(
            rows(&top, "found")[0]["customers"],
            sql(
                &url,
                "SELECT COUNT(*) FROM customer_loyalty WHERE purchases > 0"
            )
            .await
        );
        let best = sql(
            &url,
            "SELECT customer_id FROM customer_loyalty ORDER BY spent_minor DESC, customer_id DESC LIMIT 1",
        )
        .await;
        assert_eq!(rows(&top, "customers")[0]["customer_id"], best);
        assert_eq!(rows(&top, "customers").len(), 2);
        let lapsed = report(owner, &base, "customers-lapsed?days=20").await;
        let cutoff = now + SignedDuration::from_secs(180) - SignedDuration::from_hours(24 * 20);
        assert_eq!(
            rows(&lapsed, "found")[0]["customers"],
            sql(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM customer_loyalty WHERE last_purchase_at < {}",
                    at(&url, cutoff)
                )
            )
            .await
        );

        // Visitors and cohorts: everyone who bought made their first
        // purchase in the period.
        let buyers = sql(
            &url,
            "SELECT COUNT(DISTINCT customer_id) FROM receipts WHERE customer_id IS NOT NULL",
        )
        .await;
        let new: i64 = rows(&sales, "visitors")
            .iter()
            .map(|r| r["new_customers"].as_i64().unwrap())
            .sum();
        assert_eq!(new, buyers, "{engine:?}");
        let cohorts = report(owner, &base, &format!("cohorts?{period}")).await;
        let sizes: i64 = rows(&cohorts, "cohorts")
            .iter()
            .map(|r| r["customers"].as_i64().unwrap())
            .sum();
        assert_eq!(sizes, buyers, "{engine:?}");

        // Buyers of a product, and what it sold.
        let milk = report(
            owner,
            &base,
            &format!("product-buyers?{period}&sku=milk&limit=2"),
        )
        .await;
        assert_eq!(rows(&milk, "found")[0]["customers"], buyers);
        assert_eq!(rows(&milk, "buyers").len(), 2);
        assert!(rows(&milk, "buyers")[0]["phone"].is_string());
        let discounts = report(owner, &base, &format!("discounts?{period}")).await;
        let sold = rows(&discounts, "products")
            .iter()
            .find(|r| r["sku"] == "milk")
            .unwrap()
            .clone();
        assert_eq!(
            sold["amount_minor"],
            sql(
                &url,
                "SELECT SUM(amount_minor) FROM receipt_lines WHERE sku = 'milk'"
            )
            .await
        );
        assert_eq!(
            sold["points_paid"],
            sql(
                &url,
                "SELECT SUM(points_paid) FROM receipt_lines WHERE sku = 'milk'"
            )
            .await
        );
        let category: i64 = rows(&discounts, "categories")
            .iter()
            .map(|r| r["amount_minor"].as_i64().unwrap())
            .sum();
        assert_eq!(
            category,
            sql(&url, "SELECT SUM(amount_minor) FROM receipt_lines").await
        );

        // A program's customers: what they bought, month by month.
        let holders = &base.customers[1..4];
        let program = report(
            owner,
            &base,
            &format!("sales?{period}&program_id={}", base.program_id),
        )
        .await;
        let bought: i64 = rows(&program, "customer_sales")
            .iter()
            .map(|r| r["identified_receipts"].as_i64().unwrap())
            .sum();
        let ids = holders
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        assert_eq!(
            bought,
            sql(
                &url,
                &format!("SELECT COUNT(*) FROM receipts WHERE customer_id IN ({ids})")
            )
            .await
        );
        let top = report(
            owner,
            &base,
            &format!("customers-top?program_id={}", base.program_id),
        )
        .await;
        for row in rows(&top, "customers") {
            assert!(
                holders.contains(&row["customer_id"].as_i64().unwrap()),
                "{row}"
            );
        }
        let top = report(owner, &base, "customers-top?limit=2").await;
        let best = rows(&top, "customers")[0]["customer_id"].clone();
        // An archived customer leaves the count and the list.
        let archived = owner
            .post(
                base.server
                    .url(&format!("/api/v1/customers/{best}/archive")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(archived.status(), 200);
        let without = report(owner, &base, "customers-top?limit=2").await;
        assert_eq!(
            rows(&without, "found")[0]["customers"].as_i64().unwrap(),
            rows(&top, "found")[0]["customers"].as_i64().unwrap() - 1
        );
        assert_ne!(rows(&without, "customers")[0]["customer_id"], best);
        assert_eq!(
            rows(&without, "customers")[0]["customer_id"],
            rows(&top, "customers")[1]["customer_id"]
        );
        base.server.stop().await;
    }
}

/// The API client of a manager limited to the southern region (store S-3).
async fn south_manager(base: &Base) -> reqwest::Client {
    let actor = ChangedBy::system("test");
    let manager = base
        .server
        .app
        .add_staff_user(
            StaffUserInput {
                login: "south.manager".into(),
                name: None,
                role: "manager".into(),
                password: "correct horse battery".into(),
                stores: vec!["SOUTH".into()],
            },
            &actor,
        )
        .await
        .unwrap();
    let (_, token) = base
        .server
        .app
        .create_api_token(manager.id, "", &actor)
        .await
        .unwrap();
    client_with(token.expose())
}

#[tokio::test]
async fn a_scoped_manager_sees_their_stores_alone_in_the_json_and_the_file() {
    let base = seed(Engine::Sqlite).await;
    let url = base.server.database_url.clone();
    let south = south_manager(&base).await;
    let s3 = base.stores["s3"];
    let period = "from=2026-09-01&to=2026-11-23";
    let theirs = sql(
        &url,
        &format!("SELECT COUNT(*) FROM receipts WHERE store_id = {s3}"),
    )
    .await;
    let sales = report(&south, &base, &format!("sales?{period}")).await;
    assert_eq!(rows(&sales, "total")[0]["receipts"], theirs);
    let customers = report(&south, &base, "customers-top?limit=100").await;
    for row in rows(&customers, "customers") {
        let store = sql(
            &url,
            &format!(
                "SELECT store_id FROM customers WHERE id = {}",
                row["customer_id"]
            ),
        )
        .await;
        assert_eq!(store, s3, "{row}");
    }

    // The file holds the same rows.
    let response = south
        .get(
            base.server
                .url(&format!("/api/v1/reports/sales?{period}&format=xlsx")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[..2], ["total", "receipts"]);
    let total = book.worksheet_range("total").unwrap();
    let headings: Vec<String> = total
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(headings[0], "receipts");
    assert_eq!(total.get((1, 0)), Some(&Data::Float(theirs as f64)));

    // Another region is out of reach, by field.
    let north = base.stores["north"];
    let response = south
        .get(
            base.server
                .url(&format!("/api/v1/reports/sales?store_id={north}")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "outside_your_stores");
    base.server.stop().await;
}

#[tokio::test]
async fn a_wrong_question_is_refused_by_field() {
    let base = seed(Engine::Sqlite).await;
    let owner = &base.server.client;
    for (query, status, field, code) in [
        (
            "sales?from=2026-11-20&to=2026-11-01",
            422,
            "from",
            "period_reversed",
        ),
        ("sales?to=2027-01-01", 422, "to", "period_in_future"),
        (
            "sales?from=2000-01-01&to=2026-11-01",
            422,
            "from",
            "period_too_long",
        ),
        ("sales?from=20.11.2026", 422, "from", "bad_date"),
        ("sales?store_id=9999", 404, "store_id", "unknown_store"),
        (
            "sales?segment_id=9999",
            404,
            "segment_id",
            "unknown_segment",
        ),
        (
            "sales?program_id=9999",
            404,
            "program_id",
            "unknown_program",
        ),
        ("sales?format=pdf", 422, "format", "invalid"),
        ("sales?colour=red", 422, "colour", "unknown_parameter"),
        ("customers-lapsed?days=0", 422, "days", "out_of_range"),
        ("rfm?recency=6", 422, "recency", "out_of_range"),
    ] {
        let response = owner
            .get(base.server.url(&format!("/api/v1/reports/{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{query}: {problem}");
    }
    let response = owner
        .get(base.server.url("/api/v1/reports/everything"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // Buyers of no product named: none.
    let nothing = report(owner, &base, "product-buyers").await;
    assert_eq!(rows(&nothing, "found")[0]["customers"], 0);
    assert!(rows(&nothing, "buyers").is_empty());

    // A period reaching back before the first sale starts there, and says so.
    let sales = report(owner, &base, "sales?from=2020-01-01&to=2026-11-23").await;
    assert_eq!(sales["period"]["cut_to_history"], true);
    assert_eq!(sales["period"]["from"], "2026-10-16");
    base.server.stop().await;
}

/// The offer and the campaign of the effect report split as the domain
/// splits them, summed by a plain SQL count; narrowed to a program, each
/// audience keeps its customers, and to a store, its receipts.
#[tokio::test]
async fn offers_and_campaigns_are_set_against_their_control_groups() {
    use clientele_domain::offer::in_holdout;
    use clientele_domain::{CustomerId, OfferId};

    for engine in till_engines() {
        let base = seed(engine).await;
        let url = base.server.database_url.clone();
        let server = &base.server;
        let (status, offer) = server
            .post(
                "/api/v1/offers",
                serde_json::json!({"name": "Половине", "reward": "bonus_points",
                    "reward_value": 100, "holdout_bp": 5000, "valid_from": "2026-09-01"}),
            )
            .await;
        assert_eq!(status, 201, "{offer}");
        let offer_id = offer["id"].as_i64().unwrap();
        let (status, template) = server
            .post(
                "/api/v1/templates",
                serde_json::json!({"name": "Возвращайтесь", "locale": "ru",
                    "subject": "Скидки", "body": "Здравствуйте, {{ name }}!"}),
            )
            .await;
        assert_eq!(status, 201, "{template}");
        let (status, campaign) = server
            .post(
                "/api/v1/campaigns",
                serde_json::json!({"name": "Осенняя", "template_id": template["id"],
                    "channels": ["sms"], "holdout_bp": 5000, "cancel_window_mins": 0}),
            )
            .await;
        assert_eq!(status, 201, "{campaign}");
        let campaign_id = campaign["id"].as_i64().unwrap();
        server
            .app
            .queue_due_campaigns(&clientele_app::progress::Silent)
            .await
            .unwrap();
        // Everyone buys once after the campaign has gone out.
        let after = server.app.clock().now() + SignedDuration::from_secs(60);
        for (n, customer) in base.customers.iter().enumerate() {
            common::reports::commit(
                server,
                &base.tills[n % 3],
                Some(*customer),
                &format!("E-{n}"),
                &after.to_string(),
                0,
            )
            .await;
        }
        server.app.clock().advance(SignedDuration::from_secs(600));

        let period = "from=2026-09-01&to=2026-11-23";
        let effect = report(&server.client, &base, &format!("effect?{period}")).await;
        let offered = &rows(&effect, "offer_effect")[0];
        assert_eq!(offered["offer"], "Половине");
        // From the first sale: the period asked is cut to the history.
        assert_eq!(offered["from"], effect["period"]["from"]);
        assert_eq!(offered["holdout_share"], 0.5);
        // The split the domain draws, summed by SQL.
        let since = at(&url, "2026-08-31T21:00:00Z".parse().unwrap());
        let (mut groups, mut revenue) = ([0i64; 2], [0i64; 2]);
        for customer in &base.customers {
            let held = in_holdout(OfferId(offer_id), CustomerId(*customer), 5000);
            groups[usize::from(held)] += 1;
            revenue[usize::from(held)] += sql(
                &url,
                &format!(
                    "SELECT SUM(total_minor - discount_minor) FROM receipts
                     WHERE customer_id = {customer} AND created_at >= {since}"
                ),
            )
            .await;
        }
        assert!(
            groups.iter().all(|g| *g > 0),
            "both groups drawn: {groups:?}"
        );
        let rounded = |sum: i64, n: i64| (2 * sum + n) / (2 * n);
        assert_eq!(offered["customers"], groups[0]);
        assert_eq!(offered["control_customers"], groups[1]);
        assert_eq!(
            offered["revenue_per_customer_minor"],
            rounded(revenue[0], groups[0])
        );
        assert_eq!(
            offered["control_revenue_per_customer_minor"],
            rounded(revenue[1], groups[1])
        );
        assert_eq!(
            offered["extra_revenue_minor"],
            revenue[0] - revenue[1] * groups[0] / groups[1]
        );
        // The offer's own page counts the same.
        let (_, results) = server
            .get(&format!("/api/v1/offers/{offer_id}/results"))
            .await;
        assert_eq!(results["offered"]["customers"], offered["customers"]);
        assert_eq!(
            results["control"]["customers"],
            offered["control_customers"]
        );

        // The campaign's row is its own report's figures.
        let sent = &rows(&effect, "campaign_effect")[0];
        assert_eq!(sent["campaign"], "Осенняя");
        let (_, own) = server
            .get(&format!("/api/v1/campaigns/{campaign_id}/report"))
            .await;
        let (recipients, control) = (&own["recipients"], &own["control"]);
        assert_eq!(sent["customers"], recipients["customers"]);
        assert_eq!(sent["control_customers"], control["customers"]);
        assert!(control["customers"].as_i64().unwrap() > 0, "{own}");
        for (column, group) in [
            ("revenue_per_customer_minor", recipients),
            ("control_revenue_per_customer_minor", control),
        ] {
            let (sum, n) = (
                group["revenue_minor"].as_i64().unwrap(),
                group["customers"].as_i64().unwrap(),
            );
            assert_eq!(sent[column], rounded(sum, n), "{column}: {own}");
        }
        let members = sql(
            &url,
            &format!(
                "SELECT COUNT(DISTINCT customer_id) FROM messages WHERE campaign_id = {campaign_id}"
            ),
        )
        .await;
        assert_eq!(
            sent["customers"].as_i64().unwrap() + sent["control_customers"].as_i64().unwrap(),
            members
        );

        // A program's card holders alone; a store's receipts alone.
        let held = report(
            &server.client,
            &base,
            &format!("effect?{period}&program_id={}", base.program_id),
        )
        .await;
        let row = &rows(&held, "offer_effect")[0];
        assert_eq!(
            row["customers"].as_i64().unwrap() + row["control_customers"].as_i64().unwrap(),
            3
        );
        let third = base.stores["s3"];
        let at_third = report(
            &server.client,
            &base,
            &format!("effect?{period}&store_id={third}"),
        )
        .await;
        let row = &rows(&at_third, "offer_effect")[0];
        let per_customer = row["revenue_per_customer_minor"].as_i64().unwrap()
            + row["control_revenue_per_customer_minor"].as_i64().unwrap();
        let everywhere = offered["revenue_per_customer_minor"].as_i64().unwrap()
            + offered["control_revenue_per_customer_minor"]
                .as_i64()
                .unwrap();
        assert!(0 < per_customer && per_customer < everywhere, "{row}");
        let third_revenue: i64 = sql(
            &url,
            &format!(
                "SELECT SUM(total_minor - discount_minor) FROM receipts
                 WHERE store_id = {third} AND customer_id IS NOT NULL AND created_at >= {since}"
            ),
        )
        .await;
        let counted = |row: &Value, group: &str, average: &str| {
            row[group].as_i64().unwrap() * row[average].as_i64().unwrap()
        };
        let approx = counted(row, "customers", "revenue_per_customer_minor")
            + counted(
                row,
                "control_customers",
                "control_revenue_per_customer_minor",
            );
        assert!(
            (approx - third_revenue).abs() <= 9,
            "{approx} against {third_revenue}"
        );
        // A manager of that store's region sees what the store narrowing
        // shows, and not the campaign made for every store.
        let south = south_manager(&base).await;
        let theirs = report(&south, &base, &format!("effect?{period}")).await;
        assert_eq!(
            rows(&theirs, "offer_effect"),
            rows(&at_third, "offer_effect")
        );
        assert!(rows(&theirs, "campaign_effect").is_empty(), "{theirs}");
        base.server.stop().await;
    }
}

/// A month's first moment in the shop's zone (every store's here), as the
/// engine keeps moments.
fn month_starts(url: &str, month: Date) -> String {
    let moscow = jiff::tz::TimeZone::get("Europe/Moscow").unwrap();
    at(url, month.to_zoned(moscow).unwrap().timestamp())
}

/// What plain SQL counts of a month's buyers in the stores `within` (an
/// ` AND` on the receipts, or nothing): new (their first purchase in the
/// month), and the others with two receipts or more, and with one.
async fn plain_visitors(url: &str, month: Date, within: &str) -> [i64; 3] {
    let starts = month_starts(url, month);
    let ends = month_starts(url, month.checked_add(1.month()).unwrap());
    let bought = |first: &str, receipts: &str| {
        format!(
            "SELECT COUNT(*) FROM (SELECT r.customer_id FROM receipts r
                 JOIN customer_loyalty l ON l.customer_id = r.customer_id
                 WHERE r.created_at >= {starts} AND r.created_at < {ends}{within}
                   AND l.first_purchase_at {first}
                 GROUP BY r.customer_id HAVING COUNT(*) {receipts}) b"
        )
    };
    [
        sql(url, &bought(&format!(">= {starts}"), ">= 1")).await,
        sql(url, &bought(&format!("< {starts}"), ">= 2")).await,
        sql(url, &bought(&format!("< {starts}"), "= 1")).await,
    ]
}

/// What plain SQL counts of the customers whose first receipt is in
/// `cohort`'s month: those who bought in `month` in the stores `within`.
async fn plain_cohort(url: &str, cohort: Date, month: Date, within: &str) -> i64 {
    let next = |m: Date| m.checked_add(1.month()).unwrap();
    let (first, first_ends) = (month_starts(url, cohort), month_starts(url, next(cohort)));
    let (starts, ends) = (month_starts(url, month), month_starts(url, next(month)));
    sql(
        url,
        &format!(
            "SELECT COUNT(*) FROM (SELECT customer_id, MIN(created_at) AS first FROM receipts
                                   WHERE customer_id IS NOT NULL GROUP BY customer_id) f
             WHERE f.first >= {first} AND f.first < {first_ends}
               AND EXISTS (SELECT 1 FROM receipts r WHERE r.customer_id = f.customer_id
                           AND r.created_at >= {starts} AND r.created_at < {ends}{within})"
        ),
    )
    .await
}

/// The sales report's visitors and the cohorts from September to the 23rd
/// of November, of every customer and of the north's stores, count what
/// plain SQL counts, month by month and cell by cell.
async fn months_count_as_plain_sql(base: &Base) {
    let url = &base.server.database_url;
    let owner = &base.server.client;
    let (s1, s2) = (base.stores["s1"], base.stores["s2"]);
    let months = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)];
    let period = "from=2026-09-01&to=2026-11-23";
    let north = format!(" AND r.store_id IN ({s1}, {s2})");
    for (store, within) in [
        (String::new(), ""),
        (
            format!("&store_id={}", base.stores["north"]),
            north.as_str(),
        ),
    ] {
        let sales = report(owner, base, &format!("sales?{period}{store}")).await;
        let visitors = rows(&sales, "visitors");
        for month in months {
            let counted = plain_visitors(url, month, within).await;
            let row = visitors.iter().find(|r| r["period"] == month.to_string());
            let answered = row.map_or([0; 3], |r| {
                ["new_customers", "loyal_customers", "other_customers"]
                    .map(|k| r[k].as_i64().unwrap())
            });
            assert_eq!(answered, counted, "{month}{store}: {visitors:?}");
        }
        let cohorts = report(owner, base, &format!("cohorts?{period}{store}")).await;
        let cohorts = rows(&cohorts, "cohorts");
        for (n, cohort) in months.iter().enumerate() {
            let mut cells = Vec::new();
            for month in &months[n..] {
                cells.push(plain_cohort(url, *cohort, *month, within).await);
            }
            let row = cohorts.iter().find(|r| r["cohort"] == cohort.to_string());
            let Some(row) = row else {
                assert!(
                    cells.iter().all(|c| *c == 0),
                    "{cohort}{store}: {cohorts:?}"
                );
                continue;
            };
            assert_eq!(row["customers"], cells[0], "{cohort}{store}");
            for (later, cell) in cells.iter().enumerate().skip(1) {
                let share = (cells[0] > 0).then(|| Cell::ratio(*cell, cells[0]));
                assert_eq!(
                    row[format!("month_{later}")],
                    json!(share),
                    "{cohort}{store}"
                );
            }
        }
    }
}

/// Closed months are kept for every customer and read as kept; a receipt
/// uploaded late into them, moving a first purchase, and a merge moving
/// one, leave the reports counting what plain SQL counts, live until the
/// job keeps the months again.
#[tokio::test]
async fn closed_months_kept_count_what_a_plain_count_does_after_late_receipts_and_merges() {
    for engine in till_engines() {
        let base = seed(engine).await;
        let url = base.server.database_url.clone();
        let app = &base.server.app;
        let kept = "SELECT COUNT(*) FROM month_visitors WHERE counted = changes";
        assert_eq!(sql(&url, kept).await, 1, "{engine:?}: October is kept");
        months_count_as_plain_sql(&base).await;

        // Uploaded late: customer 1 (who bought on the 20th of November
        // alone) bought on the 10th of October first, and customer 8 (who
        // never bought) on the 15th of September.
        let customer = |i: usize| Some(base.customers[i]);
        for (i, id, created_at) in [
            (1, "L-1", "2026-10-10T12:00:00+03:00"),
            (8, "L-2", "2026-09-15T12:00:00+03:00"),
        ] {
            let till = &base.tills[i % 3];
            commit(&base.server, till, customer(i), id, created_at, 0).await;
        }
        app.clock().advance(SignedDuration::from_secs(180));
        assert_eq!(app.roll_up_day_figures().await.unwrap().receipts, 2);
        assert_eq!(sql(&url, kept).await, 0, "{engine:?}: October changed");
        months_count_as_plain_sql(&base).await;
        let (september, october) = (date(2026, 9, 1), date(2026, 10, 1));
        assert_eq!(app.keep_month_figures().await.unwrap(), Some(september));
        assert_eq!(app.keep_month_figures().await.unwrap(), Some(october));
        assert_eq!(app.keep_month_figures().await.unwrap(), None);
        months_count_as_plain_sql(&base).await;

        // Customer 8 merged into customer 5, who first bought on the 23rd
        // of October: their first purchase is in September now.
        let (status, merged) = base
            .server
            .post(
                &format!("/api/v1/customers/{}/merge", base.customers[5]),
                json!({"duplicate_id": base.customers[8]}),
            )
            .await;
        assert_eq!(status, 200, "{merged}");
        assert_eq!(sql(&url, kept).await, 0, "{engine:?}: both months changed");
        months_count_as_plain_sql(&base).await;
        while app.keep_month_figures().await.unwrap().is_some() {}
        assert_eq!(sql(&url, kept).await, 2, "{engine:?}");
        months_count_as_plain_sql(&base).await;
        base.server.stop().await;
    }
}
