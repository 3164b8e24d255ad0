//! The bare-commit ceiling of `pos`: the rows one committed receipt writes
//! (the receipt, three lines, a payment and an accrual in the ledger, a lot
//! spent and a lot opened, the customer's loyalty row), written by a bare
//! SQL loop into the same schema, with none of the reads. SQLite groups
//! [`GROUP`] receipts per durable transaction; PostgreSQL runs one
//! transaction per receipt from as many clients as there are tills. The
//! fair ceiling, with a receipt's reads as well, is [`fair`].

use std::time::{Duration, Instant};

use clientele_app::progress::Silent;
use sqlx::{Connection as _, Executor as _};

use crate::scratch::Scratch;
use crate::{Engine, open_app_at};

pub mod fair;

/// Receipts per durable transaction on SQLite, as the issue's ceiling says.
pub const GROUP: usize = 32;
/// Customers the ceiling's receipts are spread over.
const CUSTOMERS: u64 = 1000;

const LINES: &str = r#"[[1,"sku-1","Товар","food",1000,5000,5000,0,100,250,4900],
[2,"sku-2","Товар","food",1000,7000,7000,0,0,350,7000],
[3,"sku-3","Товар","tobacco",1000,20000,20000,0,0,0,20000]]"#;

/// A receipt's lines as SQLite's engine writes them: one statement from
/// the lines as JSON (`?2`) under the receipt's key (`?1`).
pub const SQLITE_INSERT_LINES: &str =
    "INSERT INTO receipt_lines (receipt_key, line, sku, name, category, quantity_milli, price_minor,
         amount_minor, discount_minor, points_paid, points_accrued, to_pay_minor)
     SELECT ?1, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
            value->>7, value->>8, value->>9, value->>10 FROM json_each(?2)";

/// Receipts per second the bare loop writes in `duration`, in a database of
/// its own.
pub async fn receipts_per_s(
    engine: Engine,
    scratch: &Scratch,
    clients: u32,
    duration: Duration,
) -> anyhow::Result<f64> {
    let url = scratch.database().await?;
    {
        let clock = clientele_app::Clock::new(jiff::tz::TimeZone::get("Europe/Moscow")?);
        let (app, _) = open_app_at(&url, &clock).await?;
        app.seed_demo(CUSTOMERS, &Silent).await?;
    }
    match engine {
        Engine::Sqlite => sqlite(&url, duration).await,
        Engine::Postgres => postgres(&url, clients, duration).await,
    }
}

async fn sqlite(url: &str, duration: Duration) -> anyhow::Result<f64> {
    let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc")).await?;
    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
        .await?;
    conn.execute(
        "INSERT INTO stores (code, name, kind, created_at) VALUES ('CEIL', 'Ceiling', 'store', 0);
         INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
         SELECT id, 'ceiling', x'00', 0, 0 FROM stores WHERE code = 'CEIL';
         INSERT INTO ledger_entries (customer_id, kind, points, created_at)
         SELECT id, 'manual', 1000000000, 0 FROM customers;
         INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from)
         SELECT id, customer_id, points, 0 FROM ledger_entries",
    )
    .await?;
    let (till, store): (i64, i64) = sqlx::query_as("SELECT id, store_id FROM tills")
        .fetch_one(&mut conn)
        .await?;
    let started = Instant::now();
    let mut written: u64 = 0;
    while started.elapsed() < duration {
        let mut tx = conn.begin().await?;
        for _ in 0..GROUP {
            let customer = (written % CUSTOMERS) as i64 + 1;
            let now = jiff::Timestamp::now().as_microsecond();
            let key: i64 = sqlx::query_scalar(
                "INSERT INTO receipts (till_id, receipt_id, store_id, customer_id, created_at, committed_at,
                     request_hash, total_minor, discount_minor, points_paid, points_accrued, to_pay_minor, answer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, x'0123456789abcdef', 32000, 0, 100, 600, 31900, ?6) RETURNING id",
            )
            .bind(till)
            .bind(format!("C-{written}"))
            .bind(store)
            .bind(customer)
            .bind(now)
            .bind(ANSWER.as_bytes())
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(SQLITE_INSERT_LINES)
                .bind(key)
                .bind(LINES)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, created_at)
                 VALUES (?1, 'payment', -100, ?2, ?3, ?4)",
            )
            .bind(customer)
            .bind(key)
            .bind(till)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE point_lots SET remaining = remaining - 100 WHERE entry_id = ?1")
                .bind(customer)
                .execute(&mut *tx)
                .await?;
            let entry: i64 = sqlx::query_scalar(
                "INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, usable_from, created_at)
                 VALUES (?1, 'accrual', 600, ?2, ?3, ?4, ?4) RETURNING id",
            )
            .bind(customer)
            .bind(key)
            .bind(till)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from) VALUES (?1, ?2, 600, ?3)",
            )
            .bind(entry)
            .bind(customer)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO customer_loyalty (customer_id, spent_minor, purchases, first_purchase_at, last_purchase_at)
                 VALUES (?1, 32000, 1, ?2, ?2)
                 ON CONFLICT (customer_id) DO UPDATE SET spent_minor = spent_minor + 32000,
                     purchases = purchases + 1, last_purchase_at = excluded.last_purchase_at",
            )
            .bind(customer)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            written += 1;
        }
        tx.commit().await?;
    }
    Ok(written as f64 / started.elapsed().as_secs_f64())
}

/// What a till's answer weighs: stored with every receipt.
const ANSWER: &str = r#"{"receipt_id":"C-0","created_at":"2026-11-23T09:00:00Z","customer_id":1,"lines":[{"line":1,"sku":"sku-1","discount_minor":0,"points_paid":100,"points_accrued":245,"to_pay_minor":4900},{"line":2,"sku":"sku-2","discount_minor":0,"points_paid":0,"points_accrued":350,"to_pay_minor":7000},{"line":3,"sku":"sku-3","discount_minor":0,"points_paid":0,"points_accrued":0,"to_pay_minor":20000}],"total_minor":32000,"discount_minor":0,"points_payable_max":6000,"points_paid":100,"points_accrued":595,"to_pay_minor":31900,"rounding":"each line rounded down to the minor unit; totals are the sums of the lines","points_available":12345,"points_owed":0}"#;

async fn postgres(url: &str, clients: u32, duration: Duration) -> anyhow::Result<f64> {
    let mut setup = sqlx::PgConnection::connect(url).await?;
    setup
        .execute(
            "INSERT INTO stores (code, name, kind, created_at) VALUES ('CEIL', 'Ceiling', 'store', now());
             INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
             SELECT id, 'ceiling', '\\x00', now(), now() FROM stores WHERE code = 'CEIL';
             INSERT INTO ledger_entries (customer_id, kind, points, created_at)
             SELECT id, 'manual', 1000000000, now() FROM customers;
             INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from)
             SELECT id, customer_id, points, now() FROM ledger_entries;
             INSERT INTO customer_loyalty (customer_id) SELECT id FROM customers ON CONFLICT DO NOTHING",
        )
        .await?;
    let (till, store): (i64, i64) = sqlx::query_as("SELECT id, store_id FROM tills")
        .fetch_one(&mut setup)
        .await?;
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let url = url.to_owned();
            tokio::spawn(async move {
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                let mut written: u64 = 0;
                while started.elapsed() < duration {
                    let customer = ((written * u64::from(clients) + u64::from(client)) % CUSTOMERS) as i64 + 1;
                    let mut tx = conn.begin().await?;
                    sqlx::query("SELECT debt FROM customer_loyalty WHERE customer_id = $1 FOR UPDATE")
                        .bind(customer)
                        .execute(&mut *tx)
                        .await?;
                    let key: i64 = sqlx::query_scalar(
                        "WITH r AS (
                             INSERT INTO receipts (owner_id, till_id, receipt_id, store_id, customer_id, created_at,
                                 committed_at, request_hash, total_minor, discount_minor, points_paid,
                                 points_accrued, to_pay_minor, answer)
                             VALUES ($4, $1, $2, $3, $4, now(), now(), '\\x0123456789abcdef', 32000, 0, 100, 600,
                                     31900, $5)
                             RETURNING id),
                         c AS (INSERT INTO till_receipts (till_id, receipt_id, owner_id, receipt_key)
                               SELECT $1, $2, $4, id FROM r)
                         SELECT id FROM r",
                    )
                    .bind(till)
                    .bind(format!("C-{client}-{written}"))
                    .bind(store)
                    .bind(customer)
                    .bind(ANSWER.as_bytes())
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO receipt_lines (owner_id, receipt_key, line, sku, name, category, quantity_milli,
                             price_minor, amount_minor, discount_minor, points_paid, points_accrued, to_pay_minor)
                         SELECT $3, $1, (l->>0)::int, l->>1, l->>2, l->>3, (l->>4)::bigint, (l->>5)::bigint,
                                (l->>6)::bigint, (l->>7)::bigint, (l->>8)::bigint, (l->>9)::bigint, (l->>10)::bigint
                         FROM jsonb_array_elements($2::jsonb) AS l",
                    )
                    .bind(key)
                    .bind(LINES)
                    .bind(customer)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "WITH payment AS (
                             INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, created_at)
                             VALUES ($1, 'payment', -100, $2, $3, now())),
                         spent AS (UPDATE point_lots SET remaining = remaining - 100
                                   WHERE customer_id = $1 AND entry_id = $1),
                         accrual AS (
                             INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, usable_from, created_at)
                             VALUES ($1, 'accrual', 600, $2, $3, now(), now()) RETURNING id),
                         lot AS (
                             INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from)
                             SELECT id, $1, 600, now() FROM accrual)
                         UPDATE customer_loyalty SET spent_minor = spent_minor + 32000, purchases = purchases + 1,
                             last_purchase_at = now()
                         WHERE customer_id = $1",
                    )
                    .bind(customer)
                    .bind(key)
                    .bind(till)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    written += 1;
                }
                anyhow::Ok(written)
            })
        })
        .collect();
    let mut written = 0;
    for task in tasks {
        written += task.await??;
    }
    Ok(written as f64 / started.elapsed().as_secs_f64())
}
