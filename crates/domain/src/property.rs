//! Custom properties: fields the marketer adds to the customer card
//! ("vision" for an optician, "pet" for a pet shop), each of a type whose
//! values are checked and kept in one canonical text form.

use std::fmt;

use jiff::Timestamp;

use crate::ids::PropertyId;
use crate::validation::{FieldError, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyKind {
    String,
    Number,
    Date,
    Bool,
    Choice,
}

impl PropertyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyKind::String => "string",
            PropertyKind::Number => "number",
            PropertyKind::Date => "date",
            PropertyKind::Bool => "bool",
            PropertyKind::Choice => "choice",
        }
    }

    pub fn parse(raw: &str) -> Result<PropertyKind, FieldError> {
        Ok(match raw {
            "string" => PropertyKind::String,
            "number" => PropertyKind::Number,
            "date" => PropertyKind::Date,
            "bool" => PropertyKind::Bool,
            "choice" => PropertyKind::Choice,
            _ => {
                return Err(FieldError::new(
                    "kind",
                    "invalid_kind",
                    "kind must be one of string, number, date, bool, choice",
                ));
            }
        })
    }
}

/// The machine name of a property: used in filters as `property_<name>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct PropertyName(String);

impl PropertyName {
    pub fn parse(raw: &str) -> Result<PropertyName, FieldError> {
        let ok = (1..=48).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(PropertyName(raw.to_owned()))
        } else {
            Err(FieldError::new(
                "name",
                "invalid_name",
                "a property name is 1–48 characters of a–z, 0–9 and _, starting with a letter",
            ))
        }
    }

    pub fn from_stored(name: String) -> PropertyName {
        PropertyName(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PropertyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PropertyDefinition {
    pub id: PropertyId,
    pub name: PropertyName,
    /// What staff see, e.g. «Зрение».
    pub label: String,
    pub kind: PropertyKind,
    /// The allowed values of a `choice` property, in display order.
    pub choices: Vec<String>,
    pub created_at: Timestamp,
}

/// A property definition as the marketer submits it.
#[derive(Debug, Clone, Default)]
pub struct PropertyInput {
    pub name: String,
    pub label: String,
    pub kind: String,
    pub choices: Vec<String>,
}

/// A checked property definition, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProperty {
    pub name: PropertyName,
    pub label: String,
    pub kind: PropertyKind,
    pub choices: Vec<String>,
}

impl PropertyInput {
    pub fn validate(self) -> Result<NewProperty, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(PropertyName::parse(self.name.trim()));
        let label = crate::text::clean_name(&self.label, 200);
        if label.is_none() {
            errors.push(FieldError::new(
                "label",
                "required",
                "a label is required (up to 200 characters)",
            ));
        }
        let kind = errors.take(PropertyKind::parse(&self.kind));
        let mut choices: Vec<String> = Vec::new();
        for choice in self.choices {
            let choice = choice.trim().to_owned();
            if !choice.is_empty() && !choices.contains(&choice) {
                choices.push(choice);
            }
        }
        match kind {
            Some(PropertyKind::Choice) if choices.is_empty() => errors.push(FieldError::new(
                "choices",
                "required",
                "a choice property needs at least one choice",
            )),
            Some(kind) if kind != PropertyKind::Choice && !choices.is_empty() => {
                errors.push(FieldError::new(
                    "choices",
                    "not_allowed",
                    "only a choice property has choices",
                ))
            }
            _ => {}
        }
        errors.finish(|| NewProperty {
            name: name.expect("checked"),
            label: label.expect("checked"),
            kind: kind.expect("checked"),
            choices,
        })
    }
}

impl PropertyDefinition {
    /// Checks a value against this property's type and returns its canonical
    /// text: numbers without redundant zeros, dates as `YYYY-MM-DD`, booleans
    /// as `true`/`false`, choices spelt as defined.
    pub fn parse_value(&self, raw: &str) -> Result<String, FieldError> {
        let field = format!("properties.{}", self.name);
        let raw = raw.trim();
        let fail = |message: String| Err(FieldError::new(field.clone(), "invalid_value", message));
        match self.kind {
            PropertyKind::String => {
                if raw.chars().count() > 1000 {
                    return fail("a text value is at most 1000 characters".into());
                }
                Ok(raw.to_owned())
            }
            PropertyKind::Number => match canonical_number(raw) {
                Some(number) => Ok(number),
                None => fail(format!("«{raw}» is not a number")),
            },
            PropertyKind::Date => match crate::customer::parse_date(raw) {
                Some(date) => Ok(date.to_string()),
                None => fail(format!("«{raw}» is not a date (YYYY-MM-DD or DD.MM.YYYY)")),
            },
            PropertyKind::Bool => match raw.to_lowercase().as_str() {
                "true" | "1" | "yes" | "да" | "y" | "д" => Ok("true".into()),
                "false" | "0" | "no" | "нет" | "n" | "н" => Ok("false".into()),
                _ => fail(format!("«{raw}» is not yes or no")),
            },
            PropertyKind::Choice => {
                let wanted = crate::text::search_key(raw);
                match self
                    .choices
                    .iter()
                    .find(|choice| crate::text::search_key(choice) == wanted)
                {
                    Some(choice) => Ok(choice.clone()),
                    None => fail(format!(
                        "«{raw}» is not one of: {}",
                        self.choices.join(", ")
                    )),
                }
            }
        }
    }
}

/// `-0012,50` → `-12.5`; `None` for anything that is not a plain decimal.
fn canonical_number(raw: &str) -> Option<String> {
    let (negative, unsigned) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let unsigned = unsigned.replace(',', ".");
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((&unsigned, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || whole.len() + fraction.len() > 30
    {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(kind: PropertyKind, choices: &[&str]) -> PropertyDefinition {
        PropertyDefinition {
            id: PropertyId(1),
            name: PropertyName::parse("vision").unwrap(),
            label: "Зрение".into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn numbers_are_canonical() {
        let number = definition(PropertyKind::Number, &[]);
        assert_eq!(number.parse_value("-0012,50").unwrap(), "-12.5");
        assert_eq!(number.parse_value("0.0").unwrap(), "0");
        assert_eq!(number.parse_value("-0").unwrap(), "0");
        assert_eq!(number.parse_value("+3").unwrap(), "3");
        assert!(number.parse_value("1e5").is_err());
        assert!(number.parse_value(".").is_err());
        assert!(number.parse_value("").is_err());
    }

    #[test]
    fn dates_bools_and_choices() {
        let date = definition(PropertyKind::Date, &[]);
        assert_eq!(date.parse_value("05.03.2024").unwrap(), "2024-03-05");
        assert!(date.parse_value("31.02.2024").is_err());
        let flag = definition(PropertyKind::Bool, &[]);
        assert_eq!(flag.parse_value("Да").unwrap(), "true");
        assert!(flag.parse_value("maybe").is_err());
        let choice = definition(PropertyKind::Choice, &["Близорукость", "Дальнозоркость"]);
        assert_eq!(choice.parse_value("близорукость").unwrap(), "Близорукость");
        assert!(choice.parse_value("астигматизм").is_err());
    }

    #[test]
    fn names_are_slugs() {
        assert!(PropertyName::parse("vision_left").is_ok());
        for bad in ["", "Vision", "1st", "with space", "зрение"] {
            assert!(PropertyName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn choice_properties_need_choices() {
        let input = PropertyInput {
            name: "pet".into(),
            label: "Питомец".into(),
            kind: "choice".into(),
            choices: vec![],
        };
        assert!(input.validate().is_err());
    }
}
