//! The file's readers: connections kept here rather than in a pool, since a
//! pool checks every connection as it comes back (a hand-off to the
//! connection's thread and back, as dear as a short read itself), and a
//! file does not hang up. A read dropped midway leaves its connection as
//! good as one that finished: its thread ends the statement before it takes
//! the next.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Sqlite};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a read waits for a free reader, as a pool's acquire would.
const WAIT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct FileReaders {
    shared: Arc<Shared>,
}

struct Shared {
    options: SqliteConnectOptions,
    idle: Mutex<Vec<SqliteConnection>>,
    /// One per reader that may be open at once.
    permits: Arc<Semaphore>,
    /// Readers open, idle or taken.
    open: AtomicUsize,
}

impl FileReaders {
    /// At most `most` readers of the file `options` opens; one is opened
    /// now, so that a file that cannot be read says so at once.
    pub async fn open(
        options: SqliteConnectOptions,
        most: usize,
    ) -> Result<FileReaders, sqlx::Error> {
        let readers = FileReaders {
            shared: Arc::new(Shared {
                options,
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(most)),
                open: AtomicUsize::new(0),
            }),
        };
        drop(readers.take_one().await?);
        Ok(readers)
    }

    async fn take_one(&self) -> Result<FileReader, sqlx::Error> {
        let shared = &self.shared;
        let permit = tokio::time::timeout(WAIT, shared.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = shared.idle().pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = shared.options.connect().await?;
                shared.open.fetch_add(1, Ordering::Relaxed);
                conn
            }
        };
        Ok(FileReader {
            conn: Some(conn),
            shared: shared.clone(),
            _permit: permit,
        })
    }

    /// Closes the readers no one holds (a load leaving the log waits for
    /// the file to have no other connection).
    pub async fn close_idle(&self) {
        let idle = std::mem::take(&mut *self.shared.idle());
        for conn in idle {
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
            // A reader that fails to close is gone all the same.
            let _ = conn.close().await;
        }
    }

    /// Readers open, idle or taken.
    pub fn open_count(&self) -> usize {
        self.shared.open.load(Ordering::Relaxed)
    }
}

impl Shared {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<SqliteConnection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl clientele_store_sql::Readers<Sqlite> for FileReaders {
    type Reader = FileReader;

    fn take(&self) -> impl Future<Output = Result<FileReader, sqlx::Error>> + Send {
        self.take_one()
    }
}

/// A reader taken; given back as it drops, before its permit is.
pub struct FileReader {
    conn: Option<SqliteConnection>,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for FileReader {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.conn
            .as_ref()
            .expect("a reader holds its connection until dropped")
    }
}

impl std::ops::DerefMut for FileReader {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn
            .as_mut()
            .expect("a reader holds its connection until dropped")
    }
}

impl Drop for FileReader {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.shared.idle().push(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::testing::scratch;

    const COUNT: &str =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                         SELECT COUNT(*) FROM n";

    /// A read given up midway (a till that hung up) leaves its reader fit
    /// for the next read, which answers its own question.
    #[tokio::test]
    async fn a_reader_dropped_midway_answers_the_next_read() {
        let (db, dir) = scratch("readers-midway").await;
        let long = async {
            let mut reader = db.reader().await.unwrap();
            sqlx::query_scalar::<_, i64>(COUNT)
                .bind(2_000_000_i64)
                .fetch_one(&mut *reader)
                .await
        };
        assert!(
            tokio::time::timeout(Duration::from_millis(20), long)
                .await
                .is_err(),
            "the long read is cut short"
        );
        assert_eq!(db.read.open_count(), 1, "the reader came back");
        let mut reader = db.reader().await.unwrap();
        let counted: i64 = sqlx::query_scalar(COUNT)
            .bind(3_i64)
            .fetch_one(&mut *reader)
            .await
            .unwrap();
        assert_eq!(counted, 3);
        drop(reader);
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// No more readers are open than allowed: the next waits for one to
    /// come back, and idle ones close when asked.
    #[tokio::test]
    async fn readers_wait_for_one_to_come_back_and_idle_ones_close() {
        let (db, dir) = scratch("readers-most").await;
        let taken: Vec<_> =
            futures_util::future::join_all((0..crate::most_readers()).map(|_| db.reader()))
                .await
                .into_iter()
                .map(Result::unwrap)
                .collect();
        assert_eq!(db.read.open_count(), crate::most_readers());
        assert!(
            tokio::time::timeout(Duration::from_millis(50), db.reader())
                .await
                .is_err(),
            "every reader is taken"
        );
        drop(taken);
        let reader = db.reader().await.unwrap();
        assert_eq!(
            db.read.open_count(),
            crate::most_readers(),
            "none opened anew"
        );
        db.read.close_idle().await;
        assert_eq!(db.read.open_count(), 1, "the taken one stays open");
        drop(reader);
        db.read.close_idle().await;
        assert_eq!(db.read.open_count(), 0);
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
