//! The scale-out engine: PostgreSQL through a pool of connections, writes
//! running in parallel in read-committed transactions. Every customer-owned
//! table carries `customer_id`, so the schema can later be sharded by
//! customer.

mod backup;
mod card_import;
mod certificates;
mod customer_keys;
mod customer_page;
mod customers;
mod engine;
mod errors;
mod figures;
mod filter;
mod load;
mod primary;
mod programs;
mod receipts;
mod rows;
pub mod scale_out;
mod schema;
mod till_view;

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use clientele_store::schema::Migration;
use clientele_store::{Database, DbError, DbResult, Portable};
use clientele_store_sql::Sql;
use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};

use crate::engine::PostgresEngine;

/// How long opening waits for the server, and a query for a free connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection idle longer than this is checked before it is used again.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(5);

pub use backup::restore;

pub struct PostgresDatabase {
    /// The URL as given: backups hand it to pg_dump.
    url: String,
    pool: PgPool,
    /// The areas written once for every engine.
    sql: Sql<PostgresEngine>,
}

impl PostgresDatabase {
    /// Connects to the database at a `postgres://` URL.
    /// Does not migrate: call [`Database::migrate`] or [`Database::check_schema`].
    pub async fn open(url: &str) -> DbResult<PostgresDatabase> {
        let candidates = primary::candidates(url)?;
        // Messages name the hosts and database, never the URL: it may hold a password.
        let first = &candidates[0];
        let target = format!(
            "database «{}» on {}",
            first.get_database().unwrap_or(first.get_username()),
            candidates
                .iter()
                .map(primary::described)
                .collect::<Vec<_>>()
                .join(", ")
        );
        // One connection first: a pool retries until its timeout and then
        // reports only that, while this says why (refused, no such database…).
        let failed = |why: String| DbError::Open(format!("cannot connect to {target}: {why}"));
        let (current, probe) = if candidates.len() == 1 {
            match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(first)).await {
                Ok(Ok(probe)) => (0, probe),
                Ok(Err(e)) => return Err(failed(e.to_string())),
                Err(_) => return Err(failed(format!("no answer within {CONNECT_TIMEOUT:?}"))),
            }
        } else {
            primary::find(&candidates).await.map_err(failed)?
        };
        // The pool checks a connection as it comes back (a round trip of its
        // own); checking it again as it is taken would double that on every
        // statement, so only a connection idle for a while is checked, or
        // any for a while after the primary moved.
        let moves = primary::Moves::new();
        let checks = moves.clone();
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(CONNECT_TIMEOUT)
            .test_before_acquire(false)
            .before_acquire(move |conn, meta| {
                let checks = checks.clone();
                Box::pin(async move {
                    if meta.idle_for > CHECK_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    checks.still_good(conn).await
                })
            })
            .connect_lazy_with(candidates[current].clone());
        if candidates.len() > 1 {
            primary::watch(pool.clone(), candidates, current, probe, moves);
        } else {
            probe.close().await.map_err(|e| failed(e.to_string()))?;
        }
        Ok(PostgresDatabase {
            url: url.to_owned(),
            sql: Sql::new(pool.clone(), pool.clone()),
            pool,
        })
    }
}

#[async_trait]
impl Database for PostgresDatabase {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    fn portable(&self) -> &dyn Portable {
        &self.sql
    }

    async fn migrate(&self) -> DbResult<()> {
        schema::migrate(&self.pool).await
    }

    async fn applied_version(&self) -> DbResult<i64> {
        schema::version(&self.pool).await
    }

    fn migrations(&self) -> Vec<Migration> {
        schema::migrations()
    }

    async fn write_backup(&self, to: &Path) -> DbResult<u64> {
        backup::write(&self.url, to).await
    }
}
