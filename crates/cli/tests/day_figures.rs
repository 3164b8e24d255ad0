//! The figures reports read: kept a minute at a time by the scheduled work
//! from what the tills committed, each receipt on its day in its store's
//! time zone, each return on the day it was taken; rebuilt from every
//! receipt, in batches of any size, they are the same.

use crate::common;
use crate::figures;

use std::collections::BTreeMap;
use std::sync::Mutex;

use clientele_app::Clock;
use clientele_app::progress::{Progress, Silent};
use clientele_domain::StoreId;
use clientele_store::{CohortMonth, CustomerReach, VisitorMonth};
use common::{TestServer, client_with, fresh_database, shop, till_engines};
use figures::Committed;
use jiff::SignedDuration;
use jiff::civil::date;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

const THREE_MINUTES: SignedDuration = SignedDuration::from_secs(180);

/// A receipt committed now at `till` with the time the till gives it.
async fn sold_at(
    server: &TestServer,
    till: &reqwest::Client,
    customer_id: Option<i64>,
    receipt_id: &str,
    created_at: &str,
    lines: Value,
) -> Value {
    let response = till
        .post(server.url("/api/v1/pos/receipts"))
        .json(&json!({"customer_id": customer_id, "lines": lines,
                      "receipt_id": receipt_id, "created_at": created_at}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Groceries committed now at the shop's till.
async fn receipt(
    server: &TestServer,
    shop: &shop::Shop,
    customer_id: Option<i64>,
    receipt_id: &str,
    created_at: &str,
) -> Value {
    let lines = shop::groceries();
    sold_at(
        server,
        &shop.till,
        customer_id,
        receipt_id,
        created_at,
        lines,
    )
    .await
}

#[tokio::test]
async fn day_figures_kept_a_minute_at_a_time_equal_the_figures_rebuilt() {
    for engine in till_engines() {
        let clock = Clock::fixed(
            jiff::tz::TimeZone::get("Europe/Moscow").unwrap(),
            "2026-11-23T09:00:00Z".parse().unwrap(),
        );
        let server =
            TestServer::start_on(fresh_database(engine).await, clock.clone(), "owner").await;
        let shop = shop::open(&server, 1).await;
        let (status, anna) = server
            .post(
                "/api/v1/customers",
                json!({"name": "Анна", "phone": "+79161230030"}),
            )
            .await;
        assert_eq!(status, 201, "{anna}");
        let anna = anna["id"].as_i64().unwrap();

        // Anna's first purchase (the 22nd, 11:55 in Moscow), and an
        // anonymous one at 23:30 the same day.
        let first = shop::sell(&server, &shop, anna, "R-1", shop::groceries()).await;
        let other = receipt(&server, &shop, None, "R-2", "2026-11-22T23:30:00+03:00").await;
        let app = &server.app;
        let store_days = async || app.roll_up_day_figures().await.unwrap().store_days;
        assert_eq!(store_days().await, 0, "not settled yet");
        clock.advance(THREE_MINUTES);
        assert_eq!(store_days().await, 1);
        assert_eq!(store_days().await, 0, "nothing new");

        // A receipt of the 22nd uploaded late (an offline till) and, on
        // the 23rd, her first purchase returned: two days change.
        let late = receipt(
            &server,
            &shop,
            Some(anna),
            "R-3",
            "2026-11-22T18:00:00+03:00",
        )
        .await;
        shop::return_all(&server, &shop, "R-1", "V-1").await;
        clock.advance(THREE_MINUTES);
        assert_eq!(store_days().await, 2);

        let november = (date(2026, 11, 1), date(2026, 11, 30));
        let kept = app.day_figures(november.0, november.1).await.unwrap();
        assert_eq!(kept.len(), 2, "{kept:?}");
        let the_22nd = kept[0].figures;
        assert_eq!(kept[0].day, date(2026, 11, 22));
        assert_eq!(kept[0].store_id.0, shop.store_id);
        let total = |answer: &Value| answer["total_minor"].as_i64().unwrap();
        let counts = |d: clientele_domain::report::DayFigures| {
            (d.receipts, d.identified_receipts, d.first_purchases)
        };
        assert_eq!(counts(the_22nd), (3, 2, 1));
        assert_eq!(
            the_22nd.revenue_minor,
            total(&first) + total(&other) + total(&late)
        );
        assert_eq!(
            the_22nd.identified_revenue_minor,
            total(&first) + total(&late)
        );
        let the_23rd = kept[1].figures;
        assert_eq!(kept[1].day, date(2026, 11, 23));
        assert_eq!(
            (
                the_23rd.receipts,
                the_23rd.returns,
                the_23rd.first_purchases
            ),
            (0, 1, 0)
        );
        assert!(the_23rd.refunds_minor > 0);

        let rolled = app.rebuild_day_figures(&Silent).await.unwrap();
        assert_eq!((rolled.receipts, rolled.store_days), (3, 2));
        let rebuilt = app.day_figures(november.0, november.1).await.unwrap();
        assert_eq!(rebuilt, kept);

        // A receipt of the 21st uploaded late comes before her first
        // purchase: the 21st counts it, the 22nd no longer does.
        receipt(
            &server,
            &shop,
            Some(anna),
            "R-4",
            "2026-11-21T10:00:00+03:00",
        )
        .await;
        clock.advance(THREE_MINUTES);
        assert_eq!(store_days().await, 2);
        let kept = app.day_figures(november.0, november.1).await.unwrap();
        let firsts: Vec<_> = kept
            .iter()
            .map(|d| (d.day, d.figures.first_purchases))
            .collect();
        assert_eq!(
            firsts,
            [
                (date(2026, 11, 21), 1),
                (date(2026, 11, 22), 0),
                (date(2026, 11, 23), 0)
            ],
            "{engine:?}"
        );
        app.rebuild_day_figures(&Silent).await.unwrap();
        let rebuilt = app.day_figures(november.0, november.1).await.unwrap();
        assert_eq!(rebuilt, kept, "{engine:?}");
        server.stop().await;
    }
}

fn line(sku: &str, name: &str, category: Option<&str>, quantity: Value, amount: i64) -> Value {
    let price = (amount as f64 / quantity.as_f64().unwrap()).round() as i64;
    json!({"sku": sku, "name": name, "category": category, "quantity": quantity,
           "price_minor": price, "amount_minor": amount})
}

/// Gives back at `till` what `body` names of a receipt it sold.
async fn give_back(server: &TestServer, till: &reqwest::Client, receipt_id: &str, body: Value) {
    let response = till
        .post(server.url(&format!("/api/v1/pos/receipts/{receipt_id}/returns")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// What a rebuild reported: the receipts it expected, those it rolled up,
/// whether it finished.
#[derive(Default)]
struct Counted(Mutex<(u64, u64, bool)>);

impl Progress for Counted {
    fn start(&self, _: &str, total: u64) {
        self.0.lock().unwrap().0 = total;
    }

    fn advance(&self, done: u64) {
        self.0.lock().unwrap().1 += done;
    }

    fn finish(&self) {
        self.0.lock().unwrap().2 = true;
    }
}

/// Customers' months and products, the products' days and the whole
/// chain's closed months: kept round by round as receipts come (two stores
/// in two zones, lines with and without a category, returns, anonymous
/// receipts, two uploaded late, one into a month kept), each read answers
/// what the receipts themselves add up to, and every rebuild, in batches
/// of one receipt's time or of many, keeps the same rows.
#[tokio::test]
async fn customer_and_product_figures_kept_round_by_round_equal_every_rebuild() {
    for engine in till_engines() {
        let moscow = TimeZone::get("Europe/Moscow").unwrap();
        let clock = Clock::fixed(moscow.clone(), "2026-11-23T09:00:00Z".parse().unwrap());
        let url = fresh_database(engine).await;
        let server = TestServer::start_on(url.clone(), clock.clone(), "owner").await;
        let shop = shop::open(&server, 1).await;
        let (status, ural) = server
            .post(
                "/api/v1/stores",
                json!({"code": "EKB", "name": "Екатеринбург", "kind": "store",
                       "time_zone": "Asia/Yekaterinburg"}),
            )
            .await;
        assert_eq!(status, 201, "{ural}");
        let ural = ural["id"].as_i64().unwrap();
        let (status, till) = server
            .post(
                "/api/v1/tills",
                json!({"store_id": ural, "name": "Касса 2"}),
            )
            .await;
        assert_eq!(status, 201, "{till}");
        let ural_till = client_with(till["key"].as_str().unwrap());
        let mut people = Vec::new();
        for (name, phone) in [
            ("Анна", "+79161230031"),
            ("Борис", "+79161230032"),
            ("Вера", "+79161230033"),
        ] {
            let (status, customer) = server
                .post("/api/v1/customers", json!({"name": name, "phone": phone}))
                .await;
            assert_eq!(status, 201, "{customer}");
            people.push(customer["id"].as_i64().unwrap());
        }
        let [anna, boris, vera] = people[..] else {
            unreachable!()
        };
        let milk = |n: i64| line("milk", "Молоко", Some("dairy"), json!(n), 8_990 * n);
        let bread = |n: i64| line("bread", "Хлеб", Some("bakery"), json!(n), 4_500 * n);
        let salt = |n: i64| line("salt", "Соль", None, json!(n), 2_500 * n);
        let tea = |name: &str, amount: i64| line("tea", name, Some("drinks"), json!(1), amount);
        let cheese = line("cheese", "Сыр", Some("dairy"), json!(0.532), 63_840);
        let app = &server.app;
        let (sell, ural_sell) = (&shop.till, &ural_till);
        let tick = || clock.advance(SignedDuration::from_secs(1));

        // At one time: Anna at 23:30 on the 31st of October in Moscow, Boris
        // at the same moment in Yekaterinburg (01:30 on the 1st of November
        // there), an anonymous receipt.
        let halloween = "2026-10-31T23:30:00+03:00";
        for (till, customer, id, at, lines) in [
            (
                sell,
                Some(anna),
                "R-1",
                halloween,
                json!([milk(2), bread(1)]),
            ),
            (
                ural_sell,
                Some(boris),
                "R-2",
                halloween,
                json!([tea("Чай", 30_000), salt(1)]),
            ),
            (
                sell,
                None,
                "R-3",
                "2026-11-05T12:00:00+03:00",
                json!([milk(1), salt(2)]),
            ),
        ] {
            sold_at(&server, till, customer, id, at, lines).await;
        }
        let rolled = app.roll_up_day_figures().await.unwrap();
        assert_eq!(rolled.receipts, 0, "not settled yet");
        clock.advance(THREE_MINUTES);
        assert_eq!(app.roll_up_day_figures().await.unwrap().receipts, 3);

        // A second apart: the tea renamed, and a part of Anna's first
        // receipt given back.
        let black = || tea("Чай чёрный", 32_000);
        for (till, customer, id, at, lines) in [
            (
                sell,
                Some(anna),
                "R-4",
                "2026-11-10T10:00:00+03:00",
                json!([milk(1), black()]),
            ),
            (
                ural_sell,
                Some(anna),
                "R-5",
                "2026-11-10T18:00:00+05:00",
                json!([cheese]),
            ),
            (
                sell,
                Some(vera),
                "R-6",
                "2026-11-22T11:00:00+03:00",
                json!([bread(2), black()]),
            ),
            (
                sell,
                Some(boris),
                "R-7",
                "2026-11-12T09:00:00+03:00",
                json!([milk(3)]),
            ),
        ] {
            sold_at(&server, till, customer, id, at, lines).await;
            tick();
        }
        let some_milk = json!({"return_id": "V-1", "lines": [{"line": 1, "quantity": 1}]});
        give_back(&server, sell, "R-1", some_milk).await;
        clock.advance(THREE_MINUTES);
        assert_eq!(app.roll_up_day_figures().await.unwrap().receipts, 4);

        // Boris's receipt of the 3rd uploaded late (an offline till; after
        // his first purchase: one before it would move his first purchase,
        // which the day figures kept already could not follow), green tea
        // sold anonymously in Yekaterinburg, and Anna's cheese given back.
        for (till, customer, id, at, lines) in [
            (
                sell,
                Some(boris),
                "R-8",
                "2026-11-03T10:00:00+03:00",
                json!([bread(1)]),
            ),
            (
                ural_sell,
                None,
                "R-9",
                "2026-11-20T10:00:00+05:00",
                json!([tea("Чай зелёный", 35_000)]),
            ),
        ] {
            sold_at(&server, till, customer, id, at, lines).await;
            tick();
        }
        give_back(&server, ural_sell, "R-5", json!({"return_id": "V-2"})).await;
        clock.advance(THREE_MINUTES);
        assert_eq!(app.roll_up_day_figures().await.unwrap().receipts, 2);
        let zones = BTreeMap::from([
            (shop.store_id, moscow.clone()),
            (ural, TimeZone::get("Asia/Yekaterinburg").unwrap()),
        ]);
        let stores = [shop.store_id, ural];
        // October is closed: the whole chain's figures of it are kept, once,
        // and read as they were counted live.
        let live = figures_answer_the_receipts(&server, &url, &zones, stores).await;
        let october = date(2026, 10, 1);
        assert_eq!(app.keep_month_figures().await.unwrap(), Some(october));
        assert_eq!(app.keep_month_figures().await.unwrap(), None);
        assert_eq!(
            figures_answer_the_receipts(&server, &url, &zones, stores).await,
            live
        );

        // Boris's receipt of 23:45 on the 31st of October in Moscow uploaded
        // late: he bought in October's Moscow now, his first month with it.
        // The month kept is counted live until kept again.
        sold_at(
            &server,
            sell,
            Some(boris),
            "R-10",
            "2026-10-31T23:45:00+03:00",
            json!([bread(1)]),
        )
        .await;
        clock.advance(THREE_MINUTES);
        assert_eq!(app.roll_up_day_figures().await.unwrap().receipts, 1);
        let late = figures_answer_the_receipts(&server, &url, &zones, stores).await;
        assert_ne!(late, live);
        assert_eq!(app.keep_month_figures().await.unwrap(), Some(october));
        assert_eq!(
            figures_answer_the_receipts(&server, &url, &zones, stores).await,
            late
        );
        let kept = figures::tables(&url).await;
        assert!(kept.iter().all(|table| !table.is_empty()), "{kept:?}");

        for batch in [1, 2, 1_000] {
            let rolled = app
                .rebuild_figures_in_batches(batch, &Silent)
                .await
                .unwrap();
            assert_eq!(rolled.receipts, 10);
            assert_eq!(figures::tables(&url).await, kept, "in batches of {batch}");
        }
        let counted = Counted::default();
        app.rebuild_day_figures(&counted).await.unwrap();
        assert_eq!(*counted.0.lock().unwrap(), (10, 10, true));
        assert_eq!(figures::tables(&url).await, kept);
        server.stop().await;
    }
}

/// Every read of the figures answers what the receipts add up to, over
/// both `stores` (every customer: closed months as kept, when they are)
/// and the second alone (counted live); the months' figures of every
/// customer, as read.
async fn figures_answer_the_receipts(
    server: &TestServer,
    url: &str,
    zones: &BTreeMap<i64, TimeZone>,
    stores: [i64; 2],
) -> (Vec<VisitorMonth>, Vec<CohortMonth>) {
    let moscow = TimeZone::get("Europe/Moscow").unwrap();
    let committed = Committed::read(url, zones.clone(), moscow.clone()).await;
    let rollups = server.db.rollups();
    let (autumn, november) = (
        (date(2026, 10, 1), date(2026, 11, 30)),
        (date(2026, 11, 1), date(2026, 11, 30)),
    );
    let mut everyone = None;
    for stores in [stores.to_vec(), vec![stores[1]]] {
        let named: Vec<StoreId> = stores.iter().copied().map(StoreId).collect();
        let named = CustomerReach {
            stores: (stores.len() == 1).then_some(named),
            ..CustomerReach::default()
        };
        let visitors = rollups
            .visitor_months(autumn.0, autumn.1, &named, &moscow)
            .await
            .unwrap();
        assert_eq!(
            visitors,
            committed.visitor_months(autumn.0, autumn.1, &stores)
        );
        let cohorts = rollups.cohorts(autumn.0, autumn.1, &named).await.unwrap();
        assert_eq!(cohorts, committed.cohorts(autumn.0, autumn.1, &stores));
        // A span starting in November leaves October's cohort out.
        let later = rollups
            .cohorts(november.0, november.1, &named)
            .await
            .unwrap();
        assert_eq!(later, committed.cohorts(november.0, november.1, &stores));
        for (from, to) in [autumn, november] {
            let products = rollups.product_figures(from, to, &named).await.unwrap();
            assert_eq!(products, committed.product_figures(from, to, &stores));
        }
        for limit in [10, 1] {
            let buyers = rollups
                .product_buyers(
                    autumn.0,
                    autumn.1,
                    &["milk".into()],
                    &["drinks".into()],
                    &named,
                    limit,
                )
                .await
                .unwrap();
            let all = committed.product_buyers(autumn, &["milk"], &["drinks"], &stores, usize::MAX);
            assert_eq!(buyers.0, all.len() as i64, "counted past the limit");
            let expected =
                committed.product_buyers(autumn, &["milk"], &["drinks"], &stores, limit as usize);
            assert_eq!(buyers.1, expected);
        }
        everyone.get_or_insert((visitors, cohorts));
    }
    let (visitors, cohorts) = everyone.unwrap();
    assert!(visitors.iter().any(|m| m.new > 0) && visitors.iter().any(|m| m.loyal > 0));
    assert_eq!(cohorts.len(), 3, "{cohorts:?}");
    (visitors, cohorts)
}
