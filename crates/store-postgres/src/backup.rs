//! Backups and restores through PostgreSQL's own programs: `pg_dump` reads
//! one snapshot of the database (the server keeps serving), and
//! `pg_restore` writes it back in a single transaction, so that a restore
//! that fails leaves nothing behind.

use std::path::Path;
use std::process::Output;

use clientele_store::backup::{
    Backup, BackupKind, abandoned, check_version, fresh_partial, put_in_place,
};
use clientele_store::{DbError, DbResult};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tokio::process::Command;

use crate::schema::migrations;

/// Dumps the database `url` names into `to` (pg_dump's custom format),
/// replacing `to` only once the dump is whole; the size written.
pub async fn write(url: &str, to: &Path) -> DbResult<u64> {
    let partial = fresh_partial(to);
    let dumped = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(&partial)
        .arg("--dbname")
        .arg(url)
        .output()
        .await;
    match succeeded("pg_dump", dumped) {
        Ok(_) => put_in_place(&partial, to),
        Err(why) => Err(abandoned(&partial, to, &why)),
    }
}

/// Restores the dump at `from` into the database `url` names, which must
/// hold no tables. The database keeps the dump's schema version: migrating
/// it forward is the caller's next step.
pub async fn restore(url: &str, from: &Path) -> DbResult<Backup> {
    BackupKind::of(from)?.expect(BackupKind::PgDump, from)?;
    let refused =
        |why: String| DbError::Backup(format!("{} cannot be restored: {why}", from.display()));
    let listed = Command::new("pg_restore")
        .arg("--list")
        .arg(from)
        .output()
        .await;
    let contents = succeeded("pg_restore", listed).map_err(&refused)?;
    let contents = String::from_utf8_lossy(&contents.stdout);
    if !(holds_table(&contents, "_sqlx_migrations") && holds_table(&contents, "customers")) {
        return Err(refused(
            "it is a pg_dump archive, but not of a Clientele database".into(),
        ));
    }
    let applied = Command::new("pg_restore")
        .args(["--data-only", "--table=_sqlx_migrations", "--file=-"])
        .arg(from)
        .output()
        .await;
    let applied = succeeded("pg_restore", applied).map_err(&refused)?;
    let schema_version = applied_version(&String::from_utf8_lossy(&applied.stdout));
    check_version(from, schema_version, &migrations())?;
    refuse_tables_in(url).await?;
    let restored = Command::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
        ])
        .arg(url)
        .arg(from)
        .output()
        .await;
    succeeded("pg_restore", restored)
        .map_err(|why| DbError::Backup(format!("the restore failed and wrote nothing: {why}")))?;
    Ok(Backup {
        bytes: std::fs::metadata(from).map_or(0, |m| m.len()),
        schema_version,
    })
}

/// A database with tables is somebody's database: never written over.
async fn refuse_tables_in(url: &str) -> DbResult<()> {
    let mut target = PgConnection::connect(url).await.map_err(|e| {
        DbError::Open(format!(
            "cannot connect to the database to restore into: {e}"
        ))
    })?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_one(target.as_mut())
    .await
    .map_err(DbError::backend)?;
    let _ = target.close().await;
    if tables > 0 {
        return Err(DbError::Backup(
            "the database to restore into already holds tables: create a new, empty database (createdb) and restore into it"
                .into(),
        ));
    }
    Ok(())
}

/// A program's output when it ran and succeeded; otherwise why not.
fn succeeded(program: &str, ran: std::io::Result<Output>) -> Result<Output, String> {
    match ran {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "{program} was not found: install PostgreSQL's client programs (Debian: postgresql-client)"
        )),
        Err(e) => Err(format!("cannot run {program}: {e}")),
        Ok(output) if !output.status.success() => Err(format!(
            "{program} said: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Ok(output) => Ok(output),
    }
}

/// Whether an archive's table of contents (`pg_restore --list`) holds a
/// table of the public schema.
fn holds_table(contents: &str, table: &str) -> bool {
    contents.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.windows(3).any(|w| w == ["TABLE", "public", table])
    })
}

/// The newest migration applied, from the rows `pg_restore --data-only`
/// prints for `_sqlx_migrations` (tab-separated: version, description,
/// installed_on, success, …).
fn applied_version(copy: &str) -> i64 {
    copy.lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|fields| fields.len() > 3 && fields[3] == "t")
        .filter_map(|fields| fields[0].parse::<i64>().ok())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_is_read_by_its_contents() {
        let contents = "; Archive created at 2026-12-07\n215; 1259 16390 TABLE public customers postgres\n214; 1259 16385 TABLE public _sqlx_migrations postgres\n";
        assert!(holds_table(contents, "customers"));
        assert!(holds_table(contents, "_sqlx_migrations"));
        assert!(!holds_table(contents, "receipts"));
        let copy = "COPY public._sqlx_migrations (version, description, installed_on, success, checksum, execution_time) FROM stdin;\n1\tinit\t2026-12-01\tt\t\\\\x00\t5\n2\tmore\t2026-12-01\tt\t\\\\x00\t5\n3\tbroken\t2026-12-01\tf\t\\\\x00\t5\n\\.\n";
        assert_eq!(applied_version(copy), 2);
    }
}
