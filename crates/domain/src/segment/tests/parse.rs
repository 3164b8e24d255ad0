use jiff::civil::date;
use serde_json::json;

use super::{parse, rule};
use crate::consent::ConsentKind;
use crate::property::{PropertyKind, PropertyName};
use crate::segment::{Condition, Field, Goods, Op, Operand, Rule, Test};

/// Each error as `(path, code)`, in the order found.
fn errors(json: serde_json::Value) -> Vec<(String, &'static str)> {
    parse(json)
        .expect_err("the rule is refused")
        .0
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

#[test]
fn every_mistake_is_reported_with_its_path() {
    let found = errors(json!({"all": [
        {"field": "age", "op": "gt", "value": 30},
        {"field": "agee", "op": "eq", "value": 1},
        {"field": "age", "op": "like", "value": 1},
        {"any": [{"not": {"field": "gender", "op": "eq", "value": "other"}}]},
        {"field": "bought", "op": "gte", "value": 2},
        {"field": "age", "op": "gte", "value": 2, "period_days": 30},
        {"field": "spent_minor", "op": "gte", "value": 2, "period_days": 0},
        {"field": "gender", "op": "lt", "value": "female"},
        {"any": []},
        {"field": "property_shoe", "op": "eq", "value": 1},
        {"field": "age", "op": "exists", "value": 1},
        {"field": "age", "op": "between", "value": [30, 40, 50]},
        {"field": "rfm_recency", "op": "eq", "value": 6},
        {"field": "purchases_count", "op": "in", "value": []},
        {"field": "spent_minor", "op": "gte", "value": 1, "skus": ["A"]},
        {"field": "age", "op": "eq", "value": 1, "colour": "red"},
        {"field": "spent_minor", "op": "gte", "value": 1.5},
        {"field": "age", "op": "eq", "value": "30"},
        {"field": "purchases_count", "op": "gte", "value": -1},
        {"field": "consent_fax", "op": "eq", "value": true},
        {"op": "eq", "value": 1},
        {"field": "age", "op": "in", "value": [1, "two", 3]},
        {"field": "bought", "op": "gte", "value": 1, "categories": ["milk", " "]},
    ]}));
    let expected = [
        ("rules.all[1].field", "unknown_field"),
        ("rules.all[2].op", "unknown_op"),
        ("rules.all[3].any[0].not.value", "invalid_value"),
        ("rules.all[4].skus", "goods_required"),
        ("rules.all[5].period_days", "period_not_allowed"),
        ("rules.all[6].period_days", "invalid_period"),
        ("rules.all[7].op", "op_not_allowed"),
        ("rules.all[8].any", "empty_rule"),
        ("rules.all[9].field", "unknown_property"),
        ("rules.all[10].value", "invalid_value"),
        ("rules.all[11].value", "invalid_value"),
        ("rules.all[12].value", "invalid_value"),
        ("rules.all[13].value", "invalid_value"),
        ("rules.all[14].skus", "goods_not_allowed"),
        ("rules.all[15].colour", "unknown_key"),
        ("rules.all[16].value", "invalid_value"),
        ("rules.all[17].value", "invalid_value"),
        ("rules.all[18].value", "invalid_value"),
        ("rules.all[19].field", "unknown_field"),
        ("rules.all[20].field", "required"),
        ("rules.all[21].value[1]", "invalid_value"),
        ("rules.all[22].categories[1]", "invalid_value"),
    ];
    let expected: Vec<(String, &str)> = expected
        .iter()
        .map(|(path, code)| (path.to_string(), *code))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn messages_say_what_is_allowed() {
    let error = parse(json!({"field": "gender", "op": "lt", "value": "female"})).unwrap_err();
    assert_eq!(
        error.0[0].message,
        "«gender» does not take «lt»; it takes eq, ne, in, exists"
    );
    let error = parse(json!({"field": "rfm_group", "op": "eq", "value": "vip"})).unwrap_err();
    assert!(
        error.0[0].message.contains("champions"),
        "{}",
        error.0[0].message
    );
}

#[test]
fn a_node_is_one_thing() {
    assert_eq!(errors(json!([1, 2])), [("rules".into(), "invalid_rule")]);
    assert_eq!(
        errors(json!({"all": [{"field": "age", "op": "gt", "value": 1}], "field": "age"})),
        [("rules".into(), "invalid_rule")]
    );
    assert_eq!(
        errors(json!({"not": 5})),
        [("rules.not".into(), "invalid_rule")]
    );
    assert_eq!(
        errors(json!({"any": {"field": "age"}})),
        [("rules.any".into(), "invalid_rule")]
    );
}

fn nested(levels: usize) -> serde_json::Value {
    (1..levels).fold(
        json!({"field": "has_phone", "op": "eq", "value": true}),
        |rule, _| json!({"not": rule}),
    )
}

fn conditions(n: usize, op: &str) -> serde_json::Value {
    let one = json!({"field": "age", "op": op, "value": 20});
    json!({"any": vec![one; n]})
}

#[test]
fn size_limits() {
    assert!(parse(nested(16)).is_ok());
    assert_eq!(errors(nested(17)), [("rules".into(), "too_deep")]);
    assert!(parse(conditions(200, "gte")).is_ok());
    // Too large is said once, not with the conditions' own mistakes.
    assert_eq!(
        errors(conditions(201, "like")),
        [("rules".into(), "too_large")]
    );
    let values: Vec<i64> = (1..=1001).collect();
    assert!(parse(json!({"field": "group_id", "op": "in", "value": &values[..1000]})).is_ok());
    assert_eq!(
        errors(json!({"field": "group_id", "op": "in", "value": values})),
        [("rules.value".into(), "invalid_value")]
    );
}

#[test]
fn exists_takes_true_false_or_nothing() {
    let exists = |value: serde_json::Value| match parse(
        json!({"field": "age", "op": "exists", "value": value}),
    ) {
        Ok(Rule::Condition(condition)) => Some(condition.test),
        _ => None,
    };
    assert_eq!(exists(json!(null)), Some(Test::Exists(true)));
    assert_eq!(exists(json!(true)), Some(Test::Exists(true)));
    assert_eq!(exists(json!(false)), Some(Test::Exists(false)));
    assert_eq!(exists(json!("no")), None);
    assert_eq!(
        rule(json!({"field": "age", "op": "exists"})),
        rule(json!({"field": "age", "op": "exists", "value": true}))
    );
    // Counts are always known: asking whether they are is a mistake.
    assert_eq!(
        errors(json!({"field": "purchases_count", "op": "exists"})),
        [("rules.op".into(), "op_not_allowed")]
    );
}

#[test]
fn values_are_kept_canonical() {
    let test = |json: serde_json::Value| match rule(json) {
        Rule::Condition(condition) => condition.test,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        test(json!({"field": "property_vision", "op": "between", "value": ["-3", "-0,50"]})),
        Test::Between(Operand::Text("-3".into()), Operand::Text("-0.5".into()))
    );
    assert_eq!(
        test(json!({"field": "property_vision", "op": "gt", "value": 2})),
        Test::Compare(Op::Gt, Operand::Text("2".into()))
    );
    // Bounds in either order mean the same range.
    assert_eq!(
        test(json!({"field": "property_vision", "op": "between", "value": ["10", "9"]})),
        Test::Between(Operand::Text("9".into()), Operand::Text("10".into()))
    );
    assert_eq!(
        test(json!({"field": "property_visit", "op": "lt", "value": "05.03.2024"})),
        Test::Compare(Op::Lt, Operand::Date(date(2024, 3, 5)))
    );
    assert_eq!(
        test(json!({"field": "property_pet", "op": "in", "value": ["кошка", " СОБАКА "]})),
        Test::In(vec![
            Operand::Text("Кошка".into()),
            Operand::Text("Собака".into())
        ])
    );
    assert_eq!(
        test(json!({"field": "status", "op": "eq", "value": " archived "})),
        Test::Compare(Op::Eq, Operand::Text("archived".into()))
    );
}

#[test]
fn a_condition_reads_whole() {
    assert_eq!(
        rule(json!({
            "field": "bought", "op": "gte", "value": 2, "period_days": 30,
            "skus": [" 4601 "], "categories": ["milk"],
        })),
        Rule::Condition(Condition {
            field: Field::Bought,
            test: Test::Compare(Op::Gte, Operand::Int(2)),
            period_days: Some(30),
            goods: Goods {
                skus: vec!["4601".into()],
                categories: vec!["milk".into()],
            },
        })
    );
    assert_eq!(
        rule(json!({"not": {"field": "consent_sms", "op": "eq", "value": true}})),
        Rule::Not(Box::new(Rule::Condition(Condition {
            field: Field::Consent(ConsentKind::Sms),
            test: Test::Compare(Op::Eq, Operand::Bool(true)),
            period_days: None,
            goods: Goods::default(),
        })))
    );
}

#[test]
fn writes_the_grammar_back() {
    let written = json!({"any": [
        {"field": "bought_minor", "op": "between", "value": [100, 500], "period_days": 7, "categories": ["milk"]},
        {"not": {"field": "property_visit", "op": "exists", "value": false}},
    ]});
    assert_eq!(
        serde_json::to_value(rule(written.clone())).unwrap(),
        written
    );
}

#[test]
fn the_catalogue_lists_every_field_once() {
    let catalogue = Field::catalogue(&super::properties());
    let mut names: Vec<&str> = catalogue.iter().map(|spec| spec.name.as_str()).collect();
    let listed = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), listed);
    assert_eq!(
        listed,
        27 + ConsentKind::ALL.len() + super::properties().len()
    );
    for spec in &catalogue {
        let field = Field::parse(&spec.name, &super::properties()).unwrap();
        assert_eq!(field.name(), spec.name);
        assert!(!spec.ops.is_empty());
    }
    let pet = catalogue
        .iter()
        .find(|spec| spec.name == "property_pet")
        .unwrap();
    assert_eq!(pet.values, ["Кошка", "Собака"]);
    assert_eq!(pet.label.as_deref(), Some("PET"));
    let age = catalogue.iter().find(|spec| spec.name == "age").unwrap();
    assert_eq!((age.min, age.max), (Some(0), Some(150)));
    let bought = catalogue.iter().find(|spec| spec.name == "bought").unwrap();
    assert!(bought.needs_goods && bought.takes_period);
    let vision = PropertyName::parse("vision").unwrap();
    let decimal = Field::Property {
        name: vision,
        kind: PropertyKind::Number,
    };
    assert_eq!(decimal.name(), "property_vision");
}
