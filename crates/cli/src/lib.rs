//! The `clientele` command: configuration, picking the database engine by
//! its URL, and one function per subcommand. `main` only calls [`run`].

mod commands;
mod config;
mod messaging;
mod progress;

use std::sync::Arc;

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
        Err(DbError::Open(format!(
            "unknown database URL «{}»: use sqlite://PATH or postgres://USER@HOST/DB",
            url.split('@').next_back().unwrap_or(url)
        )))
    }
}
