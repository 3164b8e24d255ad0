//! The embedded engine: one SQLite file in WAL mode, created and migrated on
//! first start. Reads go through readers the engine keeps; writes through a
//! single connection, since SQLite has one writer anyway and queuing
//! in-process is cheaper than waiting on the file lock.

mod backup;
mod card_import;
mod certificates;
mod checkpointer;
mod customer_page;
mod customers;
mod engine;
mod errors;
mod figures;
mod filter;
mod load;
mod programs;
mod readers;
mod receipts;
mod restore;
mod rows;
mod schema;
#[cfg(test)]
mod testing;
mod till_view;
mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use clientele_store::schema::Migration;
use clientele_store::{Database, DbError, DbResult, Portable};
use clientele_store_sql::Sql;
use sqlx::ConnectOptions;

use crate::engine::SqliteEngine;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use restore::restore;

pub struct SqliteDatabase {
    /// The database file, which backups copy.
    path: PathBuf,
    read: readers::FileReaders,
    write: SqlitePool,
    /// The checkpointer's connection, opened when the log first grows.
    checkpoints: SqlitePool,
    /// Receipts, returns and points by hand, grouped into shared transactions.
    writer: writer::Writer,
    /// The areas written once for every engine.
    sql: Sql<SqliteEngine>,
}

/// A reader's page cache, KiB (SQLite's negative `cache_size`): enough for
/// the inner pages of the indexes one statement walks.
const READER_CACHE_KIB: &str = "-8192";
/// Readers open at most at once: two a core. A read runs on its
/// connection's own thread and SQLite's pages are in memory, so readers past
/// that only take turns on the cores with the writer's thread; on two
/// cores, four readers served the tills a fifth more commits than eight
/// did, with calculate the same.
fn most_readers() -> usize {
    std::thread::available_parallelism().map_or(4, |cores| (2 * cores.get()).clamp(4, 16))
}

impl SqliteDatabase {
    /// Opens (creating if missing) the database at a `sqlite://PATH` URL.
    /// Does not migrate: call [`Database::migrate`] or [`Database::check_schema`].
    pub async fn open(url: &str) -> DbResult<SqliteDatabase> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbError::Open(format!("«{url}» is not a SQLite URL: {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-262144")
            .pragma("mmap_size", "1073741824")
            .pragma("temp_store", "memory")
            .log_slow_statements(log::LevelFilter::Info, clientele_store_sql::SLOW_STATEMENT);
        let path = options.get_filename().to_owned();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: a receipt answered is a receipt on disk, even on
                    // power loss.
                    .synchronous(SqliteSynchronous::Full)
                    // The checkpointer folds the log back long before; this
                    // is the writer's own fold should it ever fall behind.
                    .pragma("wal_autocheckpoint", "16384"),
            )
            .await
            .map_err(|e| DbError::Open(format!("cannot open {url}: {e}")))?;
        // Readers take the journal mode the file has (the writer made it WAL):
        // one opened while a load runs on a rollback journal still reads.
        // They read without mapping the file: a reader whose next statement
        // finds the database changed drops its whole map and faults its
        // pages back in, which costs more than reading the few it needs.
        // For the same reason their page cache is small: it is emptied on
        // every change, and emptying walks every slot the cache ever grew
        // to, so one large read (a campaign's audience) would make every
        // later statement on that reader pay for a quarter of a gigabyte.
        let read = readers::FileReaders::open(
            options
                .clone()
                .read_only(true)
                .pragma("mmap_size", "0")
                .pragma("cache_size", READER_CACHE_KIB),
            most_readers(),
        )
        .await
        .map_err(|e| DbError::Open(format!("cannot open {url}: {e}")))?;
        // Closed when idle, so that a load can leave the WAL.
        let checkpoints = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(1))
            .test_before_acquire(false)
            .connect_lazy_with(options);
        let checkpointer = checkpointer::Checkpointer::start(checkpoints.clone());
        let writer = writer::Writer::start(write.clone(), checkpointer)
            .map_err(|e| DbError::Open(format!("cannot start the writer of {url}: {e}")))?;
        Ok(SqliteDatabase {
            path,
            checkpoints,
            sql: Sql::new(read.clone(), write.clone()),
            read,
            write,
            writer,
        })
    }
}

impl SqliteDatabase {
    /// A reader of the file, given back as it drops.
    async fn reader(&self) -> DbResult<readers::FileReader> {
        use clientele_store_sql::Readers as _;
        self.read.take().await.map_err(errors::backend)
    }
}

#[async_trait]
impl Database for SqliteDatabase {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    fn portable(&self) -> &dyn Portable {
        &self.sql
    }

    async fn migrate(&self) -> DbResult<()> {
        schema::migrate(&self.write).await
    }

    async fn applied_version(&self) -> DbResult<i64> {
        schema::version(&mut *self.reader().await?).await
    }

    fn migrations(&self) -> Vec<Migration> {
        schema::migrations()
    }

    async fn write_backup(&self, to: &Path) -> DbResult<u64> {
        backup::write(self.path.clone(), to).await
    }
}
