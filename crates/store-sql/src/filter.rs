//! A customer filter's conditions on the profile, a list's order and the
//! keyset that starts its next page, as both engines write them. Each
//! engine builds its list with its own query builder, reaching the
//! customer's figures and names its own way; the builder binds a value the
//! engine's way ([`Builder`]).

use std::borrow::Cow;

use clientele_domain::{CustomerFilter, SortField, SortOrder};
use clientele_store::Cursor;

use crate::{Engine, Value};

/// An engine's query builder, for the conditions written here. `E` names
/// the engine whose builder it is.
pub trait Builder<E: Engine> {
    /// The last purchase as the accounts' index orders it: never bought
    /// before every purchase.
    const LAST_PURCHASE: &'static str;

    /// The birthday column as a range of `days` should read it.
    fn birthday_column(days: u16) -> &'static str;

    fn push(&mut self, sql: &str) -> &mut Self;

    /// Appends a placeholder bound to `value`.
    fn push_value(&mut self, value: Value<'_>) -> &mut Self;

    /// Appends ` AND {column}` is one of `ids`.
    fn push_among(&mut self, column: &str, ids: Vec<i64>) -> &mut Self;

    /// Appends a time a cursor holds, in microseconds since 1970: one the
    /// engine cannot hold (a cursor comes back from the client) is before
    /// or after every row, not an error.
    fn push_micros(&mut self, micros: i64) -> &mut Self;
}

/// Appends ` AND …` for each condition of the filter on the profile: all
/// but the search and the figures.
pub fn push_others<E: Engine, B: Builder<E>>(sql: &mut B, filter: &CustomerFilter) {
    if let Some(group) = filter.group_id {
        sql.push(" AND c.group_id = ").push_value(group.0.into());
    }
    match filter.status {
        Some(status) => {
            sql.push(" AND c.status = ")
                .push_value(status.as_str().into());
        }
        // A merged customer is archived: found only among the archived.
        None => {
            sql.push(" AND c.merged_into IS NULL");
        }
    }
    if let Some(gender) = filter.gender {
        sql.push(" AND c.gender = ")
            .push_value(gender.as_str().into());
    }
    if let Some(from) = filter.born_from {
        sql.push(" AND c.birth_date >= ").push_value(from.into());
    }
    if let Some(to) = filter.born_to {
        sql.push(" AND c.birth_date <= ").push_value(to.into());
    }
    if let Some(range) = filter.birthday {
        let (from, to) = (range.from.as_number(), range.to.as_number());
        let column = B::birthday_column(range.days());
        if range.wraps() {
            sql.push(&format!(" AND ({column} >= "))
                .push_value(i64::from(from).into())
                .push(&format!(" OR {column} <= "))
                .push_value(i64::from(to).into())
                .push(")");
        } else {
            sql.push(&format!(" AND {column} BETWEEN "))
                .push_value(i64::from(from).into())
                .push(" AND ")
                .push_value(i64::from(to).into());
        }
    }
    if let Some(store) = filter.store_id {
        sql.push(" AND c.store_id = ").push_value(store.0.into());
    }
    if let Some(segment) = filter.segment {
        sql.push(" AND c.id IN (SELECT customer_id FROM segment_members WHERE segment_id = ")
            .push_value(segment.0.into())
            .push(")");
    }
    if let Some(channel) = filter.channel {
        sql.push(" AND c.channel = ")
            .push_value(channel.as_str().into());
    }
    for (kind, granted) in &filter.consents {
        sql.push(" AND (c.consent_flags & ")
            .push_value(kind.flag().into())
            .push(if *granted { ") <> 0" } else { ") = 0" });
    }
    for (property, value) in &filter.properties {
        sql.push(
            " AND EXISTS (SELECT 1 FROM customer_properties p
                          WHERE p.customer_id = c.id AND p.property_id = ",
        )
        .push_value(property.0.into())
        .push(" AND p.value = ")
        .push_value(value.as_str().into())
        .push(")");
    }
    if let Some(from) = filter.created_from {
        sql.push(" AND c.created_at >= ").push_value(from.into());
    }
    if let Some(to) = filter.created_to {
        sql.push(" AND c.created_at <= ").push_value(to.into());
    }
    if let Some(stores) = &filter.stores_within {
        sql.push_among("c.store_id", stores.iter().map(|s| s.0).collect());
    }
    if let Some(starred) = filter.favourite {
        // Without a user nobody is a favourite: ids start at 1.
        let user = filter.user.map_or(0, |u| u.0);
        sql.push(if starred {
            " AND c.id IN (SELECT customer_id FROM favourites WHERE user_id = "
        } else {
            " AND c.id NOT IN (SELECT customer_id FROM favourites WHERE user_id = "
        })
        .push_value(user.into())
        .push(")");
    }
}

/// Appends the keyset condition that starts the page after `cursor`.
pub fn push_after<E: Engine, B: Builder<E>>(sql: &mut B, order: SortOrder, cursor: &Cursor) {
    let op = if order.descending { " < " } else { " > " };
    let (columns, op): (Cow<str>, &str) = match cursor {
        Cursor::Id(id) => {
            sql.push(" AND c.id").push(op).push_value((*id).into());
            return;
        }
        Cursor::Name(..) => ("c.search_name, c.id".into(), op),
        Cursor::CreatedAt(..) => ("c.created_at, c.id".into(), op),
        // Within its step of the match order, which is by name.
        Cursor::Match(..) => ("c.search_name, c.id".into(), " > "),
        Cursor::Spent(..) => ("l.spent_minor, l.customer_id".into(), op),
        Cursor::LastPurchase(..) => (format!("{}, l.customer_id", B::LAST_PURCHASE).into(), op),
    };
    sql.push(&format!(" AND ({columns})")).push(op).push("(");
    match cursor {
        Cursor::Name(name, id) | Cursor::Match(_, name, id) => {
            sql.push_value(name.as_str().into())
                .push(", ")
                .push_value((*id).into());
        }
        Cursor::CreatedAt(micros, id) | Cursor::LastPurchase(micros, id) => {
            sql.push_micros(*micros).push(", ").push_value((*id).into());
        }
        Cursor::Spent(spent, id) => {
            sql.push_value((*spent).into())
                .push(", ")
                .push_value((*id).into());
        }
        Cursor::Id(_) => {}
    }
    sql.push(")");
}

pub fn push_order<E: Engine, B: Builder<E>>(sql: &mut B, order: SortOrder) {
    let direction = if order.descending { " DESC" } else { " ASC" };
    let (key, tie) = match order.field {
        SortField::Id => ("c.id", None),
        SortField::Name | SortField::Match => ("c.search_name", Some("c.id")),
        SortField::CreatedAt => ("c.created_at", Some("c.id")),
        // The account's own id, so its index gives the order.
        SortField::Spent => ("l.spent_minor", Some("l.customer_id")),
        SortField::LastPurchase => (B::LAST_PURCHASE, Some("l.customer_id")),
    };
    sql.push(" ORDER BY ").push(key).push(direction);
    if let Some(tie) = tie {
        sql.push(", ").push(tie).push(direction);
    }
}
