//! The purchase-history fields on a hand-made customer: periods, returns
//! and the store hierarchy.

use jiff::civil::{Date, date};
use serde_json::json;

use super::{blank, holds};
use crate::ids::StoreId;
use crate::segment::{Facts, Purchase, PurchaseLine};

fn line(sku: &str, category: Option<&str>, quantity_milli: i64, amount_minor: i64) -> PurchaseLine {
    PurchaseLine {
        sku: sku.into(),
        category: category.map(str::to_owned),
        quantity_milli,
        amount_minor,
    }
}

fn purchase(on: Date, store: &[i64], spent_minor: i64, lines: Vec<PurchaseLine>) -> Purchase {
    Purchase {
        on,
        store_path: store.iter().copied().map(StoreId).collect(),
        spent_minor,
        lines,
    }
}

/// Region 1 → city 2 → stores 3 and 4; region 5 → store 6.
fn shopper() -> Facts {
    Facts {
        store_path: vec![StoreId(3), StoreId(2), StoreId(1)],
        purchases: vec![
            purchase(
                date(2025, 2, 28),
                &[3, 2, 1],
                1000,
                vec![line("A", Some("milk"), 1500, 1000)],
            ),
            purchase(
                date(2025, 3, 1),
                &[4, 2, 1],
                501,
                vec![line("B", Some("milk"), 2000, 501)],
            ),
            // Returned in full: still a purchase, worth nothing now.
            purchase(
                date(2025, 3, 5),
                &[6, 5],
                0,
                vec![line("A", Some("bread"), 0, 0)],
            ),
            purchase(
                date(2025, 3, 10),
                &[3, 2, 1],
                300,
                vec![line("C", None, 1000, 300)],
            ),
        ],
        ..blank()
    }
}

#[test]
fn a_period_is_the_last_days_today_included() {
    let today = date(2025, 3, 10);
    let within = |days: u32, value: i64| json!({"field": "purchases_count", "op": "eq", "value": value, "period_days": days});
    // Ten days back from 10 March start on 1 March.
    assert!(holds(within(10, 3), &shopper(), today));
    assert!(holds(within(11, 4), &shopper(), today));
    assert!(holds(within(1, 1), &shopper(), today));
    let spent = json!({"field": "spent_minor", "op": "eq", "value": 801, "period_days": 10});
    assert!(holds(spent, &shopper(), today));
    // First and last purchase are all-time.
    assert!(holds(
        json!({"field": "first_purchase_days_ago", "op": "eq", "value": 10}),
        &shopper(),
        today
    ));
    assert!(holds(
        json!({"field": "last_purchase_days_ago", "op": "eq", "value": 0}),
        &shopper(),
        today
    ));
}

#[test]
fn figures_are_net_of_returns() {
    let today = date(2025, 3, 10);
    let facts = shopper();
    // (1000 + 501 + 0 + 300) / 4 = 450.25, rounded down.
    assert!(holds(
        json!({"field": "average_receipt_minor", "op": "eq", "value": 450}),
        &facts,
        today
    ));
    assert!(holds(
        json!({"field": "spent_minor", "op": "eq", "value": 1801}),
        &facts,
        today
    ));
    let milk = |op: &str, units: i64| json!({"field": "bought", "op": op, "value": units, "categories": ["milk"]});
    // 1.5 + 2 units of milk.
    assert!(holds(milk("gte", 3), &facts, today));
    assert!(!holds(milk("gte", 4), &facts, today));
    assert!(!holds(milk("eq", 3), &facts, today));
    let a = json!({"field": "bought", "op": "between", "value": [1, 2], "skus": ["A"]});
    assert!(holds(a, &facts, today));
    let a_or_bread = json!({"field": "bought_minor", "op": "eq", "value": 1000, "skus": ["A"], "categories": ["bread"]});
    assert!(holds(a_or_bread, &facts, today));
    let recent_milk = json!({"field": "bought", "op": "eq", "value": 2, "categories": ["milk"], "period_days": 10});
    assert!(holds(recent_milk, &facts, today));
}

#[test]
fn stores_are_matched_through_the_hierarchy() {
    let today = date(2025, 3, 10);
    let facts = shopper();
    let registered = |op: &str, value: serde_json::Value| {
        holds(
            json!({"field": "store_id", "op": op, "value": value}),
            &facts,
            today,
        )
    };
    assert!(registered("eq", json!(1)));
    assert!(registered("eq", json!(2)));
    assert!(registered("eq", json!(3)));
    assert!(!registered("eq", json!(4)));
    assert!(registered("ne", json!(4)));
    assert!(!registered("ne", json!(1)));
    assert!(registered("in", json!([5, 2])));
    let nowhere = blank();
    assert!(!holds(
        json!({"field": "store_id", "op": "ne", "value": 4}),
        &nowhere,
        today
    ));
    assert!(holds(
        json!({"field": "store_id", "op": "exists", "value": false}),
        &nowhere,
        today
    ));
    let bought_in = |store: i64, days: u32| json!({"field": "purchase_store_id", "op": "eq", "value": store, "period_days": days});
    assert!(holds(bought_in(5, 10), &facts, today));
    assert!(!holds(bought_in(5, 5), &facts, today));
    assert!(holds(bought_in(4, 10), &facts, today));
    assert!(!holds(bought_in(4, 9), &facts, today));
    assert!(holds(
        json!({"field": "stores_visited", "op": "eq", "value": 3}),
        &facts,
        today
    ));
    let recently = json!({"field": "stores_visited", "op": "eq", "value": 2, "period_days": 6});
    assert!(holds(recently, &facts, today));
}
