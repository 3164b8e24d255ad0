//! Customers: single reads and writes, the filtered list, and the batch path
//! that import and demo data go through.

use std::collections::{HashMap, HashSet};

use clientele_domain::{
    Customer, CustomerFilter, CustomerId, CustomerProfile, Phone, SearchQuery, SearchTerm,
    SortField, SortOrder,
};
use clientele_store::{
    Cursor, CustomerBatch, CustomerKeys, CustomerMatches, CustomerQuery, DbError, DbResult,
    NewCustomerRecord, Page, WriteOutcome,
};
use futures_util::future::join;
use jiff::Timestamp;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::errors::{backend, constraint};
use clientele_domain::filter::NameWords;

use crate::SqliteDatabase;
use crate::engine::SqliteEngine;
use crate::filter::{
    Figure, GATHER_AT_MOST, NameDrive, Part, Start, StepSet, name_match, prefix_end, push_after,
    push_figures, push_filter, push_filter_from, push_from, push_match_step, push_order,
    push_others, sort_key, step_match,
};
use crate::rows::{
    CustomerRow, CustomerWrite, PropertyWrite, bind_customer, corrupt, customer_columns, json,
};
use async_trait::async_trait;
use clientele_store::CustomerLoad;
use clientele_store::area::Customers;
use clientele_store_sql::CustomerWrites;

const INSERT_CUSTOMERS: &str = "
INSERT INTO customers (
    id, name, search_name, phone, email, gender, birth_date, birthday_md, address, region, city,
    documents, group_id, status, blocked, blocked_reason, notes, referrer_id, channel, store_id,
    external_id, consents, consent_flags, merged_into, created_at, updated_at, version) ";

/// Rows per INSERT: 27 values each stays under SQLite's 32,766 variables.
const INSERT_CHUNK: usize = 1_000;

/// Writes each row whose `version` is still current; a row that would break
/// a unique constraint is left as it was (OR IGNORE) and reported by absence.
const UPDATE_CUSTOMERS: &str = "
UPDATE OR IGNORE customers SET
    name = r.value ->> 'name', search_name = r.value ->> 'search_name',
    phone = r.value ->> 'phone', email = r.value ->> 'email', gender = r.value ->> 'gender',
    birth_date = r.value ->> 'birth_date', birthday_md = r.value ->> 'birthday_md',
    address = r.value ->> 'address', region = r.value ->> 'region', city = r.value ->> 'city',
    documents = r.value ->> 'documents', group_id = r.value ->> 'group_id',
    status = r.value ->> 'status', blocked = r.value ->> 'blocked',
    blocked_reason = r.value ->> 'blocked_reason', notes = r.value ->> 'notes',
    referrer_id = r.value ->> 'referrer_id', channel = r.value ->> 'channel',
    store_id = r.value ->> 'store_id', external_id = r.value ->> 'external_id',
    consents = r.value ->> 'consents', consent_flags = r.value ->> 'consent_flags',
    merged_into = r.value ->> 'merged_into', updated_at = r.value ->> 'updated_at',
    version = customers.version + 1
FROM jsonb_each(?1) AS r
WHERE customers.id = r.value ->> 'id' AND customers.version = r.value ->> 'version'
RETURNING customers.id";

pub(crate) const CUSTOMER_UNIQUES: &[(&str, &str)] = &[
    ("customers.phone", "phone"),
    ("customers.email", "email"),
    ("customers.external_id", "external_id"),
];

/// A customer with their figure of the order, for the page's cursor.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    sort_key: i64,
}

/// The narrow ways into a filter with how many customers each reaches,
/// counted from its index alone: a name search's words, and each figure's
/// bounds (counted up to `cap`).
async fn ways_in(
    conn: &mut SqliteConnection,
    filter: &CustomerFilter,
    cap: u64,
) -> DbResult<Vec<(u64, Start)>> {
    let mut ways = Vec::new();
    if let Some((words, _)) = searched_words(filter) {
        let matches = match words.words() {
            [] => 0,
            _ => name_matches(conn, &name_match(words, false), cap).await?,
        };
        ways.push((matches, Start::Names));
    }
    for figure in Figure::bounded(filter) {
        let mut sql = QueryBuilder::<Sqlite>::new(
            "SELECT COUNT(*) FROM (SELECT 1 FROM customer_loyalty l WHERE 1 = 1",
        );
        figure.push(&mut sql, filter, false);
        sql.push(" LIMIT ")
            .push_bind(i64::try_from(cap).unwrap_or(i64::MAX))
            .push(")");
        let count: i64 = sql
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        ways.push((count as u64, Start::Figure(figure)));
    }
    Ok(ways)
}

/// The words (and the card's barcode) of a name search.
fn searched_words(filter: &CustomerFilter) -> Option<(&NameWords, Option<&str>)> {
    match &filter.search {
        Some(SearchQuery {
            term: SearchTerm::Name(words),
            barcode,
        }) => Some((words, barcode.as_deref())),
        _ => None,
    }
}

/// How many names match an FTS5 query, counting no further than `cap`: a
/// count from the names' index alone.
async fn name_matches(conn: &mut SqliteConnection, expression: &str, cap: u64) -> DbResult<u64> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM customer_names WHERE customer_names MATCH ?1 LIMIT ?2)",
    )
    .bind(expression)
    .bind(i64::try_from(cap).unwrap_or(i64::MAX))
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(count as u64)
}

/// A name search in match order: the customers matching every word whole
/// by name, then those matching by the start of a word by name.
async fn list_by_match(
    conn: &mut SqliteConnection,
    query: &CustomerQuery,
) -> DbResult<Page<Customer>> {
    let wanted = query.limit as usize + 1;
    let mut found: Vec<(Customer, bool)> = Vec::with_capacity(wanted);
    for (step_whole, after) in query.match_steps() {
        if found.len() == wanted {
            break;
        }
        let step = match_step(conn, query, step_whole, after, wanted - found.len()).await?;
        found.extend(step.into_iter().map(|customer| (customer, step_whole)));
    }
    Ok(Page::of_matches(found, query.limit))
}

/// One step of the match order, up to `limit` customers in name order. A
/// step matching few is gathered by their ids. One matching many is read
/// in two parts merged by name: the names beginning with the first word
/// typed, along their stretch of the order, and the others, walked along
/// the order when they are many or gathered when they are few.
async fn match_step(
    conn: &mut SqliteConnection,
    query: &CustomerQuery,
    whole: bool,
    after: Option<&Cursor>,
    limit: usize,
) -> DbResult<Vec<Customer>> {
    let Some((words, _)) = searched_words(&query.filter) else {
        let set = StepSet::Names(NameDrive::Gather);
        return step_part(conn, query, whole, after, limit, &set, Part::All).await;
    };
    if words.words().is_empty() {
        return Ok(Vec::new());
    }
    if let Some(ids) = step_ids(conn, &step_match(words, whole)).await? {
        let set = StepSet::Ids(ids);
        return step_part(conn, query, whole, after, limit, &set, Part::All).await;
    }
    let walk = StepSet::Names(NameDrive::Walk);
    let lead = step_part(conn, query, whole, after, limit, &walk, Part::Lead).await?;
    let rest = match rest_size(conn, words, whole).await? {
        0 => Vec::new(),
        few if few <= GATHER_AT_MOST => {
            let gather = StepSet::Names(NameDrive::Gather);
            step_part(conn, query, whole, after, limit, &gather, Part::Rest).await?
        }
        _ => step_part(conn, query, whole, after, limit, &walk, Part::Rest).await?,
    };
    let mut merged: Vec<Customer> = lead.into_iter().chain(rest).collect();
    merged.sort_by_key(|customer| (customer.profile.search_name(), customer.id));
    merged.truncate(limit);
    Ok(merged)
}

/// How many names of a step do not begin with the first word typed: all
/// the step's names counted from the names' index, less those along the
/// stretch of the order that begins with that word.
async fn rest_size(conn: &mut SqliteConnection, words: &NameWords, whole: bool) -> DbResult<u64> {
    let Some(first) = words.words().first() else {
        return Ok(0);
    };
    let step = step_match(words, whole);
    let all = name_matches(conn, &step, u64::MAX).await?;
    let lead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customers c
         WHERE c.search_name >= ?1 AND c.search_name < ?2
           AND +c.id IN (SELECT rowid FROM customer_names WHERE customer_names MATCH ?3)",
    )
    .bind(first)
    .bind(prefix_end(first))
    .bind(&step)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(all.saturating_sub(lead as u64))
}

/// The ids of the names matching `expression` if there are no more than
/// [`GATHER_AT_MOST`] of them, fetched as one JSON array: every row fetched
/// is a hop between threads, and thousands of hops cost more than the search.
async fn step_ids(conn: &mut SqliteConnection, expression: &str) -> DbResult<Option<Vec<i64>>> {
    let ids: String = sqlx::query_scalar(
        "SELECT json_group_array(rowid) FROM
             (SELECT rowid FROM customer_names WHERE customer_names MATCH ?1 LIMIT ?2)",
    )
    .bind(expression)
    .bind(GATHER_AT_MOST as i64 + 1)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    let ids: Vec<i64> = serde_json::from_str(&ids).map_err(|e| corrupt("matched names", e))?;
    Ok((ids.len() as u64 <= GATHER_AT_MOST).then_some(ids))
}

async fn step_part(
    conn: &mut SqliteConnection,
    query: &CustomerQuery,
    whole: bool,
    after: Option<&Cursor>,
    limit: usize,
    set: &StepSet,
    part: Part,
) -> DbResult<Vec<Customer>> {
    let rows: Vec<CustomerRow> = match_step_sql("", query, whole, after, limit, set, part)
        .build_query_as()
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
    into_customers(rows)
}

/// A part of one step of the match order as SQL, after `prefix`.
fn match_step_sql(
    prefix: &str,
    query: &CustomerQuery,
    whole: bool,
    after: Option<&Cursor>,
    limit: usize,
    set: &StepSet,
    part: Part,
) -> QueryBuilder<Sqlite> {
    let mut sql = QueryBuilder::<Sqlite>::new(prefix);
    sql.push(concat!("SELECT ", customer_columns!()));
    push_from(&mut sql, &query.filter, query.order, Start::Names);
    sql.push(" WHERE 1 = 1");
    match searched_words(&query.filter) {
        Some((words, barcode)) => push_match_step(&mut sql, words, barcode, whole, set, part),
        // Any other search (or none) matches whole, by name.
        None if whole => push_filter(
            &mut sql,
            &CustomerFilter {
                search: query.filter.search.clone(),
                ..CustomerFilter::default()
            },
        ),
        None => {
            sql.push(" AND 0 = 1");
        }
    }
    push_figures(&mut sql, &query.filter, Start::Names);
    push_others(&mut sql, &query.filter);
    if let Some(after) = after {
        push_after(&mut sql, query.order, after);
    }
    sql.push(" ORDER BY c.search_name, c.id LIMIT ")
        .push_bind(limit as i64);
    sql
}

/// One page of the list as SQL starting at `start`, after `prefix` (empty,
/// or an EXPLAIN).
fn list_sql(prefix: &str, query: &CustomerQuery, start: Start) -> QueryBuilder<Sqlite> {
    let mut sql = QueryBuilder::<Sqlite>::new(prefix);
    sql.push(concat!("SELECT ", customer_columns!(), ", "))
        .push(sort_key(query.order.field))
        .push(" AS sort_key");
    push_from(&mut sql, &query.filter, query.order, start);
    sql.push(" WHERE 1 = 1");
    push_filter_from(&mut sql, &query.filter, start);
    if let Some(after) = &query.after {
        push_after(&mut sql, query.order, after);
    }
    push_order(&mut sql, query.order);
    sql.push(" LIMIT ").push_bind(i64::from(query.limit) + 1);
    sql
}

/// Counts along the narrowest way in when it reaches fewer customers than
/// this: a count stops at its cap sooner when it starts where matches are
/// dense. A wider way (no purchase for 90 days: most of the base) would be
/// gathered whole before the cap applies; the walk in order stops at it.
const COUNT_WAYS_UP_TO: u64 = 50_000;

pub(crate) async fn next_id(tx: &mut SqliteConnection) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM customers")
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)
}

/// Inserts new customers, each with its id (ids in a row); answers the ids
/// written (a row whose unique value is taken is left out).
pub(crate) async fn insert_rows(
    tx: &mut SqliteConnection,
    records: &[NewCustomerRecord],
    ids: &[i64],
) -> DbResult<HashSet<i64>> {
    let mut inserted = HashSet::with_capacity(records.len());
    let mut chunks = records.chunks(INSERT_CHUNK).zip(ids.chunks(INSERT_CHUNK));
    let mut next = chunks
        .next()
        .map(|(chunk, ids)| insert_statement(chunk, ids));
    while let Some((mut sql, ids)) = next.take() {
        // SQLite runs the statement on its own thread: bind the next chunk
        // meanwhile instead of after.
        let (written, following) = join(sql.build().execute(&mut *tx), async {
            chunks
                .next()
                .map(|(chunk, ids)| insert_statement(chunk, ids))
        })
        .await;
        next = following;
        let written = written
            .map_err(|e| constraint(e, CUSTOMER_UNIQUES))?
            .rows_affected();
        if written == ids.len() as u64 {
            inserted.extend(ids);
        } else {
            // Some rows clashed (rare): the ids that exist now are the ones written,
            // since every id was fresh. Asking beats RETURNING a row per insert.
            let present: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM customers WHERE id IN (SELECT value FROM json_each(?1))",
            )
            .bind(json(ids))
            .fetch_all(&mut *tx)
            .await
            .map_err(backend)?;
            inserted.extend(present);
        }
    }
    Ok(inserted)
}

/// One multi-row INSERT with its values bound, and the ids it writes.
/// Bound values, not JSON: SQLite then copies each value once instead of
/// extracting 27 keys from a document per row.
fn insert_statement<'a>(
    records: &[NewCustomerRecord],
    ids: &'a [i64],
) -> (QueryBuilder<Sqlite>, &'a [i64]) {
    let mut sql = QueryBuilder::<Sqlite>::new(INSERT_CUSTOMERS);
    sql.push_values(records.iter().zip(ids), |row, (record, id)| {
        bind_customer(&CustomerWrite::registered(*id, record), row)
    });
    sql.push(" ON CONFLICT DO NOTHING");
    (sql, ids)
}

/// Writes the property values of customers who have none yet.
pub(crate) async fn insert_properties(
    tx: &mut SqliteConnection,
    customers: &[(i64, &CustomerProfile)],
) -> DbResult<()> {
    if customers
        .iter()
        .all(|(_, profile)| profile.properties.is_empty())
    {
        return Ok(());
    }
    let definitions: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM property_definitions")
            .fetch_all(&mut *tx)
            .await
            .map_err(backend)?
            .into_iter()
            .collect();
    let mut values = Vec::new();
    for (customer_id, profile) in customers {
        for (name, value) in &profile.properties {
            let property_id = *definitions
                .get(name.as_str())
                .ok_or(DbError::MissingReference {
                    field: "properties",
                })?;
            values.push(PropertyWrite {
                customer_id: *customer_id,
                property_id,
                value,
            });
        }
    }
    sqlx::query(
        "INSERT INTO customer_properties (customer_id, property_id, value)
         SELECT r.value ->> 'customer_id', r.value ->> 'property_id', r.value ->> 'value'
         FROM jsonb_each(?1) AS r",
    )
    .bind(json(&values))
    .execute(&mut *tx)
    .await
    .map_err(|e| constraint(e, &[]))?;
    Ok(())
}

fn into_customers(rows: Vec<CustomerRow>) -> DbResult<Vec<Customer>> {
    Ok(rows.into_iter().map(|row| row.0).collect())
}

/// Customers are numbered by the one writer; their unique values are the
/// table's own unique indexes.
impl CustomerWrites for SqliteEngine {
    const CUSTOMER_COLUMNS: &'static str = customer_columns!();

    async fn next_ids(tx: &mut SqliteConnection, count: usize) -> DbResult<Vec<i64>> {
        let first = next_id(tx).await?;
        Ok((first..).take(count).collect())
    }

    async fn insert_customers<'a>(
        tx: &'a mut SqliteConnection,
        records: &'a [NewCustomerRecord],
        ids: &'a [i64],
    ) -> DbResult<HashSet<i64>> {
        insert_rows(tx, records, ids).await
    }

    async fn update_customers<'a>(
        tx: &'a mut SqliteConnection,
        customers: &'a [&'a Customer],
        at: Timestamp,
    ) -> DbResult<HashSet<i64>> {
        if customers.is_empty() {
            return Ok(HashSet::new());
        }
        let rows: Vec<CustomerWrite<'_>> = customers
            .iter()
            .map(|c| CustomerWrite::updated(c, at))
            .collect();
        let ids: Vec<i64> = sqlx::query_scalar(UPDATE_CUSTOMERS)
            .bind(json(&rows))
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| constraint(e, CUSTOMER_UNIQUES))?;
        Ok(ids.into_iter().collect())
    }

    async fn write_properties<'a>(
        tx: &'a mut SqliteConnection,
        customers: &'a [(i64, &'a CustomerProfile)],
    ) -> DbResult<()> {
        if customers.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = customers.iter().map(|(id, _)| *id).collect();
        sqlx::query(
            "DELETE FROM customer_properties WHERE customer_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(json(&ids))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        insert_properties(tx, customers).await
    }

    async fn conflicting_field<'a>(
        tx: &'a mut SqliteConnection,
        profile: &'a CustomerProfile,
        own: Option<CustomerId>,
    ) -> DbResult<(&'static str, Option<CustomerId>)> {
        let own = own.map_or(0, |id| id.0);
        let candidates = [
            (
                "phone",
                "SELECT id FROM customers WHERE phone = ?1 AND id <> ?2",
                profile.phone.as_ref().map(|p| p.as_str()),
            ),
            (
                "email",
                "SELECT id FROM customers WHERE email = ?1 AND id <> ?2",
                profile.email.as_ref().map(|e| e.as_str()),
            ),
            (
                "external_id",
                "SELECT id FROM customers WHERE external_id = ?1 AND id <> ?2",
                profile.external_id.as_deref(),
            ),
        ];
        for (field, sql, value) in candidates {
            let Some(value) = value else { continue };
            let holder: Option<i64> = sqlx::query_scalar(sql)
                .bind(value)
                .bind(own)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
            if let Some(holder) = holder {
                return Ok((field, Some(CustomerId(holder))));
            }
        }
        Ok(("value", None))
    }
}

#[async_trait]
impl Customers for SqliteDatabase {
    async fn add_note(&self, note: &clientele_store::NewNote) -> DbResult<clientele_domain::Note> {
        crate::customer_page::add_note(self, note).await
    }

    async fn create_customer(&self, record: &NewCustomerRecord) -> DbResult<Customer> {
        self.sql.create_customer(record).await
    }

    async fn customer(&self, id: CustomerId) -> DbResult<Option<Customer>> {
        self.sql.customer(id).await
    }

    async fn customer_by_phone(&self, phone: &Phone) -> DbResult<Option<Customer>> {
        let row: Option<CustomerRow> = sqlx::query_as(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c WHERE c.phone = ?1"
        ))
        .bind(phone.as_str())
        .fetch_optional(&mut *self.reader().await?)
        .await
        .map_err(backend)?;
        Ok(row.map(|row| row.0))
    }

    async fn update_customer(&self, customer: &Customer, at: Timestamp) -> DbResult<Customer> {
        self.sql.update_customer(customer, at).await
    }

    async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> DbResult<Customer> {
        self.sql.merge_customers(survivor, duplicate, at).await
    }

    async fn list_customers(&self, query: &CustomerQuery) -> DbResult<Page<Customer>> {
        let mut conn = self.reader().await?;
        if query.order.field == SortField::Match {
            return list_by_match(&mut conn, query).await;
        }
        let ways = ways_in(&mut conn, &query.filter, GATHER_AT_MOST + 1).await?;
        let start = Start::fewest(&ways, GATHER_AT_MOST);
        let mut sql = list_sql("", query, start);
        let rows: Vec<ListedRow> = sql
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?;
        let rows = rows
            .into_iter()
            .map(|row| (row.customer.0, row.sort_key))
            .collect();
        Ok(Page::of_sorted(rows, query.limit, query.order.field))
    }

    async fn explain_customer_list(&self, query: &CustomerQuery) -> DbResult<String> {
        let mut conn = self.reader().await?;
        let mut sql = if query.order.field == SortField::Match {
            // The whole-word step as it reads a name matching many.
            match_step_sql(
                "EXPLAIN QUERY PLAN ",
                query,
                true,
                None,
                query.limit as usize + 1,
                &StepSet::Names(NameDrive::Walk),
                Part::Lead,
            )
        } else {
            let ways = ways_in(&mut conn, &query.filter, GATHER_AT_MOST + 1).await?;
            list_sql(
                "EXPLAIN QUERY PLAN ",
                query,
                Start::fewest(&ways, GATHER_AT_MOST),
            )
        };
        let rows: Vec<(i64, i64, i64, String)> = sql
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|(_, _, _, detail)| detail)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> DbResult<u64> {
        let mut conn = self.reader().await?;
        // A name search alone is counted from the names' index whatever it
        // matches: the way along the order would gather the same names first.
        let start = if searched_words(&query.filter).is_some() && !query.filter.has_figures() {
            Start::Names
        } else {
            let ways = ways_in(&mut conn, &query.filter, COUNT_WAYS_UP_TO).await?;
            Start::fewest(&ways, COUNT_WAYS_UP_TO - 1)
        };
        let mut sql = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (SELECT 1");
        push_from(&mut sql, &query.filter, SortOrder::default(), start);
        sql.push(" WHERE 1 = 1");
        push_filter_from(&mut sql, &query.filter, start);
        if let Some(cap) = up_to {
            sql.push(" LIMIT ")
                .push_bind(i64::try_from(cap).unwrap_or(i64::MAX));
        }
        sql.push(")");
        let count: i64 = sql
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        Ok(count as u64)
    }

    async fn birthdays_in_month(
        &self,
        filter: &CustomerFilter,
        month: i8,
    ) -> DbResult<Vec<(i32, u64)>> {
        // The month's days through the birthday index, whatever the filter's own
        // birthday range says.
        let mut sql = QueryBuilder::<Sqlite>::new(
            "SELECT c.birthday_md, COUNT(*) FROM customers c WHERE c.birthday_md BETWEEN ",
        );
        sql.push_bind(i32::from(month) * 100 + 1)
            .push(" AND ")
            .push_bind(i32::from(month) * 100 + 31);
        let others = CustomerFilter {
            birthday: None,
            ..filter.clone()
        };
        push_filter(&mut sql, &others);
        sql.push(" GROUP BY c.birthday_md ORDER BY c.birthday_md");
        let rows: Vec<(i32, i64)> = sql
            .build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await
            .map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|(day, count)| (day, u64::try_from(count).unwrap_or(0)))
            .collect())
    }

    async fn refresh_statistics(&self) -> DbResult<()> {
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&self.write)
            .await
            .map_err(crate::errors::backend)?;
        // A bulk write leaves a long log behind (readers kept it from being
        // folded back meanwhile); folding it now spares the next commits.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write)
            .await
            .map_err(crate::errors::backend)?;
        Ok(())
    }

    async fn match_customers(&self, keys: &CustomerKeys) -> DbResult<CustomerMatches> {
        let mut conn = self.reader().await?;
        let phones: Vec<&str> = keys.phones.iter().map(Phone::as_str).collect();
        let by_phone: Vec<CustomerRow> = sqlx::query_as(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c WHERE c.phone IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json(&phones))
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let by_external: Vec<CustomerRow> = sqlx::query_as(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c WHERE c.external_id IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json(&keys.external_ids))
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let emails: Vec<&str> = keys.emails.iter().map(|e| e.as_str()).collect();
        let email_owners: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, email FROM customers WHERE email IN (SELECT value FROM json_each(?1))",
        )
        .bind(json(&emails))
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;

        let mut result = CustomerMatches::default();
        for customer in into_customers(by_phone)? {
            if let Some(phone) = customer.profile.phone.clone() {
                result.by_phone.insert(phone, customer);
            }
        }
        for customer in into_customers(by_external)? {
            if let Some(external_id) = customer.profile.external_id.clone() {
                result.by_external_id.insert(external_id, customer);
            }
        }
        result.email_owners = email_owners
            .into_iter()
            .map(|(id, email)| (clientele_domain::Email::from_stored(email), CustomerId(id)))
            .collect();
        Ok(result)
    }

    async fn write_customers(&self, batch: &CustomerBatch) -> DbResult<Vec<WriteOutcome>> {
        self.sql.write_customers(batch).await
    }

    async fn begin_customer_load(&self) -> DbResult<Option<Box<dyn CustomerLoad>>> {
        Ok(crate::load::begin(self)
            .await?
            .map(|load| Box::new(load) as Box<dyn CustomerLoad>))
    }
}

#[cfg(test)]
mod tests {
    use clientele_domain::{CustomerInput, CustomerRules};
    use clientele_store::NewCustomerRecord;
    use clientele_store::prelude::*;

    use super::*;

    /// A list finds the same customers in the same order whichever way in
    /// it takes: along the order, from the names' index, from a figure's.
    #[tokio::test]
    async fn every_way_into_a_list_agrees() {
        let dir = std::env::temp_dir().join(format!("clientele-ways-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ways.db");
        let _ = std::fs::remove_file(&path);
        let db = crate::SqliteDatabase::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let group = db.directory().default_customer_group().await.unwrap().id;
        let at = Timestamp::from_second(1_795_000_000).unwrap();
        let rules = CustomerRules {
            properties: &[],
            default_group: group,
            today: jiff::civil::date(2026, 11, 23),
            now: at,
            source: "test",
        };
        let names = [
            "Иванова Мария",
            "Марина Иванова",
            "Иван Марков",
            "Мария Иван",
            "Петров Иван",
            "Сидорова Анна",
        ];
        for (n, name) in names.iter().enumerate() {
            let profile = CustomerInput {
                name: Some((*name).into()),
                ..Default::default()
            }
            .into_new(&rules)
            .unwrap();
            let customer = db
                .create_customer(&NewCustomerRecord {
                    profile,
                    created_at: at,
                })
                .await
                .unwrap();
            // Figures as purchases would leave them; the first never bought.
            let n = n as i64;
            sqlx::query(
                "UPDATE customer_loyalty SET spent_minor = ?2, purchases = ?3, balance = ?4,
                     last_purchase_at = CASE WHEN ?3 > 0 THEN ?5 END
                 WHERE customer_id = ?1",
            )
            .bind(customer.id.0)
            .bind((n % 3) * 1000)
            .bind(n)
            .bind(500 - n * 100)
            .bind(1_700_000_000_000_000 + (n % 4) * 86_400_000_000)
            .execute(&db.write)
            .await
            .unwrap();
        }
        let mut conn = db.reader().await.unwrap();
        let mut listed = 0;
        let filters: &[&[(&str, &str)]] = &[
            &[("q", "иван")],
            &[("q", "ива мар")],
            &[("q", "нет")],
            &[("spent_min", "1000")],
            &[("spent_min", "1000"), ("purchases_max", "4")],
            &[("q", "мар"), ("balance_max", "300")],
            &[("no_purchase_days", "30")],
            &[
                ("last_purchase_from", "2023-11-15"),
                ("last_purchase_to", "2023-11-16"),
            ],
        ];
        let orders = [
            "id",
            "-created_at",
            "-spent_minor",
            "spent_minor",
            "last_purchase_at",
            "-last_purchase_at",
        ];
        for params in filters {
            let filter = CustomerFilter::parse(params.iter().copied(), &[], rules.today).unwrap();
            let mut starts = vec![Start::Order, Start::Names];
            starts.extend(Figure::bounded(&filter).map(Start::Figure));
            for order in orders {
                let order = SortOrder::parse(order).unwrap();
                let mut seen = Vec::new();
                for start in &starts {
                    // Pages of two, each starting where the last ended.
                    let mut query = CustomerQuery {
                        filter: filter.clone(),
                        order,
                        limit: 2,
                        after: None,
                    };
                    let mut ids = Vec::new();
                    loop {
                        let rows: Vec<ListedRow> = list_sql("", &query, *start)
                            .build_query_as()
                            .fetch_all(&mut *conn)
                            .await
                            .unwrap();
                        let more = rows.len() > 2;
                        let page: Vec<(Customer, i64)> = rows
                            .into_iter()
                            .take(2)
                            .map(|r| (r.customer.0, r.sort_key))
                            .collect();
                        ids.extend(page.iter().map(|(c, _)| c.id));
                        match page.last() {
                            Some((last, figure)) if more => {
                                let key = clientele_store::RowKey {
                                    whole: false,
                                    figure: *figure,
                                };
                                query.after = Some(Cursor::after(last, order.field, key));
                            }
                            _ => break,
                        }
                    }
                    seen.push((start, ids));
                }
                listed += seen[0].1.len();
                for (start, ids) in &seen[1..] {
                    assert_eq!(
                        ids, &seen[0].1,
                        "{params:?} in {order:?} from {start:?} as along the order"
                    );
                }
            }
        }
        assert!(listed > 100, "the lists hold customers: {listed}");
        for q in ["иван", "ива мар", "мария", "нет", "петров", "пет"] {
            let params = [("q", q)];
            let filter = CustomerFilter::parse(params.iter().copied(), &[], rules.today).unwrap();
            for whole in [true, false] {
                let query = CustomerQuery {
                    filter: filter.clone(),
                    order: SortOrder {
                        field: SortField::Match,
                        descending: false,
                    },
                    limit: 10,
                    after: None,
                };
                let words = match &filter.search {
                    Some(SearchQuery {
                        term: SearchTerm::Name(words),
                        ..
                    }) => words,
                    other => panic!("«{q}» is a name search: {other:?}"),
                };
                let gathered = step_ids(&mut conn, &step_match(words, whole))
                    .await
                    .unwrap()
                    .expect("a test base matches few");
                let mut ids = Vec::new();
                for (set, parts) in [
                    (StepSet::Ids(gathered), &[Part::All][..]),
                    (StepSet::Names(NameDrive::Gather), &[Part::All][..]),
                    (StepSet::Names(NameDrive::Walk), &[Part::All][..]),
                    (
                        StepSet::Names(NameDrive::Walk),
                        &[Part::Lead, Part::Rest][..],
                    ),
                ] {
                    let mut found = Vec::new();
                    for part in parts {
                        let rows: Vec<CustomerRow> =
                            match_step_sql("", &query, whole, None, 10, &set, *part)
                                .build_query_as()
                                .fetch_all(&mut *conn)
                                .await
                                .unwrap();
                        found.extend(into_customers(rows).unwrap());
                    }
                    found.sort_by_key(|c| (c.profile.search_name(), c.id));
                    found.truncate(10);
                    ids.push(found.into_iter().map(|c| c.id).collect::<Vec<_>>());
                }
                for other in &ids[1..] {
                    assert_eq!(&ids[0], other, "«{q}», whole words {whole}");
                }
                let rest: Vec<CustomerRow> = match_step_sql(
                    "",
                    &query,
                    whole,
                    None,
                    100_000,
                    &StepSet::Names(NameDrive::Gather),
                    Part::Rest,
                )
                .build_query_as()
                .fetch_all(&mut *conn)
                .await
                .unwrap();
                let size = rest_size(&mut conn, words, whole).await.unwrap();
                assert_eq!(size, rest.len() as u64, "«{q}», whole words {whole}");
            }
        }
    }
}
