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
