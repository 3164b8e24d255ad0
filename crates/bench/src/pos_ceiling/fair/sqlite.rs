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

use super::{
    ACCRUED, CERTIFICATES, PAID, PREFERRED, Shopper, TOTAL, lot_to_draw, nth_receipt, receipt_id,
    returned_after,
};
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

const CUSTOMER: &str = concat!(
    "SELECT ",
    customer_columns!(),
    " FROM customers c WHERE c.id = ?1"
);

const RECEIPT: &str = "SELECT id, till_id, store_id, receipt_id, customer_id, request_hash, answer,
        points_available, points_owed, created_at
     FROM receipts WHERE till_id = ?1 AND receipt_id = ?2";

const STORED_RETURN: &str =
    "SELECT request_hash, done, answer FROM returns WHERE receipt_key = ?1 AND return_id = ?2";

/// Work handed to the writer, answered once it is durable.
struct Job {
    write: Write,
    durable: oneshot::Sender<Result<(), String>>,
}

enum Write {
    Sale {
        customer: i64,
        pays: bool,
        receipt_id: String,
    },
    /// A whole receipt returned, found by the till's reads.
    Return { receipt: i64, return_id: String },
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
    let (jobs, queue) = mpsc::channel(4 * GROUP);
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
        let (shoppers, jobs) = (shoppers.clone(), jobs.clone());
        tasks.push(tokio::spawn(serve(
            conn,
            shoppers,
            jobs,
            (till, tills),
            n,
            started + duration,
        )));
    }
    drop(jobs);
    let mut served = 0;
    for task in tasks {
        served += task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    writer.await??;
    checkpointer.await??;
    Ok(served as f64 / elapsed)
}

/// One till: a receipt's reads, then its writes by the writer, and every
/// tenth a return of the one before, until `end`. Every till writes under
/// the ceiling's one till row, `ceiling_till`; `till` numbers this one of
/// `tills`.
async fn serve(
    mut conn: SqliteConnection,
    shoppers: Arc<Vec<Shopper>>,
    jobs: mpsc::Sender<Job>,
    (ceiling_till, tills): (i64, u32),
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
        let sale = Write::Sale {
            customer: shopper.id,
            pays,
            receipt_id: receipt_id(till, n),
        };
        written(&jobs, sale).await?;
        if let Some(earlier) = returned_after(n) {
            let receipt_id = receipt_id(till, earlier);
            let (receipt, customer): (i64, i64) = sqlx::query(RECEIPT)
                .bind(ceiling_till)
                .bind(&receipt_id)
                .fetch_one(&mut conn)
                .await
                .and_then(|row| Ok((row.try_get("id")?, row.try_get("customer_id")?)))?;
            let return_id = format!("{receipt_id}-R");
            sqlx::query(STORED_RETURN)
                .bind(receipt)
                .bind(&return_id)
                .fetch_optional(&mut conn)
                .await?;
            sqlx::query(CUSTOMER)
                .bind(customer)
                .fetch_optional(&mut conn)
                .await?;
            written(&jobs, Write::Return { receipt, return_id }).await?;
        }
        n += 1;
    }
    Ok(n)
}

/// Hands `write` to the writer and waits until it is durable.
async fn written(jobs: &mpsc::Sender<Job>, write: Write) -> anyhow::Result<()> {
    let (durable, done) = oneshot::channel();
    jobs.send(Job { write, durable }).await?;
    done.await?.map_err(anyhow::Error::msg)
}

/// The writer: every job waiting, up to [`GROUP`], in one transaction.
async fn write(
    mut conn: SqliteConnection,
    mut queue: mpsc::Receiver<Job>,
    till: i64,
    store: i64,
) -> anyhow::Result<()> {
    let mut jobs = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut jobs, GROUP).await > 0 {
        let outcome = async {
            let mut tx = conn.begin().await?;
            for job in &jobs {
                match &job.write {
                    Write::Sale {
                        customer,
                        pays,
                        receipt_id,
                    } => write_sale(&mut tx, *customer, *pays, receipt_id, till, store).await?,
                    Write::Return { receipt, return_id } => {
                        write_return(&mut tx, *receipt, return_id, till).await?
                    }
                }
            }
            tx.commit().await?;
            anyhow::Ok(())
        }
        .await
        .map_err(|e| format!("{e:#}"));
        for job in jobs.drain(..) {
            let _ = job.durable.send(outcome.clone());
        }
    }
    Ok(())
}

/// A receipt's statements, as many as the engine's writer issues: the
/// account read, the receipt, its lines, its ledger entries, the lot the
/// accrual opens, the lot a payment draws from, the account.
async fn write_sale(
    conn: &mut SqliteConnection,
    customer: i64,
    pays: bool,
    receipt_id: &str,
    till: i64,
    store: i64,
) -> anyhow::Result<()> {
    let at = now();
    let lots: String = sqlx::query(ACCOUNT)
        .bind(customer)
        .bind(at)
        .fetch_one(&mut *conn)
        .await?
        .try_get("lots")?;
    let lots: Vec<(i64, i64, i64, Option<i64>)> = serde_json::from_str(&lots)?;
    let lots: Vec<(i64, i64, i64)> = lots.into_iter().map(|(e, r, u, _)| (e, r, u)).collect();
    let drawn = lot_to_draw(&lots, at).filter(|_| pays);
    let paid = if drawn.is_some() { PAID } else { 0 };
    let key: i64 = sqlx::query_scalar(
        "INSERT INTO receipts (till_id, receipt_id, store_id, customer_id, created_at, committed_at,
             request_hash, total_minor, discount_minor, points_paid, points_accrued, to_pay_minor,
             points_owed, answer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, x'0123456789abcdef', ?6, 0, ?7, ?8, ?6 - ?7, 0, ?9)
         ON CONFLICT (till_id, receipt_id) DO NOTHING RETURNING id",
    )
    .bind(till)
    .bind(receipt_id)
    .bind(store)
    .bind(customer)
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
        entries.push(("payment", -paid));
    }
    entries.push(("accrual", ACCRUED));
    let posted = Posted {
        customer,
        receipt: key,
        till,
        at,
    };
    post(conn, &posted, &entries, true).await?;
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
    .bind(customer)
    .bind(TOTAL)
    .bind(at)
    .bind(ACCRUED - paid)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A whole receipt returned, in the statements the engine's writer issues:
/// the return looked up again, the lines sold, the receipt's accrual and
/// refunds, the certificates that paid it, the account, the return and its
/// lines, the ledger's reversal (and refund, if it paid), the lots, the
/// account, the coupons to free.
async fn write_return(
    conn: &mut SqliteConnection,
    receipt: i64,
    return_id: &str,
    till: i64,
) -> anyhow::Result<()> {
    let at = now();
    sqlx::query(STORED_RETURN)
        .bind(receipt)
        .bind(return_id)
        .fetch_optional(&mut *conn)
        .await?;
    let sold: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.line, l.quantity_milli, l.to_pay_minor, l.points_paid, l.points_accrued,
                COALESCE((SELECT SUM(r.quantity_milli) FROM return_lines r
                          WHERE r.receipt_key = l.receipt_key AND r.line = l.line), 0) AS returned_milli
         FROM receipt_lines l WHERE l.receipt_key = ?1 ORDER BY l.line",
    )
    .bind(receipt)
    .fetch_all(&mut *conn)
    .await?;
    let (customer, accrual, refund, _, paid): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT r.customer_id,
                (SELECT e.id FROM ledger_entries e WHERE e.receipt_key = r.id AND e.kind = 'accrual'),
                r.to_pay_minor,
                COALESCE((SELECT SUM(x.refund_minor) FROM returns x WHERE x.receipt_key = r.id), 0),
                r.points_paid
         FROM receipts r WHERE r.id = ?1",
    )
    .bind(receipt)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "SELECT m.certificate_id, c.code, -m.amount_minor
         FROM certificate_movements m JOIN certificates c ON c.id = m.certificate_id
         WHERE m.receipt_key = ?1 AND m.kind = 'redeem' ORDER BY m.id",
    )
    .bind(receipt)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(ACCOUNT)
        .bind(customer)
        .bind(at)
        .fetch_one(&mut *conn)
        .await?;
    let key: i64 = sqlx::query_scalar(
        "INSERT INTO returns (receipt_key, return_id, till_id, customer_id, request_hash, refund_minor,
                              points_returned, points_taken_back, points_owed, created_at, answer, done)
         VALUES (?1, ?2, ?3, ?4, x'0123456789abcdef', ?5, ?6, ?7, 0, ?8, x'', ?9) RETURNING id",
    )
    .bind(receipt)
    .bind(return_id)
    .bind(till)
    .bind(customer)
    .bind(refund)
    .bind(paid)
    .bind(ACCRUED)
    .bind(at)
    .bind(ANSWER)
    .fetch_one(&mut *conn)
    .await?;
    let lines: Vec<_> = sold
        .iter()
        .map(|(line, quantity, to_pay, ..)| serde_json::json!([line, quantity, to_pay, 0, 0]))
        .collect();
    sqlx::query(
        "INSERT INTO return_lines (return_key, receipt_key, line, quantity_milli, refund_minor,
                                   points_returned, points_taken_back)
         SELECT ?1, ?2, value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?3)",
    )
    .bind(key)
    .bind(receipt)
    .bind(serde_json::Value::Array(lines).to_string())
    .execute(&mut *conn)
    .await?;
    let mut entries = vec![("return_reversal", -ACCRUED)];
    if paid > 0 {
        entries.push(("return_refund", paid));
    }
    let posted = Posted {
        customer,
        receipt,
        till,
        at,
    };
    post(conn, &posted, &entries, paid > 0).await?;
    sqlx::query("UPDATE point_lots SET remaining = MAX(remaining - ?2, 0) WHERE entry_id = ?1")
        .bind(accrual)
        .bind(ACCRUED)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE customer_loyalty SET spent_minor = spent_minor - ?2, balance = balance - ?3 + ?4
         WHERE customer_id = ?1",
    )
    .bind(customer)
    .bind(TOTAL)
    .bind(ACCRUED)
    .bind(paid)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "SELECT coupon_code FROM offer_uses
         WHERE customer_id = ?1 AND receipt_key = ?2 AND coupon_code IS NOT NULL ORDER BY coupon_code",
    )
    .bind(customer)
    .bind(receipt)
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}

/// Whose ledger entries are written, for which receipt, at which till, when.
struct Posted {
    customer: i64,
    receipt: i64,
    till: i64,
    at: i64,
}

/// Ledger entries `(kind, points)` in one statement, as the engine writes
/// them, then the lot the last one opens, when `last_opens`.
async fn post(
    conn: &mut SqliteConnection,
    posted: &Posted,
    entries: &[(&str, i64)],
    last_opens: bool,
) -> anyhow::Result<()> {
    let last = entries.len() - 1;
    let rows: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(n, (kind, points))| {
            let usable_from = (last_opens && n == last).then_some(posted.at);
            serde_json::json!([
                posted.customer,
                kind,
                points,
                posted.receipt,
                posted.till,
                usable_from,
                posted.at
            ])
        })
        .collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, usable_from, created_at)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6
         FROM json_each(?1) RETURNING id",
    )
    .bind(serde_json::Value::Array(rows).to_string())
    .fetch_all(&mut *conn)
    .await?;
    // Rows get ascending ids in the order json_each gives them.
    if last_opens && let Some(entry) = ids.iter().max() {
        sqlx::query("INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from) VALUES (?1, ?2, ?3, ?4)")
            .bind(entry)
            .bind(posted.customer)
            .bind(entries[last].1)
            .bind(posted.at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
