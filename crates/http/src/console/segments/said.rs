//! A segment in words: its rule as lines, one sentence per condition
//! («Пол — женский», «Купил товары категории «Молочное» не меньше 2 шт. за
//! последние 30 дней»), a group's lines under the words of how they
//! combine, as deep as the rule goes; when it is recomputed; and what a
//! page was sent back to say.

use clientele_domain::segment::{Condition, Operand, Rule, Schedule, Test, ValueKind};
use serde::Deserialize;

use super::catalogue::Catalogue;
use crate::console::kit::Words;

/// A line of a rule in words, at its depth in the tree.
pub struct Said {
    pub depth: usize,
    pub text: String,
}

/// The rule, line by line.
pub fn said(w: &Words, catalogue: &Catalogue, rule: &Rule) -> Vec<Said> {
    let mut lines = Vec::new();
    let head = match rule {
        Rule::All(_) => "segment-says-all",
        Rule::Any(_) => "segment-says-any",
        Rule::Not(_) => "segment-says-not",
        Rule::Condition(_) => "segment-says-one",
    };
    lines.push(Said {
        depth: 0,
        text: w.t(head),
    });
    let inner: Vec<&Rule> = match rule {
        Rule::All(rules) | Rule::Any(rules) => rules.iter().collect(),
        Rule::Not(rule) => vec![rule],
        Rule::Condition(_) => vec![rule],
    };
    for rule in inner {
        walk(w, catalogue, rule, 1, &mut lines);
    }
    lines
}

fn walk(w: &Words, catalogue: &Catalogue, rule: &Rule, depth: usize, lines: &mut Vec<Said>) {
    let (head, inner): (&str, Vec<&Rule>) = match rule {
        Rule::Condition(condition) => {
            lines.push(Said {
                depth,
                text: sentence(w, catalogue, condition),
            });
            return;
        }
        Rule::All(rules) => ("segment-says-group-all", rules.iter().collect()),
        Rule::Any(rules) => ("segment-says-group-any", rules.iter().collect()),
        Rule::Not(rule) => ("segment-says-group-not", vec![rule]),
    };
    lines.push(Said {
        depth,
        text: w.t(head),
    });
    for rule in inner {
        walk(w, catalogue, rule, depth + 1, lines);
    }
}

/// One condition as a sentence.
fn sentence(w: &Words, catalogue: &Catalogue, condition: &Condition) -> String {
    let field = condition.field.name();
    let value = |operand: &Operand| catalogue.said(w, &field, operand);
    let period = condition
        .period_days
        .map(|days| format!(" {}", w.n("segment-says-period", i64::from(days))))
        .unwrap_or_default();
    let dated = catalogue
        .spec(&field)
        .is_some_and(|spec| spec.kind == ValueKind::Date);
    let test = match &condition.test {
        Test::Compare(op, operand) => {
            let op = op.operator().as_str();
            let key = match op {
                "lt" | "lte" | "gt" | "gte" if dated => format!("segment-test-date-{op}"),
                _ => format!("segment-test-{op}"),
            };
            w.with(&key, "value", value(operand).into())
        }
        Test::Between(low, high) => w.with_all(
            "segment-test-between",
            vec![("low", value(low).into()), ("high", value(high).into())],
        ),
        Test::In(operands) => w.with(
            "segment-test-in",
            "value",
            operands
                .iter()
                .map(value)
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
        ),
        Test::Exists(known) => {
            let key = if *known {
                "segment-says-known"
            } else {
                "segment-says-unknown"
            };
            return w.with_all(
                key,
                vec![
                    ("field", catalogue.label(w, &field).into()),
                    ("period", period.into()),
                ],
            );
        }
    };
    let (key, subject) = match field.as_str() {
        "bought" | "bought_minor" => (format!("segment-says-{field}"), goods(w, condition)),
        _ => ("segment-says".to_owned(), catalogue.label(w, &field)),
    };
    w.with_all(
        &key,
        vec![
            ("subject", subject.into()),
            ("test", test.into()),
            ("period", period.into()),
        ],
    )
}

/// The goods a condition counts: «товары категории «Молочное»».
fn goods(w: &Words, condition: &Condition) -> String {
    let quoted = |names: Vec<String>| {
        names
            .into_iter()
            .map(|name| w.with("segment-quoted", "text", name.into()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let goods = &condition.goods;
    let listed = |key: &str, names: Vec<String>| {
        w.with_all(
            key,
            vec![
                ("count", (names.len() as i64).into()),
                ("names", quoted(names).into()),
            ],
        )
    };
    let categories = (!goods.categories.is_empty()).then(|| {
        listed(
            "segment-goods-categories",
            goods.categories.iter().map(|c| w.category(c)).collect(),
        )
    });
    let skus = (!goods.skus.is_empty()).then(|| listed("segment-goods-skus", goods.skus.clone()));
    match (categories, skus) {
        (Some(categories), Some(skus)) => w.with_all(
            "segment-goods-either",
            vec![("categories", categories.into()), ("skus", skus.into())],
        ),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    }
}

/// When a segment is recomputed, in words; a static one is not.
pub fn schedule(w: &Words, schedule: Option<Schedule>) -> String {
    let hour = |hour: u8| format!("{hour:02}:00");
    match schedule {
        None => w.t("segment-schedule-none"),
        Some(Schedule::Hourly) => w.t("segment-schedule-hourly"),
        Some(Schedule::Daily { hour: at }) => {
            w.with("segment-schedule-daily", "hour", hour(at).into())
        }
        Some(Schedule::Weekly { weekday, hour: at }) => w.with_all(
            "segment-schedule-weekly",
            vec![
                ("day", w.t(&format!("segment-on-weekday-{weekday}")).into()),
                ("hour", hour(at).into()),
            ],
        ),
    }
}

/// What a page was sent back to say (`?done=saved`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

impl Done {
    pub fn notice(&self, w: &Words) -> Option<String> {
        match self.done.as_str() {
            done @ ("created" | "saved" | "recomputed" | "deleted") => {
                Some(w.t(&format!("segment-{done}")))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use clientele_domain::segment::{Field, RawRule};
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn rule(json: serde_json::Value) -> Rule {
        let raw: RawRule = serde_json::from_value(json).unwrap();
        Rule::parse(&raw, &[]).unwrap()
    }

    fn lines(lang: Lang, json: serde_json::Value) -> Vec<(usize, String)> {
        let w = Words::new(lang, TimeZone::UTC);
        let catalogue = Catalogue::bare(Field::catalogue(&[]));
        said(&w, &catalogue, &rule(json))
            .into_iter()
            .map(|line| (line.depth, line.text))
            .collect()
    }

    #[test]
    fn a_rule_reads_as_sentences_in_each_language() {
        let json = serde_json::json!({"all": [
            {"field": "gender", "op": "eq", "value": "female"},
            {"field": "bought", "op": "gte", "value": 2, "period_days": 30, "categories": ["dairy"]},
            {"any": [
                {"field": "spent_minor", "op": "between", "value": [100_000, 500_000]},
                {"not": {"field": "age", "op": "exists"}},
            ]},
        ]});
        let said = |depth: usize, text: &str| (depth, text.to_owned());
        assert_eq!(
            lines(Lang::Ru, json.clone()),
            [
                said(0, "Покупатель подходит, если выполнены все условия:"),
                said(1, "Пол — женский"),
                said(
                    1,
                    "Купил товары категории «Молочное» не меньше 2 шт. за последние 30 дней"
                ),
                said(1, "любое из:"),
                said(
                    2,
                    "Сумма покупок от 1\u{a0}000,00\u{a0}₽ до 5\u{a0}000,00\u{a0}₽"
                ),
                said(2, "не выполняется:"),
                said(3, "Возраст: указано"),
            ]
        );
        let english = lines(Lang::En, json);
        assert_eq!(english[1].1, "Gender is female");
        assert_eq!(
            english[2].1,
            "Bought goods of category “Dairy” at least 2 units in the last 30 days"
        );
    }

    #[test]
    fn a_schedule_is_said_with_its_day_and_hour() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let weekly = Schedule::Weekly {
            weekday: 5,
            hour: 6,
        };
        assert_eq!(
            schedule(&w, Some(weekly)),
            "Каждую неделю по пятницам в 06:00"
        );
        assert_eq!(
            schedule(&w, Some(Schedule::Daily { hour: 3 })),
            "Каждый день в 03:00"
        );
    }
}
