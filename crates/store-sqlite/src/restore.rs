//! Restoring a backup: the file is checked (SQLite's, whole, Clientele's,
//! not newer than this binary) before anything is written, and it becomes
//! the database only at an address that holds none.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clientele_store::backup::{
    Backup, BackupKind, check_version, discard, fresh_partial, put_in_place,
};
use clientele_store::{DbError, DbResult};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::schema::migrations;

/// Restores the backup at `from` as the database `url` names, which must
/// not exist yet or be empty. The database keeps the backup's schema
/// version: migrating it forward is the caller's next step.
pub async fn restore(url: &str, from: &Path) -> DbResult<Backup> {
    BackupKind::of(from)?.expect(BackupKind::Sqlite, from)?;
    let target = SqliteConnectOptions::from_str(url)
        .map_err(|e| DbError::Open(format!("«{url}» is not a SQLite URL: {e}")))?
        .get_filename()
        .to_owned();
    refuse_a_database_at(&target).await?;
    let schema_version = inspect(from).await?;
    let partial = fresh_partial(&target);
    if let Err(e) = tokio::fs::copy(from, &partial).await {
        discard(&partial);
        return Err(DbError::Backup(format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            partial.display()
        )));
    }
    for leftover in ["-wal", "-shm"] {
        let mut name = target.clone().into_os_string();
        name.push(leftover);
        discard(Path::new(&name));
    }
    let bytes = put_in_place(&partial, &target)?;
    Ok(Backup {
        bytes,
        schema_version,
    })
}

/// A file with tables in it is somebody's database: never overwritten.
async fn refuse_a_database_at(target: &PathBuf) -> DbResult<()> {
    let size = tokio::fs::metadata(target).await.map_or(0, |m| m.len());
    if size == 0 {
        return Ok(());
    }
    let mut existing = SqliteConnectOptions::new()
        .filename(target)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| DbError::Backup(format!("cannot read {}: {e}", target.display())))?;
    let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(&mut existing)
        .await
        .unwrap_or(1);
    let _ = existing.close().await;
    if tables > 0 {
        return Err(DbError::Backup(format!(
            "{} already holds a database: restore into a new file, or stop the server and move that file aside first",
            target.display()
        )));
    }
    Ok(())
}

/// The backup's schema version, once it is known to be a whole Clientele
/// database that this binary can serve.
async fn inspect(from: &Path) -> DbResult<i64> {
    let refused =
        |why: String| DbError::Backup(format!("{} cannot be restored: {why}", from.display()));
    // Immutable: reading the backup leaves nothing beside it.
    let mut backup = SqliteConnectOptions::new()
        .filename(from)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| refused(e.to_string()))?;
    let checked: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut backup)
        .await
        .map_err(|e| refused(format!("it is damaged ({e})")))?;
    if checked != "ok" {
        return Err(refused(format!("it is damaged ({checked})")));
    }
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'customers')",
    )
    .fetch_one(&mut backup)
    .await
    .map_err(|e| refused(e.to_string()))?;
    if known < 2 {
        return Err(refused(
            "it is an SQLite database, but not Clientele's".into(),
        ));
    }
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut backup)
            .await
            .map_err(|e| refused(e.to_string()))?;
    let _ = backup.close().await;
    check_version(from, version, &migrations())?;
    Ok(version)
}
