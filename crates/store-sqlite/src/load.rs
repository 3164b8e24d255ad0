//! Filling an empty customer base: one write transaction that drops the
//! indexes of the customer tables, appends the rows in id order and builds
//! the indexes again from sorted runs at the end. Readers keep seeing the
//! empty base until the commit (WAL).
//!
//! Search tables the migrations keep in step with the rows by triggers
//! (FTS5) are filled the same way: their insert triggers are dropped for the
//! load, and each table is filled in one statement after the rows.
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

/// A table a trigger fills as customers are inserted, and the statement
/// that fills it from every customer at once.
pub(crate) struct TriggerFilled {
    pub trigger: &'static str,
    pub fill: &'static str,
}

/// Every insert trigger on the customer tables (a test checks that none is
/// missing); a second search table kept by triggers adds its line here.
/// Row by row through its trigger, the phone index (migration 0012) cost a
/// million-customer load 6.6 s on SQLite's thread; filled at once, 1.3 s.
/// The fill goes in rowid order: FTS5 flushes whenever a rowid goes back.
pub(crate) const TRIGGER_FILLED: &[TriggerFilled] = &[
    TriggerFilled {
        trigger: "customer_phones_insert",
        fill: "INSERT INTO customer_phones (rowid, phone)
               SELECT id, phone FROM customers WHERE phone IS NOT NULL ORDER BY id",
    },
    TriggerFilled {
        trigger: "customer_names_insert",
        fill: "INSERT INTO customer_names (rowid, search_name)
               SELECT id, search_name FROM customers ORDER BY id",
    },
    TriggerFilled {
        trigger: "customer_loyalty_open",
        fill: "INSERT INTO customer_loyalty (customer_id)
               SELECT c.id FROM customers c
               WHERE NOT EXISTS (SELECT 1 FROM customer_loyalty l WHERE l.customer_id = c.id)
               ORDER BY c.id",
    },
];

pub struct SqliteCustomerLoad {
    conn: PoolConnection<Sqlite>,
    next_id: i64,
    /// The `CREATE INDEX` statements of the dropped indexes, as the schema
    /// holds them, so the load rebuilds exactly what the migrations made.
    indexes: Vec<String>,
    /// The dropped insert triggers' `CREATE TRIGGER` statements, as the
    /// schema holds them, each with the statement filling its table.
    triggers: Vec<(String, &'static str)>,
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
    let mut triggers = Vec::new();
    for filled in TRIGGER_FILLED {
        let sql: Option<String> = sqlx::query_scalar(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
        )
        .bind(filled.trigger)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
        let Some(sql) = sql else { continue };
        sqlx::query(AssertSqlSafe(format!(
            "DROP TRIGGER \"{}\"",
            filled.trigger
        )))
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
        triggers.push((sql, filled.fill));
    }
    let next_id = next_id(&mut conn).await?;
    Ok(Some(SqliteCustomerLoad {
        conn,
        next_id,
        indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
        triggers,
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
        for (trigger, fill) in &self.triggers {
            for statement in [*fill, trigger.as_str()] {
                sqlx::query(AssertSqlSafe(statement))
                    .execute(&mut *self.conn)
                    .await
                    .map_err(backend)?;
            }
        }
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

#[cfg(test)]
mod tests {
    use clientele_store::Database;

    use super::TRIGGER_FILLED;

    /// A trigger a load does not know would fill its table row by row.
    #[tokio::test]
    async fn every_insert_trigger_on_the_customer_tables_is_filled_after_a_load() {
        let dir = std::env::temp_dir().join(format!("clientele-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("triggers.db");
        let _ = std::fs::remove_file(&path);
        let db = crate::SqliteDatabase::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let triggers: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema
             WHERE type = 'trigger' AND tbl_name IN ('customers', 'customer_properties')
               AND sql LIKE '% INSERT ON %'",
        )
        .fetch_all(&db.read)
        .await
        .unwrap();
        assert!(triggers.iter().any(|t| t == "customer_phones_insert"));
        for trigger in &triggers {
            assert!(
                TRIGGER_FILLED.iter().any(|f| f.trigger == trigger),
                "the load does not fill what {trigger} fills"
            );
        }
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
