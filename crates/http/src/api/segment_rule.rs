//! The JSON Schema of a segment's rule tree (`SegmentRule`), built from the
//! domain's catalogue of fields, so the document says exactly what the
//! parser takes: each field with its ops, its value's type and bounds, and
//! whether it takes a period and goods. Rules over a marketer's own
//! properties are read too (`property_<name>`), but their names and types
//! are the shop's, not the document's.

use std::collections::BTreeMap;

use clientele_domain::segment::{
    Field, FieldSpec, MAX_IN_VALUES, MAX_PERIOD_DAYS, Operator, ValueKind,
};
use serde_json::{Value, json};

/// The component's name.
pub const NAME: &str = "SegmentRule";

/// The most parts an `all` or `any` takes; a tree holds at most 200
/// conditions in all.
const MOST_PARTS: usize = 200;

fn rule_ref() -> Value {
    json!({"$ref": format!("#/components/schemas/{NAME}")})
}

/// One value of a field, as the parser takes it; `None` for the kinds only
/// a custom property has.
fn item(spec: &FieldSpec) -> Option<Value> {
    Some(match spec.kind {
        ValueKind::Number | ValueKind::Id | ValueKind::Store => {
            json!({"type": "integer", "minimum": spec.min, "maximum": spec.max})
        }
        ValueKind::Choice => json!({"type": "string", "enum": spec.values}),
        ValueKind::Bool => json!({"type": "boolean"}),
        ValueKind::Text | ValueKind::Decimal | ValueKind::Date => return None,
    })
}

/// The shapes of a condition's value: one comparison with a value, a range,
/// a list, or a test of presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Compare,
    Between,
    In,
    Exists,
}

fn shape(op: Operator) -> Shape {
    match op {
        Operator::Between => Shape::Between,
        Operator::In => Shape::In,
        Operator::Exists => Shape::Exists,
        _ => Shape::Compare,
    }
}

/// The condition objects of one group of fields alike.
fn condition(fields: &[String], ops: &[&str], value: Option<Value>, spec: &FieldSpec) -> Value {
    let mut properties = json!({
        "field": {"type": "string", "enum": fields},
        "op": {"type": "string", "enum": ops},
    });
    let mut required = vec!["field", "op"];
    match value {
        Some(value) => {
            properties["value"] = value;
            required.push("value");
        }
        None => properties["value"] = json!({"type": ["boolean", "null"]}),
    }
    if spec.takes_period {
        properties["period_days"] =
            json!({"type": ["integer", "null"], "minimum": 1, "maximum": MAX_PERIOD_DAYS});
    }
    let mut schema = json!({"type": "object", "additionalProperties": false});
    if spec.needs_goods {
        let goods = json!({
            "type": ["array", "null"],
            "maxItems": 1000,
            "items": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
        });
        properties["skus"] = goods.clone();
        properties["categories"] = goods;
        schema["anyOf"] = json!([
            {"required": ["skus"], "properties": {"skus": {"type": "array", "minItems": 1}}},
            {"required": ["categories"], "properties": {"categories": {"type": "array", "minItems": 1}}},
        ]);
    }
    schema["properties"] = properties;
    schema["required"] = json!(required);
    schema
}

/// Fields alike: their names, the ops of one shape, the value's schema, and
/// one field's spec (its period and goods).
type Group = (Vec<String>, Vec<&'static str>, Option<Value>, FieldSpec);

/// The whole tree: `all`, `any`, `not`, or a condition.
pub fn schema() -> Value {
    // Keyed by the value's schema, the ops, the period and the goods.
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for spec in Field::catalogue(&[]) {
        let Some(one) = item(&spec) else { continue };
        let mut shapes: BTreeMap<Shape, Vec<&str>> = BTreeMap::new();
        for op in spec.ops {
            shapes.entry(shape(*op)).or_default().push(op.as_str());
        }
        for (shape, ops) in shapes {
            let value = match shape {
                Shape::Compare => Some(one.clone()),
                Shape::Between => {
                    Some(json!({"type": "array", "minItems": 2, "maxItems": 2, "items": one}))
                }
                Shape::In => Some(
                    json!({"type": "array", "minItems": 1, "maxItems": MAX_IN_VALUES, "items": one}),
                ),
                Shape::Exists => None,
            };
            let key = format!(
                "{value:?}|{ops:?}|{}|{}",
                spec.takes_period, spec.needs_goods
            );
            let group = groups
                .entry(key)
                .or_insert_with(|| (Vec::new(), ops.clone(), value, spec.clone()));
            group.0.push(spec.name.clone());
        }
    }
    let mut variants = vec![
        json!({"type": "object", "additionalProperties": false, "required": ["all"],
               "properties": {"all": {"type": "array", "minItems": 1, "maxItems": MOST_PARTS, "items": rule_ref()}}}),
        json!({"type": "object", "additionalProperties": false, "required": ["any"],
               "properties": {"any": {"type": "array", "minItems": 1, "maxItems": MOST_PARTS, "items": rule_ref()}}}),
        json!({"type": "object", "additionalProperties": false, "required": ["not"],
               "properties": {"not": rule_ref()}}),
    ];
    variants.extend(
        groups
            .into_values()
            .map(|(fields, ops, value, spec)| condition(&fields, &ops, value, &spec)),
    );
    json!({
        "description": "A segment's rules: `{\"all\": [RULE, ...]}`, `{\"any\": [RULE, ...]}`, \
                        `{\"not\": RULE}` or a condition `{\"field\", \"op\", \"value\", \
                        \"period_days\"?, \"skus\"?, \"categories\"?}`. A condition on a custom \
                        property is written `property_<name>` and takes that property's values \
                        (a number property's fraction as text, \"2.5\"). At most 16 levels and \
                        200 conditions. `between` takes its two bounds in either order.",
        "oneOf": variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in field is in the document, each under every op it takes.
    #[test]
    fn every_field_and_op_is_described() {
        let schema = schema();
        let variants = schema["oneOf"].as_array().unwrap();
        for spec in Field::catalogue(&[]) {
            for op in spec.ops {
                let found = variants.iter().any(|variant| {
                    let names = &variant["properties"]["field"]["enum"];
                    let ops = &variant["properties"]["op"]["enum"];
                    names
                        .as_array()
                        .is_some_and(|n| n.contains(&json!(spec.name)))
                        && ops
                            .as_array()
                            .is_some_and(|o| o.contains(&json!(op.as_str())))
                });
                assert!(found, "{} {} is not described", spec.name, op.as_str());
            }
        }
    }
}
