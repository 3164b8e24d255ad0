//! Group commit: receipts, returns and points by hand from every till queue
//! up for one writer task, which writes as many as are waiting in one
//! transaction and one fsync, and answers each only once that transaction
//! is durable. Should anything in a group fail, the group is rolled back and
//! each of its jobs written again on its own, so one bad job cannot fail
//! the others.

use clientele_domain::{CardId, CustomerId};
use clientele_store::{
    AdjustOutcome, CommitOutcome, DbError, DbResult, HoldOutcome, ImportedCard, NewHold,
    PointsAdjustment, ReceiptCommit, ReturnCommit, ReturnOutcome,
};
use sqlx::{Acquire, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::checkpointer::Checkpointer;
use crate::{card_import, receipts};

/// The most jobs one transaction takes: enough to absorb a burst from every
/// till, few enough that the first in the group does not wait long.
const GROUP: usize = 64;

/// A job, the till waiting for it, and its outcome once written.
pub struct Pending<W, O> {
    work: W,
    reply: oneshot::Sender<DbResult<O>>,
    outcome: Option<O>,
}

pub enum Job {
    /// Boxed: a receipt is far larger than the other jobs.
    Commit(Box<Pending<ReceiptCommit, CommitOutcome>>),
    Return(Pending<ReturnCommit, ReturnOutcome>),
    Adjust(Pending<PointsAdjustment, AdjustOutcome>),
    Hold(Pending<NewHold, HoldOutcome>),
    /// Expiry of points: the time, and how many customers at most.
    Expire(Pending<(jiff::Timestamp, u32), u32>),
    /// A merge's points: the duplicate, the survivor, the time.
    Merge(Pending<(CustomerId, CustomerId, jiff::Timestamp), ()>),
    /// Past receipts, all in this one transaction.
    Load(Pending<Vec<ReceiptCommit>, Vec<CommitOutcome>>),
    /// Imported cards with their opening balances, and the time.
    ImportCards(Pending<(Vec<ImportedCard>, jiff::Timestamp), Vec<Option<CardId>>>),
}

impl<W, O> Pending<W, O> {
    pub fn new(work: W, reply: oneshot::Sender<DbResult<O>>) -> Pending<W, O> {
        Pending {
            work,
            reply,
            outcome: None,
        }
    }

    /// Tells the till; one that gave up waiting has nobody to tell.
    fn answer(self, failure: Option<&str>) {
        let result = match (failure, self.outcome) {
            (None, Some(outcome)) => Ok(outcome),
            (failure, _) => Err(failed(failure.unwrap_or("the job was not written"))),
        };
        let _ = self.reply.send(result);
    }
}

impl Job {
    async fn run(&mut self, tx: &mut SqliteConnection) -> DbResult<()> {
        match self {
            Job::Commit(job) => job.outcome = Some(receipts::commit(tx, &job.work).await?),
            Job::Return(job) => job.outcome = Some(receipts::return_receipt(tx, &job.work).await?),
            Job::Hold(job) => job.outcome = Some(receipts::place_hold(tx, &job.work).await?),
            Job::Merge(job) => {
                let (duplicate, survivor, at) = job.work;
                receipts::merge_points(tx, duplicate, survivor, at).await?;
                job.outcome = Some(());
            }
            Job::Expire(job) => {
                let (at, customers) = job.work;
                job.outcome = Some(receipts::expire_points(tx, at, customers).await?);
            }
            Job::Load(job) => {
                let mut outcomes = Vec::with_capacity(job.work.len());
                for receipt in &job.work {
                    outcomes.push(receipts::commit(tx, receipt).await?);
                }
                job.outcome = Some(outcomes);
            }
            Job::ImportCards(job) => {
                let (cards, at) = &job.work;
                job.outcome = Some(card_import::import_cards(tx, cards, *at).await?);
            }
            // Points by hand may be refused for one customer after others
            // were written: a savepoint undoes them.
            Job::Adjust(job) => {
                let mut savepoint = tx.begin().await.map_err(DbError::backend)?;
                let outcome = receipts::adjust(&mut savepoint, &job.work).await?;
                if matches!(outcome, AdjustOutcome::Done(_)) {
                    savepoint.commit().await.map_err(DbError::backend)?;
                } else {
                    savepoint.rollback().await.map_err(DbError::backend)?;
                }
                job.outcome = Some(outcome);
            }
        }
        Ok(())
    }

    fn answer(self, failure: Option<&str>) {
        match self {
            Job::Commit(job) => (*job).answer(failure),
            Job::Return(job) => job.answer(failure),
            Job::Adjust(job) => job.answer(failure),
            Job::Hold(job) => job.answer(failure),
            Job::Expire(job) => job.answer(failure),
            Job::Merge(job) => job.answer(failure),
            Job::Load(job) => job.answer(failure),
            Job::ImportCards(job) => job.answer(failure),
        }
    }
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `pool`, on a thread of its own: its statements
    /// follow one another, and each hand-off back to it would otherwise
    /// wait behind the requests on the server's workers. It ends when the
    /// last handle is dropped.
    pub fn start(pool: SqlitePool, checkpointer: Checkpointer) -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::channel(4 * GROUP);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || runtime.block_on(run(pool, queue, checkpointer)))?;
        Ok(Writer { jobs })
    }

    pub async fn send<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<DbResult<T>>) -> Job,
    ) -> DbResult<T> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(job(reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> DbError {
    DbError::Backend("the SQLite writer stopped".into())
}

fn failed(message: &str) -> DbError {
    DbError::Backend(format!("the receipt could not be written: {message}").into())
}

async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>, checkpointer: Checkpointer) {
    let mut jobs = Vec::with_capacity(GROUP);
    let mut cache_due = std::time::Instant::now();
    while queue.recv_many(&mut jobs, GROUP).await > 0 {
        // For /metrics: how many jobs each transaction takes, how many
        // wait behind it, and how long it holds the file.
        metrics::histogram!("clientele_sqlite_writer_group_size").record(jobs.len() as f64);
        metrics::gauge!("clientele_sqlite_writer_queue_depth").set(queue.len() as f64);
        let started = std::time::Instant::now();
        // The cache is read once a second: a read hands the connection
        // over to this task and back.
        let read_cache = started >= cache_due;
        if read_cache {
            cache_due = started + std::time::Duration::from_secs(1);
        }
        write_group(&pool, std::mem::take(&mut jobs), read_cache).await;
        metrics::histogram!("clientele_sqlite_writer_transaction_seconds")
            .record(started.elapsed().as_secs_f64());
        checkpointer.log_grew();
    }
}

async fn write_group(pool: &SqlitePool, mut jobs: Vec<Job>, read_cache: bool) {
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => {
            let message = e.to_string();
            jobs.into_iter().for_each(|job| job.answer(Some(&message)));
            return;
        }
    };
    if read_cache {
        cache_used(&mut conn).await;
    }
    if write_all(&mut conn, &mut jobs).await.is_ok() {
        jobs.into_iter().for_each(|job| job.answer(None));
        return;
    }
    for mut job in jobs {
        match write_all(&mut conn, std::slice::from_mut(&mut job)).await {
            Ok(()) => job.answer(None),
            Err(error) => {
                tracing::error!(%error, "a receipt, return or adjustment failed to write");
                job.answer(Some(&error.to_string()));
            }
        }
    }
}

/// The writer's page cache, for /metrics: the larger part of the server's
/// memory, bounded by its size (`cache_size`), and apart from what the
/// server itself holds.
async fn cache_used(conn: &mut SqliteConnection) {
    let Ok(mut handle) = conn.lock_handle().await else {
        return;
    };
    let (mut used, mut highest) = (0, 0);
    // SAFETY: the handle is the open connection this task holds locked.
    let read = unsafe {
        libsqlite3_sys::sqlite3_db_status(
            handle.as_raw_handle().as_ptr(),
            libsqlite3_sys::SQLITE_DBSTATUS_CACHE_USED,
            &mut used,
            &mut highest,
            0,
        )
    };
    if read == libsqlite3_sys::SQLITE_OK {
        metrics::gauge!("clientele_sqlite_writer_cache_bytes").set(f64::from(used));
    }
}

/// Writes jobs in one transaction, all or none.
async fn write_all(conn: &mut SqliteConnection, jobs: &mut [Job]) -> DbResult<()> {
    let mut tx = conn.begin().await.map_err(DbError::backend)?;
    for job in jobs.iter_mut() {
        job.run(&mut tx).await?;
    }
    tx.commit().await.map_err(DbError::backend)
}
