//! Reading a rule from its raw JSON. Every mistake is collected with its
//! path (`rules.all[2].op`) and a stable code the web layer translates.

use std::collections::BTreeMap;

use super::field::{Field, MAX_DAYS};
use super::raw::RawRule;
use super::rule::{Condition, Operator, Rule};
use crate::property::PropertyDefinition;
use crate::validation::{FieldError, ValidationErrors};

/// The deepest a rule tree may be, counting its conditions as one level.
pub const MAX_DEPTH: usize = 16;
pub const MAX_CONDITIONS: usize = 200;
/// The most values one `in` may list.
pub const MAX_IN_VALUES: usize = 1000;
/// About a hundred years.
pub const MAX_PERIOD_DAYS: u32 = MAX_DAYS as u32;

const CONDITION_KEYS: &[&str] = &["field", "op", "value", "period_days", "skus", "categories"];

impl Rule {
    /// Checks a rule against the grammar, the fields and the custom
    /// properties defined now. A tree too deep or too large is refused
    /// before anything else is looked at.
    pub fn parse(
        raw: &RawRule,
        properties: &[PropertyDefinition],
    ) -> Result<Rule, ValidationErrors> {
        let (depth, conditions) = measure(raw, 1);
        if depth > MAX_DEPTH {
            return Err(ValidationErrors::one(
                "rules",
                "too_deep",
                format!("a rule may nest at most {MAX_DEPTH} levels"),
            ));
        }
        if conditions > MAX_CONDITIONS {
            return Err(ValidationErrors::one(
                "rules",
                "too_large",
                format!(
                    "a rule may hold at most {MAX_CONDITIONS} conditions, this one has {conditions}"
                ),
            ));
        }
        let mut reader = Reader {
            properties,
            errors: ValidationErrors::default(),
        };
        match reader.rule(raw, "rules") {
            Some(rule) if reader.errors.is_empty() => Ok(rule),
            _ => Err(reader.errors),
        }
    }
}

/// How deep the tree is and how many conditions it holds; a level past
/// the limit is not looked into.
fn measure(raw: &RawRule, level: usize) -> (usize, usize) {
    let RawRule::Object(map) = raw else {
        return (level, 1);
    };
    if level > MAX_DEPTH {
        return (level, 0);
    }
    let children: Vec<&RawRule> = ["all", "any"]
        .iter()
        .filter_map(|key| match map.get(*key) {
            Some(RawRule::List(items)) => Some(items.iter()),
            _ => None,
        })
        .flatten()
        .chain(map.get("not"))
        .collect();
    if children.is_empty() {
        return (level, 1);
    }
    children
        .into_iter()
        .fold((level, 0), |(depth, conditions), child| {
            let (child_depth, child_conditions) = measure(child, level + 1);
            (depth.max(child_depth), conditions + child_conditions)
        })
}

/// Walks a raw rule, collecting every error.
pub(super) struct Reader<'a> {
    pub(super) properties: &'a [PropertyDefinition],
    errors: ValidationErrors,
}

pub(super) type Object = BTreeMap<String, RawRule>;

impl Reader<'_> {
    pub(super) fn error(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.errors.push(FieldError::new(path, code, message));
    }

    fn rule(&mut self, raw: &RawRule, path: &str) -> Option<Rule> {
        let RawRule::Object(map) = raw else {
            let got = raw.describe();
            self.error(
                path,
                "invalid_rule",
                format!("a rule is an object, not {got}"),
            );
            return None;
        };
        let kinds: Vec<&str> = ["all", "any", "not", "field"]
            .into_iter()
            .filter(|key| map.contains_key(*key))
            .collect();
        match kinds.as_slice() {
            ["all"] => self.rules(map, path, "all").map(Rule::All),
            ["any"] => self.rules(map, path, "any").map(Rule::Any),
            ["not"] => {
                self.unknown_keys(map, path, &["not"]);
                let rule = self.rule(&map["not"], &format!("{path}.not"))?;
                Some(Rule::Not(Box::new(rule)))
            }
            [] | ["field"] => self.condition(map, path).map(Rule::Condition),
            _ => {
                let message = format!(
                    "a rule is one of all, any, not or a condition, not {} at once",
                    kinds.join(" and ")
                );
                self.error(path, "invalid_rule", message);
                None
            }
        }
    }

    /// The rules of an `all` or an `any`.
    fn rules(&mut self, map: &Object, path: &str, key: &str) -> Option<Vec<Rule>> {
        self.unknown_keys(map, path, &[key]);
        let path = format!("{path}.{key}");
        match &map[key] {
            RawRule::List(items) if items.is_empty() => {
                self.error(
                    path,
                    "empty_rule",
                    format!("«{key}» needs at least one rule"),
                );
                None
            }
            RawRule::List(items) => {
                let rules: Vec<Option<Rule>> = (items.iter().enumerate())
                    .map(|(i, item)| self.rule(item, &format!("{path}[{i}]")))
                    .collect();
                rules.into_iter().collect()
            }
            other => {
                let got = other.describe();
                self.error(
                    path,
                    "invalid_rule",
                    format!("«{key}» takes a list of rules, not {got}"),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, map: &Object, path: &str, known: &[&str]) {
        for key in map.keys().filter(|key| !known.contains(&key.as_str())) {
            self.error(
                format!("{path}.{key}"),
                "unknown_key",
                format!("unknown key «{key}»"),
            );
        }
    }

    fn condition(&mut self, map: &Object, path: &str) -> Option<Condition> {
        self.unknown_keys(map, path, CONDITION_KEYS);
        let at = |key: &str| format!("{path}.{key}");
        let field = match map.get("field") {
            None | Some(RawRule::Null) => {
                self.error(at("field"), "required", "a condition names its field");
                None
            }
            Some(RawRule::Text(name)) => {
                let field = Field::parse(name, self.properties).map_err(|e| e.at(at("field")));
                self.errors.take(field)
            }
            Some(other) => {
                let message = format!("a field is named by text, not {}", other.describe());
                self.error(at("field"), "unknown_field", message);
                None
            }
        };
        let op = self.operator(field.as_ref(), map.get("op"), &at("op"));
        let test = match (&field, op) {
            (Some(field), Some(op)) => self.test(field, op, map.get("value"), &at("value")),
            _ => None,
        };
        let period_days = self.period(field.as_ref(), map.get("period_days"), &at("period_days"));
        let goods = self.goods(field.as_ref(), map, path);
        Some(Condition {
            field: field?,
            test: test?,
            period_days: period_days?,
            goods: goods?,
        })
    }

    fn operator(
        &mut self,
        field: Option<&Field>,
        raw: Option<&RawRule>,
        path: &str,
    ) -> Option<Operator> {
        let op = match raw {
            None | Some(RawRule::Null) => {
                self.error(path, "required", "a condition needs an op");
                return None;
            }
            Some(RawRule::Text(name)) => Operator::parse(name),
            Some(_) => None,
        };
        let Some(op) = op else {
            let message = "unknown op; known: eq, ne, lt, lte, gt, gte, between, in, exists";
            self.error(path, "unknown_op", message);
            return None;
        };
        match field {
            Some(field) if !field.ops().contains(&op) => {
                let allowed: Vec<&str> = field.ops().iter().map(|op| op.as_str()).collect();
                let message = format!(
                    "«{}» does not take «{}»; it takes {}",
                    field.name(),
                    op.as_str(),
                    allowed.join(", ")
                );
                self.error(path, "op_not_allowed", message);
                None
            }
            _ => Some(op),
        }
    }
}
