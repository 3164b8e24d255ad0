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

/// One event of a customer's life in the loyalty program.
#[derive(Debug, Clone)]
enum Event {
    Sale {
        paid: i64,
        accrued: i64,
        spent: i64,
        owe: bool,
    },
    /// The last sale returned whole.
    Return,
    ByHand(i64),
    Expiry,
}

fn any_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0i64..3_000, 0i64..2_000, 0i64..50_000, any::<bool>()).prop_map(
            |(paid, accrued, spent, owe)| Event::Sale {
                paid,
                accrued,
                spent,
                owe
            }
        ),
        Just(Event::Return),
        (-2_000i64..3_000).prop_map(Event::ByHand),
        Just(Event::Expiry),
    ]
}

/// What an engine keeps: the ledger and the open lots by their entry.
#[derive(Default)]
struct Ledger {
    entries: Vec<(LedgerEntryId, i64)>,
    lots: Vec<Lot>,
    debt: i64,
}

impl Ledger {
    /// Writes a posting as an engine does (entries get ids, lots open
    /// under them, taken points leave their lots); answers the ids of
    /// the entries.
    fn write(&mut self, posting: &Posting) -> Vec<LedgerEntryId> {
        let mut ids = Vec::new();
        for posted in &posting.entries {
            let id = LedgerEntryId(self.entries.len() as i64 + 1);
            self.entries.push((id, posted.points));
            if let Some((terms, remaining)) = posted.lot {
                self.lots.push(Lot {
                    entry: id,
                    remaining,
                    usable_from: terms.usable_from,
                    expires_at: terms.expires_at,
                });
            }
            ids.push(id);
        }
        for (entry, points) in &posting.taken {
            let lot = self.lots.iter_mut().find(|l| l.entry == *entry).unwrap();
            lot.remaining -= points;
            assert!(lot.remaining >= 0, "a lot went below zero");
        }
        self.debt = posting.loyalty.account.debt;
        ids
    }

    /// The account as an engine loads it again.
    fn load(&self, loyalty: &CustomerLoyalty) -> CustomerLoyalty {
        CustomerLoyalty {
            account: Account {
                lots: self
                    .lots
                    .iter()
                    .filter(|l| l.remaining > 0)
                    .copied()
                    .collect(),
                debt: self.debt,
                held: 0,
            },
            ..loyalty.clone()
        }
    }

    fn sum(&self) -> i64 {
        self.entries.iter().map(|(_, points)| points).sum()
    }
}

proptest! {
    /// Whatever happens to a customer, written as an engine writes and
    /// loaded again: the balance is the ledger's sum, what the posting
    /// says of the account is what loading it again finds, and the
    /// balance is below zero only by the debt recorded.
    #[test]
    fn the_balance_is_always_the_ledgers_sum(events in prop::collection::vec(any_event(), 1..30)) {
        let mut ledger = Ledger::default();
        let mut loyalty = CustomerLoyalty::default();
        let mut last_sale: Option<(i64, i64, i64, Option<LedgerEntryId>)> = None;
        for (day, event) in events.into_iter().enumerate() {
            let now = at(day as i64 * 40);
            let posting = match event {
                Event::Sale { paid, accrued, spent, owe } => {
                    let shortfall = if owe { Shortfall::Owe } else { Shortfall::Refuse };
                    let mut sale = receipt(paid, accrued, spent, shortfall);
                    sale.accrual = LotTerms { usable_from: now, expires_at: Some(at(day as i64 * 40 + 90)) };
                    sale.created_at = now;
                    let Ok(posting) = commit(loyalty.clone(), &sale, now) else { continue };
                    let ids = ledger.write(&posting);
                    let accrual = posting.entries.iter().zip(&ids)
                        .find(|(e, _)| e.kind == LedgerKind::Accrual).map(|(_, id)| *id);
                    last_sale = Some((paid, accrued, spent, accrual));
                    posting
                }
                Event::Return => {
                    let Some((paid, accrued, spent, accrual)) = last_sale.take() else { continue };
                    let goods = ReturnPoints {
                        taken_back: accrued,
                        accrual_entry: accrual,
                        returned: paid,
                        refund_lot: LotTerms { usable_from: now, expires_at: None },
                        refund_minor: spent - paid,
                    };
                    let posting = returned(loyalty.clone(), &goods, now);
                    ledger.write(&posting);
                    posting
                }
                Event::ByHand(points) => {
                    let terms = LotTerms { usable_from: now, expires_at: Some(at(day as i64 * 40 + 60)) };
                    let Ok(posting) = by_hand(loyalty.clone(), LedgerKind::Manual, points, terms, now) else { continue };
                    ledger.write(&posting);
                    posting
                }
                Event::Expiry => {
                    let posting = expiry(loyalty.clone(), now);
                    ledger.write(&posting);
                    posting
                }
            };
            loyalty = ledger.load(&posting.loyalty);
            prop_assert_eq!(posting.loyalty.account.balance(), ledger.sum());
            prop_assert_eq!(loyalty.account.balance(), ledger.sum());
            prop_assert!(ledger.sum() >= 0 || ledger.debt == -ledger.sum());
            prop_assert!(ledger.debt == 0 || loyalty.account.lots.is_empty(), "a debt beside an open lot");
        }
    }

    /// After expiry no lot past its date holds points, and every point
    /// written off is an entry of its own lot.
    #[test]
    fn expiry_empties_exactly_the_lots_past_their_date(account in any_account(), day in 0i64..30) {
        let before = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let posting = expiry(before.clone(), at(day));
        let due: i64 = before.account.lots.iter()
            .filter(|l| l.expires_at.is_some_and(|e| e <= at(day)))
            .map(|l| l.remaining).sum();
        prop_assert_eq!(-entries_sum(&posting), due);
        prop_assert_eq!(posting.entries.len(), posting.taken.len());
        prop_assert!(posting.loyalty.account.lots.iter()
            .all(|l| l.remaining == 0 || l.expires_at.is_none_or(|e| e > at(day))));
        // Run again at once: nothing more to write off.
        prop_assert!(expiry(posting.loyalty.clone(), at(day)).entries.is_empty());
    }

    /// A merge moves every point and debt to the survivor: the two
    /// balances' sum is kept, the duplicate is left empty, and each side
    /// moves by its own entries.
    #[test]
    fn a_merge_keeps_the_sum_of_both_balances(
        duplicate in any_account(),
        survivor in any_account(),
        spent in (0i64..100_000, 0i64..100_000),
    ) {
        let duplicate = CustomerLoyalty { account: duplicate, spent_minor: spent.0, purchases: 2, ..CustomerLoyalty::default() };
        let survivor = CustomerLoyalty { account: survivor, spent_minor: spent.1, purchases: 3, ..CustomerLoyalty::default() };
        let merged = merge(duplicate.clone(), survivor.clone(), at(3));
        let (gone, came) = (&merged.duplicate.loyalty, &merged.survivor.loyalty);
        prop_assert_eq!(gone.account.balance(), 0);
        prop_assert_eq!(gone.account.debt, 0);
        prop_assert_eq!(gone.account.balance(), duplicate.account.balance() + entries_sum(&merged.duplicate));
        prop_assert_eq!(came.account.balance(), survivor.account.balance() + entries_sum(&merged.survivor));
        prop_assert_eq!(came.account.balance(), duplicate.account.balance() + survivor.account.balance());
        prop_assert_eq!((came.spent_minor, came.purchases), (spent.0 + spent.1, 5));
        prop_assert_eq!((gone.spent_minor, gone.purchases), (0, 0));
    }

    /// A hold is allowed exactly up to the usable points.
    #[test]
    fn a_hold_reserves_no_more_than_is_usable(account in any_account(), points in 1i64..8_000) {
        let loyalty = CustomerLoyalty { account, ..CustomerLoyalty::default() };
        let available = loyalty.account.available(at(3));
        prop_assert_eq!(hold(&loyalty, points, at(3)).is_ok(), points <= available);
    }

    /// A recount gives the highest tier the spend reaches, down as well as
    /// up, unless a tier set by hand still holds.
    #[test]
    fn a_recount_follows_the_spend_unless_set_by_hand(
        spent in 0i64..700_000,
        manual in any::<bool>(),
        until in prop::option::of(0i64..10),
    ) {
        let standing = TierStanding { tier_id: Some(TierId(3)), manual, until: until.map(at) };
        let recounted = recounted_tier(standing, LADDER, spent, at(5));
        let holds = manual && until.is_none_or(|u| u > 5);
        prop_assert_eq!(recounted.is_none(), holds);
        if let Some(new) = recounted {
            let reached = LADDER.iter().rev().find(|(t, _)| *t <= spent).map(|(_, id)| *id);
            prop_assert_eq!(new, TierStanding { tier_id: reached, manual: false, until: None });
        }
    }
}

/// A recount counts every customer it reaches and lists only the changes.
#[test]
fn a_recount_lists_only_what_it_changes() {
    let standing = |tier: Option<i64>, manual| TierStanding {
        tier_id: tier.map(TierId),
        manual,
        until: None,
    };
    let recount = recount(
        [
            ("kept", standing(Some(2), false), 150_000),
            ("raised", standing(Some(1), false), 600_000),
            ("lowered", standing(Some(3), false), 10),
            ("by hand", standing(Some(3), true), 10),
        ],
        LADDER,
        at(5),
    );
    assert_eq!(recount.recounted, 3);
    assert_eq!(
        recount.changed,
        [
            ("raised", standing(Some(1), false), standing(Some(3), false)),
            (
                "lowered",
                standing(Some(3), false),
                standing(Some(1), false)
            ),
        ]
    );
}
