//! Receipts, returns and points by hand: each one checks the customer's
//! points and writes the ledger on the writer's connection, inside the
//! savepoint the group commit gives it.

use clientele_domain::certificate::certificate_refunds;
use clientele_domain::points::{Account, Lot};
use clientele_domain::posting::{self, Posting, ReturnPoints, TierStanding};
use clientele_domain::posting::{CustomerLoyalty, LedgerKind, LotTerms};
use clientele_domain::returns::{SoldLine, plan_return};
use clientele_domain::{CustomerId, LedgerEntryId, ReceiptKey, TierId, TillId};
use clientele_store::{
    AdjustOutcome, CertificateDebit, CommitDone, CommitOutcome, DbError, DbResult, HoldOutcome,
    KeptReturn, NewHold, PointsAdjustment, ReceiptCommit, ReturnCommit, ReturnDone, ReturnOutcome,
    StoredReceipt, receipt_rows,
};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::SqliteDatabase;
use crate::engine::SqliteEngine;
use crate::errors::{backend, constraint};
use crate::rows::{corrupt, json, micros, timestamp};
use async_trait::async_trait;
use clientele_domain::OfferId;
use clientele_store::area::{CustomerAtTill, Receipts, TillKey};
use clientele_store::{PostingSource, ReceiptRef};

/// A customer's loyalty row (absent before their first purchase or points)
/// with their open lots as JSON: one statement for what every receipt reads.
#[derive(sqlx::FromRow)]
pub(crate) struct LoyaltyRow {
    debt: Option<i64>,
    tier_id: Option<i64>,
    tier_manual: Option<bool>,
    tier_until: Option<i64>,
    spent_minor: Option<i64>,
    purchases: Option<i64>,
    first_purchase_at: Option<i64>,
    last_purchase_at: Option<i64>,
    /// `[[entry_id, remaining, usable_from, expires_at], …]`
    lots: String,
    held: i64,
}

/// The live holds' condition, on `holds h` with the time as `?2`.
macro_rules! live_hold_condition {
    () => {
        "h.released_at IS NULL AND h.receipt_key IS NULL AND h.expires_at > ?2"
    };
}
pub(crate) use live_hold_condition;

/// [`LoyaltyRow`]'s columns for the customer `$customer` (an SQL
/// expression) at the time `?2`.
macro_rules! loyalty_columns {
    ($customer:literal) => {
        concat!(
            "l.debt, l.tier_id, l.tier_manual, l.tier_until, l.spent_minor, l.purchases, \
             l.first_purchase_at, l.last_purchase_at, \
             (SELECT json_group_array(json_array(p.entry_id, p.remaining, p.usable_from, p.expires_at)) \
              FROM point_lots p WHERE p.customer_id = ",
            $customer,
            " AND p.remaining > 0) AS lots, \
             (SELECT COALESCE(SUM(h.points), 0) FROM holds h WHERE h.customer_id = ",
            $customer,
            " AND ",
            $crate::receipts::live_hold_condition!(),
            ") AS held"
        )
    };
}
pub(crate) use loyalty_columns;

pub async fn loyalty(
    conn: &mut SqliteConnection,
    customer_id: CustomerId,
    at: Timestamp,
) -> DbResult<CustomerLoyalty> {
    let row: LoyaltyRow = sqlx::query_as(concat!(
        "SELECT ",
        loyalty_columns!("c.customer_id"),
        " FROM (SELECT ?1 AS customer_id) c
          LEFT JOIN customer_loyalty l ON l.customer_id = c.customer_id"
    ))
    .bind(customer_id.0)
    .bind(micros(at))
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    row.into_loyalty()
}

impl LoyaltyRow {
    pub(crate) fn into_loyalty(self) -> DbResult<CustomerLoyalty> {
        let lots: Vec<(i64, i64, i64, Option<i64>)> =
            serde_json::from_str(&self.lots).map_err(|e| corrupt("point lots", e))?;
        let lots = lots
            .into_iter()
            .map(|(entry, remaining, usable_from, expires_at)| {
                Ok(Lot {
                    entry: LedgerEntryId(entry),
                    remaining,
                    usable_from: timestamp(usable_from)?,
                    expires_at: expires_at.map(timestamp).transpose()?,
                })
            })
            .collect::<DbResult<Vec<Lot>>>()?;
        let optional = |t: Option<i64>| t.map(timestamp).transpose();
        Ok(CustomerLoyalty {
            account: Account {
                lots,
                debt: self.debt.unwrap_or(0),
                held: self.held,
            },
            tier_id: self.tier_id.map(TierId),
            tier_manual: self.tier_manual.unwrap_or(false),
            tier_until: optional(self.tier_until)?,
            spent_minor: self.spent_minor.unwrap_or(0),
            purchases: self.purchases.unwrap_or(0),
            first_purchase_at: optional(self.first_purchase_at)?,
            last_purchase_at: optional(self.last_purchase_at)?,
        })
    }
}

async fn save_loyalty(
    conn: &mut SqliteConnection,
    customer_id: CustomerId,
    loyalty: &CustomerLoyalty,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO customer_loyalty (customer_id, debt, tier_id, tier_manual, tier_until, spent_minor,
                                       purchases, first_purchase_at, last_purchase_at, balance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (customer_id) DO UPDATE SET
             debt = excluded.debt, tier_id = excluded.tier_id, tier_manual = excluded.tier_manual,
             tier_until = excluded.tier_until, spent_minor = excluded.spent_minor,
             purchases = excluded.purchases, first_purchase_at = excluded.first_purchase_at,
             last_purchase_at = excluded.last_purchase_at, balance = excluded.balance",
    )
    .bind(customer_id.0)
    .bind(loyalty.account.debt)
    .bind(loyalty.tier_id.map(|t| t.0))
    .bind(loyalty.tier_manual)
    .bind(loyalty.tier_until.map(micros))
    .bind(loyalty.spent_minor)
    .bind(loyalty.purchases)
    .bind(loyalty.first_purchase_at.map(micros))
    .bind(loyalty.last_purchase_at.map(micros))
    .bind(loyalty.account.balance())
    .execute(conn)
    .await
    .map_err(|e| constraint(e, &[]))?;
    Ok(())
}

/// Credits an imported card's owner the balance they had in the system the
/// shop moves from.
pub async fn credit_opening_balance(
    conn: &mut SqliteConnection,
    customer_id: CustomerId,
    points: i64,
    comment: &str,
    terms: LotTerms,
    at: Timestamp,
) -> DbResult<()> {
    let loyalty = loyalty(conn, customer_id, at).await?;
    let posting = posting::by_hand(loyalty, LedgerKind::OpeningBalance, points, terms, at)
        .map_err(|short| DbError::Backend(Box::new(short)))?;
    write_posting(
        conn,
        customer_id,
        &posting,
        PostingSource::by_hand(None, comment, at),
    )
    .await
}

/// Writes a customer's posting: its entries, the lots they open and take
/// from, and the account afterwards, in four statements at most whatever
/// the number of entries (each statement is a hop to SQLite's thread, and
/// the writer's time is what every till waits for).
async fn write_posting(
    conn: &mut SqliteConnection,
    customer_id: CustomerId,
    posting: &Posting,
    source: PostingSource<'_>,
) -> DbResult<()> {
    let entries = &posting.entries;
    if !entries.is_empty() {
        let rows: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    customer_id.0,
                    e.kind.as_str(),
                    e.points,
                    source.receipt_key.map(|k| k.0),
                    source.till_id.map(|t| t.0),
                    source.user_id.map(|u| u.0),
                    source.comment,
                    e.lot.map(|(terms, _)| micros(terms.usable_from)),
                    e.lot.and_then(|(terms, _)| terms.expires_at).map(micros),
                    micros(source.at),
                    source.counterpart.map(|c| c.0),
                )
            })
            .collect();
        // Rows get ascending ids in the order json_each gives them.
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO ledger_entries (customer_id, kind, points, receipt_key, till_id, user_id, comment,
                                         usable_from, expires_at, created_at, counterpart_id)
             SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
                    value->>7, value->>8, value->>9, value->>10
             FROM json_each(?1) RETURNING id",
        )
        .bind(json(&rows))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| constraint(e, &[]))?;
        ids.sort_unstable();
        let lots: Vec<_> = entries
            .iter()
            .zip(&ids)
            .filter_map(|(e, id)| {
                let (terms, remaining) = e.lot?;
                (remaining > 0).then(|| {
                    (
                        *id,
                        customer_id.0,
                        remaining,
                        micros(terms.usable_from),
                        terms.expires_at.map(micros),
                    )
                })
            })
            .collect();
        if !lots.is_empty() {
            sqlx::query(
                "INSERT INTO point_lots (entry_id, customer_id, remaining, usable_from, expires_at)
                 SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?1)",
            )
            .bind(json(&lots))
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
    }
    if !posting.taken.is_empty() {
        let rows: Vec<(i64, i64)> = posting
            .taken
            .iter()
            .map(|(entry, points)| (entry.0, *points))
            .collect();
        sqlx::query(
            "UPDATE point_lots SET remaining = remaining - t.value->>1
             FROM json_each(?1) AS t WHERE point_lots.entry_id = t.value->>0",
        )
        .bind(json(&rows))
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    save_loyalty(conn, customer_id, &posting.loyalty).await
}

pub async fn receipt(
    conn: &mut SqliteConnection,
    till_id: TillId,
    receipt_id: &str,
) -> DbResult<Option<StoredReceipt>> {
    let row: Option<crate::rows::Stored<StoredReceipt>> = sqlx::query_as(
        "SELECT id, till_id, store_id, receipt_id, customer_id, request_hash, answer,
                points_available, points_owed, created_at
         FROM receipts WHERE till_id = ?1 AND receipt_id = ?2",
    )
    .bind(till_id.0)
    .bind(receipt_id)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    Ok(row.map(|row| row.0))
}

/// The first answer of a receipt this till already committed, if any.
async fn earlier(
    conn: &mut SqliteConnection,
    receipt: &ReceiptCommit,
) -> DbResult<Option<CommitOutcome>> {
    let first = self::receipt(conn, receipt.till_id, &receipt.receipt_id).await?;
    Ok(first.map(|first| {
        if first.request_hash == receipt.request_hash {
            CommitOutcome::Replayed(first.answer)
        } else {
            CommitOutcome::Conflict
        }
    }))
}

/// Writes a receipt. A receipt id this till used already is found by the
/// unique index rather than looked up first: the app has looked, and the
/// writer's time is every till's.
pub async fn commit(
    conn: &mut SqliteConnection,
    receipt: &ReceiptCommit,
) -> DbResult<CommitOutcome> {
    let calc = &receipt.calculation;
    let now = receipt.committed_at;
    let mut done = CommitDone::default();
    // Everything the ledger will hold, worked out before a row is written.
    let mut posted = None;
    let mut hold = None;
    if let Some(customer) = &receipt.customer {
        let loyalty = loyalty(conn, customer.customer_id, now).await?;
        if let Some(hold_id) = &receipt.hold_id {
            hold = live_hold(conn, receipt.till_id, customer.customer_id, hold_id, now).await?;
        }
        let spent_in_period = match customer.tier_since {
            None => None,
            Some(since) => Some(spent_since(conn, customer.customer_id, since).await?),
        };
        let points = receipt.points(customer, hold.map(|(_, points)| points), spent_in_period);
        let posting = match posting::commit(loyalty, &points, now) {
            Ok(posting) => posting,
            Err(short) => {
                // A replay of a receipt that spent the last points is a replay.
                return Ok(earlier(conn, receipt)
                    .await?
                    .unwrap_or(CommitOutcome::Insufficient {
                        available: short.available,
                    }));
            }
        };
        done = CommitDone::of(&posting);
        posted = Some((customer.customer_id, posting));
    }
    if let Some(refused) = refused_certificate(conn, &receipt.certificates, now).await? {
        return Ok(earlier(conn, receipt)
            .await?
            .unwrap_or(CommitOutcome::CertificateRefused { code: refused }));
    }
    if let Some(refused) = clientele_store_sql::refused_offer::<SqliteEngine>(conn, receipt).await?
    {
        return Ok(earlier(conn, receipt).await?.unwrap_or(refused));
    }
    let key: Option<i64> = sqlx::query_scalar(
        "INSERT INTO receipts (till_id, receipt_id, store_id, customer_id, card_id, created_at, committed_at,
                               request_hash, total_minor, discount_minor, points_paid, points_accrued,
                               to_pay_minor, points_owed, answer, points_available)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (till_id, receipt_id) DO NOTHING RETURNING id",
    )
    .bind(receipt.till_id.0)
    .bind(&receipt.receipt_id)
    .bind(receipt.store_id.0)
    .bind(receipt.customer.as_ref().map(|c| c.customer_id.0))
    .bind(receipt.customer.as_ref().and_then(|c| c.card_id).map(|c| c.0))
    .bind(micros(receipt.created_at))
    .bind(micros(now))
    .bind(&receipt.request_hash)
    .bind(calc.total_minor)
    .bind(calc.discount_minor)
    .bind(calc.points_paid)
    .bind(calc.points_accrued)
    .bind(calc.to_pay_minor)
    .bind(done.points_owed)
    .bind(&receipt.frame)
    .bind(done.points_available)
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| constraint(e, &[]))?;
    let Some(key) = key else {
        return earlier(conn, receipt)
            .await?
            .ok_or_else(|| corrupt("receipt", "its id is taken, yet it is not there"));
    };

    let lines: Vec<_> = receipt_rows(&receipt.lines, calc)
        .map(|(n, line, priced)| {
            (
                n,
                &line.sku,
                &line.name,
                &line.category,
                line.quantity.milli(),
                line.price_minor,
                line.amount_minor,
                priced.discount_minor,
                priced.points_paid,
                priced.points_accrued,
                priced.to_pay_minor,
            )
        })
        .collect();
    sqlx::query(
        "INSERT INTO receipt_lines (receipt_key, line, sku, name, category, quantity_milli, price_minor,
                                    amount_minor, discount_minor, points_paid, points_accrued, to_pay_minor)
         SELECT ?1, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
                value->>7, value->>8, value->>9, value->>10
         FROM json_each(?2)",
    )
    .bind(key)
    .bind(json(&lines))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;

    clientele_store_sql::record_offers::<SqliteEngine>(conn, receipt, key).await?;
    if let Some((customer_id, posting)) = posted {
        let source =
            PostingSource::receipt(Some(ReceiptKey(key)), receipt.till_id, receipt.created_at);
        write_posting(conn, customer_id, &posting, source).await?;
    }
    if !receipt.certificates.is_empty() {
        let paid: Vec<(i64, i64)> = receipt
            .certificates
            .iter()
            .map(|d| (d.id.0, -d.taken_minor))
            .collect();
        move_certificates(conn, "redeem", &paid, key, now).await?;
    }
    if let Some((hold, _)) = hold {
        sqlx::query("UPDATE holds SET receipt_key = ?2 WHERE id = ?1")
            .bind(hold)
            .bind(key)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
    }
    Ok(CommitOutcome::Committed(done))
}

/// A live hold of this till for this customer: its row id and points.
async fn live_hold(
    conn: &mut SqliteConnection,
    till_id: TillId,
    customer_id: CustomerId,
    hold_id: &str,
    at: Timestamp,
) -> DbResult<Option<(i64, i64)>> {
    sqlx::query_as(concat!(
        "SELECT h.id, h.points FROM holds h
         WHERE h.hold_id = ?1 AND h.till_id = ?3 AND h.customer_id = ?4 AND ",
        live_hold_condition!()
    ))
    .bind(hold_id)
    .bind(micros(at))
    .bind(till_id.0)
    .bind(customer_id.0)
    .fetch_optional(conn)
    .await
    .map_err(backend)
}

/// Reserves points when they are available (in the writer, in line with receipts).
pub async fn place_hold(conn: &mut SqliteConnection, hold: &NewHold) -> DbResult<HoldOutcome> {
    let state = loyalty(conn, hold.customer_id, hold.at).await?;
    if let Err(short) = posting::hold(&state, hold.points, hold.at) {
        return Ok(HoldOutcome::Insufficient {
            available: short.available,
        });
    }
    if let Some(offer_id) = clientele_store_sql::reserve_offers::<SqliteEngine>(conn, hold).await? {
        return Ok(HoldOutcome::OfferRefused { offer_id });
    }
    sqlx::query(
        "INSERT INTO holds (hold_id, till_id, customer_id, points, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&hold.hold_id)
    .bind(hold.till_id.0)
    .bind(hold.customer_id.0)
    .bind(hold.points)
    .bind(micros(hold.at))
    .bind(micros(hold.expires_at))
    .execute(conn)
    .await
    .map_err(|e| constraint(e, &[("holds.hold_id", "hold_id")]))?;
    Ok(HoldOutcome::Held)
}

pub async fn stored_return(
    conn: &mut SqliteConnection,
    receipt: ReceiptKey,
    return_id: &str,
) -> DbResult<Option<(Vec<u8>, KeptReturn)>> {
    let row: Option<(Vec<u8>, Option<String>, Vec<u8>)> = sqlx::query_as(
        "SELECT request_hash, done, answer FROM returns WHERE receipt_key = ?1 AND return_id = ?2",
    )
    .bind(receipt.0)
    .bind(return_id)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    row.map(|(hash, done, answer)| {
        let kept = match done {
            Some(done) => {
                KeptReturn::Done(serde_json::from_str(&done).map_err(|e| corrupt("return", e))?)
            }
            None => KeptReturn::Answer(answer),
        };
        Ok((hash, kept))
    })
    .transpose()
}

pub async fn return_receipt(
    conn: &mut SqliteConnection,
    request: &ReturnCommit,
) -> DbResult<ReturnOutcome> {
    if let Some((hash, kept)) = stored_return(conn, request.receipt.key, &request.return_id).await?
    {
        return Ok(if hash == request.request_hash {
            ReturnOutcome::Replayed(kept)
        } else {
            ReturnOutcome::Conflict
        });
    }
    let sold: Vec<crate::rows::Stored<SoldLine>> = sqlx::query_as(
        "SELECT l.line, l.quantity_milli, l.to_pay_minor, l.points_paid, l.points_accrued,
                COALESCE((SELECT SUM(r.quantity_milli) FROM return_lines r
                          WHERE r.receipt_key = l.receipt_key AND r.line = l.line), 0) AS returned_milli
         FROM receipt_lines l WHERE l.receipt_key = ?1 ORDER BY l.line",
    )
    .bind(request.receipt.key.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let sold: Vec<SoldLine> = sold.into_iter().map(|row| row.0).collect();
    let lines = match plan_return(&sold, &request.request) {
        Ok(lines) => lines,
        Err(refused) => return Ok(ReturnOutcome::Refused(refused)),
    };

    let (customer_id, accrual_entry, to_pay, refunded_before): (Option<i64>, Option<i64>, i64, i64) =
        sqlx::query_as(
            "SELECT r.customer_id,
                    (SELECT e.id FROM ledger_entries e WHERE e.receipt_key = r.id AND e.kind = 'accrual'),
                    r.to_pay_minor,
                    COALESCE((SELECT SUM(x.refund_minor) FROM returns x WHERE x.receipt_key = r.id), 0)
             FROM receipts r WHERE r.id = ?1",
        )
        .bind(request.receipt.key.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    let goods = ReturnPoints::of(&lines, accrual_entry.map(LedgerEntryId), request.refund_lot);
    let certificates = certificates_refunded(
        conn,
        request.receipt.key.0,
        to_pay,
        refunded_before,
        goods.refund_minor,
    )
    .await?;

    let posted = match request.account {
        Some(holder) => {
            let loyalty = loyalty(conn, holder, request.at).await?;
            Some((holder, posting::returned(loyalty, &goods, request.at)))
        }
        None => None,
    };
    let done = ReturnDone::new(lines, &certificates, posted.as_ref().map(|(_, p)| p));
    let return_key: i64 = sqlx::query_scalar(
        "INSERT INTO returns (receipt_key, return_id, till_id, customer_id, request_hash, refund_minor,
                              points_returned, points_taken_back, points_owed, created_at, answer, done)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, x'', ?11) RETURNING id",
    )
    .bind(request.receipt.key.0)
    .bind(&request.return_id)
    .bind(request.till_id.0)
    .bind(customer_id)
    .bind(&request.request_hash)
    .bind(goods.refund_minor)
    .bind(goods.returned)
    .bind(goods.taken_back)
    .bind(done.points_owed)
    .bind(micros(request.at))
    .bind(json(&done))
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    let rows: Vec<_> = done
        .lines
        .iter()
        .map(|l| {
            (
                l.line,
                l.quantity_milli,
                l.refund_minor,
                l.points_returned,
                l.points_taken_back,
            )
        })
        .collect();
    sqlx::query(
        "INSERT INTO return_lines (return_key, receipt_key, line, quantity_milli, refund_minor,
                                   points_returned, points_taken_back)
         SELECT ?1, ?2, value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?3)",
    )
    .bind(return_key)
    .bind(request.receipt.key.0)
    .bind(json(&rows))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;

    if let Some((customer_id, posting)) = posted {
        let source = PostingSource::receipt(Some(request.receipt.key), request.till_id, request.at);
        write_posting(conn, customer_id, &posting, source).await?;
    }
    if !certificates.is_empty() {
        let refilled: Vec<(i64, i64)> = certificates.iter().map(|(id, _, a)| (*id, *a)).collect();
        move_certificates(conn, "refund", &refilled, request.receipt.key.0, request.at).await?;
    }
    let (key, customer) = (request.receipt.key.0, customer_id.map(CustomerId));
    clientele_store_sql::free_coupons::<SqliteEngine>(conn, customer, key, &sold, &done.lines)
        .await?;
    Ok(ReturnOutcome::Returned(done))
}

/// What this return gives back to each certificate that paid the receipt:
/// `(certificate, code, amount)`, amounts above zero only.
async fn certificates_refunded(
    conn: &mut SqliteConnection,
    receipt_key: i64,
    to_pay: i64,
    refunded_before: i64,
    refund: i64,
) -> DbResult<Vec<(i64, String, i64)>> {
    let paid: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT m.certificate_id, c.code, -m.amount_minor
         FROM certificate_movements m JOIN certificates c ON c.id = m.certificate_id
         WHERE m.receipt_key = ?1 AND m.kind = 'redeem' ORDER BY m.id",
    )
    .bind(receipt_key)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let taken: Vec<i64> = paid.iter().map(|(_, _, taken)| *taken).collect();
    let amounts = certificate_refunds(&taken, to_pay, refunded_before, refund);
    Ok(paid
        .into_iter()
        .zip(amounts)
        .filter(|(_, amount)| *amount > 0)
        .map(|((id, code, _), amount)| (id, code, amount))
        .collect())
}

/// Points by hand. On anything but `Done` the caller rolls back.
pub async fn adjust(
    conn: &mut SqliteConnection,
    adjustment: &PointsAdjustment,
) -> DbResult<AdjustOutcome> {
    let mut available = Vec::with_capacity(adjustment.customer_ids.len());
    for &customer_id in &adjustment.customer_ids {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)")
                .bind(customer_id.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(backend)?;
        if !exists {
            return Ok(AdjustOutcome::MissingCustomer(customer_id));
        }
        let loyalty = loyalty(conn, customer_id, adjustment.at).await?;
        let posting = match posting::by_hand(
            loyalty,
            adjustment.kind,
            adjustment.points,
            adjustment.lot,
            adjustment.at,
        ) {
            Ok(posting) => posting,
            Err(short) => {
                return Ok(AdjustOutcome::Insufficient {
                    customer_id,
                    available: short.available,
                });
            }
        };
        let source = PostingSource::by_hand(adjustment.author, &adjustment.comment, adjustment.at);
        write_posting(conn, customer_id, &posting, source).await?;
        if let Some(message) = &adjustment.message {
            let message = message.to(customer_id, adjustment.at, adjustment.author);
            clientele_store_sql::queue_message::<SqliteEngine>(conn, &message).await?;
        }
        available.push((customer_id, posting.points_available));
    }
    Ok(AdjustOutcome::Done(available))
}

/// Writes off expired lots (in the writer, in line with receipts).
pub async fn expire_points(
    conn: &mut SqliteConnection,
    at: Timestamp,
    customers: u32,
) -> DbResult<u32> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT customer_id FROM point_lots
         WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= ?1 LIMIT ?2",
    )
    .bind(micros(at))
    .bind(i64::from(customers))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for &customer in &due {
        let customer_id = CustomerId(customer);
        let posting = posting::expiry(loyalty(conn, customer_id, at).await?, at);
        write_posting(conn, customer_id, &posting, PostingSource::at(at)).await?;
    }
    Ok(due.len() as u32)
}

/// Hands a merged customer's points, figures and cards to the survivor (in
/// the writer, in line with receipts).
pub async fn merge_points(
    conn: &mut SqliteConnection,
    duplicate: CustomerId,
    survivor: CustomerId,
    at: Timestamp,
) -> DbResult<()> {
    let from = loyalty(conn, duplicate, at).await?;
    let into = loyalty(conn, survivor, at).await?;
    let merged = posting::merge(from, into, at);
    write_posting(
        conn,
        duplicate,
        &merged.duplicate,
        PostingSource::merge(survivor, at),
    )
    .await?;
    write_posting(
        conn,
        survivor,
        &merged.survivor,
        PostingSource::merge(duplicate, at),
    )
    .await?;
    sqlx::query("UPDATE cards SET customer_id = ?2 WHERE customer_id = ?1")
        .bind(duplicate.0)
        .bind(survivor.0)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The code of the first certificate that no longer holds what the receipt
/// takes from it (the writer is alone: nothing changes it before the debit).
async fn refused_certificate(
    conn: &mut SqliteConnection,
    debits: &[CertificateDebit],
    at: Timestamp,
) -> DbResult<Option<String>> {
    for debit in debits {
        let holds: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM certificates WHERE id = ?1 AND balance_minor >= ?2 AND valid_to > ?3)",
        )
        .bind(debit.id.0)
        .bind(debit.taken_minor)
        .bind(micros(at))
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        if !holds {
            return Ok(Some(debit.code.clone()));
        }
    }
    Ok(None)
}

/// Changes certificates' balances by `(certificate, amount)`, negative
/// when a certificate pays, each with a movement of `kind`.
async fn move_certificates(
    conn: &mut SqliteConnection,
    kind: &str,
    changes: &[(i64, i64)],
    receipt_key: i64,
    at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE certificates SET balance_minor = balance_minor + d.value->>1
         FROM json_each(?1) AS d WHERE certificates.id = d.value->>0",
    )
    .bind(json(&changes))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    sqlx::query(
        "INSERT INTO certificate_movements (certificate_id, customer_id, kind, amount_minor, receipt_key, created_at)
         SELECT c.id, c.customer_id, ?4, d.value->>1, ?2, ?3
         FROM json_each(?1) AS d JOIN certificates c ON c.id = d.value->>0",
    )
    .bind(json(&changes))
    .bind(receipt_key)
    .bind(micros(at))
    .bind(kind)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// What a customer spent since `since`, returns deducted: the spend a tier
/// of a rolling period counts.
async fn spent_since(
    conn: &mut SqliteConnection,
    customer_id: CustomerId,
    since: Timestamp,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT SUM(total_minor - discount_minor) FROM receipts
                          WHERE customer_id = ?1 AND created_at >= ?2), 0)
              - COALESCE((SELECT SUM(refund_minor + points_returned) FROM returns
                          WHERE customer_id = ?1 AND created_at >= ?2), 0)",
    )
    .bind(customer_id.0)
    .bind(micros(since))
    .fetch_one(conn)
    .await
    .map_err(backend)
}

#[async_trait]
impl Receipts for SqliteDatabase {
    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> DbResult<()> {
        self.writer
            .send(|reply| {
                crate::writer::Job::Merge(crate::writer::Pending::new(
                    (duplicate, survivor, at),
                    reply,
                ))
            })
            .await
    }

    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> DbResult<()> {
        let ids: Vec<i64> = customer_ids.iter().map(|c| c.0).collect();
        sqlx::query(
            "INSERT INTO customer_loyalty (customer_id, tier_id, tier_manual, tier_until)
             SELECT value, ?2, 1, ?3 FROM json_each(?1) WHERE true -- the upsert's parsing needs a WHERE
             ON CONFLICT (customer_id) DO UPDATE SET
                 tier_id = excluded.tier_id, tier_manual = 1, tier_until = excluded.tier_until",
        )
        .bind(json(&ids))
        .bind(tier_id.map(|t| t.0))
        .bind(until.map(micros))
        .execute(&self.write)
        .await
        .map_err(|e| constraint(e, &[]))?;
        Ok(())
    }

    async fn customer_at_till(
        &self,
        key: TillKey<'_>,
        at: Timestamp,
        offers: Option<&[OfferId]>,
    ) -> DbResult<Option<CustomerAtTill>> {
        crate::till_view::customer_at_till(&mut *self.reader().await?, key, at, offers).await
    }

    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> DbResult<CustomerLoyalty> {
        let mut conn = self.reader().await?;
        loyalty(&mut conn, customer_id, at).await
    }

    /// The accounts of many customers in one statement.
    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> DbResult<Vec<(CustomerId, CustomerLoyalty)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            customer_id: i64,
            #[sqlx(flatten)]
            loyalty: LoyaltyRow,
        }
        let ids: Vec<i64> = customer_ids.iter().map(|c| c.0).collect();
        let rows: Vec<Row> = sqlx::query_as(concat!(
            "SELECT l.customer_id, ",
            loyalty_columns!("l.customer_id"),
            " FROM customer_loyalty l WHERE l.customer_id IN (SELECT value FROM json_each(?1))
              ORDER BY l.customer_id"
        ))
        .bind(json(&ids))
        .bind(micros(at))
        .fetch_all(&mut *self.reader().await?)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|row| Ok((CustomerId(row.customer_id), row.loyalty.into_loyalty()?)))
            .collect()
    }

    async fn place_hold(&self, hold: NewHold) -> DbResult<HoldOutcome> {
        self.writer
            .send(|reply| crate::writer::Job::Hold(crate::writer::Pending::new(hold, reply)))
            .await
    }

    async fn release_hold(&self, till_id: TillId, hold_id: &str, at: Timestamp) -> DbResult<bool> {
        let released = sqlx::query(concat!(
            "UPDATE holds AS h SET released_at = ?2 WHERE h.hold_id = ?1 AND h.till_id = ?3 AND ",
            live_hold_condition!()
        ))
        .bind(hold_id)
        .bind(micros(at))
        .bind(till_id.0)
        .execute(&self.write)
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
        // and they bound the work however long the history is.
        sqlx::query_as(
            "SELECT l.sku, MAX(l.name) FROM receipt_lines l
             WHERE l.receipt_key IN (SELECT id FROM receipts WHERE customer_id = ?1
                                     ORDER BY created_at DESC LIMIT 100)
             GROUP BY l.sku ORDER BY COUNT(*) DESC, l.sku LIMIT ?2",
        )
        .bind(customer_id.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.reader().await?)
        .await
        .map_err(backend)
    }

    async fn receipt(&self, till_id: TillId, receipt_id: &str) -> DbResult<Option<StoredReceipt>> {
        let mut conn = self.reader().await?;
        receipt(&mut conn, till_id, receipt_id).await
    }

    async fn commit_receipt(&self, receipt: ReceiptCommit) -> DbResult<CommitOutcome> {
        self.writer
            .send(|reply| {
                crate::writer::Job::Commit(Box::new(crate::writer::Pending::new(receipt, reply)))
            })
            .await
    }

    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> DbResult<Vec<CommitOutcome>> {
        self.writer
            .send(|reply| crate::writer::Job::Load(crate::writer::Pending::new(receipts, reply)))
            .await
    }

    async fn return_receipt(&self, request: ReturnCommit) -> DbResult<ReturnOutcome> {
        self.writer
            .send(|reply| crate::writer::Job::Return(crate::writer::Pending::new(request, reply)))
            .await
    }

    async fn stored_return(
        &self,
        receipt: ReceiptRef,
        return_id: &str,
    ) -> DbResult<Option<(Vec<u8>, KeptReturn)>> {
        let mut conn = self.reader().await?;
        stored_return(&mut conn, receipt.key, return_id).await
    }

    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> DbResult<AdjustOutcome> {
        let adjustment = adjustment.clone();
        self.writer
            .send(|reply| {
                crate::writer::Job::Adjust(crate::writer::Pending::new(adjustment, reply))
            })
            .await
    }

    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        (from, to): (CustomerId, CustomerId),
    ) -> DbResult<u64> {
        type Row = (i64, Option<i64>, bool, Option<i64>, i64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT l.customer_id, l.tier_id, l.tier_manual, l.tier_until,
                    COALESCE((SELECT SUM(r.total_minor - r.discount_minor) FROM receipts r
                              WHERE r.customer_id = l.customer_id AND r.created_at >= ?1), 0)
                  - COALESCE((SELECT SUM(x.refund_minor + x.points_returned) FROM returns x
                              WHERE x.customer_id = l.customer_id AND x.created_at >= ?1), 0)
             FROM customer_loyalty l WHERE l.customer_id BETWEEN ?2 AND ?3",
        )
        .bind(micros(since))
        .bind(from.0)
        .bind(to.0)
        .fetch_all(&mut *self.reader().await?)
        .await
        .map_err(backend)?;
        let customers = rows
            .into_iter()
            .map(|(customer, tier_id, manual, until, spent)| {
                let until = until.map(timestamp).transpose()?;
                let found = TierStanding {
                    tier_id: tier_id.map(TierId),
                    manual,
                    until,
                };
                Ok((customer, found, spent))
            })
            .collect::<DbResult<Vec<_>>>()?;
        let recount = posting::recount(customers, ladder, at);
        if !recount.changed.is_empty() {
            // Written only where the standing is still the one recounted: a
            // purchase that raised the tier meanwhile wins.
            let changed: Vec<_> = recount
                .changed
                .iter()
                .map(|(customer, found, new)| {
                    (
                        customer,
                        found.tier_id.map(|t| t.0),
                        found.manual,
                        found.until.map(micros),
                        new.tier_id.map(|t| t.0),
                    )
                })
                .collect();
            sqlx::query(
                "UPDATE customer_loyalty SET tier_id = c.value->>4, tier_manual = 0, tier_until = NULL
                 FROM json_each(?1) AS c
                 WHERE customer_loyalty.customer_id = c.value->>0
                   AND customer_loyalty.tier_id IS c.value->>1
                   AND customer_loyalty.tier_manual = c.value->>2
                   AND customer_loyalty.tier_until IS c.value->>3",
            )
            .bind(json(&changed))
            .execute(&self.write)
            .await
            .map_err(backend)?;
        }
        Ok(recount.recounted)
    }

    async fn expire_points(&self, at: Timestamp, customers: u32) -> DbResult<u32> {
        self.writer
            .send(|reply| {
                crate::writer::Job::Expire(crate::writer::Pending::new((at, customers), reply))
            })
            .await
    }
}
