//! The editor's form as typed: the segment's name, kind and schedule, and
//! its rule as rows of conditions under one "all of" or "any of", a row
//! being a condition or a group of conditions with its own. A condition's
//! parts are named after its row (`r2.field`, `r2.op`; `r1_0.value` is the
//! first condition of group `r1`), so the form needs no script to be read.
//!
//! The draft becomes the rule the API takes, each row's place in it kept so
//! that the use case's complaint about `rules.all[1].value` comes back beside
//! the row that made it; a stored rule becomes a draft again when the editor
//! can show it.

use std::collections::BTreeMap;

use clientele_domain::FieldError;
use clientele_domain::segment::{
    Condition, FieldSpec, Operand, RawRule, Rule, Segment, SegmentInput, Test, ValueKind,
};

use super::catalogue::Unit;
use crate::console::kit::{Words, hundredths, money_field};

/// How a group's rows combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Joint {
    #[default]
    All,
    Any,
}

impl Joint {
    pub fn key(self) -> &'static str {
        match self {
            Joint::All => "all",
            Joint::Any => "any",
        }
    }

    fn parse(raw: &str) -> Joint {
        if raw == "any" { Joint::Any } else { Joint::All }
    }
}

/// One condition as typed, each part as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub field: String,
    pub op: String,
    pub value: String,
    /// The upper bound of `between`.
    pub to: String,
    /// The values ticked for `in` over a list of choices.
    pub ticked: Vec<String>,
    pub period: String,
    pub skus: String,
    pub categories: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Line(Line),
    Group(Joint, Vec<Line>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    pub joint: Joint,
    pub rows: Vec<Row>,
}

/// The editor's form as typed.
#[derive(Debug, Clone)]
pub struct Draft {
    pub name: String,
    /// `dynamic` or `static`.
    pub kind: String,
    /// `hourly`, `daily` or `weekly`.
    pub schedule: String,
    pub hour: String,
    pub weekday: String,
    /// The version the edited segment was read at.
    pub version: String,
    pub tree: Tree,
    /// A row was added or removed (a button of the form without a
    /// script): the form is shown again, nothing saved.
    pub stepped: bool,
}

/// A row's key as its parts are named: `r3`, or `r3_1` for the second
/// condition of group `r3`.
pub fn key(row: usize, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("r{row}_{line}"),
        None => format!("r{row}"),
    }
}

fn parse_key(key: &str) -> Option<(usize, Option<usize>)> {
    let rest = key.strip_prefix('r')?;
    match rest.split_once('_') {
        Some((row, line)) => Some((row.parse().ok()?, Some(line.parse().ok()?))),
        None => Some((rest.parse().ok()?, None)),
    }
}

impl Draft {
    /// A new segment: dynamic, recomputed every night, one blank condition.
    pub fn blank() -> Draft {
        Draft {
            name: String::new(),
            kind: "dynamic".into(),
            schedule: "daily".into(),
            hour: "3".into(),
            weekday: "1".into(),
            version: String::new(),
            tree: Tree {
                joint: Joint::All,
                rows: vec![Row::Line(Line::default())],
            },
            stepped: false,
        }
    }

    /// A segment as its form shows it; its rule, if the editor can show it.
    pub fn of(segment: &Segment, w: &Words) -> (Draft, Option<Tree>) {
        let schedule = segment.schedule;
        let draft = Draft {
            name: segment.name.clone(),
            kind: segment.kind.as_str().into(),
            schedule: schedule.map_or("daily", |s| s.name()).into(),
            hour: schedule.and_then(|s| s.hour()).unwrap_or(3).to_string(),
            weekday: schedule.and_then(|s| s.weekday()).unwrap_or(1).to_string(),
            version: segment.version.to_string(),
            tree: Tree::default(),
            stepped: false,
        };
        let tree = segment.rules.as_ref().and_then(|rule| Tree::of(rule, w));
        (draft, tree)
    }

    /// The form as sent (the last value of a name wins), with the row its
    /// `step` adds or removes.
    pub fn read(typed: &BTreeMap<String, String>) -> Draft {
        let text = |name: &str| typed.get(name).map_or("", |v| v.trim()).to_owned();
        let mut lines: BTreeMap<(usize, Option<usize>), Line> = BTreeMap::new();
        let mut groups: BTreeMap<usize, Joint> = BTreeMap::new();
        for (name, value) in typed {
            let Some((key, part)) = name.split_once('.') else {
                continue;
            };
            let Some(at) = parse_key(key) else {
                continue;
            };
            if part == "group" && at.1.is_none() {
                groups.insert(at.0, Joint::parse(value));
                continue;
            }
            let line = lines.entry(at).or_default();
            let value = value.trim().to_owned();
            match part {
                "field" => line.field = value,
                "op" => line.op = value,
                "value" => line.value = value,
                "to" => line.to = value,
                "period" => line.period = value,
                "skus" => line.skus = value,
                "categories" => line.categories = value,
                tick if tick.starts_with("in.") => line.ticked.push(value),
                _ => {}
            }
        }
        let step = text("step");
        apply(&mut lines, &mut groups, &step);
        let mut rows: Vec<usize> = lines.keys().map(|(row, _)| *row).collect();
        rows.extend(groups.keys());
        rows.sort_unstable();
        rows.dedup();
        let rows = rows
            .into_iter()
            .filter_map(|row| match groups.get(&row) {
                Some(joint) => Some(Row::Group(
                    *joint,
                    lines
                        .range((row, Some(0))..=(row, Some(usize::MAX)))
                        .map(|(_, line)| line.clone())
                        .collect(),
                )),
                None => lines.get(&(row, None)).cloned().map(Row::Line),
            })
            .collect();
        Draft {
            name: text("name"),
            kind: text("kind"),
            schedule: text("schedule"),
            hour: text("hour"),
            weekday: text("weekday"),
            version: text("version"),
            tree: Tree {
                joint: Joint::parse(&text("match")),
                rows,
            },
            stepped: !step.is_empty(),
        }
    }

    /// What the use case takes: the schedule only for a dynamic segment.
    pub fn input(&self, rules: Option<RawRule>) -> SegmentInput {
        let dynamic = self.kind == "dynamic";
        SegmentInput {
            name: Some(self.name.clone()),
            kind: Some(self.kind.clone()),
            rules,
            schedule: dynamic.then(|| self.schedule.clone()),
            hour: dynamic.then(|| self.hour.parse().ok()).flatten(),
            weekday: dynamic.then(|| self.weekday.parse().ok()).flatten(),
        }
    }
}

/// Adds or removes the row a step names, by the numbers its rows were
/// sent under: `add` (a condition), `add-group`, `add:r2` (a condition in
/// group `r2`), `remove:r2`, `remove:r2_1`.
fn apply(
    lines: &mut BTreeMap<(usize, Option<usize>), Line>,
    groups: &mut BTreeMap<usize, Joint>,
    step: &str,
) {
    let next_row = lines
        .keys()
        .map(|(row, _)| row + 1)
        .chain(groups.keys().map(|row| row + 1))
        .max()
        .unwrap_or(0);
    match step
        .split_once(':')
        .map_or((step, None), |(verb, key)| (verb, parse_key(key)))
    {
        ("add", None) => {
            lines.insert((next_row, None), Line::default());
        }
        ("add-group", None) => {
            groups.insert(next_row, Joint::Any);
            lines.insert((next_row, Some(0)), Line::default());
            lines.insert((next_row, Some(1)), Line::default());
        }
        ("add", Some((row, None))) if groups.contains_key(&row) => {
            let next = lines
                .range((row, Some(0))..=(row, Some(usize::MAX)))
                .filter_map(|((_, line), _)| line.map(|line| line + 1))
                .max()
                .unwrap_or(0);
            lines.insert((row, Some(next)), Line::default());
        }
        ("remove", Some((row, None))) => {
            groups.remove(&row);
            lines.retain(|(at, _), _| *at != row);
        }
        ("remove", Some(at)) => {
            lines.remove(&at);
        }
        _ => {}
    }
}

/// Where a row stands in the rule it made: its path there (`rules.all[1]`),
/// its key on the form, and its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: String,
    pub key: String,
    pub field: String,
}

/// The rule a draft says (none while no condition names a field), and
/// where each row stands in it.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub rule: Option<RawRule>,
    pub places: Vec<Place>,
}

impl Shaped {
    /// The key a complaint about `path` goes beside: the row whose path is
    /// its longest beginning, or `rules` for the rule as a whole.
    pub fn key_of(&self, path: &str) -> Option<&Place> {
        self.places
            .iter()
            .filter(|place| {
                path.strip_prefix(place.path.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            })
            .max_by_key(|place| place.path.len())
    }
}

fn object(entries: Vec<(&str, RawRule)>) -> RawRule {
    RawRule::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

impl Tree {
    /// The rule of the rows that name a field.
    pub fn shape(&self, specs: &[FieldSpec]) -> Shaped {
        let mut places = Vec::new();
        let mut items = Vec::new();
        let top = format!("rules.{}", self.joint.key());
        for (row, built) in self.rows.iter().enumerate() {
            let path = format!("{top}[{}]", items.len());
            match built {
                Row::Line(line) => {
                    let Some(raw) = line.raw(specs) else {
                        continue;
                    };
                    places.push(Place {
                        path,
                        key: key(row, None),
                        field: line.field.clone(),
                    });
                    items.push(raw);
                }
                Row::Group(joint, lines) => {
                    let inner = format!("{path}.{}", joint.key());
                    let mut children = Vec::new();
                    for (at, line) in lines.iter().enumerate() {
                        if let Some(raw) = line.raw(specs) {
                            places.push(Place {
                                path: format!("{inner}[{}]", children.len()),
                                key: key(row, Some(at)),
                                field: line.field.clone(),
                            });
                            children.push(raw);
                        }
                    }
                    places.push(Place {
                        path,
                        key: key(row, None),
                        field: String::new(),
                    });
                    items.push(object(vec![(joint.key(), RawRule::List(children))]));
                }
            }
        }
        Shaped {
            rule: (!items.is_empty())
                .then(|| object(vec![(self.joint.key(), RawRule::List(items))])),
            places,
        }
    }

    /// The rows of a stored rule, if the editor can show it: conditions
    /// under one `all` or `any`, groups of conditions one level down.
    pub fn of(rule: &Rule, w: &Words) -> Option<Tree> {
        let (joint, rules) = match rule {
            Rule::All(rules) => (Joint::All, rules),
            Rule::Any(rules) => (Joint::Any, rules),
            Rule::Condition(condition) => {
                return Some(Tree {
                    joint: Joint::All,
                    rows: vec![Row::Line(Line::of(condition, w))],
                });
            }
            Rule::Not(_) => return None,
        };
        let conditions = |rules: &[Rule]| {
            rules
                .iter()
                .map(|rule| match rule {
                    Rule::Condition(condition) => Some(Line::of(condition, w)),
                    _ => None,
                })
                .collect::<Option<Vec<Line>>>()
        };
        let rows = rules
            .iter()
            .map(|rule| match rule {
                Rule::Condition(condition) => Some(Row::Line(Line::of(condition, w))),
                Rule::All(inner) => Some(Row::Group(Joint::All, conditions(inner)?)),
                Rule::Any(inner) => Some(Row::Group(Joint::Any, conditions(inner)?)),
                Rule::Not(_) => None,
            })
            .collect::<Option<Vec<Row>>>()?;
        Some(Tree { joint, rows })
    }
}

/// A list typed in one field: `1, 2; 3`. Money keeps its decimal comma,
/// so its values are parted by `;` alone.
fn items(typed: &str, unit: Unit) -> impl Iterator<Item = &str> {
    let parts: &[char] = match unit {
        Unit::Money | Unit::Points => &[';'],
        _ => &[',', ';'],
    };
    typed
        .split(parts)
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

impl Line {
    /// The condition as the API writes it; `None` while it names no field.
    /// What is not a figure goes as typed, for the use case to refuse.
    fn raw(&self, specs: &[FieldSpec]) -> Option<RawRule> {
        if self.field.is_empty() {
            return None;
        }
        let spec = specs.iter().find(|spec| spec.name == self.field);
        let unit = Unit::of(&self.field);
        let one = |typed: &str| operand(spec, unit, typed);
        let (op, value) = match self.op.as_str() {
            "exists" => ("exists", RawRule::Bool(true)),
            "absent" => ("exists", RawRule::Bool(false)),
            "between" => (
                "between",
                RawRule::List(vec![one(&self.value), one(&self.to)]),
            ),
            "in" => {
                let picked = spec.is_some_and(|spec| {
                    matches!(
                        spec.kind,
                        ValueKind::Choice | ValueKind::Id | ValueKind::Store
                    )
                });
                let values: Vec<RawRule> = if picked {
                    self.ticked.iter().map(|value| one(value)).collect()
                } else {
                    items(&self.value, unit).map(one).collect()
                };
                let value = match values.is_empty() {
                    true => RawRule::Null,
                    false => RawRule::List(values),
                };
                ("in", value)
            }
            op => (op, one(&self.value)),
        };
        let mut entries = vec![
            ("field", RawRule::Text(self.field.clone())),
            ("op", RawRule::Text(op.to_owned())),
            ("value", value),
        ];
        if !self.period.is_empty() {
            let days = whole(&self.period)
                .map_or_else(|| RawRule::Text(self.period.clone()), RawRule::Int);
            entries.push(("period_days", days));
        }
        let list = |typed: &str, each: fn(&str) -> String| {
            RawRule::List(
                items(typed, Unit::Plain)
                    .map(|item| RawRule::Text(each(item)))
                    .collect(),
            )
        };
        if !self.skus.is_empty() {
            entries.push(("skus", list(&self.skus, str::to_owned)));
        }
        if !self.categories.is_empty() {
            entries.push(("categories", list(&self.categories, Words::category_code)));
        }
        Some(object(entries))
    }

    /// A stored condition as its row shows it.
    fn of(condition: &Condition, w: &Words) -> Line {
        let field = condition.field.name();
        let unit = Unit::of(&field);
        let typed = |operand: &Operand| match (operand, unit) {
            (Operand::Int(n), Unit::Money | Unit::Points) if *n < 0 => {
                format!("-{}", money_field(w, -n))
            }
            (Operand::Int(n), Unit::Money | Unit::Points) => money_field(w, *n),
            (operand, _) => plain(operand),
        };
        let mut line = Line {
            period: condition
                .period_days
                .map(|days| days.to_string())
                .unwrap_or_default(),
            skus: condition.goods.skus.join(", "),
            categories: (condition.goods.categories.iter())
                .map(|code| w.category(code))
                .collect::<Vec<_>>()
                .join(", "),
            field,
            ..Line::default()
        };
        match &condition.test {
            Test::Compare(op, operand) => {
                line.op = op.operator().as_str().into();
                line.value = typed(operand);
            }
            Test::Between(low, high) => {
                line.op = "between".into();
                line.value = typed(low);
                line.to = typed(high);
            }
            Test::In(operands) => {
                line.op = "in".into();
                line.ticked = operands.iter().map(plain).collect();
                let separator = match unit {
                    Unit::Money | Unit::Points => "; ",
                    _ => ", ",
                };
                line.value = operands
                    .iter()
                    .map(typed)
                    .collect::<Vec<_>>()
                    .join(separator);
            }
            Test::Exists(true) => line.op = "exists".into(),
            Test::Exists(false) => line.op = "absent".into(),
        }
        line
    }
}

/// A value as a choice names it or a plain field holds it.
fn plain(operand: &Operand) -> String {
    match operand {
        Operand::Int(n) => n.to_string(),
        Operand::Text(text) => text.clone(),
        Operand::Bool(flag) => flag.to_string(),
        Operand::Date(date) => date.to_string(),
    }
}

/// A whole number as typed, spaces between its digits allowed.
fn whole(typed: &str) -> Option<i64> {
    typed.replace([' ', '\u{a0}'], "").parse().ok()
}

/// One value typed for a field, as the rule takes it: roubles and points
/// in hundredths, yes and no as such; anything else as typed.
fn operand(spec: Option<&FieldSpec>, unit: Unit, typed: &str) -> RawRule {
    let typed = typed.trim();
    if typed.is_empty() {
        return RawRule::Null;
    }
    let as_typed = || RawRule::Text(typed.to_owned());
    let Some(spec) = spec else {
        return as_typed();
    };
    match (spec.kind, unit) {
        (ValueKind::Number, Unit::Money | Unit::Points) => {
            let (sign, figure) = match typed.strip_prefix('-') {
                Some(rest) => (-1, rest),
                None => (1, typed),
            };
            hundredths(figure).map_or_else(as_typed, |n| RawRule::Int(sign * n))
        }
        (ValueKind::Number | ValueKind::Id | ValueKind::Store, _) => {
            whole(typed).map_or_else(as_typed, RawRule::Int)
        }
        (ValueKind::Bool, _) => match typed {
            "true" => RawRule::Bool(true),
            "false" => RawRule::Bool(false),
            _ => as_typed(),
        },
        (ValueKind::Decimal, _) => RawRule::Text(typed.replace(',', ".")),
        _ => as_typed(),
    }
}

/// Each complaint of a use case beside what it is about: a row (by its
/// key), the rule as a whole (`rules`), or a field of the form.
pub fn beside(
    w: &Words,
    errors: Vec<FieldError>,
    shaped: &Shaped,
    specs: &[FieldSpec],
) -> BTreeMap<String, Vec<String>> {
    let mut placed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for error in errors {
        let place = shaped.key_of(&error.field);
        let key = match place {
            Some(place) => place.key.clone(),
            None if error.field.starts_with("rules") => "rules".to_owned(),
            None => error.field.clone(),
        };
        // A figure out of its range says the range, in the units typed.
        let range = place
            .filter(|_| error.code == "invalid_value" && error.field.contains(".value"))
            .and_then(|place| specs.iter().find(|spec| spec.name == place.field))
            .filter(|spec| spec.kind == ValueKind::Number && Unit::of(&spec.name) == Unit::Plain)
            .and_then(|spec| Some((spec.min?, spec.max?)));
        // A value picked from a list is ticked, not typed.
        let picked = place
            .filter(|_| error.code == "required" && error.field.ends_with(".value"))
            .and_then(|place| specs.iter().find(|spec| spec.name == place.field))
            .is_some_and(|spec| {
                matches!(
                    spec.kind,
                    ValueKind::Choice | ValueKind::Id | ValueKind::Store
                )
            });
        let message = match range {
            Some((min, max)) => w.with_all(
                "segment-error-range",
                vec![("min", min.into()), ("max", max.into())],
            ),
            None if picked => w.t("segment-error-pick"),
            None => w.field_error(&error),
        };
        let messages = placed.entry(key).or_default();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use clientele_domain::segment::Field;
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn json(raw: &RawRule) -> serde_json::Value {
        match raw {
            RawRule::Null => serde_json::Value::Null,
            RawRule::Bool(flag) => (*flag).into(),
            RawRule::Int(n) => (*n).into(),
            RawRule::Text(text) => text.clone().into(),
            RawRule::List(items) => items.iter().map(json).collect(),
            RawRule::Object(map) => map.iter().map(|(k, v)| (k.clone(), json(v))).collect(),
            RawRule::Unsupported(what) => (*what).into(),
        }
    }

    #[test]
    fn a_form_becomes_the_rule_the_api_takes() {
        let draft = Draft::read(&typed(&[
            ("match", "all"),
            ("r0.field", "bought"),
            ("r0.op", "gte"),
            ("r0.value", "1"),
            ("r0.period", "30"),
            ("r0.categories", "Молочное, fish"),
            ("r1.group", "any"),
            ("r1_0.field", "gender"),
            ("r1_0.op", "in"),
            ("r1_0.in.0", "female"),
            ("r1_1.field", "spent_minor"),
            ("r1_1.op", "between"),
            ("r1_1.value", "1 500"),
            ("r1_1.to", "2000,5"),
            ("r1_2.field", ""),
            ("r2.field", "age"),
            ("r2.op", "absent"),
        ]));
        let specs = Field::catalogue(&[]);
        let shaped = draft.tree.shape(&specs);
        assert_eq!(
            json(shaped.rule.as_ref().unwrap()),
            serde_json::json!({"all": [
                {"field": "bought", "op": "gte", "value": 1, "period_days": 30,
                 "categories": ["dairy", "fish"]},
                {"any": [
                    {"field": "gender", "op": "in", "value": ["female"]},
                    {"field": "spent_minor", "op": "between", "value": [150_000, 200_050]},
                ]},
                {"field": "age", "op": "exists", "value": false},
            ]})
        );
        let keys = |path: &str| shaped.key_of(path).map(|place| place.key.as_str());
        assert_eq!(keys("rules.all[1].any[1].value[0]"), Some("r1_1"));
        assert_eq!(keys("rules.all[1].any"), Some("r1"));
        assert_eq!(keys("rules.all[2].op"), Some("r2"));
        assert_eq!(keys("rules"), None);
        // The rule reads back into the same rows.
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let rule = Rule::parse(shaped.rule.as_ref().unwrap(), &[]).unwrap();
        let tree = Tree::of(&rule, &w).unwrap();
        let Row::Group(Joint::Any, lines) = &tree.rows[1] else {
            panic!("{tree:?}");
        };
        assert_eq!(
            (lines[1].value.as_str(), lines[1].to.as_str()),
            ("1500", "2000,5")
        );
        assert_eq!(lines[0].ticked, ["female"]);
        let Row::Line(bought) = &tree.rows[0] else {
            panic!("{tree:?}");
        };
        assert_eq!(bought.categories, "Молочное, fish");
    }

    #[test]
    fn a_step_adds_or_removes_a_row_and_a_deeper_rule_is_not_shown() {
        let form = |step: &str| {
            Draft::read(&typed(&[
                ("r0.field", "age"),
                ("r4.group", "all"),
                ("r4_0.field", "gender"),
                ("r4_3.field", "status"),
                ("step", step),
            ]))
            .tree
        };
        assert_eq!(form("remove:r0").rows.len(), 1);
        let Row::Group(_, lines) = &form("remove:r4_3").rows[1] else {
            panic!("a group");
        };
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].field, "gender");
        assert_eq!(form("add").rows.len(), 3);
        let Row::Group(_, lines) = &form("add:r4").rows[1] else {
            panic!("a group");
        };
        assert_eq!(lines.len(), 3);
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let deep = Rule::parse(
            &serde_json::from_value(serde_json::json!(
                {"all": [{"not": {"field": "age", "op": "gt", "value": 30}}]}
            ))
            .unwrap(),
            &[],
        )
        .unwrap();
        assert!(Tree::of(&deep, &w).is_none());
    }
}
