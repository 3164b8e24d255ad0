//! Each profile field's meaning on hand-made customers.

use jiff::civil::{Date, date};
use serde_json::json;

use super::{blank, holds};
use crate::consent::ConsentKind;
use crate::customer::Gender;
use crate::ids::TierId;
use crate::property::PropertyName;
use crate::segment::{Facts, HeldTier, Rfm};

fn born(on: Date) -> Facts {
    Facts {
        birth_date: Some(on),
        ..blank()
    }
}

fn days_to_birthday(facts: &Facts, today: Date) -> Option<i64> {
    facts.days_to_birthday(today)
}

#[test]
fn birthdays_wrap_the_new_year() {
    let today = date(2025, 12, 30);
    assert_eq!(days_to_birthday(&born(date(1990, 1, 2)), today), Some(3));
    assert_eq!(days_to_birthday(&born(date(1990, 12, 30)), today), Some(0));
    assert_eq!(
        days_to_birthday(&born(date(1990, 12, 29)), today),
        Some(364)
    );
    let soon = json!({"field": "days_to_birthday", "op": "lte", "value": 7});
    assert!(holds(soon.clone(), &born(date(1990, 1, 2)), today));
    assert!(!holds(soon.clone(), &born(date(1990, 12, 29)), today));
    assert!(!holds(soon, &blank(), today));
}

#[test]
fn the_29th_of_february_falls_on_the_28th_in_other_years() {
    let leapling = born(date(2000, 2, 29));
    assert_eq!(days_to_birthday(&leapling, date(2025, 2, 28)), Some(0));
    assert_eq!(days_to_birthday(&leapling, date(2025, 2, 27)), Some(1));
    assert_eq!(days_to_birthday(&leapling, date(2025, 3, 1)), Some(364));
    assert_eq!(days_to_birthday(&leapling, date(2028, 2, 28)), Some(1));
    assert_eq!(days_to_birthday(&leapling, date(2028, 2, 29)), Some(0));
    assert_eq!(days_to_birthday(&leapling, date(2027, 3, 1)), Some(365));
    // Age turns as the customer card and the filter count it: on 1 March.
    assert_eq!(leapling.age(date(2025, 2, 28)), Some(24));
    assert_eq!(leapling.age(date(2025, 3, 1)), Some(25));
    assert_eq!(leapling.age(date(2028, 2, 29)), Some(28));
    let age = json!({"field": "age", "op": "between", "value": [18, 30]});
    assert!(holds(
        age.clone(),
        &born(date(2007, 3, 1)),
        date(2025, 3, 1)
    ));
    assert!(!holds(age, &born(date(2007, 3, 2)), date(2025, 3, 1)));
}

#[test]
fn absent_values_fail_every_test_but_exists_false() {
    let today = date(2025, 3, 1);
    let unknown = blank();
    assert!(!holds(
        json!({"field": "age", "op": "ne", "value": 30}),
        &unknown,
        today
    ));
    assert!(!holds(
        json!({"field": "age", "op": "in", "value": [30]}),
        &unknown,
        today
    ));
    assert!(holds(
        json!({"not": {"field": "age", "op": "eq", "value": 30}}),
        &unknown,
        today
    ));
    assert!(holds(
        json!({"field": "age", "op": "exists", "value": false}),
        &unknown,
        today
    ));
    assert!(!holds(
        json!({"field": "age", "op": "exists"}),
        &unknown,
        today
    ));
    assert!(!holds(
        json!({"field": "gender", "op": "ne", "value": "male"}),
        &unknown,
        today
    ));
    let woman = Facts {
        gender: Some(Gender::Female),
        ..blank()
    };
    assert!(holds(
        json!({"field": "gender", "op": "ne", "value": "male"}),
        &woman,
        today
    ));
    // Counts over no purchase are 0; averages and dates are absent.
    assert!(holds(
        json!({"field": "purchases_count", "op": "eq", "value": 0}),
        &unknown,
        today
    ));
    assert!(holds(
        json!({"field": "spent_minor", "op": "lt", "value": 1}),
        &unknown,
        today
    ));
    for field in [
        "average_receipt_minor",
        "last_purchase_days_ago",
        "first_purchase_days_ago",
    ] {
        assert!(!holds(
            json!({"field": field, "op": "gte", "value": 0}),
            &unknown,
            today
        ));
        assert!(holds(
            json!({"field": field, "op": "exists", "value": false}),
            &unknown,
            today
        ));
    }
}

#[test]
fn profile_fields() {
    let today = date(2025, 3, 10);
    let mut facts = blank();
    facts.tier = Some(HeldTier {
        id: TierId(7),
        since: date(2025, 3, 1),
    });
    facts.consents.insert(ConsentKind::Sms);
    facts.has_phone = true;
    facts.balance_points = -250;
    facts.points_expire_on = vec![date(2025, 3, 20), date(2025, 3, 13), date(2025, 3, 9)];
    let check = |json: serde_json::Value| holds(json, &facts, today);
    assert!(check(json!({"field": "tier_id", "op": "eq", "value": 7})));
    assert!(check(
        json!({"field": "tier_since_days", "op": "eq", "value": 9})
    ));
    assert!(check(
        json!({"field": "created_days_ago", "op": "gt", "value": 1800})
    ));
    assert!(check(
        json!({"field": "consent_sms", "op": "eq", "value": true})
    ));
    assert!(check(
        json!({"field": "consent_email", "op": "eq", "value": false})
    ));
    assert!(check(
        json!({"field": "has_phone", "op": "ne", "value": false})
    ));
    assert!(check(
        json!({"field": "has_email", "op": "eq", "value": false})
    ));
    assert!(check(
        json!({"field": "balance_points", "op": "lt", "value": 0})
    ));
    assert!(check(
        json!({"field": "group_id", "op": "in", "value": [1, 2]})
    ));
    assert!(check(
        json!({"field": "status", "op": "eq", "value": "active"})
    ));
    assert!(check(
        json!({"field": "channel", "op": "ne", "value": "web"})
    ));
    // The 9 March lot has passed its day: the next to expire is 13 March.
    assert!(check(
        json!({"field": "points_expiring_within_days", "op": "eq", "value": 3})
    ));
    assert!(!holds(
        json!({"field": "points_expiring_within_days", "op": "lte", "value": 30}),
        &blank(),
        today
    ));
}

#[test]
fn properties_compare_by_their_kind() {
    let today = date(2025, 3, 10);
    let mut facts = blank();
    for (name, value) in [
        ("vision", "-2.5"),
        ("pet", "Кошка"),
        ("visit", "2024-03-05"),
        ("vip", "true"),
        ("note", "tall"),
    ] {
        facts
            .properties
            .insert(PropertyName::parse(name).unwrap(), value.into());
    }
    let check = |json: serde_json::Value| holds(json, &facts, today);
    assert!(check(
        json!({"field": "property_vision", "op": "lt", "value": "-2.25"})
    ));
    assert!(check(
        json!({"field": "property_vision", "op": "gt", "value": -10})
    ));
    assert!(!check(
        json!({"field": "property_vision", "op": "gt", "value": "-2"})
    ));
    assert!(check(
        json!({"field": "property_vision", "op": "between", "value": ["-2.5", "0"]})
    ));
    assert!(check(
        json!({"field": "property_pet", "op": "eq", "value": "кошка"})
    ));
    assert!(check(
        json!({"field": "property_visit", "op": "lt", "value": "2024-03-06"})
    ));
    assert!(check(
        json!({"field": "property_vip", "op": "eq", "value": true})
    ));
    assert!(check(
        json!({"field": "property_note", "op": "in", "value": ["tall", "short"]})
    ));
    assert!(!check(
        json!({"field": "property_note", "op": "eq", "value": "Tall"})
    ));
    assert!(!holds(
        json!({"field": "property_vip", "op": "ne", "value": true}),
        &blank(),
        today
    ));
}

#[test]
fn rfm_fields_read_the_scores() {
    let today = date(2025, 3, 10);
    let facts = Facts {
        rfm: Some(Rfm {
            recency: 5,
            frequency: 1,
            monetary: 3,
        }),
        ..blank()
    };
    assert!(holds(
        json!({"field": "rfm_group", "op": "eq", "value": "new_customers"}),
        &facts,
        today
    ));
    assert!(holds(
        json!({"field": "rfm_recency", "op": "gte", "value": 4}),
        &facts,
        today
    ));
    assert!(holds(
        json!({"field": "rfm_monetary", "op": "in", "value": [2, 3]}),
        &facts,
        today
    ));
    assert!(!holds(
        json!({"field": "rfm_frequency", "op": "gte", "value": 1}),
        &blank(),
        today
    ));
}

proptest::proptest! {
    #[test]
    fn days_to_birthday_matches_a_walk_through_the_calendar(
        born_offset in 0i64..25_000,
        today_offset in 0i64..4_000,
    ) {
        let birth = date(1940, 1, 1).checked_add(jiff::Span::new().days(born_offset)).unwrap();
        let today = date(2020, 1, 1).checked_add(jiff::Span::new().days(today_offset)).unwrap();
        let celebrates = |day: Date| {
            (day.month(), day.day()) == (birth.month(), birth.day())
                || (birth.month(), birth.day()) == (2, 29)
                    && !day.in_leap_year()
                    && (day.month(), day.day()) == (2, 28)
        };
        let mut walked = 0;
        let mut day = today;
        while !celebrates(day) {
            day = day.tomorrow().unwrap();
            walked += 1;
        }
        proptest::prop_assert_eq!(days_to_birthday(&born(birth), today), Some(walked));
    }
}
