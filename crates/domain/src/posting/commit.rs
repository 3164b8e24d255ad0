//! A receipt committed: the points it pays with (from the customer's hold
//! first), the points it accrues as a new lot, the purchase counted and
//! the tier its spend reaches.

use jiff::Timestamp;

use super::{CustomerLoyalty, LedgerKind, LotTerms, PostedEntry, Posting};
use crate::ids::TierId;
use crate::points::{Insufficient, Shortfall};

/// What a receipt does to its customer's points, as the till priced it.
#[derive(Debug, Clone)]
pub struct ReceiptPoints<'a> {
    pub points_paid: i64,
    pub points_accrued: i64,
    /// The terms of the lot the accrual opens.
    pub accrual: LotTerms,
    /// Paid after discounts (minor units): what counts as spent.
    pub spent_minor: i64,
    /// The till's time of the sale.
    pub created_at: Timestamp,
    pub shortfall: Shortfall,
    /// Points of the till's live hold for this payment: they are the payment's.
    pub held: Option<i64>,
    /// The program's tiers by threshold.
    pub tier_ladder: &'a [(i64, TierId)],
    /// Spent within the tier's rolling period before this receipt; `None`
    /// when the period is the customer's lifetime.
    pub spent_in_period: Option<i64>,
}

/// The posting of a committed receipt, or the points it could not pay.
pub fn commit(
    mut loyalty: CustomerLoyalty,
    receipt: &ReceiptPoints<'_>,
    now: Timestamp,
) -> Result<Posting, Insufficient> {
    if let Some(points) = receipt.held {
        loyalty.account.use_hold(points);
    }
    let taken = loyalty
        .account
        .spend(receipt.points_paid, now, receipt.shortfall)?;
    let left = loyalty.open_lot(receipt.points_accrued, receipt.accrual);
    loyalty.record_purchase(receipt.spent_minor, receipt.created_at);
    let counted = match receipt.spent_in_period {
        None => loyalty.spent_minor,
        Some(before) => before + receipt.spent_minor,
    };
    loyalty.raise_tier(receipt.tier_ladder, counted);
    let mut entries = Vec::with_capacity(2);
    if receipt.points_paid > 0 {
        entries.push(PostedEntry {
            kind: LedgerKind::Payment,
            points: -receipt.points_paid,
            lot: None,
        });
    }
    if receipt.points_accrued > 0 {
        entries.push(PostedEntry {
            kind: LedgerKind::Accrual,
            points: receipt.points_accrued,
            lot: Some((receipt.accrual, left)),
        });
    }
    Ok(Posting {
        entries,
        taken: taken.from_lots,
        points_available: loyalty.account.available(now),
        points_owed: taken.debt_added,
        loyalty,
    })
}
