//! What a schema version means for this binary, the same for every engine.

use std::cmp::Ordering;

use crate::error::{DbError, DbResult};

/// Migrating may move an older schema forward, never a newer one back.
pub fn may_migrate(database: i64, binary: i64) -> DbResult<()> {
    if database > binary {
        Err(DbError::SchemaTooNew { database, binary })
    } else {
        Ok(())
    }
}

/// Serving needs exactly the schema this binary was built for.
pub fn is_current(database: i64, binary: i64) -> DbResult<()> {
    match database.cmp(&binary) {
        Ordering::Greater => Err(DbError::SchemaTooNew { database, binary }),
        Ordering::Less => Err(DbError::SchemaTooOld { database, binary }),
        Ordering::Equal => Ok(()),
    }
}

/// A migration this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub description: String,
}

/// The newest schema version among `migrations`.
pub fn newest(migrations: &[Migration]) -> i64 {
    migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The migrations that would move a database at `database` forward, oldest
/// first; a database newer than every migration known is refused.
pub fn pending(known: Vec<Migration>, database: i64) -> DbResult<Vec<Migration>> {
    may_migrate(database, newest(&known))?;
    let mut pending: Vec<Migration> = known.into_iter().filter(|m| m.version > database).collect();
    pending.sort_by_key(|m| m.version);
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<Migration> {
        [(2, "b"), (1, "a"), (3, "c")]
            .map(|(version, description)| Migration {
                version,
                description: description.into(),
            })
            .to_vec()
    }

    #[test]
    fn pending_lists_what_is_newer_than_the_database_oldest_first() {
        let versions = |database| {
            pending(known(), database).map(|p| p.iter().map(|m| m.version).collect::<Vec<_>>())
        };
        assert_eq!(versions(0).unwrap(), [1, 2, 3]);
        assert_eq!(versions(2).unwrap(), [3]);
        assert!(versions(3).unwrap().is_empty());
        assert!(matches!(
            versions(4),
            Err(DbError::SchemaTooNew {
                database: 4,
                binary: 3
            })
        ));
    }
}
