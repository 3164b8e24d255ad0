//! A hold: points a till reserves between "pay with points" and the
//! payment. It writes no ledger entry (the payment will); it may only
//! reserve what the customer can use now, other holds deducted.

use jiff::Timestamp;

use super::CustomerLoyalty;
use crate::points::Insufficient;

/// Whether `points` may be held for the customer at `at`.
pub fn hold(loyalty: &CustomerLoyalty, points: i64, at: Timestamp) -> Result<(), Insufficient> {
    let available = loyalty.account.available(at);
    if points > available {
        return Err(Insufficient {
            requested: points,
            available,
        });
    }
    Ok(())
}
