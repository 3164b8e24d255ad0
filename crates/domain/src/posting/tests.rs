//! Properties of the postings over random accounts and receipts: what an
//! engine writes always agrees with the ledger it appends to.

use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::ids::{LedgerEntryId, TierId};
use crate::points::{Account, Lot, Shortfall};

fn at(day: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + day * 86_400).unwrap()
}

/// An account of open lots (some expiring), maybe with a debt and no lot.
fn any_account() -> impl Strategy<Value = Account> {
    let lot = (1i64..5_000, 0i64..3, prop::option::of(1i64..20));
    (prop::collection::vec(lot, 0..6), 0i64..3_000).prop_map(|(lots, debt)| {
        let lots: Vec<Lot> = lots
            .into_iter()
            .enumerate()
            .map(|(i, (points, from, expires))| Lot {
                entry: LedgerEntryId(i as i64 + 1),
                remaining: points,
                usable_from: at(from),
                expires_at: expires.map(|e| at(from + e)),
            })
            .collect();
        // A debt exists only when every lot is empty.
        let debt = if lots.is_empty() { debt } else { 0 };
        Account {
            lots,
            debt,
            held: 0,
        }
    })
}

const LADDER: &[(i64, TierId)] = &[(0, TierId(1)), (100_000, TierId(2)), (500_000, TierId(3))];

fn receipt(paid: i64, accrued: i64, spent: i64, shortfall: Shortfall) -> ReceiptPoints<'static> {
    ReceiptPoints {
        points_paid: paid,
        points_accrued: accrued,
        accrual: LotTerms {
            usable_from: at(3),
            expires_at: Some(at(400)),
        },
        spent_minor: spent,
        created_at: at(3),
        shortfall,
        held: None,
        tier_ladder: LADDER,
        spent_in_period: None,
    }
}

fn entries_sum(posting: &Posting) -> i64 {
    posting.entries.iter().map(|e| e.points).sum()
}

proptest! {
    /// The balance afterwards is the balance before plus the entries
    /// posted; it goes below zero only as a debt recorded on the account.
    #[test]
    fn a_commit_moves_the_balance_by_its_entries(
        account in any_account(),
        paid in 0i64..6_000,
        accrued in 0i64..3_000,
        spent in 0i64..200_000,
        owe in any::<bool>(),
    ) {
        let before = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let shortfall = if owe { Shortfall::Owe } else { Shortfall::Refuse };
        let available = before.account.available(at(3));
        match commit(before.clone(), &receipt(paid, accrued, spent, shortfall), at(3)) {
            Ok(posting) => {
                let after = &posting.loyalty.account;
                prop_assert_eq!(after.balance(), before.account.balance() + entries_sum(&posting));
                prop_assert!(after.balance() >= 0 || after.debt == -after.balance());
                prop_assert!(owe || paid <= available);
                let taken: i64 = posting.taken.iter().map(|(_, p)| p).sum();
                prop_assert_eq!(taken + posting.points_owed, paid);
                prop_assert_eq!(posting.loyalty.purchases, 1);
                prop_assert_eq!(posting.loyalty.spent_minor, spent);
                prop_assert_eq!(posting.loyalty.tier_id, raised_tier(LADDER, None, spent));
                // The same receipt on the same account posts the same.
                let again = commit(before.clone(), &receipt(paid, accrued, spent, shortfall), at(3));
                prop_assert_eq!(Ok(posting), again);
            }
            Err(short) => {
                prop_assert!(!owe && paid > available);
                prop_assert_eq!(short.available, available);
            }
        }
    }

    /// Points are paid from the lots that expire soonest, those that never
    /// expire last.
    #[test]
    fn a_payment_takes_the_soonest_expiring_lots_first(
        account in any_account(),
        paid in 1i64..6_000,
    ) {
        let before = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let Ok(posting) = commit(before.clone(), &receipt(paid, 0, 0, Shortfall::Refuse), at(3)) else {
            return Ok(());
        };
        let expiry = |entry: LedgerEntryId| {
            before.account.lots.iter().find(|l| l.entry == entry).and_then(|l| l.expires_at)
        };
        let order: Vec<Option<Timestamp>> = posting.taken.iter().map(|(e, _)| expiry(*e)).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|e| (e.is_none(), *e));
        prop_assert_eq!(order, sorted);
    }

    /// Returning everything a receipt sold restores the points and the
    /// spend it changed.
    #[test]
    fn a_whole_return_restores_what_the_receipt_changed(
        account in any_account(),
        paid in 0i64..6_000,
        accrued in 0i64..3_000,
        spent in 1i64..200_000,
    ) {
        let before = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let Ok(sold) = commit(before.clone(), &receipt(paid, accrued, spent, Shortfall::Refuse), at(3)) else {
            return Ok(());
        };
        let goods = ReturnPoints {
            taken_back: accrued,
            accrual_entry: None,
            returned: paid,
            refund_lot: LotTerms { usable_from: at(3), expires_at: None },
            refund_minor: spent - paid,
        };
        let back = returned(sold.loyalty.clone(), &goods, at(3));
        let after = &back.loyalty.account;
        prop_assert_eq!(after.balance(), sold.loyalty.account.balance() + entries_sum(&back));
        prop_assert_eq!(after.balance(), before.account.balance());
        prop_assert_eq!(back.loyalty.spent_minor, before.spent_minor);
    }
}

proptest! {
    /// Points by hand move the balance by their entry; taking them never
    /// goes beyond what is usable, giving them settles a debt first.
    #[test]
    fn points_by_hand_move_the_balance_by_their_entry(
        account in any_account(),
        points in -6_000i64..6_000,
    ) {
        let before = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let terms = LotTerms { usable_from: at(3), expires_at: None };
        let available = before.account.available(at(3));
        match by_hand(before.clone(), LedgerKind::Manual, points, terms, at(3)) {
            Ok(posting) => {
                let after = &posting.loyalty.account;
                prop_assert_eq!(after.balance(), before.account.balance() + entries_sum(&posting));
                prop_assert!(points >= 0 || -points <= available);
                prop_assert_eq!(after.debt, (before.account.debt - points.max(0)).max(0));
            }
            Err(short) => {
                prop_assert!(points < 0 && -points > available);
                prop_assert_eq!(short.available, available);
            }
        }
    }
}
