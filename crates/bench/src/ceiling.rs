//! The ceiling for writing customers: the bare bulk insert the issue
//! measures — 10-column customer rows with a unique phone index, through
//! sqlx, many rows per statement and one transaction — with none of the
//! application's validation, matching, JSON or secondary indexes.

use std::str::FromStr;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection as _, QueryBuilder, Sqlite};

use crate::Engine;

/// Rows per INSERT: 10 values each stays under SQLite's 32,766 variables.
pub const ROWS_PER_STATEMENT: u64 = 1_000;

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

/// Coprime with 10^9, so `i * PHONE_STRIDE mod 10^9` never repeats.
const PHONE_STRIDE: u64 = 387_420_489;

fn row(i: u64) -> anyhow::Result<Row> {
    const SURNAMES: [&str; 4] = ["Иванов", "Смирнов", "Кузнецов", "Попов"];
    const NAMES: [&str; 4] = ["Александр", "Мария", "Дмитрий", "Елена"];
    const CITIES: [&str; 4] = ["Москва", "Казань", "Екатеринбург", "Набережные Челны"];
    let pick = |list: &[&'static str; 4], k: u64| list[(k % 4) as usize];
    Ok(Row {
        name: format!("{} {} {i}", pick(&SURNAMES, i), pick(&NAMES, i / 4)),
        // Scattered over the phone range, as real customers' phones are, so
        // the unique index is written all over rather than appended to.
        phone: format!("+79{:09}", i.wrapping_mul(PHONE_STRIDE) % 1_000_000_000),
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
    let mut tx = conn.begin().await?;
    let mut next = 0;
    while next < rows {
        let end = (next + ROWS_PER_STATEMENT).min(rows);
        let batch = (next..end).map(row).collect::<anyhow::Result<Vec<_>>>()?;
        let mut sql = QueryBuilder::<Sqlite>::new(
            "INSERT INTO scratch (id, name, phone, email, gender, birth_date, city,
                 group_id, status, created_at) ",
        );
        sql.push_values(batch.into_iter().zip(next..), |mut values, (row, i)| {
            values
                .push_bind(i as i64 + 1)
                .push_bind(row.name)
                .push_bind(row.phone)
                .push_bind(row.email)
                .push_bind(row.gender)
                .push_bind(row.birth_date.to_string())
                .push_bind(row.city)
                .push_bind(row.group_id)
                .push_bind("active")
                .push_bind(row.created_at.as_microsecond());
        });
        sql.build().execute(&mut *tx).await?;
        next = end;
    }
    tx.commit().await?;
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
    let mut tx = conn.begin().await?;
    let mut next = 0;
    while next < rows {
        let end = (next + ROWS_PER_STATEMENT).min(rows);
        let batch = (next..end).map(row).collect::<anyhow::Result<Vec<_>>>()?;
        let ids: Vec<i64> = (next..end).map(|i| i as i64 + 1).collect();
        let column = |f: fn(&Row) -> String| batch.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO scratch (id, name, phone, email, gender, birth_date, city,
                 group_id, status, created_at)
             SELECT id, name, phone, email, gender, birth_date::date, city, group_id,
                    'active', created_at::timestamptz
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::text[], $8::bigint[], $9::text[])
                  AS r (id, name, phone, email, gender, birth_date, city, group_id, created_at)",
        )
        .bind(&ids)
        .bind(column(|r| r.name.clone()))
        .bind(column(|r| r.phone.clone()))
        .bind(column(|r| r.email.clone()))
        .bind(column(|r| r.gender.to_owned()))
        .bind(column(|r| r.birth_date.to_string()))
        .bind(column(|r| r.city.to_owned()))
        .bind(batch.iter().map(|r| r.group_id).collect::<Vec<_>>())
        .bind(column(|r| r.created_at.to_string()))
        .execute(&mut *tx)
        .await?;
        next = end;
    }
    tx.commit().await?;
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(elapsed)
}
