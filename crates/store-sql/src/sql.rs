//! The areas written once, over an engine's pools.

use clientele_store::{DbError, DbResult};
use sqlx::{Pool, Transaction};

use crate::engine::Conn;
use crate::{Engine, Got, Readers, Statement};

/// How a row becomes one of the store's values.
pub(crate) type Read<E, T> = fn(&Got<'_, E>) -> DbResult<T>;

/// Reads go to `read`, writes to `write` (one pool for both where the
/// engine has one).
pub struct Sql<E: Engine> {
    read: E::Readers,
    write: Pool<E::Db>,
}

impl<E: Engine> Sql<E> {
    pub fn new(read: E::Readers, write: Pool<E::Db>) -> Sql<E> {
        Sql { read, write }
    }

    pub(crate) async fn all<T>(
        &self,
        statement: Statement<'_>,
        read: Read<E, T>,
    ) -> DbResult<Vec<T>> {
        let mut conn = self.read.take().await.map_err(E::backend)?;
        all::<E, T>(&mut conn, statement, read).await
    }

    pub(crate) async fn one<T>(
        &self,
        statement: Statement<'_>,
        read: Read<E, T>,
    ) -> DbResult<Option<T>> {
        let mut conn = self.read.take().await.map_err(E::backend)?;
        one::<E, T>(&mut conn, statement, read).await
    }

    /// A write answering its row, refused constraints named by `columns`.
    pub(crate) async fn written<T>(
        &self,
        statement: Statement<'_>,
        columns: &[(&str, &'static str)],
        read: Read<E, T>,
    ) -> DbResult<Option<T>> {
        let mut conn = self.write.acquire().await.map_err(E::backend)?;
        written::<E, T>(&mut conn, statement, columns, read).await
    }

    /// A write answering no rows; how many it changed.
    pub(crate) async fn execute(&self, statement: Statement<'_>) -> DbResult<u64> {
        let mut conn = self.write.acquire().await.map_err(E::backend)?;
        execute::<E>(&mut conn, statement).await
    }

    /// A reader's connection, for several statements.
    pub(crate) async fn reader(&self) -> DbResult<<E::Readers as Readers<E::Db>>::Reader> {
        self.read.take().await.map_err(E::backend)
    }

    /// The writer's connection, for a write answering many rows.
    pub(crate) async fn writer(&self) -> DbResult<sqlx::pool::PoolConnection<E::Db>> {
        self.write.acquire().await.map_err(E::backend)
    }

    pub(crate) async fn begin(&self) -> DbResult<Transaction<'static, E::Db>> {
        E::begin(&self.write).await.map_err(E::backend)
    }
}

pub(crate) async fn all<E: Engine, T>(
    conn: &mut Conn<E>,
    statement: Statement<'_>,
    read: Read<E, T>,
) -> DbResult<Vec<T>> {
    let rows = E::all(conn, statement).await.map_err(E::backend)?;
    rows.iter().map(|row| read(&Got::new(row))).collect()
}

pub(crate) async fn one<E: Engine, T>(
    conn: &mut Conn<E>,
    statement: Statement<'_>,
    read: Read<E, T>,
) -> DbResult<Option<T>> {
    let row = E::optional(conn, statement).await.map_err(E::backend)?;
    row.as_ref().map(|row| read(&Got::new(row))).transpose()
}

pub(crate) async fn written<E: Engine, T>(
    conn: &mut Conn<E>,
    statement: Statement<'_>,
    columns: &[(&str, &'static str)],
    read: Read<E, T>,
) -> DbResult<Option<T>> {
    let row = E::optional(conn, statement)
        .await
        .map_err(|e| E::refused(e, columns))?;
    row.as_ref().map(|row| read(&Got::new(row))).transpose()
}

pub(crate) async fn execute<E: Engine>(
    conn: &mut Conn<E>,
    statement: Statement<'_>,
) -> DbResult<u64> {
    E::execute(conn, statement)
        .await
        .map_err(|e| E::refused(e, &[]))
}

pub(crate) async fn commit<E: Engine>(tx: Transaction<'static, E::Db>) -> DbResult<()> {
    tx.commit().await.map_err(E::backend)
}

/// A write that answers its row answered none.
pub(crate) fn unanswered() -> DbError {
    DbError::Backend("a write answered no row".into())
}
