//! Keyset pagination: a page ends with an opaque cursor naming the last row's
//! sort key, so the next page starts right after it however deep the list is.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_domain::{Customer, CustomerFilter, SortField, SortOrder};
use clientele_domain::{FieldError, ValidationErrors};

/// Where the previous page stopped: the last row's sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Id(i64),
    Name(String, i64),
    CreatedAt(i64, i64),
    /// In [`SortField::Match`] order: whether the row matched whole words,
    /// its search name and id.
    Match(bool, String, i64),
    /// Spent (minor units) and id.
    Spent(i64, i64),
    /// The last purchase in microseconds ([`NEVER_BOUGHT`] for none) and id.
    LastPurchase(i64, i64),
}

/// The last purchase of a customer who never bought, as the last purchase
/// order sorts and its cursors hold it: before every purchase.
pub const NEVER_BOUGHT: i64 = -9_223_372_036_854_775_807;

/// What a row's place in its order needs beyond the customer: whether it
/// matched whole words (match order), or its figure (spent, or the last
/// purchase as [`Cursor::LastPurchase`] holds it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowKey {
    pub whole: bool,
    pub figure: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CursorWire {
    s: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<i64>,
    /// In match order: 1 while whole-word matches last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    w: Option<u8>,
    /// In a figure's order: the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<i64>,
    i: i64,
}

impl Cursor {
    pub fn encode(&self, order: SortOrder) -> String {
        let mut wire = CursorWire {
            s: sort_tag(order),
            n: None,
            t: None,
            w: None,
            f: None,
            i: 0,
        };
        match self {
            Cursor::Id(id) => wire.i = *id,
            Cursor::Name(name, id) => {
                wire.n = Some(name.clone());
                wire.i = *id;
            }
            Cursor::CreatedAt(micros, id) => {
                wire.t = Some(*micros);
                wire.i = *id;
            }
            Cursor::Match(whole, name, id) => {
                wire.w = Some(u8::from(*whole));
                wire.n = Some(name.clone());
                wire.i = *id;
            }
            Cursor::Spent(figure, id) | Cursor::LastPurchase(figure, id) => {
                wire.f = Some(*figure);
                wire.i = *id;
            }
        }
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&wire).expect("a cursor serialises"))
    }

    /// The cursor that starts the next page after `last` in `field` order,
    /// with what its place needs beyond the customer.
    pub fn after(last: &Customer, field: SortField, key: RowKey) -> Cursor {
        let id = last.id.0;
        match field {
            SortField::Id => Cursor::Id(id),
            SortField::Name => Cursor::Name(last.profile.search_name(), id),
            SortField::CreatedAt => Cursor::CreatedAt(last.created_at.as_microsecond(), id),
            SortField::Match => Cursor::Match(key.whole, last.profile.search_name(), id),
            SortField::Spent => Cursor::Spent(key.figure, id),
            SortField::LastPurchase => Cursor::LastPurchase(key.figure, id),
        }
    }

    /// Reads a cursor made by [`Cursor::encode`] for the same sort order.
    pub fn decode(raw: &str, order: SortOrder) -> Result<Cursor, ValidationErrors> {
        let invalid = || {
            ValidationErrors(vec![FieldError::new(
                "cursor",
                "invalid_cursor",
                "the cursor is not one this list gave out for this sort order",
            )])
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let wire: CursorWire = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if wire.s != sort_tag(order) {
            return Err(invalid());
        }
        match (order.field, wire.n, wire.t, wire.w, wire.f) {
            (SortField::Id, None, None, None, None) => Ok(Cursor::Id(wire.i)),
            (SortField::Name, Some(name), None, None, None) => Ok(Cursor::Name(name, wire.i)),
            (SortField::CreatedAt, None, Some(micros), None, None) => {
                Ok(Cursor::CreatedAt(micros, wire.i))
            }
            (SortField::Match, Some(name), None, Some(whole @ 0..=1), None) => {
                Ok(Cursor::Match(whole == 1, name, wire.i))
            }
            (SortField::Spent, None, None, None, Some(spent)) => Ok(Cursor::Spent(spent, wire.i)),
            (SortField::LastPurchase, None, None, None, Some(at)) => {
                Ok(Cursor::LastPurchase(at, wire.i))
            }
            _ => Err(invalid()),
        }
    }
}

fn sort_tag(order: SortOrder) -> String {
    let field = match order.field {
        SortField::Id => "id",
        SortField::Name => "name",
        SortField::CreatedAt => "created_at",
        SortField::Match => "match",
        SortField::Spent => "spent_minor",
        SortField::LastPurchase => "last_purchase_at",
    };
    if order.descending {
        format!("-{field}")
    } else {
        field.to_owned()
    }
}

/// One page of a customer list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerQuery {
    pub filter: CustomerFilter,
    pub order: SortOrder,
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl CustomerQuery {
    /// The steps of the match order a page still has to walk: whole-word
    /// matches, then the others, each with the cursor when the page starts
    /// in it.
    pub fn match_steps(&self) -> Vec<(bool, Option<&Cursor>)> {
        match &self.after {
            Some(cursor @ Cursor::Match(true, ..)) => vec![(true, Some(cursor)), (false, None)],
            Some(cursor @ Cursor::Match(false, ..)) => vec![(false, Some(cursor))],
            _ => vec![(true, None), (false, None)],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Present when more rows follow.
    pub next: Option<Cursor>,
}

impl Page<Customer> {
    /// A page of a name search in match order, from the customers read with
    /// whether they matched every word whole: one more than `limit` says
    /// more follow.
    pub fn of_matches(mut found: Vec<(Customer, bool)>, limit: u32) -> Page<Customer> {
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next = found.last().filter(|_| more).map(|(last, whole)| {
            let key = RowKey {
                whole: *whole,
                figure: 0,
            };
            Cursor::after(last, SortField::Match, key)
        });
        Page {
            items: found.into_iter().map(|(customer, _)| customer).collect(),
            next,
        }
    }

    /// A page of a list in the order `field`, from the rows read with
    /// their figure of the order: one more than `limit` says more follow.
    pub fn of_sorted(
        mut rows: Vec<(Customer, i64)>,
        limit: u32,
        field: SortField,
    ) -> Page<Customer> {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let last_key = RowKey {
            whole: false,
            figure: rows.last().map_or(0, |(_, figure)| *figure),
        };
        let items: Vec<Customer> = rows.into_iter().map(|(customer, _)| customer).collect();
        let next = items
            .last()
            .filter(|_| more)
            .map(|last| Cursor::after(last, field, last_key));
        Page { items, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_another_order() {
        let by_name = SortOrder {
            field: SortField::Name,
            descending: true,
        };
        let cursor = Cursor::Name("иванов".into(), 42);
        let encoded = cursor.encode(by_name);
        assert_eq!(Cursor::decode(&encoded, by_name).unwrap(), cursor);
        let by_id = SortOrder::default();
        assert!(Cursor::decode(&encoded, by_id).is_err());
        let by_match = SortOrder {
            field: SortField::Match,
            descending: false,
        };
        let cursor = Cursor::Match(true, "иванова мария".into(), 7);
        let encoded = cursor.encode(by_match);
        assert_eq!(Cursor::decode(&encoded, by_match).unwrap(), cursor);
        let by_spent = SortOrder {
            field: SortField::Spent,
            descending: true,
        };
        let cursor = Cursor::Spent(150_000, 9);
        let encoded = cursor.encode(by_spent);
        assert_eq!(Cursor::decode(&encoded, by_spent).unwrap(), cursor);
        assert!(Cursor::decode(&encoded, by_match).is_err());
        assert!(Cursor::decode("garbage!", by_id).is_err());
    }
}
