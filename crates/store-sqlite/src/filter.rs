//! The customer filter as a SQLite WHERE clause. Every value is bound, never
//! spliced into the text.

use std::borrow::Cow;

use clientele_domain::filter::NameWords;
use clientele_domain::{Bounds, CustomerFilter, SearchQuery, SearchTerm, SortField, SortOrder};
use clientele_store::NEVER_BOUGHT;
use clientele_store_sql::Value;
use clientele_store_sql::filter::Builder;
use sqlx::{QueryBuilder, Sqlite};

use crate::engine::SqliteEngine;
use crate::rows::json;
pub use clientele_store_sql::filter::{push_after, push_order, push_others};

/// The first string that sorts after every string starting with `prefix`.
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// Birthday ranges wider than this are not looked up by the birthday index.
const WIDE_BIRTHDAY_RANGE_DAYS: u16 = 3;

/// How a name search takes part in a list. A name matching a few
/// customers is best read from the names' index and sorted; one matching
/// thousands (a common first name) fills a page sooner by walking the
/// list's order and checking each row met, which needs no read of the
/// rows that do not match. SQLite's planner sees no bound values (QPSG),
/// so the list counts the matches and says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameDrive {
    Gather,
    Walk,
}

/// Matches up to this many are gathered and sorted; more, walked.
pub const GATHER_AT_MOST: u64 = 5_000;

impl NameDrive {
    /// ` AND c.id IN (`, the `+` keeping the planner off the rowid when
    /// walking.
    fn open(self) -> &'static str {
        match self {
            NameDrive::Gather => " AND c.id IN (",
            NameDrive::Walk => " AND +c.id IN (",
        }
    }
}

/// One of the customer's figures a filter may bound, kept in their account
/// (`customer_loyalty l`, every customer has one: migration 0016).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Spent,
    Purchases,
    Balance,
    LastPurchase,
}

/// The last purchase as the account's index of migration 0016 orders it:
/// never bought before every purchase ([`NEVER_BOUGHT`]).
pub const LAST_PURCHASE: &str = "COALESCE(l.last_purchase_at, -9223372036854775807)";

impl Figure {
    const ALL: [Figure; 4] = [
        Figure::Spent,
        Figure::Purchases,
        Figure::Balance,
        Figure::LastPurchase,
    ];

    /// The figures a filter bounds.
    pub fn bounded(filter: &CustomerFilter) -> impl Iterator<Item = Figure> + '_ {
        Figure::ALL.into_iter().filter(|figure| match figure {
            Figure::Spent => filter.spent.is_set(),
            Figure::Purchases => filter.purchases.is_set(),
            Figure::Balance => filter.balance.is_set(),
            Figure::LastPurchase => {
                filter.last_purchase_from.is_some()
                    || filter.last_purchase_to.is_some()
                    || filter.lapsed_since.is_some()
            }
        })
    }

    /// ` AND …` for the figure's bounds on `l`; `checked` keeps the planner
    /// off the figure's index (the unary `+`), when the page starts elsewhere.
    pub fn push(self, sql: &mut QueryBuilder<Sqlite>, filter: &CustomerFilter, checked: bool) {
        let plus = if checked { "+" } else { "" };
        let bounds = |sql: &mut QueryBuilder<Sqlite>, column: &str, bounds: Bounds| {
            if let Some(min) = bounds.min {
                sql.push(format_args!(" AND {plus}{column} >= "))
                    .push_bind(min);
            }
            if let Some(max) = bounds.max {
                sql.push(format_args!(" AND {plus}{column} <= "))
                    .push_bind(max);
            }
        };
        match self {
            Figure::Spent => bounds(sql, "l.spent_minor", filter.spent),
            Figure::Purchases => bounds(sql, "l.purchases", filter.purchases),
            Figure::Balance => bounds(sql, "l.balance", filter.balance),
            Figure::LastPurchase => {
                if let Some(from) = filter.last_purchase_from {
                    sql.push(format_args!(" AND {plus}{LAST_PURCHASE} >= "))
                        .push_bind(from.as_microsecond());
                }
                if let Some(to) = filter.last_purchase_to {
                    sql.push(format_args!(" AND {plus}{LAST_PURCHASE} <= "))
                        .push_bind(to.as_microsecond())
                        .push(format_args!(" AND {plus}{LAST_PURCHASE} > "))
                        .push_bind(NEVER_BOUGHT);
                }
                if let Some(since) = filter.lapsed_since {
                    sql.push(format_args!(" AND {plus}{LAST_PURCHASE} < "))
                        .push_bind(since.as_microsecond());
                }
            }
        }
    }
}

/// Where a page of the list starts reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Along the sort order's index, every condition checked on each row.
    Order,
    /// From the names' index: a name search matching few.
    Names,
    /// From a figure's index: few customers within its bounds.
    Figure(Figure),
}

impl Start {
    /// Among ways in with their numbers of matches, the one matching the
    /// fewest if at most `most` match, else along the order.
    pub fn fewest(candidates: &[(u64, Start)], most: u64) -> Start {
        candidates
            .iter()
            .min_by_key(|(matches, _)| *matches)
            .filter(|(matches, _)| *matches <= most)
            .map_or(Start::Order, |(_, start)| *start)
    }

    fn names(self) -> NameDrive {
        if self == Start::Names {
            NameDrive::Gather
        } else {
            NameDrive::Walk
        }
    }
}

/// Whether a query reads the customers' accounts (`l`).
pub fn joins_accounts(filter: &CustomerFilter, order: SortOrder) -> bool {
    filter.has_figures() || order.field.is_figure()
}

/// `FROM …` for a page starting at `start`: along an account's index first
/// when the order is a figure's and nothing narrower leads.
pub fn push_from(
    sql: &mut QueryBuilder<Sqlite>,
    filter: &CustomerFilter,
    order: SortOrder,
    start: Start,
) {
    sql.push(if !joins_accounts(filter, order) {
        " FROM customers c"
    } else if order.field.is_figure() && start == Start::Order {
        " FROM customer_loyalty l CROSS JOIN customers c ON c.id = l.customer_id"
    } else {
        " FROM customers c CROSS JOIN customer_loyalty l ON l.customer_id = c.id"
    });
}

/// Appends ` AND …` for each condition of the filter on its own, without
/// the accounts joined: a name search read from its index, a figure's
/// bounds as the customers within them.
pub fn push_filter(sql: &mut QueryBuilder<Sqlite>, filter: &CustomerFilter) {
    if let Some(search) = &filter.search {
        push_search(sql, search, NameDrive::Gather);
    }
    for figure in Figure::bounded(filter) {
        sql.push(" AND c.id IN (SELECT l.customer_id FROM customer_loyalty l WHERE 1 = 1");
        figure.push(sql, filter, false);
        sql.push(")");
    }
    push_others(sql, filter);
}

/// Appends ` AND …` for each condition of the filter for a page starting
/// at `start` (the accounts joined as `l` if it has figures), the search
/// first so that it is checked before a row is read.
pub fn push_filter_from(sql: &mut QueryBuilder<Sqlite>, filter: &CustomerFilter, start: Start) {
    if let Some(search) = &filter.search {
        push_search(sql, search, start.names());
    }
    push_figures(sql, filter, start);
    push_others(sql, filter);
}

/// The figures' bounds on `l`: the one the page starts from read through
/// its index, the others checked.
pub fn push_figures(sql: &mut QueryBuilder<Sqlite>, filter: &CustomerFilter, start: Start) {
    for figure in Figure::bounded(filter) {
        if start == Start::Figure(figure) {
            sql.push(" AND c.id IN (SELECT l.customer_id FROM customer_loyalty l WHERE 1 = 1");
            figure.push(sql, filter, false);
            sql.push(")");
        } else {
            figure.push(sql, filter, true);
        }
    }
}

/// The quick search: the customer's own field, or the holder of an
/// activated card with the barcode typed.
fn push_search(sql: &mut QueryBuilder<Sqlite>, search: &SearchQuery, drive: NameDrive) {
    let Some(barcode) = &search.barcode else {
        return push_term(sql, &search.term, drive);
    };
    match &search.term {
        SearchTerm::Digits(digits) => {
            sql.push(" AND c.id IN (SELECT rowid FROM customer_phones WHERE phone LIKE ")
                .push_bind(format!("%{digits}%"));
        }
        SearchTerm::Name(words) if !words.words().is_empty() => {
            sql.push(drive.open())
                .push("SELECT rowid FROM customer_names WHERE customer_names MATCH ")
                .push_bind(name_match(words, false));
        }
        term => {
            sql.push(" AND c.id IN (SELECT c.id FROM customers c WHERE 1 = 1");
            push_term(sql, term, drive);
        }
    }
    sql.push(" UNION ALL SELECT customer_id FROM cards WHERE barcode = ")
        .push_bind(barcode.clone())
        .push(" AND active = 1 AND customer_id IS NOT NULL)");
}

fn push_term(sql: &mut QueryBuilder<Sqlite>, term: &SearchTerm, drive: NameDrive) {
    match term {
        SearchTerm::Phone(phone) => {
            sql.push(" AND c.phone = ")
                .push_bind(phone.as_str().to_owned());
        }
        SearchTerm::Digits(digits) => {
            // Through the phones' trigram index (migration 0012).
            sql.push(" AND c.id IN (SELECT rowid FROM customer_phones WHERE phone LIKE ")
                .push_bind(format!("%{digits}%"))
                .push(")");
        }
        SearchTerm::Email(prefix) => {
            sql.push(" AND c.email >= ")
                .push_bind(prefix.clone())
                .push(" AND c.email < ")
                .push_bind(prefix_end(prefix));
        }
        SearchTerm::Name(words) => push_names(sql, words, drive),
    }
}

/// An FTS5 query for names holding every word, whole or as the start of
/// a word. Words hold letters and digits only, so quoting them is safe.
pub fn name_match(words: &NameWords, whole: bool) -> String {
    let star = if whole { "" } else { "*" };
    words
        .words()
        .iter()
        .map(|word| format!("\"{word}\"{star}"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Names holding every word, whole or as the start of a word, through the
/// names' word index (migration 0016); nobody when no word was typed.
fn push_names(sql: &mut QueryBuilder<Sqlite>, words: &NameWords, drive: NameDrive) {
    if words.words().is_empty() {
        sql.push(" AND 0 = 1");
        return;
    }
    sql.push(drive.open())
        .push("SELECT rowid FROM customer_names WHERE customer_names MATCH ")
        .push_bind(name_match(words, false))
        .push(")");
}

/// The FTS5 query for one step of the match order: every word whole, or
/// every word as the start of a word but not every word whole.
pub fn step_match(words: &NameWords, whole: bool) -> String {
    if whole {
        name_match(words, true)
    } else {
        format!(
            "({}) NOT ({})",
            name_match(words, false),
            name_match(words, true)
        )
    }
}

/// Which names of a match step a query reads. A word typed alone is often
/// a surname, and the names beginning with it sit together in name order:
/// reading them along that stretch beats walking the whole order to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    All,
    /// The names beginning with the first word typed.
    Lead,
    /// The others.
    Rest,
}

/// How a step's customers are found: their ids gathered beforehand, or
/// the names' index asked within the query (gathered or walked).
#[derive(Debug, Clone)]
pub enum StepSet {
    Ids(Vec<i64>),
    Names(NameDrive),
}

/// One step of the match order: the customers of the step (or the card's
/// holder, who matches whole), within `part`.
pub fn push_match_step(
    sql: &mut QueryBuilder<Sqlite>,
    words: &NameWords,
    barcode: Option<&str>,
    whole: bool,
    set: &StepSet,
    part: Part,
) {
    let holder = |sql: &mut QueryBuilder<Sqlite>, barcode: &str| {
        sql.push("SELECT customer_id FROM cards WHERE barcode = ")
            .push_bind(barcode.to_owned())
            .push(" AND active = 1 AND customer_id IS NOT NULL");
    };
    match set {
        StepSet::Ids(ids) => {
            sql.push(" AND c.id IN (SELECT value FROM json_each(")
                .push_bind(json(ids))
                .push(")");
        }
        StepSet::Names(drive) => {
            sql.push(drive.open());
            if words.words().is_empty() {
                sql.push("SELECT NULL WHERE 0 = 1");
            } else {
                sql.push("SELECT rowid FROM customer_names WHERE customer_names MATCH ")
                    .push_bind(step_match(words, whole));
            }
        }
    }
    match barcode {
        Some(barcode) if whole => {
            sql.push(" UNION ALL ");
            holder(sql, barcode);
            sql.push(")");
        }
        Some(barcode) => {
            sql.push(") AND +c.id NOT IN (");
            holder(sql, barcode);
            sql.push(")");
        }
        None => {
            sql.push(")");
        }
    }
    let Some(first) = words.words().first() else {
        return;
    };
    match part {
        Part::All => {}
        Part::Lead => {
            sql.push(" AND c.search_name >= ")
                .push_bind(first.clone())
                .push(" AND c.search_name < ")
                .push_bind(prefix_end(first));
        }
        Part::Rest => {
            sql.push(" AND NOT (+c.search_name >= ")
                .push_bind(first.clone())
                .push(" AND +c.search_name < ")
                .push_bind(prefix_end(first))
                .push(")");
        }
    }
}

/// The column a page's cursor reads its figure from.
pub fn sort_key(field: SortField) -> &'static str {
    match field {
        SortField::Spent => "l.spent_minor",
        SortField::LastPurchase => LAST_PURCHASE,
        _ => "0",
    }
}

impl Builder<SqliteEngine> for QueryBuilder<Sqlite> {
    const LAST_PURCHASE: &'static str = LAST_PURCHASE;

    /// A range of more than a few days matches thousands of customers per
    /// million: walking the sort's index and skipping the others finds a
    /// page sooner than reading them all through the birthday index and
    /// sorting. The unary `+` keeps SQLite's planner off that index.
    fn birthday_column(days: u16) -> &'static str {
        if days > WIDE_BIRTHDAY_RANGE_DAYS {
            "+c.birthday_md"
        } else {
            "c.birthday_md"
        }
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
            Value::Time(value) => self.push_bind(value.map(|at| at.as_microsecond())),
            Value::Date(value) => self.push_bind(value.map(|date| date.to_string())),
            Value::Json(value) => self.push_bind(value.map(|value| value.to_string())),
            Value::Ids(value) => self.push_bind(value.map(|ids| json(&ids))),
        }
    }

    fn push_among(&mut self, column: &str, ids: Vec<i64>) -> &mut Self {
        QueryBuilder::push(
            self,
            format_args!(" AND {column} IN (SELECT value FROM json_each("),
        )
        .push_bind(json(&ids))
        .push("))")
    }

    /// SQLite keeps times as microseconds: any is a number.
    fn push_micros(&mut self, micros: i64) -> &mut Self {
        self.push_bind(micros)
    }
}
