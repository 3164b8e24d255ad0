//! The store hierarchy: region → city → district → store (РТТ). Each node has
//! a code that tills, imports and reports refer to.

use jiff::Timestamp;

use crate::ids::StoreId;
use crate::validation::{FieldError, ValidationErrors};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    Region,
    City,
    District,
    Store,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Region => "region",
            StoreKind::City => "city",
            StoreKind::District => "district",
            StoreKind::Store => "store",
        }
    }

    pub fn parse(raw: &str) -> Result<StoreKind, FieldError> {
        Ok(match raw {
            "region" => StoreKind::Region,
            "city" => StoreKind::City,
            "district" => StoreKind::District,
            "store" => StoreKind::Store,
            _ => {
                return Err(FieldError::new(
                    "kind",
                    "invalid_kind",
                    "kind must be one of region, city, district, store",
                ));
            }
        })
    }

    /// A node sits under one of a wider kind: a store under a district, city
    /// or region, a city under a region. Levels may be skipped, never reversed.
    pub fn may_be_under(self, parent: StoreKind) -> bool {
        parent < self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Store {
    pub id: StoreId,
    pub code: String,
    pub name: String,
    pub kind: StoreKind,
    pub parent_id: Option<StoreId>,
    pub address: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct StoreInput {
    pub code: String,
    pub name: String,
    pub kind: Option<String>,
    pub parent_id: Option<StoreId>,
    pub address: Option<String>,
}

/// A checked store, not yet stored; its parent still has to exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStore {
    pub code: String,
    pub name: String,
    pub kind: StoreKind,
    pub parent_id: Option<StoreId>,
    pub address: Option<String>,
}

/// Checks a store code: 1–32 letters, digits, `-`, `_` or `.`.
pub fn parse_code(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    let ok = (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new(
            "code",
            "invalid_code",
            "a code is 1–32 characters of A–Z, a–z, 0–9, -, _ and .",
        ))
    }
}

impl StoreInput {
    pub fn validate(self) -> Result<NewStore, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let code = errors.take(parse_code(&self.code));
        let name = crate::text::clean_name(&self.name, 200);
        if name.is_none() {
            errors.push(FieldError::new(
                "name",
                "required",
                "a name is required (up to 200 characters)",
            ));
        }
        let kind = match self.kind.as_deref() {
            None => Some(StoreKind::Store),
            Some(raw) => errors.take(StoreKind::parse(raw)),
        };
        if kind == Some(StoreKind::Region) && self.parent_id.is_some() {
            errors.push(FieldError::new(
                "parent_id",
                "invalid_parent",
                "a region has no parent",
            ));
        }
        errors.finish(|| NewStore {
            code: code.expect("checked"),
            name: name.expect("checked"),
            kind: kind.expect("checked"),
            parent_id: self.parent_id,
            address: crate::text::optional(self.address),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_goes_from_wide_to_narrow() {
        assert!(StoreKind::Store.may_be_under(StoreKind::District));
        assert!(StoreKind::Store.may_be_under(StoreKind::Region));
        assert!(StoreKind::City.may_be_under(StoreKind::Region));
        assert!(!StoreKind::Region.may_be_under(StoreKind::City));
        assert!(!StoreKind::Store.may_be_under(StoreKind::Store));
    }

    #[test]
    fn codes_are_short_and_plain() {
        assert_eq!(parse_code(" MSK-01 ").unwrap(), "MSK-01");
        assert!(parse_code("").is_err());
        assert!(parse_code("магазин").is_err());
        assert!(parse_code(&"x".repeat(33)).is_err());
    }
}
