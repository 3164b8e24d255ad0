//! What the portable SQL needs of an engine.

use std::future::Future;

use clientele_store::{DbError, DbResult};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use sqlx::{Database, Pool, Transaction};

use crate::{Readers, Statement};

pub(crate) type Row<E> = <<E as Engine>::Db as Database>::Row;
pub(crate) type Conn<E> = <<E as Engine>::Db as Database>::Connection;

/// An engine binds the store's values, reads its columns and runs its
/// statements; each NULL reads as `None`.
pub trait Engine: Send + Sync + 'static {
    type Db: Database;

    /// The connections reads take.
    type Readers: Readers<Self::Db>;

    /// What locks the rows a statement reads until the transaction ends
    /// (`FOR UPDATE`), or nothing where a write transaction holds them all.
    const ROW_LOCK: &'static str;

    /// What locks the rows a worker claims and passes over those another
    /// holds (`FOR UPDATE SKIP LOCKED`), or nothing where one writer
    /// claims at a time.
    const CLAIM_LOCK: &'static str;

    /// The column naming whose a receipt and its returns are: the customer,
    /// or where a receipt without one has an owner of its own, that owner.
    const RECEIPT_OWNER: &'static str;

    /// A condition that receipt `r` is a customer's, not anonymous, which
    /// the index of customers' receipts serves.
    const CUSTOMER_RECEIPT: &'static str;

    /// The receipts as `r`, read in their customers' order through the
    /// index of customers' receipts: for sums by customer over most of the
    /// history, where reading by time would sort every receipt read (the
    /// engine's own choice where its planner weighs the span).
    const RECEIPTS_BY_CUSTOMER: &'static str;

    /// The column of a receipt's lines naming the receipt's owner, where
    /// the lines carry it.
    const LINE_OWNER: Option<&'static str>;

    /// The card of `cards c` with the barcode bound first: where the engine
    /// keeps a barcode unique (the table, or a lookup by barcode).
    const CARD_WITH_BARCODE: &'static str;

    /// The certificate with the code bound first, likewise.
    const CERTIFICATE_WITH_CODE: &'static str;

    /// About how many values a statement writing many rows binds: where
    /// binding costs more than a statement does, fewer.
    const VALUES_PER_STATEMENT: usize;

    /// `column` is one of the ids bound at `placeholder` (`Value::Ids`).
    fn among_ids(column: &str, placeholder: &str) -> String;

    /// A row source of the ids bound at `placeholder` (`Value::Ids`), one
    /// row each, in a column named `value`.
    fn each_id(placeholder: &str) -> String;

    /// `column` is one of the ids a subquery answers: what is written
    /// before the subquery, and what after.
    fn among_answers(column: &str) -> (String, &'static str);

    /// `column` is the customer bound first (`$1`), unless merged into
    /// another, or a customer merged into them: whose history it is. Written
    /// with `$n` placeholders, as every statement here: SQLite numbers a
    /// `$n` by where it first appears, and a `?n` beside it could take the
    /// same number.
    fn among_history_owners(column: &str) -> String;

    /// A statement bringing the planner's figures of `table` up to date
    /// after many of its rows changed at once, where the planner would go
    /// on choosing by older ones (PostgreSQL keeps a new table's as empty
    /// until autovacuum's next round, and reads every row of it meanwhile).
    fn analyze(table: &str) -> Option<String>;

    /// A write transaction.
    fn begin(
        pool: &Pool<Self::Db>,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;

    fn all<'a>(
        conn: &'a mut Conn<Self>,
        statement: Statement<'a>,
    ) -> impl Future<Output = Result<Vec<Row<Self>>, sqlx::Error>> + Send + 'a;

    fn optional<'a>(
        conn: &'a mut Conn<Self>,
        statement: Statement<'a>,
    ) -> impl Future<Output = Result<Option<Row<Self>>, sqlx::Error>> + Send + 'a;

    /// Runs a statement that answers no rows; how many rows it changed.
    fn execute<'a>(
        conn: &'a mut Conn<Self>,
        statement: Statement<'a>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send + 'a;

    fn int(row: &Row<Self>, column: &str) -> DbResult<Option<i64>>;
    fn text(row: &Row<Self>, column: &str) -> DbResult<Option<String>>;
    fn flag(row: &Row<Self>, column: &str) -> DbResult<Option<bool>>;
    fn time(row: &Row<Self>, column: &str) -> DbResult<Option<Timestamp>>;
    fn date(row: &Row<Self>, column: &str) -> DbResult<Option<jiff::civil::Date>>;
    fn json<T: DeserializeOwned>(row: &Row<Self>, column: &str) -> DbResult<Option<T>>;
    fn ids(row: &Row<Self>, column: &str) -> DbResult<Option<Vec<i64>>>;
    fn bytes(row: &Row<Self>, column: &str) -> DbResult<Option<Vec<u8>>>;

    /// A time as a row written as JSON carries it.
    fn time_in_json<S: serde::Serializer>(at: &Timestamp, serializer: S)
    -> Result<S::Ok, S::Error>;

    /// A failure that is not the caller's.
    fn backend(error: sqlx::Error) -> DbError;
    /// A refusal by a constraint, named by the caller's field: `columns`
    /// maps a unique `table.column` to the field, for engines that name a
    /// violation by its column rather than its constraint.
    fn refused(error: sqlx::Error, columns: &[(&str, &'static str)]) -> DbError;
}
