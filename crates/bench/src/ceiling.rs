//! The ceiling for writing customers: a bare insert of customer-sized rows
//! through sqlx, one prepared statement per row, with none of the
//! application's validation, matching or secondary indexes.

use std::str::FromStr;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sqlx::Connection as _;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};

use crate::Engine;

const COMMIT_EVERY: u64 = 10_000;

/// Inserts `rows` rows into a scratch table of the fresh database at `url`;
/// answers the time the inserts took, table creation excluded.
pub async fn insert(engine: Engine, url: &str, rows: u64) -> anyhow::Result<Duration> {
    match engine {
        Engine::Sqlite => sqlite(url, rows).await,
        Engine::Postgres => postgres(url, rows).await,
    }
}

struct Row {
    name: String,
    phone: String,
    email: String,
    gender: &'static str,
    birth_date: Date,
    city: &'static str,
    group_id: i64,
    created_at: Timestamp,
}

fn row(i: u64) -> anyhow::Result<Row> {
    const SURNAMES: [&str; 4] = ["Иванов", "Смирнов", "Кузнецов", "Попов"];
    const NAMES: [&str; 4] = ["Александр", "Мария", "Дмитрий", "Елена"];
    const CITIES: [&str; 4] = ["Москва", "Казань", "Екатеринбург", "Набережные Челны"];
    let pick = |list: &[&'static str; 4], k: u64| list[(k % 4) as usize];
    Ok(Row {
        name: format!("{} {} {i}", pick(&SURNAMES, i), pick(&NAMES, i / 4)),
        phone: format!("+79{i:09}"),
        email: format!("customer{i}@example.ru"),
        gender: if i.is_multiple_of(2) {
            "female"
        } else {
            "male"
        },
        birth_date: date(
            1950 + i16::try_from(i % 55)?,
            1 + i8::try_from(i % 12)?,
            1 + i8::try_from(i % 28)?,
        ),
        city: pick(&CITIES, i / 16),
        group_id: 1 + i64::try_from(i % 4)?,
        created_at: Timestamp::from_second(1_700_000_000 + i64::try_from(i)?)?,
    })
}

async fn sqlite(url: &str, rows: u64) -> anyhow::Result<Duration> {
    // The pragmas of clientele-store-sqlite, so the ceiling pays the same fsyncs.
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory");
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(
        "CREATE TABLE scratch (
             id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, email TEXT,
             gender TEXT, birth_date TEXT, city TEXT, group_id INTEGER NOT NULL,
             status TEXT NOT NULL, created_at INTEGER NOT NULL);
         CREATE UNIQUE INDEX scratch_phone ON scratch (phone);",
    )
    .execute(&mut conn)
    .await?;
    let started = Instant::now();
    let mut next = 0;
    while next < rows {
        let end = (next + COMMIT_EVERY).min(rows);
        let mut tx = conn.begin().await?;
        for i in next..end {
            let row = row(i)?;
            sqlx::query(
                "INSERT INTO scratch (id, name, phone, email, gender, birth_date, city,
                     group_id, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .bind(i64::try_from(i)? + 1)
            .bind(row.name)
            .bind(row.phone)
            .bind(row.email)
            .bind(row.gender)
            .bind(row.birth_date.to_string())
            .bind(row.city)
            .bind(row.group_id)
            .bind("active")
            .bind(row.created_at.as_microsecond())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        next = end;
    }
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(elapsed)
}

async fn postgres(url: &str, rows: u64) -> anyhow::Result<Duration> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql(
        "CREATE TABLE scratch (
             id bigint PRIMARY KEY, name text NOT NULL, phone text COLLATE \"C\",
             email text COLLATE \"C\", gender text, birth_date date, city text,
             group_id bigint NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);
         CREATE UNIQUE INDEX scratch_phone ON scratch (phone);",
    )
    .execute(&mut conn)
    .await?;
    let started = Instant::now();
    let mut next = 0;
    while next < rows {
        let end = (next + COMMIT_EVERY).min(rows);
        let mut tx = conn.begin().await?;
        for i in next..end {
            let row = row(i)?;
            sqlx::query(
                "INSERT INTO scratch (id, name, phone, email, gender, birth_date, city,
                     group_id, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10::timestamptz)",
            )
            .bind(i64::try_from(i)? + 1)
            .bind(row.name)
            .bind(row.phone)
            .bind(row.email)
            .bind(row.gender)
            .bind(row.birth_date.to_string())
            .bind(row.city)
            .bind(row.group_id)
            .bind("active")
            .bind(row.created_at.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        next = end;
    }
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(elapsed)
}
