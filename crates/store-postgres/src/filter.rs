//! The customer filter as a PostgreSQL WHERE clause. Every value is bound,
//! never spliced into the text. `search_name`, `phone` and `email` are
//! `COLLATE "C"` columns, so the bound values compare in byte order too.

use std::borrow::Cow;

use clientele_domain::filter::NameWords;
use clientele_domain::{Bounds, CustomerFilter, SearchQuery, SearchTerm, SortField, SortOrder};
use clientele_store_sql::Value;
use clientele_store_sql::filter::Builder;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder};

use crate::engine::PostgresEngine;
use crate::rows::time;
pub use clientele_store_sql::filter::{push_after, push_order, push_others};

/// PostgreSQL's earliest time (4714-11-24 BC), in microseconds since 1970.
pub const EARLIEST_MICROS: i64 = -210_866_803_200_000_000;

/// The first string that sorts after every string starting with `prefix`.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The last purchase as the account's index of migration 0015 orders it:
/// never bought before every purchase.
pub const LAST_PURCHASE: &str = "COALESCE(l.last_purchase_at, '-infinity'::timestamptz)";

/// Whether a query reads the customers' accounts (`l`, every customer has
/// one: migration 0015).
pub fn joins_accounts(filter: &CustomerFilter, order: SortOrder) -> bool {
    filter.has_figures() || order.field.is_figure()
}

/// `FROM …`, with the accounts when the filter or the order needs them.
pub fn push_from(sql: &mut QueryBuilder<Postgres>, filter: &CustomerFilter, order: SortOrder) {
    sql.push(if joins_accounts(filter, order) {
        " FROM customers c JOIN customer_loyalty l ON l.customer_id = c.id"
    } else {
        " FROM customers c"
    });
}

/// Appends ` AND …` for each condition of the filter, on its own: the
/// figures' bounds as the customers within them.
pub fn push_filter(sql: &mut QueryBuilder<Postgres>, filter: &CustomerFilter) {
    if let Some(search) = &filter.search {
        push_search(sql, search);
    }
    if filter.has_figures() {
        sql.push(" AND c.id IN (SELECT l.customer_id FROM customer_loyalty l WHERE true");
        push_figures(sql, filter);
        sql.push(")");
    }
    push_others(sql, filter);
}

/// Appends ` AND …` for each condition of the filter, the accounts joined
/// as `l` when it has figures ([`push_from`]).
pub fn push_filter_joined(sql: &mut QueryBuilder<Postgres>, filter: &CustomerFilter) {
    if let Some(search) = &filter.search {
        push_search(sql, search);
    }
    push_figures(sql, filter);
    push_others(sql, filter);
}

/// The bounds of the customer's figures, on `l`.
pub fn push_figures(sql: &mut QueryBuilder<Postgres>, filter: &CustomerFilter) {
    let bounds = |sql: &mut QueryBuilder<Postgres>, column: &str, bounds: Bounds| {
        if let Some(min) = bounds.min {
            sql.push(format_args!(" AND {column} >= ")).push_bind(min);
        }
        if let Some(max) = bounds.max {
            sql.push(format_args!(" AND {column} <= ")).push_bind(max);
        }
    };
    bounds(sql, "l.spent_minor", filter.spent);
    bounds(sql, "l.purchases", filter.purchases);
    bounds(sql, "l.balance", filter.balance);
    if let Some(from) = filter.last_purchase_from {
        sql.push(format_args!(" AND {LAST_PURCHASE} >= "))
            .push_bind(from.to_sqlx());
    }
    if let Some(to) = filter.last_purchase_to {
        sql.push(format_args!(" AND {LAST_PURCHASE} <= "))
            .push_bind(to.to_sqlx())
            .push(format_args!(
                " AND {LAST_PURCHASE} > '-infinity'::timestamptz"
            ));
    }
    if let Some(since) = filter.lapsed_since {
        sql.push(format_args!(" AND {LAST_PURCHASE} < "))
            .push_bind(since.to_sqlx());
    }
}

/// The quick search: the customer's own field, or the holder of an
/// activated card with the barcode typed. The card's holders are an
/// array computed once, so the OR is two index scans, not a scan of all.
fn push_search(sql: &mut QueryBuilder<Postgres>, search: &SearchQuery) {
    let Some(barcode) = &search.barcode else {
        return push_term(sql, " AND ", &search.term);
    };
    push_term(sql, " AND (", &search.term);
    sql.push(" OR c.id = ANY(ARRAY(SELECT customer_id FROM cards WHERE id = ")
        .push("(SELECT card_id FROM card_barcodes WHERE barcode = ")
        .push_bind(barcode.clone())
        .push(") AND active AND customer_id IS NOT NULL)))");
}

/// `lead` and the term's condition.
fn push_term(sql: &mut QueryBuilder<Postgres>, lead: &str, term: &SearchTerm) {
    sql.push(lead);
    match term {
        SearchTerm::Phone(phone) => {
            sql.push("c.phone = ").push_bind(phone.as_str().to_owned());
        }
        SearchTerm::Digits(digits) => {
            sql.push("c.phone LIKE ").push_bind(format!("%{digits}%"));
        }
        SearchTerm::Email(prefix) => {
            sql.push("(c.email >= ")
                .push_bind(prefix.clone())
                .push(" AND c.email < ")
                .push_bind(prefix_end(prefix))
                .push(")");
        }
        SearchTerm::Name(words) => push_names(sql, words, false),
    }
}

/// A text search query for names holding every word, whole or as the
/// start of a word. Words hold letters and digits only; quoted, each is
/// read as one lexeme whatever it holds.
fn name_query(words: &NameWords, whole: bool) -> String {
    let star = if whole { "" } else { ":*" };
    words
        .words()
        .iter()
        .map(|word| format!("'{word}'{star}"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Names holding every word, through the names' word index (migration
/// 0015); nobody when no word was typed.
fn push_names(sql: &mut QueryBuilder<Postgres>, words: &NameWords, whole: bool) {
    if words.words().is_empty() {
        sql.push("false");
        return;
    }
    sql.push("to_tsvector('simple'::regconfig, c.search_name) @@ to_tsquery('simple'::regconfig, ")
        .push_bind(name_query(words, whole))
        .push(")");
}

/// One step of the match order: customers matching every word whole (or
/// holding the card typed), or, with `whole` false, those that match only
/// by the start of a word.
pub fn push_match_step(
    sql: &mut QueryBuilder<Postgres>,
    words: &NameWords,
    barcode: Option<&str>,
    whole: bool,
) {
    let push_whole = |sql: &mut QueryBuilder<Postgres>| {
        sql.push("(");
        push_names(sql, words, true);
        if let Some(barcode) = barcode {
            sql.push(" OR c.id = ANY(ARRAY(SELECT customer_id FROM cards WHERE id = ")
                .push("(SELECT card_id FROM card_barcodes WHERE barcode = ")
                .push_bind(barcode.to_owned())
                .push(") AND active AND customer_id IS NOT NULL))");
        }
        sql.push(")");
    };
    sql.push(" AND ");
    if whole {
        push_whole(sql);
    } else {
        push_names(sql, words, false);
        sql.push(" AND NOT ");
        push_whole(sql);
    }
}

/// The expression a page's cursor reads its figure from: the last purchase
/// in microseconds, never bought as
/// [`NEVER_BOUGHT`](clientele_store::NEVER_BOUGHT).
pub fn sort_key(field: SortField) -> &'static str {
    match field {
        SortField::Spent => "l.spent_minor",
        SortField::LastPurchase => {
            "COALESCE((extract(epoch FROM l.last_purchase_at) * 1000000)::bigint, -9223372036854775807)"
        }
        _ => "0::bigint",
    }
}

impl Builder<PostgresEngine> for QueryBuilder<Postgres> {
    const LAST_PURCHASE: &'static str = LAST_PURCHASE;

    fn birthday_column(_: u16) -> &'static str {
        "c.birthday_md"
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        QueryBuilder::push(self, sql)
    }

    fn push_value(&mut self, value: Value<'_>) -> &mut Self {
        match value {
            Value::Int(value) => self.push_bind(value),
            Value::Text(value) => self.push_bind(value.map(Cow::into_owned)),
            Value::Bytes(value) => self.push_bind(value.map(<[u8]>::to_vec)),
            Value::Flag(value) => self.push_bind(value),
            Value::Time(value) => self.push_bind(value.map(time)),
            Value::Date(value) => self.push_bind(value.map(|date| date.to_sqlx())),
            Value::Json(value) => self.push_bind(value.map(Json)),
            Value::Ids(value) => self.push_bind(value),
        }
    }

    fn push_among(&mut self, column: &str, ids: Vec<i64>) -> &mut Self {
        QueryBuilder::push(self, format_args!(" AND {column} = ANY("))
            .push_bind(ids)
            .push(")")
    }

    fn push_micros(&mut self, micros: i64) -> &mut Self {
        match Timestamp::from_microsecond(micros) {
            Ok(at) if micros >= EARLIEST_MICROS => self.push_bind(at.to_sqlx()),
            _ if micros < 0 => QueryBuilder::push(self, "'-infinity'::timestamptz"),
            _ => QueryBuilder::push(self, "'infinity'::timestamptz"),
        }
    }
}
