//! A rule as received, before any check.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A rule as received: any JSON value. Taken this loosely so that every
/// mistake, however malformed the tree, is reported by [`super::Rule::parse`]
/// with its path instead of failing deserialization as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawRule {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<RawRule>),
    Object(BTreeMap<String, RawRule>),
    /// A value no rule takes (a fraction, a number beyond 64 bits), named
    /// for the error message. Fractions are never read as floating point.
    Unsupported(&'static str),
}

impl RawRule {
    /// What the value is, for error messages.
    pub(super) fn describe(&self) -> &'static str {
        match self {
            RawRule::Null => "null",
            RawRule::Bool(_) => "true or false",
            RawRule::Int(_) => "a whole number",
            RawRule::Text(_) => "text",
            RawRule::List(_) => "a list",
            RawRule::Object(_) => "an object",
            RawRule::Unsupported(what) => what,
        }
    }
}

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawRule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a segment rule")
    }

    fn visit_unit<E>(self) -> Result<RawRule, E> {
        Ok(RawRule::Null)
    }

    fn visit_none<E>(self) -> Result<RawRule, E> {
        Ok(RawRule::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<RawRule, D::Error> {
        RawRule::deserialize(inner)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<RawRule, E> {
        Ok(RawRule::Bool(flag))
    }

    fn visit_i64<E>(self, n: i64) -> Result<RawRule, E> {
        Ok(RawRule::Int(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<RawRule, E> {
        Ok(i64::try_from(n).map_or(RawRule::Unsupported("a number too large"), RawRule::Int))
    }

    fn visit_f64<E>(self, _: f64) -> Result<RawRule, E> {
        Ok(RawRule::Unsupported("a fractional number"))
    }

    fn visit_str<E>(self, text: &str) -> Result<RawRule, E> {
        Ok(RawRule::Text(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<RawRule, E> {
        Ok(RawRule::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawRule, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawRule::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRule, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, RawRule>()? {
            if entries.insert(key, value).is_some() {
                return Err(de::Error::custom("a key is repeated in a segment rule"));
            }
        }
        Ok(RawRule::Object(entries))
    }
}
