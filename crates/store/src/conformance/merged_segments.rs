//! A segment reads a customer's purchase history as their page shows it:
//! with the receipts of every customer merged into them.

use std::collections::{BTreeMap, BTreeSet};

use clientele_domain::segment::{RawRule, Rule, members};
use clientele_domain::{CustomerId, TierId};
use serde_json::{Value, json};

use super::add_store;
use super::loyalty::shop;
use super::search::merge;
use super::segments::{
    Draws, FIELDS, Written, buy, facts_of, marketers_properties, register_one, rule_context,
    rule_json, stores_paths, takes_period, today,
};
use crate::Database;

pub async fn segments_count_the_history_of_merged_customers(db: &dyn Database) {
    let shop = shop(db).await;
    let north = add_store(db, "N1", "store", None).await.id;
    let stores = [shop.store, north];
    let properties = marketers_properties(db).await;
    let groups = [db.directory().default_customer_group().await.unwrap().id];
    let mut draws = Draws(41);
    // A survivor, a duplicate merged into it, one merged into the duplicate
    // before that, and a customer nobody merged.
    let mut customers = Vec::new();
    let mut bought = Vec::new();
    let mut receipt_no = 0;
    for n in 0..4 {
        let customer = register_one(db, &mut draws, n, &properties, &groups, &stores).await;
        let mut purchases = Vec::new();
        for _ in 0..6 {
            receipt_no += 1;
            purchases.push(buy(db, &shop, &mut draws, customer.id, receipt_no, &stores).await);
        }
        customers.push(customer.id);
        bought.push(purchases);
    }
    let [survivor, duplicate, earlier, alone] = customers[..] else {
        unreachable!("four customers")
    };
    merge(db, duplicate, earlier).await;
    merge(db, survivor, duplicate).await;
    let page = db.history().purchases(survivor, 100).await.unwrap();
    assert_eq!(page.len(), 18, "the survivor's page shows all three's");

    let own = |n: usize| Written {
        purchases: bought[n].clone(),
    };
    let all_three = Written {
        purchases: bought[..3].concat(),
    };
    let paths = stores_paths(db).await;
    let facts = facts_of(
        db,
        &BTreeMap::from([(survivor, all_three), (alone, own(3))]),
        &paths,
    )
    .await;
    let own_only = facts_of(
        db,
        &BTreeMap::from([(survivor, own(0)), (alone, own(3))]),
        &paths,
    )
    .await;
    let context = rule_context(db, &properties).await;
    // Every history field at thresholds across the survivor's figures,
    // above and below, in every period; then random mixes of them.
    let mut rules = Vec::new();
    let sweeps: [(&str, i64, Value); 7] = [
        ("purchases_count", 1, json!({})),
        ("spent_minor", 50_000, json!({})),
        ("average_receipt_minor", 20_000, json!({})),
        ("bought", 1, json!({"categories": ["dairy"]})),
        ("bought_minor", 20_000, json!({"skus": ["milk"]})),
        ("stores_visited", 1, json!({})),
        ("purchase_store_id", 0, json!({})),
    ];
    for period in [None, Some(30), Some(90), Some(365)] {
        for (field, step, goods) in &sweeps {
            let values: Vec<Value> = if *step == 0 {
                stores.iter().map(|s| json!(s.0)).collect()
            } else {
                (1..=20).map(|n| json!(n * step)).collect()
            };
            for (value, op) in values.iter().flat_map(|v| [(v, "gte"), (v, "lt")]) {
                let op = if *step == 0 { "eq" } else { op };
                let mut rule = json!({"field": field, "op": op, "value": value});
                rule.as_object_mut()
                    .unwrap()
                    .extend(goods.as_object().unwrap().clone());
                if let Some(days) = period {
                    rule["period_days"] = json!(days);
                }
                rules.push(rule);
            }
        }
        for present in [true, false] {
            rules.push(json!({"field": "average_receipt_minor", "op": "exists",
                              "value": present, "period_days": period.unwrap_or(30)}));
        }
    }
    let fields: Vec<&str> = FIELDS
        .into_iter()
        .filter(|field| takes_period(field))
        .chain(["first_purchase_days_ago", "last_purchase_days_ago"])
        .collect();
    for _ in 0..300 {
        rules.push(rule_json(
            &mut draws,
            &fields,
            3,
            &groups,
            &stores,
            &[],
            TierId(0),
        ));
    }
    let mut told_apart = 0;
    for json in rules {
        let raw: RawRule = serde_json::from_value(json.clone()).unwrap();
        let rule = Rule::parse(&raw, &properties).unwrap();
        let expected = members(&rule, &facts, today());
        let found: BTreeSet<CustomerId> = db
            .segments()
            .matching(&rule, &context)
            .await
            .unwrap_or_else(|e| panic!("{json}: {e}"))
            .into_iter()
            .collect();
        assert_eq!(found, expected, "{json}");
        let count = db.segments().count_matching(&rule, &context).await.unwrap();
        assert_eq!(count, i64::try_from(expected.len()).unwrap(), "{json}");
        if expected != members(&rule, &own_only, today()) {
            told_apart += 1;
        }
    }
    // The others' receipts decide many of them.
    assert!(
        told_apart > 100,
        "only {told_apart} rules told the histories apart"
    );
}
