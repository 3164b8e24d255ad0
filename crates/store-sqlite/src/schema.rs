//! Migrations and the schema version check.

use clientele_store::schema::{self, Migration};
use clientele_store::{DbError, DbResult};
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;

use crate::errors::backend;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub async fn version(pool: &SqlitePool) -> DbResult<i64> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await
    .map_err(backend)?;
    Ok(if has_table {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(backend)?
    } else {
        0
    })
}

pub async fn migrate(pool: &SqlitePool) -> DbResult<()> {
    schema::may_migrate(version(pool).await?, schema::newest(&migrations()))?;
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| DbError::Open(format!("migration failed: {e}")))
}

pub fn migrations() -> Vec<Migration> {
    clientele_store_sql::schema::migrations(&MIGRATOR)
}
