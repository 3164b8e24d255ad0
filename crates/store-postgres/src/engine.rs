//! How PostgreSQL binds, reads and runs the statements written once for
//! every engine: times are `timestamptz` to the microsecond, JSON is
//! `jsonb`, lists of ids are arrays.

use std::borrow::Cow;

use clientele_store::{DbError, DbResult};
use clientele_store_sql::{Engine, Statement, Value, unreadable};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{Arguments, AssertSqlSafe, PgConnection, PgPool, Postgres, Row, Transaction};

use crate::errors::{backend, constraint};
use crate::filter::EARLIEST_MICROS;
use crate::rows::{micro_time, time};

pub struct PostgresEngine;

fn arguments(values: Vec<Value<'_>>) -> Result<PgArguments, sqlx::Error> {
    let mut arguments = PgArguments::default();
    for value in values {
        match value {
            Value::Int(value) => arguments.add(value),
            Value::Text(value) => arguments.add(value.map(Cow::into_owned)),
            Value::Bytes(value) => arguments.add(value.map(<[u8]>::to_vec)),
            Value::Flag(value) => arguments.add(value),
            // A time before PostgreSQL's earliest compares as its earliest.
            Value::Time(value) => arguments.add(value.map(|at| {
                time(if at.as_microsecond() < EARLIEST_MICROS {
                    Timestamp::from_microsecond(EARLIEST_MICROS).unwrap_or(at)
                } else {
                    at
                })
            })),
            Value::Date(value) => arguments.add(value.map(|date| date.to_sqlx())),
            Value::Json(value) => arguments.add(value.map(Json)),
            Value::Ids(value) => arguments.add(value),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(arguments)
}

fn query(statement: Statement<'_>) -> Result<Query<'static, Postgres, PgArguments>, sqlx::Error> {
    let arguments = arguments(statement.values)?;
    Ok(sqlx::query_with(
        AssertSqlSafe(statement.sql.into_owned()),
        arguments,
    ))
}

fn column<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    column: &str,
) -> DbResult<Option<T>> {
    row.try_get(column).map_err(|e| unreadable(column, e))
}

impl Engine for PostgresEngine {
    type Db = Postgres;
    type Readers = sqlx::PgPool;

    const ROW_LOCK: &'static str = "FOR UPDATE";
    const CLAIM_LOCK: &'static str = "FOR UPDATE SKIP LOCKED";

    const RECEIPT_OWNER: &'static str = "owner_id";
    /// An anonymous receipt's owner is minus its till.
    const CUSTOMER_RECEIPT: &'static str = "r.owner_id > 0";
    const RECEIPTS_BY_CUSTOMER: &'static str = "receipts r";
    const LINE_OWNER: Option<&'static str> = Some("owner_id");

    const CARD_WITH_BARCODE: &'static str =
        "c.id = (SELECT card_id FROM card_barcodes WHERE barcode = $1)";
    const CERTIFICATE_WITH_CODE: &'static str =
        "id = (SELECT certificate_id FROM certificate_codes WHERE code = $1)";
    /// Each statement is a round trip: as many rows as a few thousand
    /// values hold.
    const VALUES_PER_STATEMENT: usize = 4_000;

    fn among_ids(column: &str, placeholder: &str) -> String {
        format!("{column} = ANY({placeholder})")
    }

    fn each_id(placeholder: &str) -> String {
        format!("unnest({placeholder}::bigint[]) AS each_id (value)")
    }

    /// An array, so that an index on the column is searched for each id:
    /// joined to the subquery instead, the planner reads the whole index
    /// for a few thousand ids (a segment's purchase history).
    fn among_answers(column: &str) -> (String, &'static str) {
        (format!("{column} = ANY(ARRAY("), "))")
    }

    /// An array, so that a table partitioned by customer is pruned to the
    /// owners' partitions as the statement runs.
    fn among_history_owners(column: &str) -> String {
        format!(
            "{column} = ANY(ARRAY(SELECT id FROM customers WHERE id = $1 AND merged_into IS NULL
                                UNION ALL SELECT id FROM customers WHERE merged_into = $1))"
        )
    }

    fn analyze(table: &str) -> Option<String> {
        Some(format!("ANALYZE {table}"))
    }

    async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        pool.begin().await
    }

    async fn all<'a>(
        conn: &'a mut PgConnection,
        statement: Statement<'a>,
    ) -> Result<Vec<PgRow>, sqlx::Error> {
        query(statement)?.fetch_all(conn).await
    }

    async fn optional<'a>(
        conn: &'a mut PgConnection,
        statement: Statement<'a>,
    ) -> Result<Option<PgRow>, sqlx::Error> {
        query(statement)?.fetch_optional(conn).await
    }

    async fn execute<'a>(
        conn: &'a mut PgConnection,
        statement: Statement<'a>,
    ) -> Result<u64, sqlx::Error> {
        Ok(query(statement)?.execute(conn).await?.rows_affected())
    }

    /// `bigint`, or an `integer` column (a receipt's line number).
    fn int(row: &PgRow, name: &str) -> DbResult<Option<i64>> {
        match row.try_get::<Option<i64>, _>(name) {
            Err(sqlx::Error::ColumnDecode { .. }) => Ok(column::<i32>(row, name)?.map(i64::from)),
            read => read.map_err(|e| unreadable(name, e)),
        }
    }

    fn text(row: &PgRow, name: &str) -> DbResult<Option<String>> {
        column(row, name)
    }

    fn flag(row: &PgRow, name: &str) -> DbResult<Option<bool>> {
        column(row, name)
    }

    fn time(row: &PgRow, name: &str) -> DbResult<Option<Timestamp>> {
        Ok(column::<jiff_sqlx::Timestamp>(row, name)?.map(jiff_sqlx::Timestamp::to_jiff))
    }

    fn date(row: &PgRow, name: &str) -> DbResult<Option<jiff::civil::Date>> {
        Ok(column::<jiff_sqlx::Date>(row, name)?.map(jiff_sqlx::Date::to_jiff))
    }

    fn json<T: serde::de::DeserializeOwned>(row: &PgRow, name: &str) -> DbResult<Option<T>> {
        Ok(column::<Json<T>>(row, name)?.map(|Json(value)| value))
    }

    fn ids(row: &PgRow, name: &str) -> DbResult<Option<Vec<i64>>> {
        column(row, name)
    }

    fn bytes(row: &PgRow, name: &str) -> DbResult<Option<Vec<u8>>> {
        column(row, name)
    }

    /// To the microsecond, as PostgreSQL keeps it, for `timestamptz`.
    fn time_in_json<S: serde::Serializer>(
        at: &Timestamp,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&micro_time(*at), serializer)
    }

    fn backend(error: sqlx::Error) -> DbError {
        backend(error)
    }

    fn refused(error: sqlx::Error, _columns: &[(&str, &'static str)]) -> DbError {
        constraint(error)
    }
}
