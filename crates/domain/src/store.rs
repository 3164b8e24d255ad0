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
    /// An IANA time zone (`Asia/Yekaterinburg`) its customers' days are
    /// counted in; none: its parent's, else the shop's.
    pub time_zone: Option<String>,
    pub created_at: Timestamp,
}

impl Store {
    /// The nodes `roots` and every node under them, each once.
    pub fn subtree(stores: &[Store], roots: &[StoreId]) -> Vec<StoreId> {
        let mut reach: Vec<StoreId> = Vec::new();
        for root in roots {
            if !reach.contains(root) {
                reach.push(*root);
            }
        }
        let mut next = 0;
        while next < reach.len() {
            let parent = reach[next];
            for store in stores {
                if store.parent_id == Some(parent) && !reach.contains(&store.id) {
                    reach.push(store.id);
                }
            }
            next += 1;
        }
        reach
    }

    /// The time zone of a node: its own, else the nearest ancestor's
    /// among `stores`; none: the shop's.
    pub fn time_zone_of(stores: &[Store], id: StoreId) -> Option<&str> {
        let mut next = Some(id);
        // A node has at most three above it (region, city, district); the
        // bound keeps a damaged hierarchy from looping.
        for _ in 0..4 {
            let node = stores.iter().find(|s| Some(s.id) == next)?;
            if let Some(zone) = &node.time_zone {
                return Some(zone);
            }
            next = node.parent_id;
        }
        None
    }
}

#[derive(Debug, Clone, Default)]
pub struct StoreInput {
    pub code: String,
    pub name: String,
    pub kind: Option<String>,
    pub parent_id: Option<StoreId>,
    pub address: Option<String>,
    pub time_zone: Option<String>,
}

/// A checked store, not yet stored; its parent still has to exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStore {
    pub code: String,
    pub name: String,
    pub kind: StoreKind,
    pub parent_id: Option<StoreId>,
    pub address: Option<String>,
    pub time_zone: Option<String>,
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

/// Checks a time zone's IANA name (`Europe/Moscow`); blank: none.
pub fn parse_time_zone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(name) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    match jiff::tz::TimeZone::get(name) {
        Ok(zone) => Ok(Some(zone.iana_name().unwrap_or(name).to_owned())),
        Err(_) => Err(FieldError::new(
            "time_zone",
            "unknown_time_zone",
            "a time zone is an IANA name such as Europe/Moscow",
        )),
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
        let time_zone = errors.take(parse_time_zone(self.time_zone.as_deref()));
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
            time_zone: time_zone.expect("checked"),
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

    fn node(id: i64, parent: Option<i64>, zone: Option<&str>) -> Store {
        Store {
            id: StoreId(id),
            code: format!("S{id}"),
            name: format!("S{id}"),
            kind: StoreKind::Store,
            parent_id: parent.map(StoreId),
            address: None,
            time_zone: zone.map(str::to_owned),
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_node_without_a_time_zone_takes_its_nearest_ancestors() {
        let stores = [
            node(1, None, Some("Asia/Yekaterinburg")),
            node(2, Some(1), None),
            node(3, Some(2), Some("Asia/Omsk")),
            node(4, Some(3), None),
            node(5, None, None),
        ];
        assert_eq!(
            Store::time_zone_of(&stores, StoreId(2)),
            Some("Asia/Yekaterinburg")
        );
        assert_eq!(Store::time_zone_of(&stores, StoreId(4)), Some("Asia/Omsk"));
        assert_eq!(Store::time_zone_of(&stores, StoreId(5)), None);
        assert_eq!(Store::time_zone_of(&stores, StoreId(9)), None);
        let looped = [node(1, Some(2), None), node(2, Some(1), None)];
        assert_eq!(Store::time_zone_of(&looped, StoreId(1)), None);
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            parse_time_zone(Some(" Asia/Yekaterinburg "))
                .unwrap()
                .as_deref(),
            Some("Asia/Yekaterinburg")
        );
        assert_eq!(parse_time_zone(Some("  ")).unwrap(), None);
        assert_eq!(
            parse_time_zone(Some("Mars/Olympus")).unwrap_err().code,
            "unknown_time_zone"
        );
    }

    #[test]
    fn codes_are_short_and_plain() {
        assert_eq!(parse_code(" MSK-01 ").unwrap(), "MSK-01");
        assert!(parse_code("").is_err());
        assert!(parse_code("магазин").is_err());
        assert!(parse_code(&"x".repeat(33)).is_err());
    }
}
