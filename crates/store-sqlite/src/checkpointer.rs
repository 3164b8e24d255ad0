//! Folds the write-ahead log back into the database on a connection of its
//! own. Left to the writer, SQLite folds it inside a commit once the log
//! passes a thousand pages, and that commit, with every till behind it,
//! waits for the pages to be copied and the file synced. A passive
//! checkpoint runs beside the writer and never blocks it.

use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::mpsc;

/// How long the checkpointer lets commits gather after one tells it the
/// log grew: long enough to fold a burst at once, short enough that the
/// log stays a few hundred pages and the writer starts it over.
const SETTLE: Duration = Duration::from_millis(100);

pub struct Checkpointer {
    grew: mpsc::Sender<()>,
}

impl Checkpointer {
    /// Starts folding the log on `pool`, a read-write pool of its own; it
    /// ends when the last handle is dropped.
    pub fn start(pool: SqlitePool) -> Checkpointer {
        let (grew, told) = mpsc::channel(1);
        tokio::spawn(run(pool, told));
        Checkpointer { grew }
    }

    /// Tells the checkpointer that a commit added to the log; never waits.
    pub fn log_grew(&self) {
        let _ = self.grew.try_send(());
    }
}

async fn run(pool: SqlitePool, mut told: mpsc::Receiver<()>) {
    while told.recv().await.is_some() {
        tokio::time::sleep(SETTLE).await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(%error, "the write-ahead log could not be folded back");
        }
    }
}

#[cfg(test)]
mod tests {
    use clientele_store::prelude::*;

    use crate::testing::{customer, give_points, scratch};

    fn log_bytes(dir: &std::path::Path) -> u64 {
        std::fs::metadata(dir.join("test.db-wal")).map_or(0, |m| m.len())
    }

    /// Bursts of commits with pauses between them: after each pause the
    /// log has been folded back and the writer starts it over, so the
    /// file holds about one burst, where without the checkpointer it
    /// would hold all of them (the writer's own fold waits for thousands
    /// of pages).
    #[tokio::test]
    async fn the_log_is_folded_back_between_bursts_of_commits() {
        let (db, dir) = scratch("checkpoint").await;
        let anna = db
            .create_customer(&customer(&db, "Иванова Анна", "+79161234567").await)
            .await
            .unwrap()
            .id;
        let mut after_first = 0;
        for burst in 0..6 {
            for _ in 0..20 {
                give_points(&db, anna).await;
            }
            if burst == 0 {
                after_first = log_bytes(&dir);
            }
            tokio::time::sleep(super::SETTLE * 3).await;
        }
        let after_all = log_bytes(&dir);
        assert!(after_first > 0);
        assert!(
            after_all < 2 * after_first,
            "the log grew from {after_first} to {after_all} bytes over six bursts"
        );
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
