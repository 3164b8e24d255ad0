//! Migrations and the schema version check.

use clientele_store::schema::{self, Migration};
use clientele_store::{DbError, DbResult};
use sqlx::migrate::Migrator;
use sqlx::{SqliteConnection, SqlitePool};

use crate::errors::backend;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub async fn version(conn: &mut SqliteConnection) -> DbResult<i64> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(if has_table {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?
    } else {
        0
    })
}

pub async fn migrate(pool: &SqlitePool) -> DbResult<()> {
    let applied = version(&mut *pool.acquire().await.map_err(backend)?).await?;
    schema::may_migrate(applied, schema::newest(&migrations()))?;
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| DbError::Open(format!("migration failed: {e}")))
}

pub fn migrations() -> Vec<Migration> {
    clientele_store_sql::schema::migrations(&MIGRATOR)
}
