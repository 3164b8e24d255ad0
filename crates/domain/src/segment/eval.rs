//! Whether a rule holds for one customer: the reference semantics.
//!
//! A field's value may be absent (no birth date, no purchase in the period
//! for an average, RFM not computed). Every test of an absent value is
//! false, `ne` included; `exists false` is how a rule asks for absence, and
//! `not` is plain negation (so `not age gt 30` takes those of unknown age).
//! Counts and sums over no purchases are 0, which is a value.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use jiff::civil::Date;

use super::decimal;
use super::facts::{Facts, days_between};
use super::field::{Field, ValueKind};
use super::rule::{Condition, Op, Operand, Rule, Test};
use crate::ids::StoreId;
use crate::property::PropertyKind;

impl Rule {
    pub fn holds(&self, facts: &Facts, today: Date) -> bool {
        match self {
            Rule::All(rules) => rules.iter().all(|rule| rule.holds(facts, today)),
            Rule::Any(rules) => rules.iter().any(|rule| rule.holds(facts, today)),
            Rule::Not(rule) => !rule.holds(facts, today),
            Rule::Condition(condition) => condition.holds(facts, today),
        }
    }
}

impl Condition {
    pub fn holds(&self, facts: &Facts, today: Date) -> bool {
        let value = value(self, facts, today);
        match (&self.test, value) {
            (Test::Exists(present), value) => *present == value.is_some(),
            (_, None) => false,
            (Test::Compare(op, operand), Some(value)) => compare(*op, &value, operand),
            (Test::Between(low, high), Some(value)) => {
                order(&value, low).is_some_and(Ordering::is_ge)
                    && order(&value, high).is_some_and(Ordering::is_le)
            }
            (Test::In(operands), Some(value)) => operands
                .iter()
                .any(|operand| compare(Op::Eq, &value, operand)),
        }
    }
}

/// A field's value for one customer.
enum Value<'a> {
    Int(i64),
    /// Thousandths of a unit, compared with a count of whole units.
    Milli(i64),
    Text(&'a str),
    Decimal(&'a str),
    Bool(bool),
    Date(Date),
    /// Stores, each with its ancestors: "is" a node when one is under it.
    Stores(Vec<&'a [StoreId]>),
}

fn value<'a>(condition: &Condition, facts: &'a Facts, today: Date) -> Option<Value<'a>> {
    let days_ago = |date: Date| Value::Int(days_between(date, today));
    let purchases = || facts.purchases_within(condition.period_days, today);
    let goods_lines = || purchases().flat_map(|purchase| purchase.lines_of(&condition.goods));
    let rfm = facts.rfm;
    Some(match &condition.field {
        Field::Gender => Value::Text(facts.gender?.as_str()),
        Field::Age => Value::Int(facts.age(today)?),
        Field::DaysToBirthday => Value::Int(facts.days_to_birthday(today)?),
        Field::GroupId => Value::Int(facts.group_id.0),
        Field::Status => Value::Text(facts.status.as_str()),
        Field::TierId => Value::Int(facts.tier?.id.0),
        Field::TierSinceDays => days_ago(facts.tier?.since),
        Field::StoreId if facts.store_path.is_empty() => return None,
        Field::StoreId => Value::Stores(vec![&facts.store_path]),
        Field::Channel => Value::Text(facts.channel.as_str()),
        Field::CreatedDaysAgo => days_ago(facts.created_on),
        Field::Consent(kind) => Value::Bool(facts.consents.contains(kind)),
        Field::HasPhone => Value::Bool(facts.has_phone),
        Field::HasEmail => Value::Bool(facts.has_email),
        Field::Property { name, kind } => property(*kind, facts.properties.get(name)?)?,
        Field::BalancePoints => Value::Int(facts.balance_points),
        Field::PointsExpiringWithinDays => {
            // Lots whose day has passed are the expiry job's, not expiring.
            let next = facts
                .points_expire_on
                .iter()
                .filter(|on| **on >= today)
                .min()?;
            Value::Int(days_between(today, *next))
        }
        Field::PurchasesCount => Value::Int(count(purchases())),
        Field::SpentMinor => Value::Int(purchases().map(|p| p.spent_minor).sum()),
        Field::AverageReceiptMinor => {
            let receipts = count(purchases());
            let spent: i64 = purchases().map(|p| p.spent_minor).sum();
            Value::Int(spent.checked_div_euclid(receipts)?)
        }
        Field::FirstPurchaseDaysAgo => days_ago(facts.purchases.iter().map(|p| p.on).min()?),
        Field::LastPurchaseDaysAgo => days_ago(facts.purchases.iter().map(|p| p.on).max()?),
        Field::Bought => Value::Milli(goods_lines().map(|line| line.quantity_milli).sum()),
        Field::BoughtMinor => Value::Int(goods_lines().map(|line| line.amount_minor).sum()),
        Field::StoresVisited => {
            let stores: BTreeSet<&StoreId> =
                purchases().filter_map(|p| p.store_path.first()).collect();
            Value::Int(count(stores.into_iter()))
        }
        Field::PurchaseStoreId => {
            let paths: Vec<&[StoreId]> = purchases()
                .map(|p| p.store_path.as_slice())
                .filter(|path| !path.is_empty())
                .collect();
            if paths.is_empty() {
                return None;
            }
            Value::Stores(paths)
        }
        Field::RfmRecency => Value::Int(rfm?.recency.into()),
        Field::RfmFrequency => Value::Int(rfm?.frequency.into()),
        Field::RfmMonetary => Value::Int(rfm?.monetary.into()),
        Field::RfmGroup => Value::Text(rfm?.group().as_str()),
    })
}

fn count<T>(items: impl Iterator<Item = T>) -> i64 {
    i64::try_from(items.count()).unwrap_or(i64::MAX)
}

/// A property's canonical text as the value its kind reads it as; absent if
/// the text does not read (a value kept before the kind was what it is).
fn property(kind: PropertyKind, text: &str) -> Option<Value<'_>> {
    Some(match kind {
        PropertyKind::String | PropertyKind::Choice => Value::Text(text),
        PropertyKind::Number => Value::Decimal(text),
        PropertyKind::Date => Value::Date(text.parse().ok()?),
        PropertyKind::Bool => Value::Bool(match text {
            "true" => true,
            "false" => false,
            _ => return None,
        }),
    })
}

fn compare(op: Op, value: &Value<'_>, operand: &Operand) -> bool {
    if let Value::Stores(paths) = value {
        let Operand::Int(id) = operand else {
            return false;
        };
        let under = paths.iter().any(|path| path.contains(&StoreId(*id)));
        return match op {
            Op::Eq => under,
            Op::Ne => !under,
            Op::Lt | Op::Lte | Op::Gt | Op::Gte => false,
        };
    }
    order(value, operand).is_some_and(|ordering| op.accepts(ordering))
}

/// How a value stands to an operand; `None` when they do not compare.
fn order(value: &Value<'_>, operand: &Operand) -> Option<Ordering> {
    Some(match (value, operand) {
        (Value::Int(a), Operand::Int(b)) => a.cmp(b),
        (Value::Milli(a), Operand::Int(units)) => a.cmp(&units.saturating_mul(1000)),
        (Value::Text(a), Operand::Text(b)) => (*a).cmp(b.as_str()),
        (Value::Decimal(a), Operand::Text(b)) => decimal::compare(a, b),
        (Value::Bool(a), Operand::Bool(b)) => a.cmp(b),
        (Value::Date(a), Operand::Date(b)) => a.cmp(b),
        _ => return None,
    })
}

/// Whether `low` is at most `high`, compared as a value of `kind` would be.
pub(super) fn in_order(kind: ValueKind, low: &Operand, high: &Operand) -> bool {
    let low = match (kind, low) {
        (ValueKind::Decimal, Operand::Text(text)) => Value::Decimal(text),
        (_, Operand::Int(n)) => Value::Int(*n),
        (_, Operand::Text(text)) => Value::Text(text),
        (_, Operand::Bool(flag)) => Value::Bool(*flag),
        (_, Operand::Date(date)) => Value::Date(*date),
    };
    order(&low, high).is_some_and(Ordering::is_le)
}

impl Op {
    pub fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering.is_eq(),
            Op::Ne => ordering.is_ne(),
            Op::Lt => ordering.is_lt(),
            Op::Lte => ordering.is_le(),
            Op::Gt => ordering.is_gt(),
            Op::Gte => ordering.is_ge(),
        }
    }
}
