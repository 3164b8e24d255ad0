//! Filling an empty customer base: one write transaction that drops the
//! indexes of the customer tables and their accounts, appends the rows in id
//! order and builds the indexes again from sorted runs at the end. Readers
//! keep seeing the empty base until the commit (WAL).
//!
//! Search tables the migrations keep in step with the rows by triggers
//! (FTS5) are filled the same way: their insert triggers are dropped for the
//! load, and each table is filled in one statement after the rows.
//!
//! The load has the write connection to itself, with a page cache large
//! enough to hold a million customers without spilling to the WAL and
//! reading back. The connection is closed afterwards, which also rolls back
//! a load dropped half-way, and the pool opens a fresh one.
//!
//! When no other connection has the file open, the load runs on a rollback
//! journal instead of the WAL: its pages are written once, into the file,
//! rather than into the log and again into the file (at a million customers
//! 850 MB, 6.5 s of the load's 22 s). The base was empty, so the journal
//! keeps only the few pages that were there. Its pages are never spilled
//! before the commit (the page cache grows with the load, about 0.9 GB per
//! million customers), so a reader opened meanwhile keeps reading the empty
//! base as under the WAL and waits only for the commit. The file is in WAL
//! mode again when the load returns.

use async_trait::async_trait;
use clientele_domain::{CustomerId, CustomerProfile};
use clientele_store::{CustomerLoad, DbError, DbResult, NewCustomerRecord};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Sqlite, SqlitePool};

use crate::SqliteDatabase;
use crate::customers::{CUSTOMER_UNIQUES, insert_properties, insert_rows, next_id};
use crate::errors::{backend, constraint};
use crate::readers::FileReaders;

/// The load's page cache, KiB (SQLite's negative `cache_size`).
const LOAD_CACHE_KIB: i64 = 1 << 20;

/// How long a load waits for this process's readers to come back before it
/// leaves them be and runs on the WAL.
const READERS_BACK: std::time::Duration = std::time::Duration::from_millis(200);

/// The tables whose indexes the load drops and builds again at the end.
const LOADED_TABLES: &str = "'customers', 'customer_properties', 'customer_loyalty'";

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
    // The base was empty, so no customer has an account yet.
    TriggerFilled {
        trigger: "customer_loyalty_open",
        fill: "INSERT INTO customer_loyalty (customer_id) SELECT id FROM customers ORDER BY id",
    },
];

pub struct SqliteCustomerLoad {
    conn: PoolConnection<Sqlite>,
    /// Whether the load runs on a rollback journal (see above).
    rollback_journal: bool,
    next_id: i64,
    /// The `CREATE INDEX` statements of the dropped indexes, as the schema
    /// holds them, so the load rebuilds exactly what the migrations made.
    indexes: Vec<String>,
    /// The dropped insert triggers' `CREATE TRIGGER` statements, as the
    /// schema holds them, each with the statement filling its table.
    triggers: Vec<(String, &'static str)>,
}

pub async fn begin(db: &SqliteDatabase) -> DbResult<Option<SqliteCustomerLoad>> {
    let mut conn = db.write.acquire().await.map_err(backend)?;
    conn.close_on_drop();
    sqlx::query(AssertSqlSafe(format!(
        "PRAGMA cache_size = -{LOAD_CACHE_KIB}"
    )))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    let rollback_journal = leave_wal(&mut conn, &db.read, &db.checkpoints).await?;

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
    let indexes: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND tbl_name IN ({LOADED_TABLES}) AND sql IS NOT NULL"
    )))
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
        rollback_journal,
        next_id,
        indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
        triggers,
    }))
}

#[async_trait]
impl CustomerLoad for SqliteCustomerLoad {
    async fn insert(&mut self, customers: &[NewCustomerRecord]) -> DbResult<Vec<CustomerId>> {
        let first = self.next_id;
        let ids: Vec<i64> = (first..).take(customers.len()).collect();
        let inserted = insert_rows(&mut self.conn, customers, &ids).await?;
        if inserted.len() != customers.len() {
            return Err(DbError::Backend(
                "a customer of the load was not written".into(),
            ));
        }
        let profiles: Vec<(i64, &CustomerProfile)> = customers
            .iter()
            .zip(&ids)
            .map(|(record, id)| (*id, &record.profile))
            .collect();
        insert_properties(&mut self.conn, &profiles).await?;
        self.next_id += customers.len() as i64;
        Ok((first..self.next_id).map(CustomerId).collect())
    }

    async fn finish(mut self: Box<Self>) -> DbResult<()> {
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
        if self.rollback_journal {
            back_to_wal(&mut self.conn).await;
        }
        Ok(())
    }
}

/// Switches the file to a rollback journal if no other connection has it
/// open: this process's other connections (readers, the checkpointer) are
/// closed as they come back; one still busy after `READERS_BACK`, or any
/// connection of another process, keeps the load on the WAL.
async fn leave_wal(
    conn: &mut PoolConnection<Sqlite>,
    readers: &FileReaders,
    checkpoints: &SqlitePool,
) -> DbResult<bool> {
    let deadline = tokio::time::Instant::now() + READERS_BACK;
    loop {
        readers.close_idle().await;
        while let Some(other) = checkpoints.try_acquire() {
            // A connection that fails to close is gone all the same.
            let _ = other.close().await;
        }
        let open = readers.open_count() > 0 || checkpoints.size() > 0;
        if !open || tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let busy_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut **conn)
        .await
        .map_err(backend)?;
    sqlx::query("PRAGMA busy_timeout = 0")
        .execute(&mut **conn)
        .await
        .map_err(backend)?;
    // Refused as busy while another connection holds the file open.
    let mode: Option<String> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut **conn)
        .await
        .ok();
    let rollback_journal = mode.as_deref() == Some("delete");
    sqlx::query(AssertSqlSafe(format!("PRAGMA busy_timeout = {busy_ms}")))
        .execute(&mut **conn)
        .await
        .map_err(backend)?;
    if rollback_journal {
        sqlx::query("PRAGMA cache_spill = OFF")
            .execute(&mut **conn)
            .await
            .map_err(backend)?;
    }
    Ok(rollback_journal)
}

/// The load is committed whatever happens here: should a reader hold the
/// file past the busy timeout, the next write connection, which asks for
/// WAL as it opens, switches back.
async fn back_to_wal(conn: &mut PoolConnection<Sqlite>) {
    let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode = WAL")
        .fetch_one(&mut **conn)
        .await;
    if !matches!(mode.as_deref(), Ok("wal")) {
        tracing::warn!(
            ?mode,
            "the loaded base stays on a rollback journal until the next write connection"
        );
    }
}

#[cfg(test)]
mod tests {
    use clientele_store::CustomerLoad;
    use clientele_store::prelude::*;
    use sqlx::AssertSqlSafe;

    use super::TRIGGER_FILLED;
    use crate::testing::{customer, scratch};

    async fn journal_mode(conn: impl sqlx::SqliteExecutor<'_>) -> String {
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(conn)
            .await
            .unwrap()
    }

    async fn customers(conn: impl sqlx::SqliteExecutor<'_>) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(conn)
            .await
            .unwrap()
    }

    /// With the file to itself, a load writes its pages once, on a rollback
    /// journal; a reader opened meanwhile sees the empty base; afterwards
    /// the file is in WAL mode with every customer.
    #[tokio::test]
    async fn a_load_alone_runs_on_a_rollback_journal_and_returns_to_wal() {
        let (db, dir) = scratch("alone").await;
        // Idle readers of this process do not keep the load on the WAL.
        assert_eq!(customers(&mut *db.reader().await.unwrap()).await, 0);
        let mut load = super::begin(&db).await.unwrap().unwrap();
        assert!(load.rollback_journal);
        let batch = [
            customer(&db, "Иванова Мария", "+79161234567").await,
            customer(&db, "Петров Иван", "+79161234568").await,
        ];
        load.insert(&batch).await.unwrap();
        assert_eq!(
            journal_mode(&mut *db.reader().await.unwrap()).await,
            "delete"
        );
        assert_eq!(
            customers(&mut *db.reader().await.unwrap()).await,
            0,
            "a reader sees the empty base"
        );
        Box::new(load).finish().await.unwrap();
        assert_eq!(journal_mode(&db.write).await, "wal");
        assert_eq!(customers(&mut *db.reader().await.unwrap()).await, 2);
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A reader in the middle of a read keeps the file open: the load runs
    /// on the WAL as before.
    #[tokio::test]
    async fn a_load_beside_a_reading_connection_stays_on_the_wal() {
        let (db, dir) = scratch("beside").await;
        let mut reader = db.reader().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *reader).await.unwrap();
        assert_eq!(customers(&mut *reader).await, 0);
        let mut load = super::begin(&db).await.unwrap().unwrap();
        assert!(!load.rollback_journal);
        load.insert(&[customer(&db, "Иванова Мария", "+79161234567").await])
            .await
            .unwrap();
        Box::new(load).finish().await.unwrap();
        assert_eq!(customers(&mut *reader).await, 0, "its snapshot holds");
        sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();
        assert_eq!(customers(&mut *reader).await, 1);
        assert_eq!(journal_mode(&db.write).await, "wal");
        drop(reader);
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A trigger a load does not know would fill its table row by row.
    #[tokio::test]
    async fn every_insert_trigger_on_the_customer_tables_is_filled_after_a_load() {
        let (db, dir) = scratch("triggers").await;
        let triggers: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema
             WHERE type = 'trigger' AND tbl_name IN ('customers', 'customer_properties')
               AND sql LIKE '% INSERT ON %'",
        )
        .fetch_all(&mut *db.reader().await.unwrap())
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

    /// The checkpointer's connection, open since the writer's last job (on
    /// an empty base, the scheduled expiry of points), is closed as the
    /// readers are: the load still has the file to itself.
    #[tokio::test]
    async fn a_load_after_the_writers_jobs_still_runs_on_a_rollback_journal() {
        let (db, dir) = scratch("after-jobs").await;
        db.expire_points(jiff::Timestamp::now(), 100).await.unwrap();
        let connected = async {
            while db.checkpoints.size() == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(5), connected)
            .await
            .expect("the checkpointer connects after a commit");
        let load = super::begin(&db).await.unwrap().unwrap();
        assert!(load.rollback_journal);
        Box::new(load).finish().await.unwrap();
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Customers written with the triggers dropped and then filled at once
    /// are found as customers written one by one are.
    #[tokio::test]
    async fn the_statements_after_a_load_fill_what_the_triggers_would() {
        let (db, dir) = scratch("filled").await;
        let mut triggers = Vec::new();
        for filled in TRIGGER_FILLED {
            let name = filled.trigger;
            let sql: String = sqlx::query_scalar(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            )
            .bind(name)
            .fetch_one(&db.write)
            .await
            .unwrap();
            sqlx::query(AssertSqlSafe(format!("DROP TRIGGER {name}")))
                .execute(&db.write)
                .await
                .unwrap();
            triggers.push(sql);
        }
        db.create_customer(&customer(&db, "Иванова Мария Петровна", "+79161234567").await)
            .await
            .unwrap();
        for filled in TRIGGER_FILLED {
            sqlx::query(AssertSqlSafe(filled.fill))
                .execute(&db.write)
                .await
                .unwrap();
        }
        for trigger in triggers {
            sqlx::query(AssertSqlSafe(trigger))
                .execute(&db.write)
                .await
                .unwrap();
        }
        for typed in ["Петровна Мар", "1234"] {
            let params = [("q", typed)];
            let filter = clientele_domain::CustomerFilter::parse(
                params.iter().copied(),
                &[],
                jiff::civil::date(2026, 11, 23),
            )
            .unwrap();
            let query = clientele_store::CustomerQuery {
                filter,
                order: clientele_domain::SortOrder::default(),
                limit: 10,
                after: None,
            };
            let found = db.list_customers(&query).await.unwrap();
            assert_eq!(found.items.len(), 1, "{typed} finds the customer");
        }
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_loyalty")
            .fetch_one(&mut *db.reader().await.unwrap())
            .await
            .unwrap();
        assert_eq!(accounts, 1, "the customer has an account row");
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
