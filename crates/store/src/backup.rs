//! Backups, the same for every engine: what a file is, and how a copy
//! replaces the previous one only once it is whole.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::{DbError, DbResult};
use crate::schema::{Migration, newest};

/// A backup written: its size and the schema version it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backup {
    pub bytes: u64,
    pub schema_version: i64,
}

/// What a file to restore holds, read from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// An SQLite database file (the SQLite engine's backups).
    Sqlite,
    /// A `pg_dump` archive in its custom format (the PostgreSQL engine's).
    PgDump,
}

impl BackupKind {
    /// Reads the file's signature; anything else is not a backup.
    pub fn of(path: &Path) -> DbResult<BackupKind> {
        let mut head = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut file| file.read(&mut head))
            .map_err(|e| DbError::Backup(format!("cannot read {}: {e}", path.display())))?;
        if read == 16 && &head == b"SQLite format 3\0" {
            Ok(BackupKind::Sqlite)
        } else if read >= 5 && &head[..5] == b"PGDMP" {
            Ok(BackupKind::PgDump)
        } else {
            Err(DbError::Backup(format!(
                "{} is not a Clientele backup (neither an SQLite database nor a pg_dump archive)",
                path.display()
            )))
        }
    }

    /// Refuses a backup of another engine than the one restoring it.
    pub fn expect(self, wanted: BackupKind, path: &Path) -> DbResult<()> {
        if self == wanted {
            return Ok(());
        }
        let (is, into) = match self {
            BackupKind::Sqlite => ("an SQLite", "a sqlite:// database"),
            BackupKind::PgDump => ("a PostgreSQL", "a postgres:// database"),
        };
        Err(DbError::Backup(format!(
            "{} is {is} backup: restore it into {into}",
            path.display()
        )))
    }
}

/// Refuses a backup at a schema this binary does not know.
pub fn check_version(from: &Path, version: i64, migrations: &[Migration]) -> DbResult<()> {
    let binary = newest(migrations);
    if version > binary {
        return Err(DbError::Backup(format!(
            "{} cannot be restored: it holds schema version {version}, newer than this binary knows ({binary}); restore it with a newer clientele",
            from.display()
        )));
    }
    Ok(())
}

/// Where a copy is written before it replaces `to`: beside it, so that the
/// rename that replaces it is atomic. What a backup that died left there is
/// removed first.
pub fn fresh_partial(to: &Path) -> PathBuf {
    let partial = partial_path(to);
    discard(&partial);
    partial
}

/// A copy that failed: removed, and said as the backup's failure.
pub fn abandoned(partial: &Path, to: &Path, why: &str) -> DbError {
    discard(partial);
    DbError::Backup(format!("the backup to {} failed: {why}", to.display()))
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

/// Puts a whole copy in place of `to`: the copy reaches the disk, then
/// replaces `to` in one rename, then the rename reaches the disk. A copy
/// that failed is removed and `to` stays as it was.
pub fn put_in_place(partial: &Path, to: &Path) -> DbResult<u64> {
    let placed = (|| {
        let file = std::fs::File::open(partial)?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        std::fs::rename(partial, to)?;
        if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::File::open(folder)?.sync_all()?;
        }
        Ok::<_, std::io::Error>(bytes)
    })();
    placed.map_err(|e| {
        discard(partial);
        DbError::Backup(format!("cannot write {}: {e}", to.display()))
    })
}

/// Removes a copy that will not be used.
pub fn discard(partial: &Path) {
    let _ = std::fs::remove_file(partial);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_first_bytes() {
        let dir =
            std::env::temp_dir().join(format!("clientele-backup-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlite = dir.join("a.db");
        std::fs::write(&sqlite, b"SQLite format 3\0rest of the page").unwrap();
        let dump = dir.join("a.dump");
        std::fs::write(&dump, b"PGDMP\x01\x0e\x00").unwrap();
        let text = dir.join("a.csv");
        std::fs::write(&text, "phone;name\n").unwrap();
        assert_eq!(BackupKind::of(&sqlite).unwrap(), BackupKind::Sqlite);
        assert_eq!(BackupKind::of(&dump).unwrap(), BackupKind::PgDump);
        let refused = BackupKind::of(&text).unwrap_err().to_string();
        assert!(refused.contains("is not a Clientele backup"), "{refused}");
        let crossed = BackupKind::PgDump
            .expect(BackupKind::Sqlite, &dump)
            .unwrap_err()
            .to_string();
        assert!(
            crossed.contains("restore it into a postgres://"),
            "{crossed}"
        );
        assert!(BackupKind::of(&dir.join("missing")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_copy_is_written_beside_its_target() {
        assert_eq!(
            fresh_partial(Path::new("/var/backups/clientele.db")),
            Path::new("/var/backups/clientele.db.partial")
        );
    }
}
