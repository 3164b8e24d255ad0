//! The `clientele` command: configuration, picking the database engine by
//! its URL, and one function per subcommand. `main` only calls [`run`].

mod commands;
mod config;
mod messaging;
mod progress;

use std::path::Path;
use std::sync::Arc;

use clientele_store::backup::Backup;
use clientele_store::{Database, DbError};

pub use commands::run;
pub use config::{Cli, Command};

/// Opens the engine a URL names: `sqlite://PATH` or `postgres://…`.
pub async fn open_database(url: &str) -> Result<Arc<dyn Database>, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(
            clientele_store_sqlite::SqliteDatabase::open(url).await?,
        ))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            clientele_store_postgres::PostgresDatabase::open(url).await?,
        ))
    } else {
        Err(unknown_url(url))
    }
}

/// Restores a backup as the database a URL names, by the URL's engine; the
/// database is left at the backup's schema version.
pub async fn restore_database(url: &str, from: &Path) -> Result<Backup, DbError> {
    if url.starts_with("sqlite:") {
        clientele_store_sqlite::restore(url, from).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        clientele_store_postgres::restore(url, from).await
    } else {
        Err(unknown_url(url))
    }
}

fn unknown_url(url: &str) -> DbError {
    DbError::Open(format!(
        "unknown database URL «{}»: use sqlite://PATH or postgres://USER@HOST/DB",
        url.split('@').next_back().unwrap_or(url)
    ))
}
