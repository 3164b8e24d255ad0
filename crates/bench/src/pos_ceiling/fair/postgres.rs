//! The fair ceiling on PostgreSQL: each till has a connection of its own and
//! commits its receipt in a transaction of its own, in five round trips as
//! the engine does: BEGIN; the account locked; the account with its open
//! lots read (after the lock, so it sees what another till of the same
//! customer wrote while this one waited); one statement writing
//! everything; COMMIT. A return likewise.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection as _, PgConnection, Row as _};

use super::{
    ACCRUED, CERTIFICATES, PAID, PREFERRED, Shopper, TOTAL, lot_to_draw, nth_receipt, receipt_id,
    returned_after,
};
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

const LOCK: &str = "SELECT 1 FROM customer_loyalty WHERE customer_id = $1 FOR UPDATE";

/// The account with its open lots and held points, a row per lot.
const ACCOUNT: &str = "SELECT a.customer_id, a.debt, a.tier_id, a.tier_manual, a.tier_until,
        a.spent_minor, a.purchases, a.first_purchase_at, a.last_purchase_at,
        l.entry_id, l.remaining, (extract(epoch FROM l.usable_from) * 1000000)::bigint AS usable_from,
        l.expires_at, COALESCE(h.held, 0)::bigint AS held
     FROM customer_loyalty a
     LEFT JOIN point_lots l ON l.customer_id = a.customer_id AND l.remaining > 0
     LEFT JOIN (SELECT h.customer_id, SUM(h.points) AS held FROM holds h
                WHERE h.customer_id = $1 AND h.released_at IS NULL AND h.receipt_key IS NULL
                  AND h.expires_at > now()
                GROUP BY h.customer_id) h ON h.customer_id = a.customer_id
     WHERE a.customer_id = $1";

const CUSTOMER: &str = concat!(
    "SELECT ",
    customer_columns!(),
    " FROM customers c WHERE c.id = $1"
);

const TILL_RECEIPT: &str =
    "SELECT owner_id, receipt_key FROM till_receipts WHERE till_id = $1 AND receipt_id = $2";

const RECEIPT: &str = "SELECT id, till_id, store_id, receipt_id, customer_id, request_hash, answer,
        points_available, points_owed, created_at
     FROM receipts WHERE owner_id = $1 AND id = $2";

const STORED_RETURN: &str = "SELECT request_hash, done, answer FROM returns
     WHERE owner_id = $3 AND receipt_key = $1 AND return_id = $2";

/// The receipt a return is against, its row locked.
const LOCK_RECEIPT: &str = "SELECT r.customer_id,
        (SELECT e.id FROM ledger_entries e
         WHERE e.customer_id = r.customer_id AND e.receipt_key = r.id AND e.kind = 'accrual'),
        r.to_pay_minor, r.points_paid,
        EXISTS (SELECT 1 FROM certificate_movements m
                WHERE m.receipt_key = r.id AND m.kind = 'redeem')
     FROM receipts r WHERE r.owner_id = $2 AND r.id = $1 FOR UPDATE";

const SOLD: &str =
    "SELECT l.line, l.quantity_milli, l.to_pay_minor, l.points_paid, l.points_accrued,
        COALESCE((SELECT SUM(r.quantity_milli) FROM return_lines r
                  WHERE r.owner_id = l.owner_id AND r.receipt_key = l.receipt_key
                    AND r.line = l.line), 0)::bigint AS returned_milli
     FROM receipt_lines l WHERE l.owner_id = $2 AND l.receipt_key = $1 ORDER BY l.line";

/// A line sold: its number, quantity, what was paid for it, its points paid
/// and accrued, the quantity returned before.
type SoldLine = (i32, i64, i64, i64, i64, i64);

/// The return and its lines, one statement as in the engine.
const INSERT_RETURN: &str = "
WITH r AS (
    INSERT INTO returns (owner_id, receipt_key, return_id, till_id, customer_id, request_hash,
                         refund_minor, points_returned, points_taken_back, points_owed,
                         created_at, answer, done)
    VALUES ($4, $1, $2, $3, $4, '\\x0123456789abcdef', $5, $6, $7, 0, now(), '', $8::jsonb)
    RETURNING owner_id, id, receipt_key, customer_id
)
INSERT INTO return_lines (owner_id, return_key, line, receipt_key, customer_id, quantity_milli,
                          refund_minor, points_returned, points_taken_back)
SELECT r.owner_id, r.id, l.line, r.receipt_key, r.customer_id, l.quantity_milli, l.refund_minor,
       0, 0
FROM r, UNNEST($9::bigint[], $10::bigint[], $11::bigint[]) AS l (line, quantity_milli, refund_minor)";

/// A return's posting, one statement as in the engine: the reversal of the
/// accrual taken from its lot, the refund of points paid with the lot it
/// opens, the account.
const POST_RETURN: &str = "
WITH entries AS (
    SELECT nextval('ledger_entries_id_seq') AS id, e.*
    FROM UNNEST($3::text[], $4::bigint[], $5::boolean[]) AS e (kind, points, opens)
), written AS (
    INSERT INTO ledger_entries (id, customer_id, kind, points, receipt_key, till_id, usable_from,
                                created_at)
    SELECT id, $1, kind, points, $2, $6, CASE WHEN opens THEN now() END, now() FROM entries
), opened AS (
    INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from)
    SELECT id, $1, points, now() FROM entries WHERE opens
), taken AS (
    UPDATE point_lots l SET remaining = GREATEST(l.remaining - $8, 0)
    WHERE l.customer_id = $1 AND l.entry_id = $7
)
UPDATE customer_loyalty a SET spent_minor = a.spent_minor - $9, balance = a.balance - $8 + $10
WHERE a.customer_id = $1";

const FREE_COUPONS: &str = "SELECT coupon_code FROM offer_uses
     WHERE customer_id = $1 AND receipt_key = $2 AND coupon_code IS NOT NULL ORDER BY coupon_code";

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

/// One till: a receipt's reads, then its commit, and every tenth a return
/// of the one before, until `end`.
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
        commit(
            &mut conn,
            shopper.id,
            pays,
            till,
            store,
            &receipt_id(n, served),
        )
        .await?;
        if let Some(earlier) = returned_after(served) {
            return_whole(&mut conn, till, &receipt_id(n, earlier)).await?;
        }
        served += 1;
    }
    Ok(served)
}

async fn commit(
    conn: &mut PgConnection,
    customer: i64,
    pays: bool,
    till: i64,
    store: i64,
    receipt_id: &str,
) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    let lots = lock_account(&mut tx, customer).await?;
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
        .bind(receipt_id)
        .bind(store)
        .bind(customer)
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
    Ok(())
}

/// The account locked, then read: its open lots as `(entry, remaining,
/// usable_from)`.
async fn lock_account(
    conn: &mut PgConnection,
    customer: i64,
) -> anyhow::Result<Vec<(i64, i64, i64)>> {
    sqlx::query(LOCK)
        .bind(customer)
        .fetch_optional(&mut *conn)
        .await?;
    let rows = sqlx::query(ACCOUNT)
        .bind(customer)
        .fetch_all(&mut *conn)
        .await?;
    let mut lots = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(entry) = row.try_get::<Option<i64>, _>("entry_id")? {
            lots.push((
                entry,
                row.try_get("remaining")?,
                row.try_get("usable_from")?,
            ));
        }
    }
    Ok(lots)
}

/// A whole receipt returned, with the reads and writes the engine does:
/// the receipt found through the till's id, the return looked up, the
/// points' holder read; then the receipt and the account locked, the
/// account and the lines sold read, the return with its lines written, its
/// posting, the coupons to free.
async fn return_whole(conn: &mut PgConnection, till: i64, receipt_id: &str) -> anyhow::Result<()> {
    let (owner, key): (i64, i64) = sqlx::query_as(TILL_RECEIPT)
        .bind(till)
        .bind(receipt_id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(RECEIPT)
        .bind(owner)
        .bind(key)
        .fetch_one(&mut *conn)
        .await?;
    let return_id = format!("{receipt_id}-R");
    sqlx::query(STORED_RETURN)
        .bind(key)
        .bind(&return_id)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
    sqlx::query(CUSTOMER)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;

    let mut tx = conn.begin().await?;
    let (customer, accrual, _, paid, _): (i64, i64, i64, i64, bool) = sqlx::query_as(LOCK_RECEIPT)
        .bind(key)
        .bind(owner)
        .fetch_one(&mut *tx)
        .await?;
    lock_account(&mut tx, customer).await?;
    let sold: Vec<SoldLine> = sqlx::query_as(SOLD)
        .bind(key)
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?;
    let column = |f: fn(&SoldLine) -> i64| sold.iter().map(f).collect::<Vec<_>>();
    let refund: i64 = sold.iter().map(|l| l.2).sum();
    sqlx::query(INSERT_RETURN)
        .bind(key)
        .bind(&return_id)
        .bind(till)
        .bind(customer)
        .bind(refund)
        .bind(paid)
        .bind(ACCRUED)
        .bind(ANSWER)
        .bind(column(|l| i64::from(l.0)))
        .bind(column(|l| l.1))
        .bind(column(|l| l.2))
        .execute(&mut *tx)
        .await?;
    let (kinds, points, opens) = if paid > 0 {
        (
            vec!["return_reversal", "return_refund"],
            vec![-ACCRUED, paid],
            vec![false, true],
        )
    } else {
        (vec!["return_reversal"], vec![-ACCRUED], vec![false])
    };
    sqlx::query(POST_RETURN)
        .bind(customer)
        .bind(key)
        .bind(kinds)
        .bind(points)
        .bind(opens)
        .bind(till)
        .bind(accrual)
        .bind(ACCRUED)
        .bind(TOTAL)
        .bind(paid)
        .execute(&mut *tx)
        .await?;
    sqlx::query(FREE_COUPONS)
        .bind(customer)
        .bind(key)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
