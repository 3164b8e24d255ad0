//! The parts of a condition after its field and op: the value, typed and
//! checked by the field, the period and the goods.

use super::eval::in_order;
use super::field::{Field, ValueKind};
use super::parse::{MAX_IN_VALUES, MAX_PERIOD_DAYS, Object, Reader};
use super::raw::RawRule;
use super::rule::{Goods, Operand, Operator, Test};

/// The most SKUs, or categories, one condition may list.
const MAX_GOODS: usize = 1000;
const MAX_GOOD_CHARS: usize = 200;

impl Reader<'_> {
    pub(super) fn test(
        &mut self,
        field: &Field,
        op: Operator,
        raw: Option<&RawRule>,
        path: &str,
    ) -> Option<Test> {
        let raw = raw.filter(|raw| **raw != RawRule::Null);
        match (op, raw) {
            (Operator::Exists, None) => Some(Test::Exists(true)),
            (Operator::Exists, Some(RawRule::Bool(present))) => Some(Test::Exists(*present)),
            (Operator::Exists, Some(_)) => {
                self.error(
                    path,
                    "invalid_value",
                    "exists takes true, false or no value",
                );
                None
            }
            (_, None) => {
                self.error(path, "required", format!("«{}» needs a value", op.as_str()));
                None
            }
            (Operator::Between, Some(RawRule::List(items))) if items.len() == 2 => {
                let low = self.operand(field, &items[0], &format!("{path}[0]"));
                let high = self.operand(field, &items[1], &format!("{path}[1]"));
                let (low, high) = (low?, high?);
                // The bounds in either order mean the same range.
                Some(if in_order(field.kind(), &low, &high) {
                    Test::Between(low, high)
                } else {
                    Test::Between(high, low)
                })
            }
            (Operator::Between, Some(_)) => {
                self.error(
                    path,
                    "invalid_value",
                    "between takes two values: [low, high]",
                );
                None
            }
            (Operator::In, Some(RawRule::List(items)))
                if (1..=MAX_IN_VALUES).contains(&items.len()) =>
            {
                let operands: Vec<Option<Operand>> = (items.iter().enumerate())
                    .map(|(i, item)| self.operand(field, item, &format!("{path}[{i}]")))
                    .collect();
                operands.into_iter().collect::<Option<_>>().map(Test::In)
            }
            (Operator::In, Some(_)) => {
                let message = format!("in takes a list of 1 to {MAX_IN_VALUES} values");
                self.error(path, "invalid_value", message);
                None
            }
            (_, Some(raw)) => {
                // Exists, between and in are all matched above.
                let op = op.comparison()?;
                let operand = self.operand(field, raw, path)?;
                Some(Test::Compare(op, operand))
            }
        }
    }

    /// One value, typed by the field and checked against its range or choices.
    fn operand(&mut self, field: &Field, raw: &RawRule, path: &str) -> Option<Operand> {
        let got = raw.describe();
        let operand = match (field.kind(), raw) {
            (ValueKind::Number | ValueKind::Id | ValueKind::Store, raw) => {
                let (min, max) = field.range()?;
                match raw {
                    RawRule::Int(n) if (min..=max).contains(n) => Ok(Operand::Int(*n)),
                    RawRule::Int(n) => Err(format!("{n} is out of range: from {min} to {max}")),
                    _ => Err(format!(
                        "expected a whole number from {min} to {max}, not {got}"
                    )),
                }
            }
            (ValueKind::Bool, RawRule::Bool(flag)) => Ok(Operand::Bool(*flag)),
            (ValueKind::Bool, _) => Err(format!("expected true or false, not {got}")),
            (ValueKind::Decimal, RawRule::Int(n)) => self.text(field, &n.to_string()),
            (_, RawRule::Text(text)) => self.text(field, text),
            (ValueKind::Decimal, _) => Err(format!(
                "expected a number (write a fraction as text, \"2.5\"), not {got}"
            )),
            (_, _) => Err(format!("expected text, not {got}")),
        };
        match operand {
            Ok(operand) => Some(operand),
            Err(message) => {
                self.error(path, "invalid_value", message);
                None
            }
        }
    }

    /// A text value in its canonical form: a built-in choice as listed, a
    /// property's as [`crate::property::PropertyDefinition::parse_value`]
    /// keeps it.
    fn text(&self, field: &Field, text: &str) -> Result<Operand, String> {
        let Field::Property { name, .. } = field else {
            let values = field.values();
            return match values.iter().find(|value| **value == text.trim()) {
                Some(value) => Ok(Operand::Text((*value).to_owned())),
                None => Err(format!("«{text}» is not one of: {}", values.join(", "))),
            };
        };
        let definition = (self.properties.iter())
            .find(|definition| definition.name == *name)
            .ok_or_else(|| format!("there is no property «{name}»"))?;
        let canonical = definition.parse_value(text).map_err(|e| e.message)?;
        match field.kind() {
            ValueKind::Date => canonical
                .parse()
                .map(Operand::Date)
                .map_err(|_| format!("«{text}» is not a date")),
            _ => Ok(Operand::Text(canonical)),
        }
    }

    /// `Some(None)` without a period, `None` on an error.
    pub(super) fn period(
        &mut self,
        field: Option<&Field>,
        raw: Option<&RawRule>,
        path: &str,
    ) -> Option<Option<u32>> {
        let raw = match raw {
            None | Some(RawRule::Null) => return Some(None),
            Some(raw) => raw,
        };
        if let Some(field) = field.filter(|field| !field.takes_period()) {
            let message = format!("«{}» is not limited by a period", field.name());
            self.error(path, "period_not_allowed", message);
            return None;
        }
        match raw {
            RawRule::Int(days) if (1..=i64::from(MAX_PERIOD_DAYS)).contains(days) => {
                u32::try_from(*days).ok().map(Some)
            }
            _ => {
                let message =
                    format!("period_days is a whole number of days from 1 to {MAX_PERIOD_DAYS}");
                self.error(path, "invalid_period", message);
                None
            }
        }
    }

    pub(super) fn goods(
        &mut self,
        field: Option<&Field>,
        map: &Object,
        path: &str,
    ) -> Option<Goods> {
        let skus = self.good_list(field, map.get("skus"), &format!("{path}.skus"));
        let categories =
            self.good_list(field, map.get("categories"), &format!("{path}.categories"));
        let goods = Goods {
            skus: skus?,
            categories: categories?,
        };
        if let Some(field) = field.filter(|field| field.needs_goods() && goods.is_empty()) {
            let message = format!("«{}» needs skus or categories", field.name());
            self.error(format!("{path}.skus"), "goods_required", message);
            return None;
        }
        Some(goods)
    }

    fn good_list(
        &mut self,
        field: Option<&Field>,
        raw: Option<&RawRule>,
        path: &str,
    ) -> Option<Vec<String>> {
        let raw = match raw {
            None | Some(RawRule::Null) => return Some(Vec::new()),
            Some(raw) => raw,
        };
        if let Some(field) = field.filter(|field| !field.needs_goods()) {
            let message = format!("«{}» does not take skus or categories", field.name());
            self.error(path, "goods_not_allowed", message);
            return None;
        }
        let RawRule::List(items) = raw else {
            self.error(path, "invalid_value", "expected a list of text");
            return None;
        };
        if items.len() > MAX_GOODS {
            self.error(
                path,
                "invalid_value",
                format!("at most {MAX_GOODS} entries"),
            );
            return None;
        }
        let mut goods = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                RawRule::Text(text)
                    if !text.trim().is_empty() && text.chars().count() <= MAX_GOOD_CHARS =>
                {
                    goods.push(text.trim().to_owned());
                }
                _ => {
                    let message = format!("expected text of 1 to {MAX_GOOD_CHARS} characters");
                    self.error(format!("{path}[{i}]"), "invalid_value", message);
                }
            }
        }
        (goods.len() == items.len()).then_some(goods)
    }
}
