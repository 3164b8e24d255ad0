//! The fair ceiling on SQLite. SQLite has one writer, a fact of the engine:
//! each till reads on a read-only connection of its own, and hands its
//! receipt to one writer task that writes whatever receipts are waiting, up
//! to [`GROUP`], in one transaction and one fsync and answers each till once
//! that transaction is durable: the engine's group commit, without its
//! failure handling.

use std::str::FromStr as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection as _, Row as _, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use super::{ACCRUED, CERTIFICATES, PAID, PREFERRED, Shopper, TOTAL, lot_to_draw, nth_receipt};
use crate::pos_ceiling::{ANSWER, LINES, SQLITE_INSERT_LINES};

/// The most receipts one transaction takes, as in the engine's writer.
const GROUP: usize = 64;

macro_rules! customer_columns {
    () => {
        "c.id, c.name, c.phone, c.email, c.gender, c.birth_date, c.address, c.region, c.city, \
         c.documents, c.group_id, c.status, c.blocked, c.blocked_reason, c.notes, c.referrer_id, \
         c.channel, c.store_id, c.external_id, c.consents, c.merged_into, \
         (SELECT s.name FROM customers s WHERE s.id = c.merged_into) AS merged_into_name, \
         c.created_at, c.updated_at, c.version, \
         (SELECT json_group_object(d.name, cp.value) FROM customer_properties cp \
          JOIN property_definitions d ON d.id = cp.property_id WHERE cp.customer_id = c.id) \
         AS properties"
    };
}

/// The account at `?2` with its open lots as JSON, of the customer `c.id`.
macro_rules! account_columns {
    () => {
        "l.debt, l.tier_id, l.tier_manual, l.tier_until, l.spent_minor, l.purchases, \
         l.first_purchase_at, l.last_purchase_at, \
         (SELECT json_group_array(json_array(p.entry_id, p.remaining, p.usable_from, p.expires_at)) \
          FROM point_lots p WHERE p.customer_id = c.id AND p.remaining > 0) AS lots, \
         (SELECT COALESCE(SUM(h.points), 0) FROM holds h WHERE h.customer_id = c.id \
          AND h.released_at IS NULL AND h.receipt_key IS NULL AND h.expires_at > ?2) AS held"
    };
}

const ACCOUNT: &str = concat!(
    "SELECT ",
    account_columns!(),
    " FROM (SELECT ?1 AS id) c LEFT JOIN customer_loyalty l ON l.customer_id = c.id"
);

/// The customer with their account, as every step at the till reads them.
macro_rules! at_till {
    ($where:literal) => {
        concat!(
            "SELECT ",
            customer_columns!(),
            ", ",
            account_columns!(),
            " FROM customers c LEFT JOIN customer_loyalty l ON l.customer_id = c.id ",
            $where
        )
    };
}

const CUSTOMER_AT_TILL: &str = at_till!("WHERE c.id = ?1");
const CUSTOMER_AT_TILL_BY_PHONE: &str = at_till!("WHERE c.phone = ?1");

const PREFERRED_PRODUCTS: &str = "SELECT l.sku, MAX(l.name) FROM receipt_lines l
     WHERE l.receipt_key IN (SELECT id FROM receipts WHERE customer_id = ?1
                             ORDER BY created_at DESC LIMIT 100)
     GROUP BY l.sku ORDER BY COUNT(*) DESC, l.sku LIMIT ?2";

const CERTIFICATES_OF: &str = "SELECT id, code, template_id, customer_id, face_value_minor, \
     balance_minor, partial_use, issued_at, valid_to FROM certificates \
     WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2";

/// A receipt handed to the writer.
struct Sale {
    customer: i64,
    pays: bool,
    receipt_id: String,
    durable: oneshot::Sender<Result<(), String>>,
}

fn options(url: &str) -> anyhow::Result<SqliteConnectOptions> {
    // clientele-store-sqlite's pragmas, so the ceiling pays the same fsyncs.
    Ok(SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", "-262144")
        .pragma("mmap_size", "1073741824")
        .pragma("temp_store", "memory")
        .pragma("wal_autocheckpoint", "16384"))
}

/// The engine's checkpointer as it runs while commits keep coming: the log
/// folded back beside the writer every tenth of a second, until `end`.
async fn fold(mut conn: SqliteConnection, end: Instant) -> anyhow::Result<()> {
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(100)).await;
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}

fn now() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

pub async fn receipts_per_s(
    url: &str,
    shoppers: Arc<Vec<Shopper>>,
    tills: u32,
    duration: Duration,
) -> anyhow::Result<f64> {
    let options = options(url)?;
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(
        "INSERT INTO stores (code, name, kind, created_at) VALUES ('CEIL', 'Ceiling', 'store', 0);
         INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
         SELECT id, 'ceiling', x'00', 0, 0 FROM stores WHERE code = 'CEIL';",
    )
    .execute(&mut conn)
    .await?;
    let (till, store): (i64, i64) =
        sqlx::query_as("SELECT t.id, t.store_id FROM tills t JOIN stores s ON s.id = t.store_id WHERE s.code = 'CEIL'")
            .fetch_one(&mut conn)
            .await?;
    let (sales, queue) = mpsc::channel(4 * GROUP);
    let writer = tokio::spawn(write(conn, queue, till, store));
    let started = Instant::now();
    let checkpointer = tokio::spawn(fold(
        SqliteConnection::connect_with(&options).await?,
        started + duration,
    ));
    let mut tasks = Vec::new();
    for n in 0..tills {
        // Readers as the engine's: read-only, the file not mapped.
        let reader = options.clone().read_only(true).pragma("mmap_size", "0");
        let conn = SqliteConnection::connect_with(&reader).await?;
        let (shoppers, sales) = (shoppers.clone(), sales.clone());
        tasks.push(tokio::spawn(serve(
            conn,
            shoppers,
            sales,
            tills,
            n,
            started + duration,
        )));
    }
    drop(sales);
    let mut served = 0;
    for task in tasks {
        served += task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    writer.await??;
    checkpointer.await??;
    Ok(served as f64 / elapsed)
}

/// One till: a receipt's reads, then its writes by the writer, until `end`.
async fn serve(
    mut conn: SqliteConnection,
    shoppers: Arc<Vec<Shopper>>,
    sales: mpsc::Sender<Sale>,
    tills: u32,
    till: u32,
    end: Instant,
) -> anyhow::Result<u64> {
    let mut n = 0;
    while Instant::now() < end {
        let (shopper, pays) = nth_receipt(&shoppers, tills, till, n);
        let at = now();
        // identify
        sqlx::query(CUSTOMER_AT_TILL_BY_PHONE)
            .bind(&shopper.phone)
            .bind(at)
            .fetch_optional(&mut conn)
            .await?;
        sqlx::query(PREFERRED_PRODUCTS)
            .bind(shopper.id)
            .bind(PREFERRED)
            .fetch_all(&mut conn)
            .await?;
        sqlx::query(CERTIFICATES_OF)
            .bind(shopper.id)
            .bind(CERTIFICATES)
            .fetch_all(&mut conn)
            .await?;
        // calculate, then the commit's own read before it is queued
        for _ in 0..2 {
            sqlx::query(CUSTOMER_AT_TILL)
                .bind(shopper.id)
                .bind(at)
                .fetch_optional(&mut conn)
                .await?;
        }
        let (durable, written) = oneshot::channel();
        let sale = Sale {
            customer: shopper.id,
            pays,
            receipt_id: format!("F-{till}-{n}"),
            durable,
        };
        sales.send(sale).await?;
        written.await?.map_err(anyhow::Error::msg)?;
        n += 1;
    }
    Ok(n)
}

/// The writer: every receipt waiting, up to [`GROUP`], in one transaction.
async fn write(
    mut conn: SqliteConnection,
    mut queue: mpsc::Receiver<Sale>,
    till: i64,
    store: i64,
) -> anyhow::Result<()> {
    let mut sales = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut sales, GROUP).await > 0 {
        let outcome = async {
            let mut tx = conn.begin().await?;
            for sale in &sales {
                write_sale(&mut tx, sale, till, store).await?;
            }
            tx.commit().await?;
            anyhow::Ok(())
        }
        .await
        .map_err(|e| format!("{e:#}"));
        for sale in sales.drain(..) {
            let _ = sale.durable.send(outcome.clone());
        }
    }
    Ok(())
}

/// A receipt's statements, as many as the engine's writer issues: the
/// account read, the receipt, its lines, its ledger entries, the lot the
/// accrual opens, the lot a payment draws from, the account.
async fn write_sale(
    conn: &mut SqliteConnection,
    sale: &Sale,
    till: i64,
    store: i64,
) -> anyhow::Result<()> {
    let at = now();
    let lots: String = sqlx::query(ACCOUNT)
        .bind(sale.customer)
        .bind(at)
        .fetch_one(&mut *conn)
        .await?
        .try_get("lots")?;
    let lots: Vec<(i64, i64, i64, Option<i64>)> = serde_json::from_str(&lots)?;
    let lots: Vec<(i64, i64, i64)> = lots.into_iter().map(|(e, r, u, _)| (e, r, u)).collect();
    let drawn = lot_to_draw(&lots, at).filter(|_| sale.pays);
    let paid = if drawn.is_some() { PAID } else { 0 };
    let key: i64 = sqlx::query_scalar(
        "INSERT INTO receipts (till_id, receipt_id, store_id, customer_id, created_at, committed_at,
             request_hash, total_minor, discount_minor, points_paid, points_accrued, to_pay_minor,
             points_owed, answer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, x'0123456789abcdef', ?6, 0, ?7, ?8, ?6 - ?7, 0, ?9)
         ON CONFLICT (till_id, receipt_id) DO NOTHING RETURNING id",
    )
    .bind(till)
    .bind(&sale.receipt_id)
    .bind(store)
    .bind(sale.customer)
    .bind(at)
    .bind(TOTAL)
    .bind(paid)
    .bind(ACCRUED)
    .bind(ANSWER.as_bytes())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(SQLITE_INSERT_LINES)
        .bind(key)
        .bind(LINES)
        .execute(&mut *conn)
        .await?;
    let mut entries = Vec::with_capacity(2);
    if paid > 0 {
        entries.push(serde_json::json!([
            sale.customer,
            "payment",
            -paid,
            key,
            till,
            null,
            at
        ]));
    }
    entries.push(serde_json::json!([
        sale.customer,
        "accrual",
        ACCRUED,
        key,
        till,
        at,
        at
    ]));
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, usable_from, created_at)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6
         FROM json_each(?1) RETURNING id",
    )
    .bind(serde_json::Value::Array(entries).to_string())
    .fetch_all(&mut *conn)
    .await?;
    ids.sort_unstable();
    let accrual = *ids.last().expect("an accrual was written");
    sqlx::query("INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from) VALUES (?1, ?2, ?3, ?4)")
        .bind(accrual)
        .bind(sale.customer)
        .bind(ACCRUED)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    if let Some(lot) = drawn {
        sqlx::query("UPDATE point_lots SET remaining = remaining - ?2 WHERE entry_id = ?1")
            .bind(lot)
            .bind(PAID)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO customer_loyalty (customer_id, spent_minor, purchases, first_purchase_at,
             last_purchase_at, balance)
         VALUES (?1, ?2, 1, ?3, ?3, ?4)
         ON CONFLICT (customer_id) DO UPDATE SET spent_minor = spent_minor + excluded.spent_minor,
             purchases = purchases + 1, last_purchase_at = excluded.last_purchase_at,
             balance = balance + excluded.balance",
    )
    .bind(sale.customer)
    .bind(TOTAL)
    .bind(at)
    .bind(ACCRUED - paid)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
