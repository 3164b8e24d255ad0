//! A statement and its values, before an engine binds and runs them.

use std::borrow::Cow;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::Engine;

/// A value to bind, in the store's terms; each engine stores it its way.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
    Bytes(Option<&'a [u8]>),
    Flag(Option<bool>),
    Time(Option<Timestamp>),
    Date(Option<Date>),
    Json(Option<serde_json::Value>),
    /// A list of ids (a staff user's stores).
    Ids(Option<Vec<i64>>),
}

impl Value<'_> {
    /// A value kept as JSON.
    pub fn json<T: serde::Serialize>(value: &T) -> Value<'static> {
        Value::Json(Some(
            serde_json::to_value(value).expect("the store's values serialise"),
        ))
    }
}

impl From<i64> for Value<'_> {
    fn from(value: i64) -> Self {
        Value::Int(Some(value))
    }
}

impl From<Option<i64>> for Value<'_> {
    fn from(value: Option<i64>) -> Self {
        Value::Int(value)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(value: &'a str) -> Self {
        Value::Text(Some(Cow::Borrowed(value)))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(value: &'a String) -> Self {
        Value::Text(Some(Cow::Borrowed(value)))
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Value::Text(value.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(value: &'a [u8]) -> Self {
        Value::Bytes(Some(value))
    }
}

impl From<bool> for Value<'_> {
    fn from(value: bool) -> Self {
        Value::Flag(Some(value))
    }
}

impl From<Option<bool>> for Value<'_> {
    fn from(value: Option<bool>) -> Self {
        Value::Flag(value)
    }
}

impl From<Timestamp> for Value<'_> {
    fn from(value: Timestamp) -> Self {
        Value::Time(Some(value))
    }
}

impl From<Date> for Value<'_> {
    fn from(value: Date) -> Self {
        Value::Date(Some(value))
    }
}

impl From<Option<Timestamp>> for Value<'_> {
    fn from(value: Option<Timestamp>) -> Self {
        Value::Time(value)
    }
}

/// SQL with `$1`-style placeholders (both engines read them) and the
/// values they stand for, in order.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    pub sql: Cow<'a, str>,
    pub values: Vec<Value<'a>>,
}

impl<'a> Statement<'a> {
    pub fn new(sql: &'a str) -> Statement<'a> {
        Statement {
            sql: Cow::Borrowed(sql),
            values: Vec::new(),
        }
    }

    /// The value of the next placeholder written in the SQL.
    pub fn bind(mut self, value: impl Into<Value<'a>>) -> Statement<'a> {
        self.values.push(value.into());
        self
    }

    /// Appends SQL to a statement built as it goes.
    pub fn push(&mut self, sql: &str) -> &mut Statement<'a> {
        self.sql.to_mut().push_str(sql);
        self
    }

    /// Appends the next placeholder and its value.
    pub fn push_bind(&mut self, value: impl Into<Value<'a>>) -> &mut Statement<'a> {
        self.values.push(value.into());
        let placeholder = format!("${}", self.values.len());
        self.sql.to_mut().push_str(&placeholder);
        self
    }

    /// Appends ` AND {column}` is one of `ids`, as engine `E` asks for it.
    pub fn push_among<E: Engine>(&mut self, column: &str, ids: Vec<i64>) -> &mut Statement<'a> {
        let placeholder = format!("${}", self.values.len() + 1);
        self.push(" AND ").push(&E::among_ids(column, &placeholder));
        self.values.push(Value::Ids(Some(ids)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::{Statement, Value};

    /// Placeholders appended as a statement is built follow the values
    /// already bound, so the SQL's numbers and the values agree.
    #[test]
    fn appended_placeholders_number_after_the_bound_values() {
        let mut statement = Statement::new("SELECT id FROM audit_log WHERE id < $1").bind(9_i64);
        statement.push(" AND action = ").push_bind("card.bind");
        statement.push(" LIMIT ").push_bind(20_i64);
        assert_eq!(
            statement.sql,
            "SELECT id FROM audit_log WHERE id < $1 AND action = $2 LIMIT $3"
        );
        assert!(matches!(
            statement.values.as_slice(),
            [Value::Int(Some(9)), Value::Text(Some(action)), Value::Int(Some(20))]
                if action == "card.bind"
        ));
    }
}
