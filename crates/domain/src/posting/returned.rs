//! Goods returned: the points their purchase accrued are taken back (from
//! the receipt's own lot first, a debt for what is gone), the points they
//! were paid with come back as a new lot, and the spend is reduced.

use jiff::Timestamp;

use super::{CustomerLoyalty, LedgerKind, LotTerms, PostedEntry, Posting};
use crate::ids::LedgerEntryId;
use crate::returns::ReturnedLine;

/// What a return does to its customer's points, as the return's lines
/// worked it out.
#[derive(Debug, Clone, Copy)]
pub struct ReturnPoints {
    /// Accrued for the returned goods: taken back.
    pub taken_back: i64,
    /// The receipt's accrual, whose lot is taken from first.
    pub accrual_entry: Option<LedgerEntryId>,
    /// Paid with for the returned goods: given back.
    pub returned: i64,
    /// The terms of the lot the points given back open.
    pub refund_lot: LotTerms,
    /// Money refunded (minor units).
    pub refund_minor: i64,
}

impl ReturnPoints {
    /// The sums of the returned lines, with the receipt's accrual and the
    /// terms of the lot the points given back open.
    pub fn of(
        lines: &[ReturnedLine],
        accrual_entry: Option<LedgerEntryId>,
        refund_lot: LotTerms,
    ) -> ReturnPoints {
        ReturnPoints {
            taken_back: lines.iter().map(|l| l.points_taken_back).sum(),
            accrual_entry,
            returned: lines.iter().map(|l| l.points_returned).sum(),
            refund_lot,
            refund_minor: lines.iter().map(|l| l.refund_minor).sum(),
        }
    }
}

/// The posting of a return. It is never refused: what cannot be taken back
/// is owed.
pub fn returned(mut loyalty: CustomerLoyalty, goods: &ReturnPoints, at: Timestamp) -> Posting {
    let debt_before = loyalty.account.debt;
    let taken = loyalty
        .account
        .take_back(goods.taken_back, goods.accrual_entry);
    let left = loyalty.open_lot(goods.returned, goods.refund_lot);
    loyalty.spent_minor -= goods.refund_minor + goods.returned;
    let mut entries = Vec::with_capacity(2);
    if goods.taken_back > 0 {
        entries.push(PostedEntry {
            kind: LedgerKind::ReturnReversal,
            points: -goods.taken_back,
            lot: None,
        });
    }
    if goods.returned > 0 {
        entries.push(PostedEntry {
            kind: LedgerKind::ReturnRefund,
            points: goods.returned,
            lot: Some((goods.refund_lot, left)),
        });
    }
    Posting {
        entries,
        taken: taken.from_lots,
        points_available: loyalty.account.available(at),
        points_owed: (loyalty.account.debt - debt_before).max(0),
        loyalty,
    }
}
