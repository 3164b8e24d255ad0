//! What offers give at the till, checked again and counted inside the
//! receipt's transaction, the same on every engine: a single-use coupon is
//! good once and only for its customer, and a budget holds however many
//! tills commit at once (its rows are locked where the engine needs it).
//!
//! The check runs before the receipt is written, so a refused receipt
//! writes nothing; the counts are written after it.

use clientele_domain::CustomerId;
use clientele_domain::offer::{BudgetUsed, CouponCode};
use clientele_domain::returns::{ReturnedLine, SoldLine, completes};
use clientele_store::{CommitOutcome, DbResult, OfferGiven, ReceiptCommit};

use crate::engine::Conn;
use crate::offers::{budget_periods, count_period};
use crate::sql::{all, execute, one};
use crate::{Engine, Statement};

/// The offers in the order their rows are locked: by offer, so two tills
/// never wait on each other.
fn in_lock_order(receipt: &ReceiptCommit) -> Vec<&OfferGiven> {
    let mut offers: Vec<&OfferGiven> = receipt.offers.iter().collect();
    offers.sort_by_key(|o| o.offer_id);
    offers
}

/// The first offer of `receipt` that can no longer give its part: its
/// single-use coupon used meanwhile or issued to someone else, or its
/// budget short once this receipt is counted.
pub async fn refused_offer<E: Engine>(
    conn: &mut Conn<E>,
    receipt: &ReceiptCommit,
) -> DbResult<Option<CommitOutcome>> {
    let Some(customer) = receipt.offered_to() else {
        return Ok(None);
    };
    for given in in_lock_order(receipt) {
        let Some(code) = single_use(given) else {
            continue;
        };
        let sql = format!(
            "SELECT customer_id, used_at FROM coupons WHERE code = $1 {}",
            E::ROW_LOCK
        );
        let found = one::<E, _>(conn, Statement::new(&sql).bind(code.as_str()), |row| {
            Ok((
                row.int_or_null("customer_id")?,
                row.time_or_null("used_at")?,
            ))
        })
        .await?;
        let free = found.map(|(owner, used_at)| {
            used_at.is_none() && owner.is_none_or(|owner| owner == customer.0)
        });
        if free != Some(true) {
            return Ok(Some(CommitOutcome::OfferRefused {
                offer_id: given.offer_id,
                coupon: Some(code.clone()),
            }));
        }
    }
    let periods = budget_periods(receipt.local_date);
    for given in in_lock_order(receipt) {
        if given.budget.is_unlimited() {
            continue;
        }
        let used = budget_used::<E>(conn, given, customer, &periods)
            .await?
            .plus(given.points_accrued, given.discount_minor);
        if !given.budget.holds(&used) {
            return Ok(Some(CommitOutcome::OfferRefused {
                offer_id: given.offer_id,
                coupon: None,
            }));
        }
    }
    Ok(None)
}

fn single_use(given: &OfferGiven) -> Option<&CouponCode> {
    given
        .coupon
        .as_ref()
        .filter(|c| c.coupon_id.is_some())
        .map(|c| &c.code)
}

/// What the offer gave before this receipt, its budget's rows locked: in
/// all, this day and month (every customer), and to this customer.
async fn budget_used<E: Engine>(
    conn: &mut Conn<E>,
    given: &OfferGiven,
    customer: CustomerId,
    periods: &[String; 3],
) -> DbResult<BudgetUsed> {
    let offer = given.offer_id.0;
    execute::<E>(
        conn,
        Statement::new(
            "INSERT INTO offer_budgets (offer_id, period, points_given, discount_given)
             VALUES ($1, $2, 0, 0), ($1, $3, 0, 0), ($1, $4, 0, 0)
             ON CONFLICT (offer_id, period) DO NOTHING",
        )
        .bind(offer)
        .bind(periods[0].as_str())
        .bind(periods[1].as_str())
        .bind(periods[2].as_str()),
    )
    .await?;
    let sql = format!(
        "SELECT period, points_given, discount_given FROM offer_budgets
         WHERE offer_id = $1 AND period IN ($2, $3, $4) ORDER BY period {}",
        E::ROW_LOCK
    );
    let rows = all::<E, _>(
        conn,
        Statement::new(&sql)
            .bind(offer)
            .bind(periods[0].as_str())
            .bind(periods[1].as_str())
            .bind(periods[2].as_str()),
        |row| {
            Ok((
                row.text("period")?,
                row.int("points_given")?,
                row.int("discount_given")?,
            ))
        },
    )
    .await?;
    let mut used = BudgetUsed::default();
    for (period, points, money) in rows {
        count_period(&mut used, periods, &period, points, money);
    }
    let (points, money) = one::<E, _>(
        conn,
        Statement::new(
            "SELECT CAST(COALESCE(SUM(points_accrued), 0) AS bigint) AS points,
                    CAST(COALESCE(SUM(discount_minor), 0) AS bigint) AS money
             FROM offer_uses WHERE customer_id = $1 AND offer_id = $2",
        )
        .bind(customer.0)
        .bind(offer),
        |row| Ok((row.int("points")?, row.int("money")?)),
    )
    .await?
    .unwrap_or_default();
    used.points.customer = points;
    used.money.customer = money;
    Ok(used)
}

/// Writes what each offer gave the receipt `key`: its single-use coupon
/// used, its budget counted, its part kept under the customer.
pub async fn record_offers<E: Engine>(
    conn: &mut Conn<E>,
    receipt: &ReceiptCommit,
    key: i64,
) -> DbResult<()> {
    let Some(customer) = receipt.offered_to() else {
        return Ok(());
    };
    let periods = budget_periods(receipt.local_date);
    let at = receipt.committed_at;
    for given in in_lock_order(receipt) {
        let code = single_use(given);
        if let Some(code) = code {
            execute::<E>(
                conn,
                Statement::new("UPDATE coupons SET used_at = $2, used_by = $3 WHERE code = $1")
                    .bind(code.as_str())
                    .bind(at)
                    .bind(customer.0),
            )
            .await?;
        }
        if !given.budget.is_unlimited() {
            execute::<E>(
                conn,
                Statement::new(
                    "UPDATE offer_budgets SET points_given = points_given + $2,
                                              discount_given = discount_given + $3
                     WHERE offer_id = $1 AND period IN ($4, $5, $6)",
                )
                .bind(given.offer_id.0)
                .bind(given.points_accrued)
                .bind(given.discount_minor)
                .bind(periods[0].as_str())
                .bind(periods[1].as_str())
                .bind(periods[2].as_str()),
            )
            .await?;
        }
        execute::<E>(
            conn,
            Statement::new(
                "INSERT INTO offer_uses (customer_id, offer_id, receipt_key, discount_minor,
                                         points_accrued, coupon_code, used_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(customer.0)
            .bind(given.offer_id.0)
            .bind(key)
            .bind(given.discount_minor)
            .bind(given.points_accrued)
            .bind(code.map(CouponCode::as_str))
            .bind(at),
        )
        .await?;
    }
    Ok(())
}

/// A return of the receipt `key` of `customer`: when it (with the
/// returns before it) gives back the whole receipt, the single-use coupons
/// the receipt redeemed are good again.
pub async fn free_coupons<E: Engine>(
    conn: &mut Conn<E>,
    customer: Option<CustomerId>,
    key: i64,
    sold: &[SoldLine],
    returned: &[ReturnedLine],
) -> DbResult<()> {
    let Some(customer) = customer.filter(|_| completes(sold, returned)) else {
        return Ok(());
    };
    let codes = all::<E, _>(
        conn,
        Statement::new(
            "SELECT coupon_code FROM offer_uses
             WHERE customer_id = $1 AND receipt_key = $2 AND coupon_code IS NOT NULL
             ORDER BY coupon_code",
        )
        .bind(customer.0)
        .bind(key),
        |row| row.text("coupon_code"),
    )
    .await?;
    for code in &codes {
        execute::<E>(
            conn,
            Statement::new("UPDATE coupons SET used_at = NULL, used_by = NULL WHERE code = $1")
                .bind(code.as_str()),
        )
        .await?;
    }
    Ok(())
}
