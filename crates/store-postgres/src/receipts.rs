//! Receipts, returns and points by hand, each in its own transaction on the
//! pool, running in parallel. Each first locks the accounts it touches (the
//! `customer_loyalty` rows, in id order) and only then reads their lots, so
//! two transactions of one customer take turns and the available balance
//! never goes below zero; the arithmetic is the domain's, as in the other
//! engine. A replay loses the race on the unique index and answers what
//! the first one wrote.

use clientele_domain::posting::{CustomerLoyalty, LedgerKind, LotTerms, TierStanding};
use std::collections::BTreeMap;

use clientele_domain::certificate::certificate_refunds;
use clientele_domain::points::{Account, Lot};
use clientele_domain::posting::{self, Posting, ReturnPoints};
use clientele_domain::returns::{SoldLine, plan_return};
use clientele_domain::{CustomerId, LedgerEntryId, TierId, TillId, UserId};
use clientele_store::{
    AdjustOutcome, CertificateDebit, CommitDone, CommitOutcome, DbError, DbResult, HoldOutcome,
    KeptReturn, NewHold, PointsAdjustment, ReceiptCommit, ReturnCommit, ReturnDone, ReturnOutcome,
    StoredReceipt, receipt_rows,
};
use jiff::Timestamp;
use sqlx::types::Json;
use sqlx::{Connection, PgConnection, PgPool};

use crate::PostgresDatabase;
use crate::engine::PostgresEngine;
use crate::errors::{backend, constraint, is_unique_violation};
use crate::rows::{column, time};
use async_trait::async_trait;
use clientele_domain::OfferId;
use clientele_store::area::{CustomerAtTill, Receipts, TillKey};
use clientele_store::{PostingSource, ReceiptRef};

/// How a posting's transaction begins. Its statements are planned once per
/// connection rather than for every receipt: PostgreSQL judges the commit's
/// one statement cheaper when planned for each receipt's arrays, and then
/// spends more time planning it than running it (0.4 ms a receipt).
const BEGIN_POSTING: &str = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan";

/// The same for past receipts, which a last durable commit flushes.
const BEGIN_LOAD: &str =
    "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL synchronous_commit = off";

/// An account with one of its open lots (or none), as one row.
#[derive(sqlx::FromRow)]
struct AccountRow {
    customer_id: i64,
    debt: i64,
    tier_id: Option<i64>,
    tier_manual: bool,
    tier_until: Option<jiff_sqlx::Timestamp>,
    spent_minor: i64,
    purchases: i64,
    first_purchase_at: Option<jiff_sqlx::Timestamp>,
    last_purchase_at: Option<jiff_sqlx::Timestamp>,
    entry_id: Option<i64>,
    remaining: Option<i64>,
    usable_from: Option<jiff_sqlx::Timestamp>,
    expires_at: Option<jiff_sqlx::Timestamp>,
    held: i64,
}

/// The live holds' condition, on `holds h` with the time as `$2`.
macro_rules! live_hold {
    () => {
        "h.released_at IS NULL AND h.receipt_key IS NULL AND h.expires_at > $2"
    };
}

fn assemble(rows: Vec<AccountRow>) -> BTreeMap<CustomerId, CustomerLoyalty> {
    let optional = |t: Option<jiff_sqlx::Timestamp>| t.map(jiff_sqlx::Timestamp::to_jiff);
    let mut accounts = BTreeMap::new();
    for row in rows {
        let loyalty = accounts
            .entry(CustomerId(row.customer_id))
            .or_insert_with(|| CustomerLoyalty {
                account: Account {
                    lots: Vec::new(),
                    debt: row.debt,
                    held: row.held,
                },
                tier_id: row.tier_id.map(TierId),
                tier_manual: row.tier_manual,
                tier_until: optional(row.tier_until),
                spent_minor: row.spent_minor,
                purchases: row.purchases,
                first_purchase_at: optional(row.first_purchase_at),
                last_purchase_at: optional(row.last_purchase_at),
            });
        if let (Some(entry), Some(remaining), Some(usable_from)) =
            (row.entry_id, row.remaining, row.usable_from)
        {
            loyalty.account.lots.push(Lot {
                entry: LedgerEntryId(entry),
                remaining,
                usable_from: usable_from.to_jiff(),
                expires_at: optional(row.expires_at),
            });
        }
    }
    accounts
}

/// The accounts of the customers `$1` names (`= $1`, or `= ANY($1)`) at
/// `$2`: each with every open lot (or one row with none), and the points
/// their live holds keep aside. One statement for every reader, so that
/// debt and lots agree.
macro_rules! account_rows {
    ($customers:literal) => {
        concat!(
            "SELECT a.customer_id, a.debt, a.tier_id, a.tier_manual, a.tier_until, a.spent_minor,
                    a.purchases, a.first_purchase_at, a.last_purchase_at,
                    l.entry_id, l.remaining, l.usable_from, l.expires_at,
                    COALESCE(h.held, 0)::bigint AS held
             FROM customer_loyalty a
             LEFT JOIN point_lots l ON l.customer_id = a.customer_id AND l.remaining > 0
             LEFT JOIN (SELECT h.customer_id, SUM(h.points) AS held FROM holds h
                        WHERE h.customer_id ",
            $customers,
            " AND ",
            live_hold!(),
            "          GROUP BY h.customer_id) h ON h.customer_id = a.customer_id
             WHERE a.customer_id ",
            $customers
        )
    };
}

/// One customer's account; a customer without a row has an empty one. The
/// till reads it on every receipt: its statement names the one customer,
/// so a sharded database sends it to that customer's shard alone.
async fn account(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    at: Timestamp,
) -> DbResult<CustomerLoyalty> {
    let rows: Vec<AccountRow> = sqlx::query_as(account_rows!("= $1"))
        .bind(customer_id.0)
        .bind(time(at))
        .fetch_all(conn)
        .await
        .map_err(backend)?;
    Ok(assemble(rows).remove(&customer_id).unwrap_or_default())
}

/// The accounts of these customers who have one.
async fn accounts(
    conn: &mut PgConnection,
    ids: &[i64],
    at: Timestamp,
) -> DbResult<BTreeMap<CustomerId, CustomerLoyalty>> {
    let rows: Vec<AccountRow> = sqlx::query_as(account_rows!("= ANY($1)"))
        .bind(ids)
        .bind(time(at))
        .fetch_all(conn)
        .await
        .map_err(backend)?;
    Ok(assemble(rows))
}

/// Locks the accounts of these customers (sorted ids) until the transaction
/// ends, making any that is missing; one statement per customer, in id
/// order, so that transactions sharing customers queue instead of
/// deadlocking. The accounts are read after, in statements of their own:
/// in READ COMMITTED those see whatever the transaction that held a lock
/// wrote, where `SELECT ... FOR UPDATE` would re-read only the locked row.
async fn lock(conn: &mut PgConnection, ids: &[i64]) -> DbResult<()> {
    const LOCK: &str = "SELECT 1 FROM customer_loyalty WHERE customer_id = $1 FOR UPDATE";
    for &id in ids {
        let locked: Option<i32> = sqlx::query_scalar(LOCK)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
        if locked.is_none() {
            sqlx::query(
                "INSERT INTO customer_loyalty (customer_id)
                 SELECT id FROM customers WHERE id = $1
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
            sqlx::query(LOCK)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
        }
    }
    Ok(())
}

/// The accounts of these customers (sorted ids) who exist, locked.
async fn lock_accounts(
    conn: &mut PgConnection,
    ids: &[i64],
    at: Timestamp,
) -> DbResult<BTreeMap<CustomerId, CustomerLoyalty>> {
    lock(conn, ids).await?;
    accounts(conn, ids, at).await
}

/// Credits the owners of cards just imported their opening balances:
/// `(owner, points, comment, terms)` for each.
pub async fn credit_opening_balances(
    conn: &mut PgConnection,
    credits: &[(CustomerId, i64, String, LotTerms)],
    at: Timestamp,
) -> DbResult<()> {
    let mut ids: Vec<i64> = credits.iter().map(|(c, ..)| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut writes = Writes {
        accounts: lock_accounts(conn, &ids, at).await?,
        ..Writes::default()
    };
    for (customer_id, points, comment, terms) in credits {
        let Some(loyalty) = writes.accounts.remove(customer_id) else {
            return Err(DbError::MissingReference {
                field: "customer_id",
            });
        };
        let posting = posting::by_hand(loyalty, LedgerKind::OpeningBalance, *points, *terms, at)
            .map_err(|short| DbError::Backend(Box::new(short)))?;
        writes.add(
            *customer_id,
            posting,
            PostingSource::by_hand(None, comment, at),
        );
    }
    post(conn, &writes).await
}

/// One customer's account, locked until the transaction ends.
async fn lock_account(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    at: Timestamp,
) -> DbResult<CustomerLoyalty> {
    lock(conn, &[customer_id.0]).await?;
    account(conn, customer_id, at).await
}

/// One ledger entry about to be written.
struct Entry<'a> {
    customer_id: CustomerId,
    kind: LedgerKind,
    points: i64,
    receipt_key: Option<i64>,
    till_id: Option<TillId>,
    user_id: Option<UserId>,
    comment: Option<&'a str>,
    /// The other customer of a merge.
    counterpart: Option<CustomerId>,
    /// The lot an accrual opens, and what is left of it once it settled any debt.
    lot: Option<(LotTerms, i64)>,
    at: Timestamp,
}

/// Everything a transaction writes to the ledger, written by one statement
/// however many customers it reaches.
#[derive(Default)]
struct Writes<'a> {
    entries: Vec<Entry<'a>>,
    /// Points taken from each open lot, by its customer and entry.
    taken: BTreeMap<(i64, i64), i64>,
    /// The accounts afterwards.
    accounts: BTreeMap<CustomerId, CustomerLoyalty>,
}

impl<'a> Writes<'a> {
    /// A customer's posting, from the event `source` names.
    fn add(&mut self, customer_id: CustomerId, posting: Posting, source: PostingSource<'a>) {
        self.entries
            .extend(posting.entries.iter().map(|posted| Entry {
                customer_id,
                kind: posted.kind,
                points: posted.points,
                receipt_key: source.receipt_key.map(|k| k.0),
                till_id: source.till_id,
                user_id: source.user_id,
                comment: source.comment,
                counterpart: source.counterpart,
                lot: posted.lot,
                at: source.at,
            }));
        for (entry, points) in &posting.taken {
            *self.taken.entry((customer_id.0, entry.0)).or_default() += points;
        }
        self.accounts.insert(customer_id, posting.loyalty);
    }
}

/// The [`Writes`]: the entries with the lots they open, what was taken from
/// open lots, and the accounts. Each entry draws its id first, so that its
/// lot can name it (foreign keys are checked at the end of the statement).
const POST: &str = "
WITH entries AS (
    SELECT nextval('ledger_entries_id_seq') AS id, e.*
    FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[],
                $11::bigint[], $23::bigint[])
         AS e (customer_id, kind, points, receipt_key, till_id, user_id, comment, usable_from,
               expires_at, created_at, lot_remaining, counterpart_id)
), written AS (
    INSERT INTO ledger_entries (id, customer_id, kind, points, receipt_key, till_id, user_id,
                                comment, usable_from, expires_at, created_at, counterpart_id)
    SELECT id, customer_id, kind, points, receipt_key, till_id, user_id, comment, usable_from,
           expires_at, created_at, counterpart_id
    FROM entries
), opened AS (
    INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from, expires_at)
    SELECT id, customer_id, lot_remaining, usable_from, expires_at
    FROM entries WHERE lot_remaining IS NOT NULL
), taken AS (
    UPDATE point_lots l SET remaining = l.remaining - t.points
    FROM UNNEST($25::bigint[], $12::bigint[], $13::bigint[]) AS t (customer_id, entry_id, points)
    WHERE l.customer_id = t.customer_id AND l.entry_id = t.entry_id
)
UPDATE customer_loyalty c SET
    debt = a.debt, tier_id = a.tier_id, tier_manual = a.tier_manual, tier_until = a.tier_until,
    spent_minor = a.spent_minor, purchases = a.purchases,
    first_purchase_at = a.first_purchase_at, last_purchase_at = a.last_purchase_at,
    balance = a.balance
FROM UNNEST($14::bigint[], $15::bigint[], $16::bigint[], $17::boolean[], $18::timestamptz[],
            $19::bigint[], $20::bigint[], $21::timestamptz[], $22::timestamptz[], $24::bigint[])
     AS a (customer_id, debt, tier_id, tier_manual, tier_until, spent_minor, purchases,
           first_purchase_at, last_purchase_at, balance)
WHERE c.customer_id = a.customer_id";

async fn post(conn: &mut PgConnection, writes: &Writes<'_>) -> DbResult<()> {
    let entries = &writes.entries;
    let accounts = &writes.accounts;
    let optional = |t: Option<Timestamp>| t.map(time);
    sqlx::query(POST)
        .bind(column(entries, |e| e.customer_id.0))
        .bind(column(entries, |e| e.kind.as_str()))
        .bind(column(entries, |e| e.points))
        .bind(column(entries, |e| e.receipt_key))
        .bind(column(entries, |e| e.till_id.map(|t| t.0)))
        .bind(column(entries, |e| e.user_id.map(|u| u.0)))
        .bind(column(entries, |e| e.comment))
        .bind(column(entries, |e| {
            e.lot.map(|(terms, _)| time(terms.usable_from))
        }))
        .bind(column(entries, |e| {
            optional(e.lot.and_then(|(terms, _)| terms.expires_at))
        }))
        .bind(column(entries, |e| time(e.at)))
        .bind(column(entries, |e| e.lot.map(|(_, remaining)| remaining)))
        .bind(column(writes.taken.keys(), |(_, entry)| *entry))
        .bind(column(writes.taken.values(), |points| *points))
        .bind(column(accounts.keys(), |c| c.0))
        .bind(column(accounts.values(), |a| a.account.debt))
        .bind(column(accounts.values(), |a| a.tier_id.map(|t| t.0)))
        .bind(column(accounts.values(), |a| a.tier_manual))
        .bind(column(accounts.values(), |a| optional(a.tier_until)))
        .bind(column(accounts.values(), |a| a.spent_minor))
        .bind(column(accounts.values(), |a| a.purchases))
        .bind(column(accounts.values(), |a| optional(a.first_purchase_at)))
        .bind(column(accounts.values(), |a| optional(a.last_purchase_at)))
        .bind(column(entries, |e| e.counterpart.map(|c| c.0)))
        .bind(column(accounts.values(), |a| a.account.balance()))
        .bind(column(writes.taken.keys(), |(customer, _)| *customer))
        .execute(conn)
        .await
        .map_err(constraint)?;
    Ok(())
}

async fn receipt_in(
    conn: &mut PgConnection,
    till_id: TillId,
    receipt_id: &str,
) -> DbResult<Option<StoredReceipt>> {
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT owner_id, receipt_key FROM till_receipts WHERE till_id = $1 AND receipt_id = $2",
    )
    .bind(till_id.0)
    .bind(receipt_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    let Some((owner, key)) = found else {
        return Ok(None);
    };
    let row: Option<crate::rows::Stored<StoredReceipt>> = sqlx::query_as(
        "SELECT id, till_id, store_id, receipt_id, customer_id, request_hash, answer,
                points_available, points_owed, created_at
         FROM receipts WHERE owner_id = $1 AND id = $2",
    )
    .bind(owner)
    .bind(key)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    Ok(row.map(|row| row.0))
}

pub async fn receipt(
    pool: &PgPool,
    till_id: TillId,
    receipt_id: &str,
) -> DbResult<Option<StoredReceipt>> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    receipt_in(&mut conn, till_id, receipt_id).await
}

/// Whom a receipt is kept with: its customer, or the till that sold an
/// anonymous one (as minus its id, apart from every customer).
fn owner(customer: Option<CustomerId>, till: TillId) -> i64 {
    customer.map_or(-till.0, |c| c.0)
}

fn receipt_owner(receipt: &ReceiptRef) -> i64 {
    owner(receipt.customer_id, receipt.till_id)
}

/// The answer to a receipt id the till already used: the first answer to
/// the same request, a conflict to another.
/// A receipt refused (its transaction rolled back), unless it is a replay
/// of one committed: then the first answer.
async fn unless_replayed(
    conn: &mut PgConnection,
    receipt: &ReceiptCommit,
    refusal: CommitOutcome,
) -> DbResult<CommitOutcome> {
    let first = replay(
        conn,
        receipt.till_id,
        &receipt.receipt_id,
        &receipt.request_hash,
    )
    .await?;
    Ok(first.unwrap_or(refusal))
}

async fn replay(
    conn: &mut PgConnection,
    till_id: TillId,
    receipt_id: &str,
    request_hash: &[u8],
) -> DbResult<Option<CommitOutcome>> {
    Ok(receipt_in(conn, till_id, receipt_id).await?.map(|first| {
        if first.request_hash == request_hash {
            CommitOutcome::Replayed(first.answer)
        } else {
            CommitOutcome::Conflict
        }
    }))
}

/// The receipt, its lines and, for a customer's receipt, its ledger entries,
/// the lots they open or draw from and the account afterwards: everything a
/// receipt writes, in one statement (one round trip, one plan). The lots
/// drawn from are found by the customer's parameter, so that a plan made
/// once for every receipt stays cheap: PostgreSQL then keeps one plan
/// rather than planning each receipt anew.
const WRITE_RECEIPT: &str = "
WITH receipt AS (
    INSERT INTO receipts (owner_id, till_id, receipt_id, store_id, customer_id, card_id,
                          created_at, committed_at, request_hash, total_minor, discount_minor,
                          points_paid, points_accrued, to_pay_minor, points_owed, answer,
                          points_available)
    VALUES ($43, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $44)
    RETURNING owner_id, id, customer_id
), claimed AS (
    INSERT INTO till_receipts (till_id, receipt_id, owner_id, receipt_key)
    SELECT $1, $2, owner_id, id FROM receipt
), lines AS (
    INSERT INTO receipt_lines (owner_id, receipt_key, line, customer_id, sku, name, category,
                               quantity_milli, price_minor, amount_minor, discount_minor,
                               points_paid, points_accrued, to_pay_minor)
    SELECT receipt.owner_id, receipt.id, l.line, receipt.customer_id, l.sku, l.name, l.category,
           l.quantity_milli,
           l.price_minor, l.amount_minor, l.discount_minor, l.points_paid, l.points_accrued,
           l.to_pay_minor
    FROM receipt,
         UNNEST($16::bigint[], $17::text[], $18::text[], $19::text[], $20::bigint[],
                $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[], $25::bigint[],
                $26::bigint[])
         AS l (line, sku, name, category, quantity_milli, price_minor, amount_minor,
               discount_minor, points_paid, points_accrued, to_pay_minor)
), entries AS (
    SELECT nextval('ledger_entries_id_seq') AS id, receipt.id AS receipt_key,
           receipt.customer_id, e.*
    FROM receipt,
         UNNEST($27::text[], $28::bigint[], $29::timestamptz[], $30::timestamptz[],
                $31::bigint[])
         AS e (kind, points, usable_from, expires_at, lot_remaining)
), written AS (
    INSERT INTO ledger_entries (id, customer_id, kind, points, receipt_key, till_id,
                                usable_from, expires_at, created_at)
    SELECT id, customer_id, kind, points, receipt_key, $1, usable_from, expires_at, $6
    FROM entries
), opened AS (
    INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from, expires_at)
    SELECT id, customer_id, lot_remaining, usable_from, expires_at
    FROM entries WHERE lot_remaining IS NOT NULL
), taken AS (
    UPDATE point_lots l SET remaining = l.remaining - t.points
    FROM UNNEST($32::bigint[], $33::bigint[]) AS t (entry_id, points)
    WHERE l.customer_id = $4 AND l.entry_id = t.entry_id
), account AS (
    UPDATE customer_loyalty c SET
        debt = $34, tier_id = $35, tier_manual = $36, tier_until = $37, spent_minor = $38,
        purchases = $39, first_purchase_at = $40, last_purchase_at = $41, balance = $42
    FROM receipt WHERE c.customer_id = receipt.customer_id
)
SELECT id FROM receipt";

pub async fn commit(pool: &PgPool, receipt: ReceiptCommit) -> DbResult<CommitOutcome> {
    commit_with(pool, receipt, true).await
}

/// Past receipts: several at once, each committed without waiting for its
/// flush; a last durable commit flushes them all before the answer.
pub async fn load(pool: &PgPool, receipts: Vec<ReceiptCommit>) -> DbResult<Vec<CommitOutcome>> {
    use futures_util::{StreamExt, TryStreamExt};
    let outcomes = futures_util::stream::iter(receipts)
        .map(|receipt| commit_with(pool, receipt, false))
        .buffered(LOADERS)
        .try_collect()
        .await?;
    sqlx::query("SELECT pg_catalog.txid_current()")
        .execute(pool)
        .await
        .map_err(backend)?;
    Ok(outcomes)
}

/// Receipts a load writes at once.
const LOADERS: usize = 8;

async fn commit_with(
    pool: &PgPool,
    receipt: ReceiptCommit,
    durable: bool,
) -> DbResult<CommitOutcome> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    let begin = if durable { BEGIN_POSTING } else { BEGIN_LOAD };
    let mut tx = conn.begin_with(begin).await.map_err(backend)?;
    let calc = &receipt.calculation;
    let now = receipt.committed_at;
    let mut done = CommitDone::default();
    // Everything the ledger will hold, worked out before a row is written.
    let mut writes = Writes::default();
    let mut hold = None;
    if let Some(customer) = &receipt.customer {
        let loyalty = lock_account(&mut tx, customer.customer_id, now).await?;
        if let Some(hold_id) = &receipt.hold_id {
            hold = live_hold(&mut tx, receipt.till_id, customer.customer_id, hold_id, now).await?;
        }
        let spent_in_period = match customer.tier_since {
            None => None,
            Some(since) => Some(spent_since(&mut tx, customer.customer_id, since).await?),
        };
        let points = receipt.points(customer, hold.map(|(_, points)| points), spent_in_period);
        let posting = match posting::commit(loyalty, &points, now) {
            Ok(posting) => posting,
            Err(short) => {
                tx.rollback().await.map_err(backend)?;
                // A replay of a receipt that paid with points finds them spent.
                let short = CommitOutcome::Insufficient {
                    available: short.available,
                };
                return unless_replayed(&mut conn, &receipt, short).await;
            }
        };
        done = CommitDone::of(&posting);
        let source = PostingSource::receipt(None, receipt.till_id, receipt.created_at);
        writes.add(customer.customer_id, posting, source);
    }
    if let Some(code) = lock_certificates(&mut tx, &receipt.certificates, now).await? {
        tx.rollback().await.map_err(backend)?;
        let refused = CommitOutcome::CertificateRefused { code };
        return unless_replayed(&mut conn, &receipt, refused).await;
    }
    if let Some(refused) =
        clientele_store_sql::refused_offer::<PostgresEngine>(&mut tx, &receipt).await?
    {
        tx.rollback().await.map_err(backend)?;
        return unless_replayed(&mut conn, &receipt, refused).await;
    }
    let rows: Vec<_> = receipt_rows(&receipt.lines, calc).collect();
    let entries = &writes.entries;
    let account = writes.accounts.values().next();
    let optional = |t: Option<Timestamp>| t.map(time);
    let inserted = sqlx::query_scalar(WRITE_RECEIPT)
        .bind(receipt.till_id.0)
        .bind(&receipt.receipt_id)
        .bind(receipt.store_id.0)
        .bind(receipt.customer.as_ref().map(|c| c.customer_id.0))
        .bind(
            receipt
                .customer
                .as_ref()
                .and_then(|c| c.card_id)
                .map(|c| c.0),
        )
        .bind(time(receipt.created_at))
        .bind(time(now))
        .bind(&receipt.request_hash)
        .bind(calc.total_minor)
        .bind(calc.discount_minor)
        .bind(calc.points_paid)
        .bind(calc.points_accrued)
        .bind(calc.to_pay_minor)
        .bind(done.points_owed)
        .bind(&receipt.frame)
        .bind(column(&rows, |(n, _, _)| i64::from(*n)))
        .bind(column(&rows, |(_, l, _)| l.sku.as_str()))
        .bind(column(&rows, |(_, l, _)| l.name.as_str()))
        .bind(column(&rows, |(_, l, _)| l.category.as_deref()))
        .bind(column(&rows, |(_, l, _)| l.quantity.milli()))
        .bind(column(&rows, |(_, l, _)| l.price_minor))
        .bind(column(&rows, |(_, l, _)| l.amount_minor))
        .bind(column(&rows, |(_, _, p)| p.discount_minor))
        .bind(column(&rows, |(_, _, p)| p.points_paid))
        .bind(column(&rows, |(_, _, p)| p.points_accrued))
        .bind(column(&rows, |(_, _, p)| p.to_pay_minor))
        .bind(column(entries, |e| e.kind.as_str()))
        .bind(column(entries, |e| e.points))
        .bind(column(entries, |e| {
            e.lot.map(|(terms, _)| time(terms.usable_from))
        }))
        .bind(column(entries, |e| {
            optional(e.lot.and_then(|(terms, _)| terms.expires_at))
        }))
        .bind(column(entries, |e| e.lot.map(|(_, remaining)| remaining)))
        .bind(column(writes.taken.keys(), |(_, entry)| *entry))
        .bind(column(writes.taken.values(), |points| *points))
        .bind(account.map(|a| a.account.debt))
        .bind(account.and_then(|a| a.tier_id.map(|t| t.0)))
        .bind(account.map(|a| a.tier_manual))
        .bind(account.and_then(|a| optional(a.tier_until)))
        .bind(account.map(|a| a.spent_minor))
        .bind(account.map(|a| a.purchases))
        .bind(account.and_then(|a| optional(a.first_purchase_at)))
        .bind(account.and_then(|a| optional(a.last_purchase_at)))
        .bind(account.map(|a| a.account.balance()))
        .bind(owner(
            receipt.customer.as_ref().map(|c| c.customer_id),
            receipt.till_id,
        ))
        .bind(done.points_available)
        .fetch_one(&mut *tx)
        .await;
    let key: i64 = match inserted {
        Ok(key) => key,
        Err(e) if is_unique_violation(&e) => {
            tx.rollback().await.map_err(backend)?;
            return replay(
                &mut conn,
                receipt.till_id,
                &receipt.receipt_id,
                &receipt.request_hash,
            )
            .await?
            .ok_or_else(|| DbError::Backend("a receipt id taken by no receipt".into()));
        }
        Err(e) => return Err(constraint(e)),
    };

    if !receipt.certificates.is_empty() {
        let paid: Vec<(i64, i64)> = receipt
            .certificates
            .iter()
            .map(|d| (d.id.0, -d.taken_minor))
            .collect();
        move_certificates(&mut tx, "redeem", &paid, key, now).await?;
    }
    clientele_store_sql::record_offers::<PostgresEngine>(&mut tx, &receipt, key).await?;
    if let (Some((hold, _)), Some(customer)) = (hold, &receipt.customer) {
        sqlx::query("UPDATE holds SET receipt_key = $2 WHERE customer_id = $3 AND id = $1")
            .bind(hold)
            .bind(key)
            .bind(customer.customer_id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(CommitOutcome::Committed(done))
}

/// A return as kept: its request's hash, what it did, and its answer.
type KeptReturnRow = (Vec<u8>, Option<Json<ReturnDone>>, Vec<u8>);

async fn stored_return_in(
    conn: &mut PgConnection,
    receipt: ReceiptRef,
    return_id: &str,
) -> DbResult<Option<(Vec<u8>, KeptReturn)>> {
    let row: Option<KeptReturnRow> = sqlx::query_as(
        "SELECT request_hash, done, answer FROM returns
         WHERE owner_id = $3 AND receipt_key = $1 AND return_id = $2",
    )
    .bind(receipt.key.0)
    .bind(return_id)
    .bind(receipt_owner(&receipt))
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    Ok(row.map(|(hash, done, answer)| {
        let kept = match done {
            Some(Json(done)) => KeptReturn::Done(done),
            None => KeptReturn::Answer(answer),
        };
        (hash, kept)
    }))
}

/// The answer to a return id already used on the receipt, like [`replay`].
async fn replay_return(
    conn: &mut PgConnection,
    receipt: ReceiptRef,
    return_id: &str,
    request_hash: &[u8],
) -> DbResult<Option<ReturnOutcome>> {
    Ok(stored_return_in(conn, receipt, return_id)
        .await?
        .map(|(hash, kept)| {
            if hash == request_hash {
                ReturnOutcome::Replayed(kept)
            } else {
                ReturnOutcome::Conflict
            }
        }))
}

/// The return and its lines, one statement.
const INSERT_RETURN: &str = "
WITH r AS (
    INSERT INTO returns (owner_id, receipt_key, return_id, till_id, customer_id, request_hash,
                         refund_minor, points_returned, points_taken_back, points_owed,
                         created_at, answer, done)
    VALUES ($17, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11)
    RETURNING owner_id, id, receipt_key, customer_id
)
INSERT INTO return_lines (owner_id, return_key, line, receipt_key, customer_id, quantity_milli,
                          refund_minor, points_returned, points_taken_back)
SELECT r.owner_id, r.id, l.line, r.receipt_key, r.customer_id, l.quantity_milli, l.refund_minor,
       l.points_returned, l.points_taken_back
FROM r,
     UNNEST($12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
     AS l (line, quantity_milli, refund_minor, points_returned, points_taken_back)";

/// What this return gives back to each certificate that paid the receipt:
/// `(certificate, code, amount)`, amounts above zero only. Read after the
/// receipt's lock, so the earlier returns are all counted.
async fn certificates_refunded(
    conn: &mut PgConnection,
    receipt: &ReceiptRef,
    to_pay: i64,
    refund: i64,
) -> DbResult<Vec<(i64, String, i64)>> {
    let paid: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT m.certificate_id, c.code, -m.amount_minor,
                (SELECT COALESCE(SUM(x.refund_minor), 0)::bigint FROM returns x
                 WHERE x.owner_id = $2 AND x.receipt_key = $1)
         FROM certificate_movements m JOIN certificates c ON c.id = m.certificate_id
         WHERE m.receipt_key = $1 AND m.kind = 'redeem' ORDER BY m.id",
    )
    .bind(receipt.key.0)
    .bind(receipt_owner(receipt))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let refunded_before = paid.first().map_or(0, |(.., before)| *before);
    let taken: Vec<i64> = paid.iter().map(|(_, _, taken, _)| *taken).collect();
    let amounts = certificate_refunds(&taken, to_pay, refunded_before, refund);
    Ok(paid
        .into_iter()
        .zip(amounts)
        .filter(|(_, amount)| *amount > 0)
        .map(|((id, code, ..), amount)| (id, code, amount))
        .collect())
}

/// A live hold of this till for this customer: its row id and points.
async fn live_hold(
    conn: &mut PgConnection,
    till_id: TillId,
    customer_id: CustomerId,
    hold_id: &str,
    at: Timestamp,
) -> DbResult<Option<(i64, i64)>> {
    sqlx::query_as(concat!(
        "SELECT h.id, h.points FROM holds h
         WHERE h.customer_id = $4 AND h.hold_id = $1 AND h.till_id = $3 AND ",
        live_hold!()
    ))
    .bind(hold_id)
    .bind(time(at))
    .bind(till_id.0)
    .bind(customer_id.0)
    .fetch_optional(conn)
    .await
    .map_err(backend)
}

/// Reserves points when they are available, the account locked as a
/// receipt locks it.
pub async fn place_hold(pool: &PgPool, hold: &NewHold) -> DbResult<HoldOutcome> {
    let mut tx = pool.begin_with(BEGIN_POSTING).await.map_err(backend)?;
    let state = lock_account(&mut tx, hold.customer_id, hold.at).await?;
    if let Err(short) = posting::hold(&state, hold.points, hold.at) {
        tx.rollback().await.map_err(backend)?;
        return Ok(HoldOutcome::Insufficient {
            available: short.available,
        });
    }
    let refused = clientele_store_sql::reserve_offers::<PostgresEngine>(&mut tx, hold).await?;
    if let Some(offer_id) = refused {
        tx.rollback().await.map_err(backend)?;
        return Ok(HoldOutcome::OfferRefused { offer_id });
    }
    sqlx::query(
        "WITH hold AS (
             INSERT INTO hold_ids (hold_id, till_id, customer_id) VALUES ($1, $2, $3)
         )
         INSERT INTO holds (hold_id, till_id, customer_id, points, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&hold.hold_id)
    .bind(hold.till_id.0)
    .bind(hold.customer_id.0)
    .bind(hold.points)
    .bind(time(hold.at))
    .bind(time(hold.expires_at))
    .execute(&mut *tx)
    .await
    .map_err(constraint)?;
    tx.commit().await.map_err(backend)?;
    Ok(HoldOutcome::Held)
}

/// Locks the receipt's certificates (in id order, as every transaction of
/// several does); answers the code of the first that no longer holds what
/// the receipt takes from it.
async fn lock_certificates(
    conn: &mut PgConnection,
    debits: &[CertificateDebit],
    at: Timestamp,
) -> DbResult<Option<String>> {
    if debits.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = debits.iter().map(|d| d.id.0).collect();
    let held: Vec<(i64, i64, jiff_sqlx::Timestamp)> = sqlx::query_as(
        "SELECT id, balance_minor, valid_to FROM certificates WHERE id = ANY($1) ORDER BY id FOR UPDATE",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for debit in debits {
        let holds = held.iter().any(|(id, balance, valid_to)| {
            *id == debit.id.0 && *balance >= debit.taken_minor && valid_to.to_jiff() > at
        });
        if !holds {
            return Ok(Some(debit.code.clone()));
        }
    }
    Ok(None)
}

/// Changes certificates' balances by `(certificate, amount)`, negative
/// when a certificate pays, each with a movement of `kind`.
async fn move_certificates(
    conn: &mut PgConnection,
    kind: &str,
    changes: &[(i64, i64)],
    receipt_key: i64,
    at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "WITH moved AS (
             UPDATE certificates c SET balance_minor = c.balance_minor + d.amount
             FROM UNNEST($1::bigint[], $2::bigint[]) AS d (id, amount)
             WHERE c.id = d.id
             RETURNING c.id, c.customer_id, d.amount
         )
         INSERT INTO certificate_movements (certificate_id, customer_id, kind, amount_minor,
                                            receipt_key, created_at)
         SELECT id, customer_id, $5, amount, $3, $4 FROM moved",
    )
    .bind(column(changes, |(id, _)| *id))
    .bind(column(changes, |(_, amount)| *amount))
    .bind(receipt_key)
    .bind(time(at))
    .bind(kind)
    .execute(conn)
    .await
    .map_err(constraint)?;
    Ok(())
}

/// What a customer spent since `since`, returns deducted: the spend a tier
/// of a rolling period counts.
async fn spent_since(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    since: Timestamp,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT (COALESCE((SELECT SUM(total_minor - discount_minor) FROM receipts
                           WHERE owner_id = $1 AND created_at >= $2), 0)
               - COALESCE((SELECT SUM(refund_minor + points_returned) FROM returns
                           WHERE owner_id = $1 AND created_at >= $2), 0))::bigint",
    )
    .bind(customer_id.0)
    .bind(time(since))
    .fetch_one(conn)
    .await
    .map_err(backend)
}

#[async_trait]
impl Receipts for PostgresDatabase {
    /// Hands a merged customer's points, figures and cards to the survivor, both
    /// accounts locked in id order as every transaction of several does.
    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin_with(BEGIN_POSTING).await.map_err(backend)?;
        let mut ids = [duplicate.0, survivor.0];
        ids.sort_unstable();
        let mut accounts = lock_accounts(&mut tx, &ids, at).await?;
        let mut account = |id| accounts.remove(&id).unwrap_or_default();
        let merged = posting::merge(account(duplicate), account(survivor), at);
        let mut writes = Writes::default();
        writes.add(
            duplicate,
            merged.duplicate,
            PostingSource::merge(survivor, at),
        );
        writes.add(
            survivor,
            merged.survivor,
            PostingSource::merge(duplicate, at),
        );
        post(&mut tx, &writes).await?;
        sqlx::query("UPDATE cards SET customer_id = $2 WHERE customer_id = $1")
            .bind(duplicate.0)
            .bind(survivor.0)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> DbResult<()> {
        let mut ids: Vec<i64> = customer_ids.iter().map(|c| c.0).collect();
        // In id order, as every transaction locking several accounts does.
        ids.sort_unstable();
        sqlx::query(
            "INSERT INTO customer_loyalty (customer_id, tier_id, tier_manual, tier_until)
             SELECT id, $2, true, $3 FROM UNNEST($1::bigint[]) AS id ORDER BY id
             ON CONFLICT (customer_id) DO UPDATE SET
                 tier_id = excluded.tier_id, tier_manual = true, tier_until = excluded.tier_until",
        )
        .bind(&ids)
        .bind(tier_id.map(|t| t.0))
        .bind(until.map(time))
        .execute(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(())
    }

    async fn customer_at_till(
        &self,
        key: TillKey<'_>,
        at: Timestamp,
        offers: Option<&[OfferId]>,
    ) -> DbResult<Option<CustomerAtTill>> {
        crate::till_view::customer_at_till(&self.pool, key, at, offers).await
    }

    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> DbResult<CustomerLoyalty> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        account(&mut conn, customer_id, at).await
    }

    /// The accounts of many customers in one statement.
    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> DbResult<Vec<(CustomerId, CustomerLoyalty)>> {
        let ids: Vec<i64> = customer_ids.iter().map(|c| c.0).collect();
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        Ok(accounts(&mut conn, &ids, at).await?.into_iter().collect())
    }

    async fn place_hold(&self, hold: NewHold) -> DbResult<HoldOutcome> {
        place_hold(&self.pool, &hold).await
    }

    async fn release_hold(&self, till_id: TillId, hold_id: &str, at: Timestamp) -> DbResult<bool> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        // The hold's customer first: the hold is kept with their account.
        let customer: Option<i64> = sqlx::query_scalar(
            "SELECT customer_id FROM hold_ids WHERE hold_id = $1 AND till_id = $2",
        )
        .bind(hold_id)
        .bind(till_id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
        let Some(customer) = customer else {
            return Ok(false);
        };
        let released = sqlx::query(concat!(
            "UPDATE holds h SET released_at = $2
             WHERE h.customer_id = $4 AND h.hold_id = $1 AND h.till_id = $3 AND ",
            live_hold!()
        ))
        .bind(hold_id)
        .bind(time(at))
        .bind(till_id.0)
        .bind(customer)
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(released == 1)
    }

    async fn preferred_products(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<(String, String)>> {
        // The last hundred receipts are what "usually buys" means at the till,
        // and they bound the work however long the history is. `OFFSET 0` keeps
        // each receipt's lines read by its key: joined freely, a planner whose
        // statistics predate the history (a new shop) scans every line instead.
        sqlx::query_as(
            "SELECT l.sku, MAX(l.name)
             FROM (SELECT id FROM receipts WHERE owner_id = $1
                   ORDER BY created_at DESC LIMIT 100) AS r
             CROSS JOIN LATERAL (SELECT sku, name FROM receipt_lines
                                 WHERE owner_id = $1 AND receipt_key = r.id OFFSET 0) AS l
             GROUP BY l.sku ORDER BY COUNT(*) DESC, l.sku LIMIT $2",
        )
        .bind(customer_id.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn receipt(&self, till_id: TillId, receipt_id: &str) -> DbResult<Option<StoredReceipt>> {
        receipt(&self.pool, till_id, receipt_id).await
    }

    async fn commit_receipt(&self, receipt: ReceiptCommit) -> DbResult<CommitOutcome> {
        commit(&self.pool, receipt).await
    }

    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> DbResult<Vec<CommitOutcome>> {
        load(&self.pool, receipts).await
    }

    async fn return_receipt(&self, request: ReturnCommit) -> DbResult<ReturnOutcome> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let mut tx = conn.begin_with(BEGIN_POSTING).await.map_err(backend)?;
        // Returns of one receipt take turns on its row, so each sees what the
        // ones before it gave back. No such receipt has no lines to return.
        let (customer_id, accrual_entry, to_pay, paid_with_certificates): (
            Option<i64>,
            Option<i64>,
            i64,
            bool,
        ) = sqlx::query_as(
            "SELECT r.customer_id,
                    (SELECT e.id FROM ledger_entries e
                     WHERE e.customer_id = r.customer_id AND e.receipt_key = r.id
                       AND e.kind = 'accrual'),
                    r.to_pay_minor,
                    EXISTS (SELECT 1 FROM certificate_movements m
                            WHERE m.receipt_key = r.id AND m.kind = 'redeem')
             FROM receipts r WHERE r.owner_id = $2 AND r.id = $1 FOR UPDATE",
        )
        .bind(request.receipt.key.0)
        .bind(receipt_owner(&request.receipt))
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .unwrap_or_default();
        let customer_id = customer_id.map(CustomerId);
        let account = match request.account {
            Some(holder) => Some((holder, lock_account(&mut tx, holder, request.at).await?)),
            None => None,
        };

        let sold: Vec<crate::rows::Stored<SoldLine>> = sqlx::query_as(
            "SELECT l.line, l.quantity_milli, l.to_pay_minor, l.points_paid, l.points_accrued,
                    COALESCE((SELECT SUM(r.quantity_milli) FROM return_lines r
                              WHERE r.owner_id = l.owner_id AND r.receipt_key = l.receipt_key
                                AND r.line = l.line), 0)::bigint
                        AS returned_milli
             FROM receipt_lines l WHERE l.owner_id = $2 AND l.receipt_key = $1 ORDER BY l.line",
        )
        .bind(request.receipt.key.0)
        .bind(receipt_owner(&request.receipt))
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let sold: Vec<SoldLine> = sold.into_iter().map(|row| row.0).collect();
        let lines = match plan_return(&sold, &request.request) {
            Ok(lines) => lines,
            Err(refused) => {
                tx.rollback().await.map_err(backend)?;
                // A replay of a return finds its lines returned already.
                let first = replay_return(
                    &mut conn,
                    request.receipt,
                    &request.return_id,
                    &request.request_hash,
                )
                .await?;
                return Ok(first.unwrap_or(ReturnOutcome::Refused(refused)));
            }
        };

        let goods = ReturnPoints::of(&lines, accrual_entry.map(LedgerEntryId), request.refund_lot);
        let certificates = if paid_with_certificates {
            certificates_refunded(&mut tx, &request.receipt, to_pay, goods.refund_minor).await?
        } else {
            Vec::new()
        };

        let posted = account
            .map(|(holder, loyalty)| (holder, posting::returned(loyalty, &goods, request.at)));
        let done = ReturnDone::new(lines, &certificates, posted.as_ref().map(|(_, p)| p));
        let inserted = sqlx::query(INSERT_RETURN)
            .bind(request.receipt.key.0)
            .bind(&request.return_id)
            .bind(request.till_id.0)
            .bind(customer_id.map(|c| c.0))
            .bind(&request.request_hash)
            .bind(goods.refund_minor)
            .bind(goods.returned)
            .bind(goods.taken_back)
            .bind(done.points_owed)
            .bind(time(request.at))
            .bind(Json(&done))
            .bind(column(&done.lines, |l| i64::from(l.line)))
            .bind(column(&done.lines, |l| l.quantity_milli))
            .bind(column(&done.lines, |l| l.refund_minor))
            .bind(column(&done.lines, |l| l.points_returned))
            .bind(column(&done.lines, |l| l.points_taken_back))
            .bind(receipt_owner(&request.receipt))
            .execute(&mut *tx)
            .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await.map_err(backend)?;
                return replay_return(
                    &mut conn,
                    request.receipt,
                    &request.return_id,
                    &request.request_hash,
                )
                .await?
                .ok_or_else(|| DbError::Backend("a return id taken by no return".into()));
            }
            Err(e) => return Err(constraint(e)),
        }

        if let Some((customer_id, posting)) = posted {
            let mut writes = Writes::default();
            let source =
                PostingSource::receipt(Some(request.receipt.key), request.till_id, request.at);
            writes.add(customer_id, posting, source);
            post(&mut tx, &writes).await?;
        }
        if !certificates.is_empty() {
            let refilled: Vec<(i64, i64)> =
                certificates.iter().map(|(id, _, a)| (*id, *a)).collect();
            move_certificates(
                &mut tx,
                "refund",
                &refilled,
                request.receipt.key.0,
                request.at,
            )
            .await?;
        }
        let returned = &done.lines;
        let key = request.receipt.key.0;
        clientele_store_sql::free_coupons::<PostgresEngine>(
            &mut tx,
            customer_id,
            key,
            &sold,
            returned,
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(ReturnOutcome::Returned(done))
    }

    async fn stored_return(
        &self,
        receipt: ReceiptRef,
        return_id: &str,
    ) -> DbResult<Option<(Vec<u8>, KeptReturn)>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        stored_return_in(&mut conn, receipt, return_id).await
    }

    /// Points by hand for every customer named, or for none.
    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> DbResult<AdjustOutcome> {
        let mut ids: Vec<i64> = adjustment.customer_ids.iter().map(|c| c.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut tx = self.pool.begin_with(BEGIN_POSTING).await.map_err(backend)?;
        let mut writes = Writes {
            accounts: lock_accounts(&mut tx, &ids, adjustment.at).await?,
            ..Writes::default()
        };
        let mut available = Vec::with_capacity(adjustment.customer_ids.len());
        for &customer_id in &adjustment.customer_ids {
            // Without an account row now, there is no such customer.
            let Some(loyalty) = writes.accounts.remove(&customer_id) else {
                tx.rollback().await.map_err(backend)?;
                return Ok(AdjustOutcome::MissingCustomer(customer_id));
            };
            let posting = match posting::by_hand(
                loyalty,
                adjustment.kind,
                adjustment.points,
                adjustment.lot,
                adjustment.at,
            ) {
                Ok(posting) => posting,
                Err(short) => {
                    tx.rollback().await.map_err(backend)?;
                    return Ok(AdjustOutcome::Insufficient {
                        customer_id,
                        available: short.available,
                    });
                }
            };
            available.push((customer_id, posting.points_available));
            let source =
                PostingSource::by_hand(adjustment.author, &adjustment.comment, adjustment.at);
            writes.add(customer_id, posting, source);
        }
        post(&mut tx, &writes).await?;
        if let Some(message) = &adjustment.message {
            for &customer in &adjustment.customer_ids {
                let message = message.to(customer, adjustment.at, adjustment.author);
                clientele_store_sql::queue_message::<PostgresEngine>(&mut tx, &message).await?;
            }
        }
        tx.commit().await.map_err(backend)?;
        Ok(AdjustOutcome::Done(available))
    }

    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        (from, to): (CustomerId, CustomerId),
    ) -> DbResult<u64> {
        type Row = (i64, Option<i64>, bool, Option<jiff_sqlx::Timestamp>, i64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT l.customer_id, l.tier_id, l.tier_manual, l.tier_until,
                    (COALESCE((SELECT SUM(r.total_minor - r.discount_minor) FROM receipts r
                               WHERE r.owner_id = l.customer_id AND r.created_at >= $1), 0)
                   - COALESCE((SELECT SUM(x.refund_minor + x.points_returned) FROM returns x
                               WHERE x.owner_id = l.customer_id AND x.created_at >= $1), 0))::bigint
             FROM customer_loyalty l WHERE l.customer_id BETWEEN $2 AND $3",
        )
        .bind(time(since))
        .bind(from.0)
        .bind(to.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let customers = rows
            .into_iter()
            .map(|(customer, tier_id, manual, until, spent)| {
                let found = TierStanding {
                    tier_id: tier_id.map(TierId),
                    manual,
                    until: until.map(|t| t.to_jiff()),
                };
                (customer, found, spent)
            });
        let recount = posting::recount(customers, ladder, at);
        if !recount.changed.is_empty() {
            // Written only where the standing is still the one recounted: a
            // purchase that raised the tier meanwhile wins.
            let changed = &recount.changed;
            sqlx::query(
                "UPDATE customer_loyalty l SET tier_id = c.new_tier, tier_manual = false, tier_until = NULL
                 FROM UNNEST($1::bigint[], $2::bigint[], $3::boolean[], $4::timestamptz[], $5::bigint[])
                      AS c (customer_id, tier_id, tier_manual, tier_until, new_tier)
                 WHERE l.customer_id = c.customer_id
                   AND l.tier_id IS NOT DISTINCT FROM c.tier_id
                   AND l.tier_manual = c.tier_manual
                   AND l.tier_until IS NOT DISTINCT FROM c.tier_until",
            )
            .bind(column(changed, |(c, ..)| *c))
            .bind(column(changed, |(_, found, _)| found.tier_id.map(|t| t.0)))
            .bind(column(changed, |(_, found, _)| found.manual))
            .bind(column(changed, |(_, found, _)| found.until.map(time)))
            .bind(column(changed, |(.., new)| new.tier_id.map(|t| t.0)))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        }
        Ok(recount.recounted)
    }

    async fn expire_points(&self, at: Timestamp, customers: u32) -> DbResult<u32> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT customer_id FROM point_lots
             WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2",
        )
        .bind(time(at))
        .bind(i64::from(customers))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        for &customer in &due {
            let customer_id = CustomerId(customer);
            let mut tx = self.pool.begin_with(BEGIN_POSTING).await.map_err(backend)?;
            let posting = posting::expiry(lock_account(&mut tx, customer_id, at).await?, at);
            let mut writes = Writes::default();
            writes.add(customer_id, posting, PostingSource::at(at));
            post(&mut tx, &writes).await?;
            tx.commit().await.map_err(backend)?;
        }
        Ok(due.len() as u32)
    }
}
