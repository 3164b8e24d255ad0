//! Filling an empty customer base: one write transaction that drops the
//! indexes of the customer tables, appends the rows in id order and builds
//! the indexes again from sorted runs at the end. Readers keep seeing the
//! empty base until the commit (WAL).
//!
//! The load has the write connection to itself, with a page cache large
//! enough to hold a million customers without spilling to the WAL and
//! reading back. The connection is closed afterwards, which also rolls back
//! a load dropped half-way, and the pool opens a fresh one.

use async_trait::async_trait;
use clientele_domain::{CustomerId, CustomerProfile};
use clientele_store::{CustomerLoad, NewCustomerRecord, StoreError, StoreResult};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Sqlite, SqlitePool};

use crate::customers::{CUSTOMER_UNIQUES, insert_properties, insert_rows, next_id};
use crate::errors::{backend, constraint};

/// The load's page cache, KiB (SQLite's negative `cache_size`).
const LOAD_CACHE_KIB: i64 = 1 << 20;

pub struct SqliteCustomerLoad {
    conn: PoolConnection<Sqlite>,
    next_id: i64,
    /// The `CREATE INDEX` statements of the dropped indexes, as the schema
    /// holds them, so the load rebuilds exactly what the migrations made.
    indexes: Vec<String>,
}

pub async fn begin(pool: &SqlitePool) -> StoreResult<Option<SqliteCustomerLoad>> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    conn.close_on_drop();
    sqlx::query(AssertSqlSafe(format!(
        "PRAGMA cache_size = -{LOAD_CACHE_KIB}"
    )))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;

    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers)")
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    if !empty {
        return Ok(None);
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND tbl_name IN ('customers', 'customer_properties')
           AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for (name, _) in &indexes {
        // The names and statements come from sqlite_schema: our own indexes.
        sqlx::query(AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
    }
    let next_id = next_id(&mut conn).await?;
    Ok(Some(SqliteCustomerLoad {
        conn,
        next_id,
        indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
    }))
}

#[async_trait]
impl CustomerLoad for SqliteCustomerLoad {
    async fn insert(&mut self, customers: &[NewCustomerRecord]) -> StoreResult<Vec<CustomerId>> {
        let first = self.next_id;
        let inserted = insert_rows(&mut self.conn, customers, first).await?;
        if inserted.len() != customers.len() {
            return Err(StoreError::Backend(
                "a customer of the load was not written".into(),
            ));
        }
        let profiles: Vec<(i64, &CustomerProfile)> = customers
            .iter()
            .zip(first..)
            .map(|(record, id)| (id, &record.profile))
            .collect();
        insert_properties(&mut self.conn, &profiles).await?;
        self.next_id += customers.len() as i64;
        Ok((first..self.next_id).map(CustomerId).collect())
    }

    async fn finish(mut self: Box<Self>) -> StoreResult<()> {
        for index in &self.indexes {
            sqlx::query(AssertSqlSafe(index.as_str()))
                .execute(&mut *self.conn)
                .await
                .map_err(|e| constraint(e, CUSTOMER_UNIQUES))?;
        }
        sqlx::query("COMMIT")
            .execute(&mut *self.conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
