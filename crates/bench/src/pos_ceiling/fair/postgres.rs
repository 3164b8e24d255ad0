//! The fair ceiling on PostgreSQL: each till has a connection of its own and
//! commits its receipt in a transaction of its own, in four round trips as
//! the engine does: BEGIN; the account's open lots locked and read; one
//! statement writing everything; COMMIT.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection as _, PgConnection};

use super::{ACCRUED, CERTIFICATES, PAID, PREFERRED, Shopper, TOTAL, lot_to_draw, nth_receipt};
use crate::pos_ceiling::{ANSWER, LINES};

macro_rules! customer_columns {
    () => {
        "c.id, c.name, c.phone, c.email, c.gender, c.birth_date, c.address, c.region, c.city, \
         c.documents, c.group_id, c.status, c.blocked, c.blocked_reason, c.notes, c.referrer_id, \
         c.channel, c.store_id, c.external_id, c.consents, c.merged_into, \
         (SELECT s.name FROM customers s WHERE s.id = c.merged_into) AS merged_into_name, \
         c.created_at, c.updated_at, c.version, \
         (SELECT jsonb_object_agg(d.name, cp.value) FROM customer_properties cp \
          JOIN property_definitions d ON d.id = cp.property_id WHERE cp.customer_id = c.id) \
         AS properties"
    };
}

/// The customer with their account, as every step at the till reads them.
macro_rules! at_till {
    ($where:literal) => {
        concat!(
            "SELECT ",
            customer_columns!(),
            ", a.debt, a.tier_id, a.tier_manual, a.tier_until, a.spent_minor, a.purchases,
       a.first_purchase_at, a.last_purchase_at,
       (SELECT COALESCE(jsonb_agg(jsonb_build_array(
                   l.entry_id, l.remaining,
                   (extract(epoch FROM l.usable_from) * 1000000)::bigint,
                   (extract(epoch FROM l.expires_at) * 1000000)::bigint)), '[]')
        FROM point_lots l WHERE l.customer_id = c.id AND l.remaining > 0) AS lots,
       (SELECT COALESCE(SUM(h.points), 0)::bigint FROM holds h
        WHERE h.customer_id = c.id AND h.released_at IS NULL AND h.receipt_key IS NULL
          AND h.expires_at > now()) AS held
     FROM customers c LEFT JOIN customer_loyalty a ON a.customer_id = c.id ",
            $where
        )
    };
}

const CUSTOMER_AT_TILL: &str = at_till!("WHERE c.id = $1");
/// The phone's holder read through its lookup, as the engine reads them.
const CUSTOMER_AT_TILL_BY_PHONE: &str = at_till!(
    "WHERE c.id = (SELECT customer_id FROM customer_keys WHERE value = $1 AND kind = 'phone')"
);

const PREFERRED_PRODUCTS: &str = "SELECT l.sku, MAX(l.name)
     FROM (SELECT id FROM receipts WHERE owner_id = $1
           ORDER BY created_at DESC LIMIT 100) AS r
     CROSS JOIN LATERAL (SELECT sku, name FROM receipt_lines
                         WHERE owner_id = $1 AND receipt_key = r.id OFFSET 0) AS l
     GROUP BY l.sku ORDER BY COUNT(*) DESC, l.sku LIMIT $2";

const CERTIFICATES_OF: &str = "SELECT id, code, template_id, customer_id, face_value_minor, \
     balance_minor, partial_use, issued_at, valid_to FROM certificates \
     WHERE customer_id = $1 ORDER BY id DESC LIMIT $2";

/// The account with its open lots, every row locked: after a wait for
/// another till of the same customer, PostgreSQL reads the locked rows
/// again, so a lot is never drawn twice. In one statement, where the engine
/// locks the account and reads in a function of its own.
const LOCK_ACCOUNT: &str = "SELECT l.entry_id, l.remaining,
        (extract(epoch FROM l.usable_from) * 1000000)::bigint AS usable_from,
        a.debt, a.spent_minor, a.purchases
     FROM customer_loyalty a JOIN point_lots l ON l.customer_id = a.customer_id
     WHERE a.customer_id = $1 AND l.remaining > 0
     ORDER BY l.entry_id FOR UPDATE";

/// Everything a receipt writes, in one statement as in the engine: the
/// receipt under its owner, the till's receipt id, its lines, its ledger
/// entries, the lot the accrual opens, the lot a payment draws from ($9,
/// or none), the account.
const WRITE_RECEIPT: &str = "
WITH receipt AS (
    INSERT INTO receipts (owner_id, till_id, receipt_id, store_id, customer_id, created_at,
                          committed_at, request_hash, total_minor, discount_minor, points_paid,
                          points_accrued, to_pay_minor, points_owed, answer)
    VALUES ($4, $1, $2, $3, $4, now(), now(), '\\x0123456789abcdef', $5, 0, $6, $7, $5 - $6, 0,
            $8)
    RETURNING owner_id, id, customer_id
), claimed AS (
    INSERT INTO till_receipts (till_id, receipt_id, owner_id, receipt_key)
    SELECT $1, $2, owner_id, id FROM receipt
), lines AS (
    INSERT INTO receipt_lines (owner_id, receipt_key, line, customer_id, sku, name, category,
                               quantity_milli, price_minor, amount_minor, discount_minor,
                               points_paid, points_accrued, to_pay_minor)
    SELECT receipt.owner_id, receipt.id, (l->>0)::int, receipt.customer_id, l->>1, l->>2, l->>3,
           (l->>4)::bigint,
           (l->>5)::bigint, (l->>6)::bigint, (l->>7)::bigint, (l->>8)::bigint, (l->>9)::bigint,
           (l->>10)::bigint
    FROM receipt, jsonb_array_elements($10::jsonb) AS l
), entries AS (
    SELECT nextval('ledger_entries_id_seq') AS id, receipt.id AS receipt_key, receipt.customer_id,
           e.kind, e.points, e.opens
    FROM receipt, UNNEST($11::text[], $12::bigint[], $13::boolean[]) AS e (kind, points, opens)
), written AS (
    INSERT INTO ledger_entries (id, customer_id, kind, points, receipt_key, till_id, usable_from,
                                created_at)
    SELECT id, customer_id, kind, points, receipt_key, $1,
           CASE WHEN opens THEN now() END, now()
    FROM entries
), opened AS (
    INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from)
    SELECT id, customer_id, points, now() FROM entries WHERE opens
), taken AS (
    UPDATE point_lots l SET remaining = l.remaining - $6
    WHERE l.customer_id = $4 AND l.entry_id = $9
), account AS (
    UPDATE customer_loyalty a SET spent_minor = a.spent_minor + $5, purchases = a.purchases + 1,
        last_purchase_at = now(), balance = a.balance + $7 - $6
    FROM receipt WHERE a.customer_id = receipt.customer_id
)
SELECT id FROM receipt";

pub async fn receipts_per_s(
    url: &str,
    shoppers: Arc<Vec<Shopper>>,
    tills: u32,
    duration: Duration,
) -> anyhow::Result<f64> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql(
        "INSERT INTO stores (code, name, kind, created_at) VALUES ('CEIL', 'Ceiling', 'store', now());
         INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
         SELECT id, 'ceiling', '\\x00', now(), now() FROM stores WHERE code = 'CEIL';",
    )
    .execute(&mut conn)
    .await?;
    let till: (i64, i64) = sqlx::query_as(
        "SELECT t.id, t.store_id FROM tills t JOIN stores s ON s.id = t.store_id WHERE s.code = 'CEIL'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    let mut conns = Vec::new();
    for _ in 0..tills {
        conns.push(PgConnection::connect(url).await?);
    }
    let started = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .zip(0..)
        .map(|(conn, n)| {
            let shoppers = shoppers.clone();
            tokio::spawn(serve(conn, shoppers, till, tills, n, started + duration))
        })
        .collect();
    let mut served = 0;
    for task in tasks {
        served += task.await??;
    }
    Ok(served as f64 / started.elapsed().as_secs_f64())
}

/// One till: a receipt's reads, then its commit, until `end`.
async fn serve(
    mut conn: PgConnection,
    shoppers: Arc<Vec<Shopper>>,
    (till, store): (i64, i64),
    tills: u32,
    n: u32,
    end: Instant,
) -> anyhow::Result<u64> {
    let mut served = 0;
    while Instant::now() < end {
        let (shopper, pays) = nth_receipt(&shoppers, tills, n, served);
        // identify
        sqlx::query(CUSTOMER_AT_TILL_BY_PHONE)
            .bind(&shopper.phone)
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
        // calculate, then the commit's own read before its transaction
        for _ in 0..2 {
            sqlx::query(CUSTOMER_AT_TILL)
                .bind(shopper.id)
                .fetch_optional(&mut conn)
                .await?;
        }
        let mut tx = conn.begin().await?;
        let lots: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(LOCK_ACCOUNT)
            .bind(shopper.id)
            .fetch_all(&mut *tx)
            .await?;
        let lots: Vec<(i64, i64, i64)> = lots.into_iter().map(|(e, r, u, ..)| (e, r, u)).collect();
        let now = jiff::Timestamp::now().as_microsecond();
        let drawn = lot_to_draw(&lots, now).filter(|_| pays);
        let paid = if drawn.is_some() { PAID } else { 0 };
        let (kinds, points, opens) = if paid > 0 {
            (
                vec!["payment", "accrual"],
                vec![-paid, ACCRUED],
                vec![false, true],
            )
        } else {
            (vec!["accrual"], vec![ACCRUED], vec![true])
        };
        sqlx::query(WRITE_RECEIPT)
            .bind(till)
            .bind(format!("F-{n}-{served}"))
            .bind(store)
            .bind(shopper.id)
            .bind(TOTAL)
            .bind(paid)
            .bind(ACCRUED)
            .bind(ANSWER.as_bytes())
            .bind(drawn)
            .bind(LINES)
            .bind(kinds)
            .bind(points)
            .bind(opens)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        served += 1;
    }
    Ok(served)
}
