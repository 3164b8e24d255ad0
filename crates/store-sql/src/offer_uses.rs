//! What offers give at the till, checked again and counted inside the
//! receipt's (or the hold's) transaction, the same on every engine: a
//! single-use coupon is good once and only for its customer, and a budget
//! holds however many tills commit or hold at once (its rows are locked
//! where the engine needs it). A live hold keeps what its offers give in
//! their budgets until its receipt comes, it is released or it expires.
//!
//! The check runs before the receipt is written, so a refused receipt
//! writes nothing; the counts are written after it.

use clientele_domain::offer::{BudgetUsed, CouponCode};
use clientele_domain::returns::{ReturnedLine, SoldLine, completes};
use clientele_domain::{CustomerId, OfferId};
use clientele_store::{CommitOutcome, DbResult, NewHold, OfferGiven, ReceiptCommit};
use jiff::Timestamp;

use crate::engine::Conn;
use crate::offers::{budget_periods, count_period};
use crate::sql::{all, execute, one};
use crate::{Engine, Statement};

/// A sale whose offers' budgets are checked under lock: a receipt being
/// committed or a hold being placed.
struct Checked<'a> {
    customer: CustomerId,
    /// In the order their rows are locked: by offer, so two tills never
    /// wait on each other.
    offers: Vec<&'a OfferGiven>,
    periods: [String; 3],
    at: Timestamp,
    /// The hold the sale is the payment of: what it keeps is the sale's own.
    own_hold: &'a str,
}

impl<'a> Checked<'a> {
    fn new(
        customer: CustomerId,
        offers: &'a [OfferGiven],
        date: jiff::civil::Date,
        at: Timestamp,
        own_hold: Option<&'a str>,
    ) -> Checked<'a> {
        let mut offers: Vec<&OfferGiven> = offers.iter().collect();
        offers.sort_by_key(|o| o.offer_id);
        Checked {
            customer,
            offers,
            periods: budget_periods(date),
            at,
            own_hold: own_hold.unwrap_or_default(),
        }
    }

    fn of_receipt(receipt: &'a ReceiptCommit) -> Option<Checked<'a>> {
        let customer = receipt.offered_to()?;
        Some(Checked::new(
            customer,
            &receipt.offers,
            receipt.local_date,
            receipt.committed_at,
            receipt.hold_id.as_deref(),
        ))
    }
}

/// The first offer of `receipt` that can no longer give its part: its
/// single-use coupon used meanwhile or issued to someone else, or its
/// budget short once this receipt is counted.
pub async fn refused_offer<E: Engine>(
    conn: &mut Conn<E>,
    receipt: &ReceiptCommit,
) -> DbResult<Option<CommitOutcome>> {
    let Some(checked) = Checked::of_receipt(receipt) else {
        return Ok(None);
    };
    for given in &checked.offers {
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
            used_at.is_none() && owner.is_none_or(|owner| owner == checked.customer.0)
        });
        if free != Some(true) {
            return Ok(Some(CommitOutcome::OfferRefused {
                offer_id: given.offer_id,
                coupon: Some(code.clone()),
            }));
        }
    }
    Ok(over_budget::<E>(conn, &checked)
        .await?
        .map(|offer_id| CommitOutcome::OfferRefused {
            offer_id,
            coupon: None,
        }))
}

/// Keeps what a hold's offers give in their budgets while it lives, or
/// answers the first offer whose budget has no room for it (nothing is
/// then written).
pub async fn reserve_offers<E: Engine>(
    conn: &mut Conn<E>,
    hold: &NewHold,
) -> DbResult<Option<OfferId>> {
    let checked = Checked::new(
        hold.customer_id,
        &hold.offers,
        hold.local_date,
        hold.at,
        None,
    );
    if let Some(refused) = over_budget::<E>(conn, &checked).await? {
        return Ok(Some(refused));
    }
    let local_date = hold.local_date.to_string();
    for given in checked.offers.iter().filter(|o| !o.budget.is_unlimited()) {
        execute::<E>(
            conn,
            Statement::new(
                "INSERT INTO hold_offers (customer_id, hold_id, offer_id, discount_minor,
                                          points_accrued, local_date, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(hold.customer_id.0)
            .bind(hold.hold_id.as_str())
            .bind(given.offer_id.0)
            .bind(given.discount_minor)
            .bind(given.points_accrued)
            .bind(local_date.as_str())
            .bind(hold.expires_at),
        )
        .await?;
    }
    Ok(None)
}

/// The first offer whose budget would be short once the sale is counted.
async fn over_budget<E: Engine>(
    conn: &mut Conn<E>,
    checked: &Checked<'_>,
) -> DbResult<Option<OfferId>> {
    for given in &checked.offers {
        if given.budget.is_unlimited() {
            continue;
        }
        let used = budget_used::<E>(conn, given, checked)
            .await?
            .plus(given.points_accrued, given.discount_minor);
        if !given.budget.holds(&used) {
            return Ok(Some(given.offer_id));
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

/// What the offer gave before this sale, and what live holds keep of it,
/// its budget's rows locked: in all, this day and month (every customer),
/// and to this customer.
async fn budget_used<E: Engine>(
    conn: &mut Conn<E>,
    given: &OfferGiven,
    checked: &Checked<'_>,
) -> DbResult<BudgetUsed> {
    let (customer, periods) = (checked.customer, &checked.periods);
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
    let held = all::<E, _>(
        conn,
        Statement::new(
            "SELECT o.local_date,
                    CAST(SUM(o.points_accrued) AS bigint) AS points,
                    CAST(SUM(o.discount_minor) AS bigint) AS money,
                    CAST(SUM(CASE WHEN o.customer_id = $4 THEN o.points_accrued ELSE 0 END)
                         AS bigint) AS own_points,
                    CAST(SUM(CASE WHEN o.customer_id = $4 THEN o.discount_minor ELSE 0 END)
                         AS bigint) AS own_money
             FROM hold_offers o
             JOIN holds h ON h.customer_id = o.customer_id AND h.hold_id = o.hold_id
             WHERE o.offer_id = $1 AND o.expires_at > $2 AND o.hold_id <> $3
               AND h.released_at IS NULL AND h.receipt_key IS NULL
             GROUP BY o.local_date",
        )
        .bind(offer)
        .bind(checked.at)
        .bind(checked.own_hold)
        .bind(customer.0),
        |row| {
            Ok((
                row.text("local_date")?,
                [row.int("points")?, row.int("money")?],
                [row.int("own_points")?, row.int("own_money")?],
            ))
        },
    )
    .await?;
    for (date, [points, money], [own_points, own_money]) in held {
        used.points.total += points;
        used.money.total += money;
        if date == periods[1] {
            used.points.day += points;
            used.money.day += money;
        }
        if date.starts_with(periods[2].as_str()) {
            used.points.month += points;
            used.money.month += money;
        }
        used.points.customer += own_points;
        used.money.customer += own_money;
    }
    Ok(used)
}

/// Writes what each offer gave the receipt `key`: its single-use coupon
/// used, its budget counted, its part kept under the customer.
pub async fn record_offers<E: Engine>(
    conn: &mut Conn<E>,
    receipt: &ReceiptCommit,
    key: i64,
) -> DbResult<()> {
    let Some(Checked {
        customer,
        offers,
        periods,
        at,
        ..
    }) = Checked::of_receipt(receipt)
    else {
        return Ok(());
    };
    for given in offers {
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
