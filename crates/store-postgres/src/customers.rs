//! Customers: single reads and writes, the filtered list, and the batch path
//! that import and demo data go through.

use std::collections::HashSet;

use clientele_domain::{
    Customer, CustomerFilter, CustomerId, CustomerProfile, Email, Phone, SearchQuery, SearchTerm,
    SortField, SortOrder,
};
use clientele_store::{
    Cursor, CustomerBatch, CustomerKeys, CustomerMatches, CustomerQuery, DbError, DbResult,
    NewCustomerRecord, Page, WriteOutcome,
};
use jiff::Timestamp;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

use crate::PostgresDatabase;
use crate::customer_keys;
use crate::engine::PostgresEngine;
use crate::errors::{backend, constraint};
use crate::filter::{
    push_after, push_filter, push_filter_joined, push_from, push_match_step, push_order, sort_key,
};
use crate::rows::{CustomerRow, CustomerWrite, customer_columns};
use async_trait::async_trait;
use clientele_store::CustomerLoad;
use clientele_store::area::Customers;
use clientele_store_sql::CustomerWrites;

/// Inserts the rows, each with its account row (migration 0015); their
/// unique values are claimed first.
const INSERT_CUSTOMERS: &str = "
WITH inserted AS (
    INSERT INTO customers (
        id, name, search_name, phone, email, gender, birth_date, address, region, city,
        documents, group_id, status, blocked, blocked_reason, notes, referrer_id, channel,
        store_id, external_id, consents, consent_flags, merged_into, created_at, updated_at,
        version)
    SELECT id, name, search_name, phone, email, gender, birth_date, address, region, city,
           documents, group_id, status, blocked, blocked_reason, notes, referrer_id, channel,
           store_id, external_id, consents, consent_flags, merged_into, created_at, updated_at,
           version
    FROM jsonb_populate_recordset(NULL::customers, $1)
    RETURNING id
), accounts AS (
    INSERT INTO customer_loyalty (customer_id) SELECT id FROM inserted
)
SELECT id FROM inserted";

/// Writes each row whose `version` is still current; the ids returned say
/// which. Their unique values are claimed first.
const UPDATE_CUSTOMERS: &str = "
UPDATE customers AS c SET
    name = r.name, search_name = r.search_name, phone = r.phone, email = r.email,
    gender = r.gender, birth_date = r.birth_date, address = r.address, region = r.region,
    city = r.city, documents = r.documents, group_id = r.group_id, status = r.status,
    blocked = r.blocked, blocked_reason = r.blocked_reason, notes = r.notes,
    referrer_id = r.referrer_id, channel = r.channel, store_id = r.store_id,
    external_id = r.external_id, consents = r.consents, consent_flags = r.consent_flags,
    merged_into = r.merged_into, updated_at = r.updated_at, version = c.version + 1
FROM jsonb_populate_recordset(NULL::customers, $1) AS r
WHERE c.id = r.id AND c.version = r.version
RETURNING c.id";

/// A customer with their figure of the order, for the page's cursor.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    sort_key: i64,
}

/// A name search in match order: the customers matching every word whole
/// by name, then those matching by the start of a word by name; each step
/// a query of its own.
async fn list_by_match(pool: &PgPool, query: &CustomerQuery) -> DbResult<Page<Customer>> {
    let wanted = query.limit as usize + 1;
    let mut found: Vec<(Customer, bool)> = Vec::with_capacity(wanted);
    for (whole, after) in query.match_steps() {
        if found.len() == wanted {
            break;
        }
        let mut sql = match_step_sql("", query, whole, after, wanted - found.len());
        let rows: Vec<CustomerRow> = sql
            .build_query_as()
            .fetch_all(pool)
            .await
            .map_err(backend)?;
        for row in rows {
            found.push((row.0, whole));
        }
    }
    Ok(Page::of_matches(found, query.limit))
}

/// One step of the match order as SQL, after `prefix`.
fn match_step_sql(
    prefix: &str,
    query: &CustomerQuery,
    whole: bool,
    after: Option<&Cursor>,
    limit: usize,
) -> QueryBuilder<Postgres> {
    let mut sql = QueryBuilder::<Postgres>::new(prefix);
    sql.push(concat!("SELECT ", customer_columns!()));
    push_from(&mut sql, &query.filter, query.order);
    sql.push(" WHERE true");
    let others = CustomerFilter {
        search: None,
        ..query.filter.clone()
    };
    push_filter_joined(&mut sql, &others);
    match &query.filter.search {
        Some(SearchQuery {
            term: SearchTerm::Name(words),
            barcode,
        }) => push_match_step(&mut sql, words, barcode.as_deref(), whole),
        // Any other search (or none) matches whole, by name.
        _ if whole => push_filter(
            &mut sql,
            &CustomerFilter {
                search: query.filter.search.clone(),
                ..CustomerFilter::default()
            },
        ),
        _ => {
            sql.push(" AND false");
        }
    }
    if let Some(after) = after {
        push_after(&mut sql, query.order, after);
    }
    sql.push(" ORDER BY c.search_name, c.id LIMIT ")
        .push_bind(limit as i64);
    sql
}

/// One page of the list as SQL, after `prefix` (empty, or an EXPLAIN).
fn list_sql(prefix: &str, query: &CustomerQuery) -> QueryBuilder<Postgres> {
    let mut sql = QueryBuilder::<Postgres>::new(prefix);
    sql.push(concat!("SELECT ", customer_columns!(), ", "))
        .push(sort_key(query.order.field))
        .push(" AS sort_key");
    push_from(&mut sql, &query.filter, query.order);
    sql.push(" WHERE true");
    push_filter_joined(&mut sql, &query.filter);
    if let Some(after) = &query.after {
        push_after(&mut sql, query.order, after);
    }
    push_order(&mut sql, query.order);
    sql.push(" LIMIT ").push_bind(i64::from(query.limit) + 1);
    sql
}

/// Inserts rows whose unique values are theirs already (or, in a load, are
/// checked at its end); answers their ids.
pub(crate) async fn insert_claimed(
    tx: &mut PgConnection,
    rows: &[&CustomerWrite<'_>],
) -> DbResult<HashSet<i64>> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<i64> = sqlx::query_scalar(INSERT_CUSTOMERS)
        .bind(Json(rows))
        .fetch_all(&mut *tx)
        .await
        .map_err(constraint)?;
    Ok(ids.into_iter().collect())
}

/// Writes the property values of customers who have none yet.
pub(crate) async fn insert_properties(
    tx: &mut PgConnection,
    customers: &[(i64, &CustomerProfile)],
) -> DbResult<()> {
    let mut owners = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (customer_id, profile) in customers {
        for (name, value) in &profile.properties {
            owners.push(*customer_id);
            names.push(name.as_str());
            values.push(value.as_str());
        }
    }
    if owners.is_empty() {
        return Ok(());
    }
    let written = sqlx::query(
        "INSERT INTO customer_properties (customer_id, property_id, value)
         SELECT v.customer_id, d.id, v.value
         FROM UNNEST($1::bigint[], $2::text[], $3::text[]) AS v (customer_id, name, value)
         JOIN property_definitions d ON d.name = v.name",
    )
    .bind(&owners)
    .bind(&names)
    .bind(&values)
    .execute(&mut *tx)
    .await
    .map_err(constraint)?
    .rows_affected();
    // A value whose property is not defined found no definition to join.
    if written != owners.len() as u64 {
        return Err(DbError::MissingReference {
            field: "properties",
        });
    }
    Ok(())
}

/// Customers are numbered by a sequence; their unique values are claimed
/// in lookup tables ([`customer_keys`]), written in the same transaction.
impl CustomerWrites for PostgresEngine {
    const CUSTOMER_COLUMNS: &'static str = customer_columns!();

    async fn next_ids(tx: &mut PgConnection, count: usize) -> DbResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, $1)",
        )
        .bind(count as i64)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)
    }

    async fn insert_customers<'a>(
        tx: &'a mut PgConnection,
        records: &'a [NewCustomerRecord],
        ids: &'a [i64],
    ) -> DbResult<HashSet<i64>> {
        let rows: Vec<CustomerWrite<'_>> = records
            .iter()
            .zip(ids)
            .map(|(record, id)| CustomerWrite::registered(*id, record))
            .collect();
        let claimed = customer_keys::claim(tx, &rows).await?;
        let rows: Vec<&CustomerWrite<'_>> = rows
            .iter()
            .filter(|r| claimed.rows.contains(&r.id))
            .collect();
        insert_claimed(tx, &rows).await
    }

    async fn update_customers<'a>(
        tx: &'a mut PgConnection,
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
        let before = customer_keys::held(tx, &rows).await?;
        let claimed = customer_keys::claim(tx, &rows).await?;
        let free: Vec<&CustomerWrite<'_>> = rows
            .iter()
            .filter(|r| claimed.rows.contains(&r.id))
            .collect();
        let updated: HashSet<i64> = if free.is_empty() {
            HashSet::new()
        } else {
            let ids: Vec<i64> = sqlx::query_scalar(UPDATE_CUSTOMERS)
                .bind(Json(&free))
                .fetch_all(&mut *tx)
                .await
                .map_err(constraint)?;
            ids.into_iter().collect()
        };
        // A stale row gives back what it just claimed; a written one what it
        // no longer takes.
        let stale: Vec<_> = claimed
            .new
            .into_iter()
            .filter(|key| !updated.contains(&key.2))
            .collect();
        customer_keys::give_back(tx, &stale).await?;
        let written: Vec<&CustomerWrite<'_>> = free
            .into_iter()
            .filter(|r| updated.contains(&r.id))
            .collect();
        customer_keys::release(tx, before, &written).await?;
        Ok(updated)
    }

    async fn write_properties<'a>(
        tx: &'a mut PgConnection,
        customers: &'a [(i64, &'a CustomerProfile)],
    ) -> DbResult<()> {
        if customers.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = customers.iter().map(|(id, _)| *id).collect();
        sqlx::query("DELETE FROM customer_properties WHERE customer_id = ANY($1)")
            .bind(&ids)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_properties(tx, customers).await
    }

    async fn conflicting_field<'a>(
        tx: &'a mut PgConnection,
        profile: &'a CustomerProfile,
        own: Option<CustomerId>,
    ) -> DbResult<(&'static str, Option<CustomerId>)> {
        let values = [
            profile.phone.as_ref().map(Phone::as_str),
            profile.email.as_ref().map(Email::as_str),
            profile.external_id.as_deref(),
        ];
        for (field, value) in customer_keys::KINDS.into_iter().zip(values) {
            let Some(value) = value else { continue };
            let holder = customer_keys::holder(tx, field, value).await?;
            if let Some(holder) = holder.filter(|h| Some(*h) != own) {
                return Ok((field, Some(holder)));
            }
        }
        Ok(("value", None))
    }
}

#[async_trait]
impl Customers for PostgresDatabase {
    async fn add_note(&self, note: &clientele_store::NewNote) -> DbResult<clientele_domain::Note> {
        crate::customer_page::add_note(self, note).await
    }

    async fn create_customer(&self, record: &NewCustomerRecord) -> DbResult<Customer> {
        self.sql.create_customer(record).await
    }

    async fn customer(&self, id: CustomerId) -> DbResult<Option<Customer>> {
        self.sql.customer(id).await
    }

    /// The phone's holder, read through its lookup in the same statement (a
    /// till identifies by phone on every receipt).
    async fn customer_by_phone(&self, phone: &Phone) -> DbResult<Option<Customer>> {
        let row: Option<CustomerRow> = sqlx::query_as(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c
             WHERE c.id = (SELECT customer_id FROM customer_keys WHERE value = $1 AND kind = 'phone')"
        ))
        .bind(phone.as_str())
        .fetch_optional(&self.pool)
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
        if query.order.field == SortField::Match {
            return list_by_match(&self.pool, query).await;
        }
        let mut sql = list_sql("", query);
        let rows: Vec<ListedRow> = sql
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let rows = rows
            .into_iter()
            .map(|row| (row.customer.0, row.sort_key))
            .collect();
        Ok(Page::of_sorted(rows, query.limit, query.order.field))
    }

    async fn explain_customer_list(&self, query: &CustomerQuery) -> DbResult<String> {
        let prefix = "EXPLAIN (ANALYZE, BUFFERS) ";
        let mut sql = if query.order.field == SortField::Match {
            match_step_sql(prefix, query, true, None, query.limit as usize + 1)
        } else {
            list_sql(prefix, query)
        };
        let lines: Vec<String> = sql
            .build_query_scalar()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(lines.join("\n"))
    }

    async fn count_customers(&self, query: &CustomerQuery, up_to: Option<u64>) -> DbResult<u64> {
        let mut sql = QueryBuilder::<Postgres>::new("SELECT COUNT(*) FROM (SELECT 1");
        push_from(&mut sql, &query.filter, SortOrder::default());
        sql.push(" WHERE true");
        push_filter_joined(&mut sql, &query.filter);
        if let Some(cap) = up_to {
            sql.push(" LIMIT ")
                .push_bind(i64::try_from(cap).unwrap_or(i64::MAX));
        }
        sql.push(") AS matching");
        let count: i64 = sql
            .build_query_scalar()
            .fetch_one(&self.pool)
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
        let mut sql = QueryBuilder::<Postgres>::new(
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
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|(day, count)| (day, u64::try_from(count).unwrap_or(0)))
            .collect())
    }

    async fn refresh_statistics(&self) -> DbResult<()> {
        // Only the tables holding rows. One analysed while empty is planned
        // as empty until autovacuum's next round: after an import into a
        // shop without receipts, each of the first receipts' checks against
        // them read every receipt so far. One never analysed is planned as
        // holding some pages, through its indexes.
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(c.relname) FROM pg_class c
             WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
               AND pg_relation_size(c.oid) > 0
             ORDER BY c.relname",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        for table in tables {
            // A vacuum marks the new pages all visible, as autovacuum would
            // a little later: until then an index that holds every column a
            // query reads (a segment's receipts) still visits each new row.
            // It reads only the pages written since the last one.
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM (ANALYZE) {table}")))
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        }
        // Writing out what a bulk write left in memory now spares the
        // next commits the wait; only a superuser (or pg_checkpoint) may.
        if let Err(error) = sqlx::query("CHECKPOINT").execute(&self.pool).await {
            tracing::debug!(%error, "no checkpoint after a bulk write");
        }
        Ok(())
    }

    async fn match_customers(&self, keys: &CustomerKeys) -> DbResult<CustomerMatches> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let phones: Vec<&str> = keys.phones.iter().map(Phone::as_str).collect();
        let external_ids: Vec<&str> = keys.external_ids.iter().map(String::as_str).collect();
        let emails: Vec<&str> = keys.emails.iter().map(Email::as_str).collect();
        let by_phone = customer_keys::holders_of(&mut conn, "phone", &phones).await?;
        let by_external =
            customer_keys::holders_of(&mut conn, "external_id", &external_ids).await?;
        let email_owners = customer_keys::holders_of(&mut conn, "email", &emails).await?;
        let ids: Vec<i64> = by_phone
            .iter()
            .chain(&by_external)
            .map(|(_, id)| id.0)
            .collect();
        let rows: Vec<CustomerRow> = sqlx::query_as(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers c WHERE c.id = ANY($1)"
        ))
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        let mut customers = std::collections::HashMap::new();
        for row in rows {
            let customer = row.0;
            customers.insert(customer.id, customer);
        }
        let mut result = CustomerMatches::default();
        for (phone, id) in by_phone {
            if let Some(customer) = customers.get(&id) {
                result
                    .by_phone
                    .insert(Phone::from_stored(phone), customer.clone());
            }
        }
        for (external_id, id) in by_external {
            if let Some(customer) = customers.get(&id) {
                result.by_external_id.insert(external_id, customer.clone());
            }
        }
        result.email_owners = email_owners
            .into_iter()
            .map(|(email, id)| (Email::from_stored(email), id))
            .collect();
        Ok(result)
    }

    async fn write_customers(&self, batch: &CustomerBatch) -> DbResult<Vec<WriteOutcome>> {
        self.sql.write_customers(batch).await
    }

    async fn begin_customer_load(&self) -> DbResult<Option<Box<dyn CustomerLoad>>> {
        Ok(crate::load::begin(&self.pool)
            .await?
            .map(|load| Box::new(load) as Box<dyn CustomerLoad>))
    }
}
