//! The rule tree and how it is written back as DESIGN's JSON grammar, so a
//! stored rule reads back as the same tree.

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::field::Field;

/// A segment's rule: conditions combined by `all`, `any` and `not`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    All(Vec<Rule>),
    Any(Vec<Rule>),
    Not(Box<Rule>),
    Condition(Condition),
}

/// One test of one field of a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: Field,
    pub test: Test,
    /// Limits a purchase-history field to the last N days, today included.
    pub period_days: Option<u32>,
    /// The goods `bought` and `bought_minor` count; empty for other fields.
    pub goods: Goods,
}

/// Which receipt lines count: those with one of the SKUs or in one of the
/// categories (either list may be empty, not both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goods {
    pub skus: Vec<String>,
    pub categories: Vec<String>,
}

impl Goods {
    pub fn is_empty(&self) -> bool {
        self.skus.is_empty() && self.categories.is_empty()
    }
}

/// What a condition asks of the field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    Compare(Op, Operand),
    /// Both bounds included.
    Between(Operand, Operand),
    In(Vec<Operand>),
    /// `true`: the value is known; `false`: it is absent.
    Exists(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// A value a condition compares with, typed by its field (see [`super::ValueKind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Int(i64),
    Text(String),
    Bool(bool),
    Date(Date),
}

/// An OP of the grammar: the comparisons and `between`, `in`, `exists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Between,
    In,
    Exists,
}

impl Operator {
    pub const ALL: [Operator; 9] = [
        Operator::Eq,
        Operator::Ne,
        Operator::Lt,
        Operator::Lte,
        Operator::Gt,
        Operator::Gte,
        Operator::Between,
        Operator::In,
        Operator::Exists,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Ne => "ne",
            Operator::Lt => "lt",
            Operator::Lte => "lte",
            Operator::Gt => "gt",
            Operator::Gte => "gte",
            Operator::Between => "between",
            Operator::In => "in",
            Operator::Exists => "exists",
        }
    }

    pub fn parse(raw: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.as_str() == raw)
    }

    /// The comparison this operator is, if it is one.
    pub fn comparison(self) -> Option<Op> {
        Some(match self {
            Operator::Eq => Op::Eq,
            Operator::Ne => Op::Ne,
            Operator::Lt => Op::Lt,
            Operator::Lte => Op::Lte,
            Operator::Gt => Op::Gt,
            Operator::Gte => Op::Gte,
            Operator::Between | Operator::In | Operator::Exists => return None,
        })
    }
}

impl Op {
    pub fn operator(self) -> Operator {
        match self {
            Op::Eq => Operator::Eq,
            Op::Ne => Operator::Ne,
            Op::Lt => Operator::Lt,
            Op::Lte => Operator::Lte,
            Op::Gt => Operator::Gt,
            Op::Gte => Operator::Gte,
        }
    }
}

impl Test {
    pub fn operator(&self) -> Operator {
        match self {
            Test::Compare(op, _) => op.operator(),
            Test::Between(..) => Operator::Between,
            Test::In(_) => Operator::In,
            Test::Exists(_) => Operator::Exists,
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Rule::All(rules) => one_entry(serializer, "all", rules),
            Rule::Any(rules) => one_entry(serializer, "any", rules),
            Rule::Not(rule) => one_entry(serializer, "not", rule),
            Rule::Condition(condition) => condition.serialize(serializer),
        }
    }
}

fn one_entry<S: Serializer, T: Serialize + ?Sized>(
    serializer: S,
    key: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("field", &self.field.name())?;
        map.serialize_entry("op", self.test.operator().as_str())?;
        match &self.test {
            Test::Compare(_, operand) => map.serialize_entry("value", operand)?,
            Test::Between(low, high) => map.serialize_entry("value", &[low, high])?,
            Test::In(operands) => map.serialize_entry("value", operands)?,
            Test::Exists(present) => map.serialize_entry("value", present)?,
        }
        if let Some(days) = self.period_days {
            map.serialize_entry("period_days", &days)?;
        }
        if !self.goods.skus.is_empty() {
            map.serialize_entry("skus", &self.goods.skus)?;
        }
        if !self.goods.categories.is_empty() {
            map.serialize_entry("categories", &self.goods.categories)?;
        }
        map.end()
    }
}

/// Written as the plain JSON value; a date as `YYYY-MM-DD`.
impl Serialize for Operand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Operand::Int(n) => serializer.serialize_i64(*n),
            Operand::Text(text) => serializer.serialize_str(text),
            Operand::Bool(flag) => serializer.serialize_bool(*flag),
            Operand::Date(date) => serializer.collect_str(date),
        }
    }
}
