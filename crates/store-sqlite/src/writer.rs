//! Group commit: receipts, returns and points by hand from every till queue
//! up for one writer task, which writes as many as are waiting in one
//! transaction (each in its own savepoint) and one fsync, and answers each
//! only once that transaction is durable.

use clientele_store::{
    AdjustOutcome, CommitOutcome, PointsAdjustment, ReceiptCommit, ReturnCommit, ReturnOutcome,
    StoreError, StoreResult,
};
use sqlx::{Acquire, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::receipts;

/// The most jobs one transaction takes: enough to absorb a burst from every
/// till, few enough that the first in the group does not wait long.
const GROUP: usize = 64;

pub enum Job {
    Commit(ReceiptCommit, oneshot::Sender<StoreResult<CommitOutcome>>),
    Return(ReturnCommit, oneshot::Sender<StoreResult<ReturnOutcome>>),
    Adjust(
        PointsAdjustment,
        oneshot::Sender<StoreResult<AdjustOutcome>>,
    ),
}

/// A job's result, held until its group is durable.
enum Pending {
    Commit(
        StoreResult<CommitOutcome>,
        oneshot::Sender<StoreResult<CommitOutcome>>,
    ),
    Return(
        StoreResult<ReturnOutcome>,
        oneshot::Sender<StoreResult<ReturnOutcome>>,
    ),
    Adjust(
        StoreResult<AdjustOutcome>,
        oneshot::Sender<StoreResult<AdjustOutcome>>,
    ),
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task on `pool`; it ends when the last handle is dropped.
    pub fn start(pool: SqlitePool) -> Writer {
        let (jobs, queue) = mpsc::channel(4 * GROUP);
        tokio::spawn(run(pool, queue));
        Writer { jobs }
    }

    pub async fn send<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> Job,
    ) -> StoreResult<T> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(job(reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the SQLite writer stopped".into())
}

async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut jobs, GROUP).await > 0 {
        write_group(&pool, jobs.drain(..)).await;
    }
}

async fn write_group(pool: &SqlitePool, jobs: impl Iterator<Item = Job>) {
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => {
            let message = e.to_string();
            for job in jobs {
                fail(job, &message);
            }
            return;
        }
    };
    let mut pending = Vec::with_capacity(GROUP);
    let started = conn.begin().await;
    let mut tx = match started {
        Ok(tx) => tx,
        Err(e) => {
            let message = e.to_string();
            for job in jobs {
                fail(job, &message);
            }
            return;
        }
    };
    for job in jobs {
        pending.push(write_one(&mut tx, job).await);
    }
    let durable = tx.commit().await.map_err(|e| e.to_string());
    for job in pending {
        deliver(job, durable.as_ref().err());
    }
}

/// Runs one job in its own savepoint: a failure undoes only that job.
async fn write_one(tx: &mut SqliteConnection, job: Job) -> Pending {
    let mut savepoint = match tx.begin().await {
        Ok(savepoint) => savepoint,
        Err(e) => {
            return Pending::failed(job, &e.to_string());
        }
    };
    let (keep, pending) = match job {
        Job::Commit(receipt, reply) => {
            let result = receipts::commit(&mut savepoint, receipt).await;
            (
                matches!(result, Ok(CommitOutcome::Committed(_))),
                Pending::Commit(result, reply),
            )
        }
        Job::Return(request, reply) => {
            let result = receipts::return_receipt(&mut savepoint, request).await;
            (
                matches!(result, Ok(ReturnOutcome::Returned(_))),
                Pending::Return(result, reply),
            )
        }
        Job::Adjust(adjustment, reply) => {
            let result = receipts::adjust(&mut savepoint, &adjustment).await;
            (
                matches!(result, Ok(AdjustOutcome::Done(_))),
                Pending::Adjust(result, reply),
            )
        }
    };
    let ended = if keep {
        savepoint.commit().await
    } else {
        savepoint.rollback().await
    };
    match ended {
        Ok(()) => pending,
        Err(e) => {
            let message = e.to_string();
            match pending {
                Pending::Commit(_, reply) => Pending::Commit(Err(failed(&message)), reply),
                Pending::Return(_, reply) => Pending::Return(Err(failed(&message)), reply),
                Pending::Adjust(_, reply) => Pending::Adjust(Err(failed(&message)), reply),
            }
        }
    }
}

fn failed(message: &str) -> StoreError {
    StoreError::Backend(format!("the group transaction failed: {message}").into())
}

fn fail(job: Job, message: &str) {
    deliver(Pending::failed(job, message), None);
}

impl Pending {
    fn failed(job: Job, message: &str) -> Pending {
        match job {
            Job::Commit(_, reply) => Pending::Commit(Err(failed(message)), reply),
            Job::Return(_, reply) => Pending::Return(Err(failed(message)), reply),
            Job::Adjust(_, reply) => Pending::Adjust(Err(failed(message)), reply),
        }
    }
}

/// Answers a job; a till that gave up waiting has nobody to tell.
fn deliver(pending: Pending, commit_failed: Option<&String>) {
    fn after<T>(result: StoreResult<T>, commit_failed: Option<&String>) -> StoreResult<T> {
        match commit_failed {
            None => result,
            Some(message) => Err(failed(message)),
        }
    }
    match pending {
        Pending::Commit(r, reply) => drop(reply.send(after(r, commit_failed))),
        Pending::Return(r, reply) => drop(reply.send(after(r, commit_failed))),
        Pending::Adjust(r, reply) => drop(reply.send(after(r, commit_failed))),
    }
}
