//! The day figures reports read: kept a minute at a time by the scheduled
//! work from what the tills committed, each receipt on its day in its
//! store's time zone, each return on the day it was taken; rebuilt from
//! every receipt, they are the same.

mod common;

use clientele_app::Clock;
use common::{TestServer, engines, fresh_database, shop};
use jiff::SignedDuration;
use jiff::civil::date;
use serde_json::{Value, json};

const THREE_MINUTES: SignedDuration = SignedDuration::from_secs(180);

/// A receipt committed now with the time the till gives it.
async fn receipt(
    server: &TestServer,
    shop: &shop::Shop,
    customer_id: Option<i64>,
    receipt_id: &str,
    created_at: &str,
) -> Value {
    let response = shop
        .till
        .post(server.url("/api/v1/pos/receipts"))
        .json(
            &json!({"customer_id": customer_id, "lines": shop::groceries(),
                      "receipt_id": receipt_id, "created_at": created_at}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn day_figures_kept_a_minute_at_a_time_equal_the_figures_rebuilt() {
    for engine in engines() {
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
        assert_eq!(
            app.roll_up_day_figures().await.unwrap(),
            0,
            "not settled yet"
        );
        clock.advance(THREE_MINUTES);
        assert_eq!(app.roll_up_day_figures().await.unwrap(), 1);
        assert_eq!(app.roll_up_day_figures().await.unwrap(), 0, "nothing new");

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
        assert_eq!(app.roll_up_day_figures().await.unwrap(), 2);

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

        assert_eq!(app.rebuild_day_figures().await.unwrap(), 2);
        let rebuilt = app.day_figures(november.0, november.1).await.unwrap();
        assert_eq!(rebuilt, kept);
        server.stop().await;
    }
}
