//! Migrations and the schema version check.

use clientele_store::{DbError, DbResult, schema};
use sqlx::PgPool;
use sqlx::migrate::Migrator;

use crate::errors::backend;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

fn binary_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

pub async fn version(pool: &PgPool) -> DbResult<(i64, i64)> {
    let has_table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await
        .map_err(backend)?;
    let database = if has_table {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(backend)?
    } else {
        0
    };
    Ok((database, binary_version()))
}

pub async fn migrate(pool: &PgPool) -> DbResult<()> {
    let (database, binary) = version(pool).await?;
    schema::may_migrate(database, binary)?;
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| DbError::Open(format!("migration failed: {e}")))?;
    if crate::scale_out::distribute(pool).await? {
        tracing::info!("citus: the tables are distributed by customer");
    }
    Ok(())
}

pub async fn check(pool: &PgPool) -> DbResult<()> {
    let (database, binary) = version(pool).await?;
    schema::is_current(database, binary)
}
