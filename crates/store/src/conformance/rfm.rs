//! RFM scores: every customer who bought scored by the bounds given, those
//! who never bought left without, and only the scores that change written.

use clientele_domain::segment::{RawRule, Rule};
use clientele_domain::{CustomerId, PropertyDefinition};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::loyalty::shop;
use super::segments::{Draws, buy, marketers_properties, register_one, rule_context};
use crate::{Database, RfmBounds};

/// A customer's figures as RFM reads them.
struct Bought {
    last: Option<Timestamp>,
    purchases: i64,
    spent_minor: i64,
}

/// The score of `value` against ascending `bounds`: one plus the bounds it
/// passes.
fn score<T: PartialOrd>(value: &T, bounds: &[T], passes: fn(&T, &T) -> bool) -> i64 {
    1 + bounds.iter().filter(|bound| passes(value, bound)).count() as i64
}

pub async fn rfm_scores_are_written_where_they_change(db: &dyn Database) {
    let shop = shop(db).await;
    let properties = marketers_properties(db).await;
    let groups = [db.directory().default_customer_group().await.unwrap().id];
    let mut draws = Draws(7);
    let mut customers = Vec::new();
    let mut receipt_no = 0;
    for n in 0..14 {
        let customer = register_one(db, &mut draws, n, &properties, &groups, &[shop.store]).await;
        // The last two never buy.
        for _ in 0..(if n < 12 { 1 + n % 4 } else { 0 }) {
            receipt_no += 1;
            buy(
                db,
                &shop,
                &mut draws,
                customer.id,
                receipt_no,
                &[shop.store],
            )
            .await;
        }
        customers.push(customer.id);
    }
    let mut figures = Vec::new();
    for &id in &customers {
        let loyalty = db.customer_loyalty(id, Timestamp::now()).await.unwrap();
        figures.push(Bought {
            last: loyalty.last_purchase_at,
            purchases: loyalty.purchases,
            spent_minor: loyalty.spent_minor,
        });
    }
    let ago = |days: i64| Timestamp::now() - SignedDuration::from_hours(24 * days);
    let spends = |n: usize| {
        let mut spent: Vec<i64> = figures.iter().map(|f| f.spent_minor).collect();
        spent.sort_unstable();
        spent[n]
    };
    let first = RfmBounds {
        recency: vec![ago(300), ago(200), ago(100), ago(30)],
        frequency: vec![1, 2, 3, 4],
        monetary: vec![spends(4), spends(7), spends(9), spends(11)],
    };
    let (low, high) = (customers[0], customers[customers.len() - 1]);
    let segments = db.segments();
    let written = segments.score_rfm(&first, low, high).await.unwrap();
    assert_eq!(written, 12, "every customer who bought is scored");
    assert_scores(db, &customers, &figures, &first, &properties).await;

    let again = segments.score_rfm(&first, low, high).await.unwrap();
    assert_eq!(again, 0, "scores that stay are not written again");

    let second = RfmBounds {
        frequency: vec![0, 1, 2, 3],
        ..first.clone()
    };
    let changed = figures
        .iter()
        .filter(|f| f.purchases > 0)
        .filter(|f| {
            score(&f.purchases, &first.frequency, |v, b| v > b)
                != score(&f.purchases, &second.frequency, |v, b| v > b)
        })
        .count();
    assert!(changed > 0, "the new bounds move some scores");
    let written = segments.score_rfm(&second, low, high).await.unwrap();
    assert_eq!(
        written, changed as u64,
        "only the changed scores are written"
    );
    assert_scores(db, &customers, &figures, &second, &properties).await;
}

/// Each customer holds the scores `bounds` give their figures, as the
/// segment rules read them; one who never bought holds none.
async fn assert_scores(
    db: &dyn Database,
    customers: &[CustomerId],
    figures: &[Bought],
    bounds: &RfmBounds,
    properties: &[PropertyDefinition],
) {
    let context = rule_context(db, properties).await;
    let scores: Vec<Option<[i64; 3]>> = figures
        .iter()
        .map(|bought| {
            bought.last.map(|last| {
                [
                    score(&last, &bounds.recency, |v, b| v >= b),
                    score(&bought.purchases, &bounds.frequency, |v, b| v > b),
                    score(&bought.spent_minor, &bounds.monetary, |v, b| v > b),
                ]
            })
        })
        .collect();
    for (n, field) in ["rfm_recency", "rfm_frequency", "rfm_monetary"]
        .into_iter()
        .enumerate()
    {
        let tests = (1..=5)
            .map(|k| (Some(k), json!({"field": field, "op": "eq", "value": k})))
            .chain([(
                None,
                json!({"field": field, "op": "exists", "value": false}),
            )]);
        for (k, test) in tests {
            let raw: RawRule = serde_json::from_value(test.clone()).unwrap();
            let rule = Rule::parse(&raw, &[]).unwrap();
            let found = db.segments().matching(&rule, &context).await.unwrap();
            let expected: Vec<CustomerId> = customers
                .iter()
                .zip(&scores)
                .filter(|(_, scored)| scored.map(|s| s[n]) == k)
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(found, expected, "{test}");
        }
    }
}
