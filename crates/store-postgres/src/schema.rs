//! Migrations and the schema version check.

use clientele_store::schema::{self, Migration};
use clientele_store::{DbError, DbResult};
use sqlx::PgPool;
use sqlx::migrate::Migrator;

use crate::errors::backend;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub async fn version(pool: &PgPool) -> DbResult<i64> {
    let has_table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
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

pub async fn migrate(pool: &PgPool) -> DbResult<()> {
    schema::may_migrate(version(pool).await?, schema::newest(&migrations()))?;
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| DbError::Open(format!("migration failed: {e}")))?;
    if crate::scale_out::distribute(pool).await? {
        tracing::info!("citus: the tables are distributed by customer");
    }
    Ok(())
}

pub fn migrations() -> Vec<Migration> {
    clientele_store_sql::schema::migrations(&MIGRATOR)
}
