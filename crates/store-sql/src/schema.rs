//! The migrations an engine carries, as the store speaks of them.

use clientele_store::schema::Migration;
use sqlx::migrate::Migrator;

/// Every migration `migrator` carries.
pub fn migrations(migrator: &Migrator) -> Vec<Migration> {
    migrator
        .iter()
        .map(|m| Migration {
            version: m.version,
            description: m.description.to_string(),
        })
        .collect()
}
