//! A customer's points: dated lots, spent oldest expiry first, and a debt
//! when more was taken than there was (a return of points already spent,
//! an offline receipt that paid with more than was left). The ledger holds
//! every movement; this is the arithmetic over its open lots.
//!
//! The balance (sum of the ledger) is always `sum(remaining) - debt`, and a
//! debt exists only when every lot is empty: new lots settle it first.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::LedgerEntryId;

/// A customer's points and purchases as a list shows them beside the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerFigures {
    /// Points that can pay now (hundredths).
    pub points_available: i64,
    /// The sum of the ledger (negative while a debt is owed).
    pub balance: i64,
    /// Spent after discounts, returns deducted (minor units).
    pub spent_minor: i64,
    pub purchases: i64,
    pub last_purchase_at: Option<Timestamp>,
    pub tier: Option<crate::program::NamedTier>,
}

/// Points accrued by one ledger entry, and how many of them are left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lot {
    pub entry: LedgerEntryId,
    pub remaining: i64,
    pub usable_from: Timestamp,
    pub expires_at: Option<Timestamp>,
}

impl Lot {
    fn usable(&self, now: Timestamp) -> bool {
        self.usable_from <= now && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A customer's open lots and debt, and the points tills hold for a
/// payment about to be made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub lots: Vec<Lot>,
    pub debt: i64,
    /// Reserved by live holds: not available to anyone else.
    pub held: i64,
}

/// What a spend or a take-back did: from which lots, and the debt it left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taken {
    pub from_lots: Vec<(LedgerEntryId, i64)>,
    pub debt_added: i64,
}

/// When the next points expire, and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NextExpiry {
    pub at: Timestamp,
    pub points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only {available} points are usable, {requested} were asked")]
pub struct Insufficient {
    pub requested: i64,
    pub available: i64,
}

/// What to do when a spend finds fewer usable points than it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// Refuse the spend (a till that is online can be told).
    Refuse,
    /// The sale already happened: take what there is, owe the rest.
    Owe,
}

impl Account {
    /// The sum of the ledger's entries.
    pub fn balance(&self) -> i64 {
        self.lots.iter().map(|l| l.remaining).sum::<i64>() - self.debt
    }

    /// The points that can pay now: usable, and not held for another payment.
    pub fn available(&self, now: Timestamp) -> i64 {
        if self.debt > 0 {
            return 0;
        }
        let usable: i64 = self
            .lots
            .iter()
            .filter(|l| l.usable(now))
            .map(|l| l.remaining)
            .sum();
        (usable - self.held).max(0)
    }

    /// Gives a hold's points to the payment it was made for.
    pub fn use_hold(&mut self, points: i64) {
        self.held = (self.held - points).max(0);
    }

    pub fn next_expiry(&self, now: Timestamp) -> Option<NextExpiry> {
        let at = self
            .lots
            .iter()
            .filter(|l| l.remaining > 0 && l.usable(now))
            .filter_map(|l| l.expires_at)
            .min()?;
        let points = self
            .lots
            .iter()
            .filter(|l| l.usable(now) && l.expires_at == Some(at))
            .map(|l| l.remaining)
            .sum();
        Some(NextExpiry { at, points })
    }

    /// Pays `points` from usable lots, the soonest to expire first.
    pub fn spend(
        &mut self,
        points: i64,
        now: Timestamp,
        shortfall: Shortfall,
    ) -> Result<Taken, Insufficient> {
        let available = self.available(now);
        if points > available && shortfall == Shortfall::Refuse {
            return Err(Insufficient {
                requested: points,
                available,
            });
        }
        // Owed points come out of lots not yet usable before they become a
        // debt, so a debt never stands beside an open lot.
        let mut order: Vec<usize> = (0..self.lots.len()).collect();
        order.sort_by_key(|&i| {
            let lot = &self.lots[i];
            (
                !lot.usable(now),
                lot.expires_at.is_none(),
                lot.expires_at,
                lot.usable_from,
                lot.entry,
            )
        });
        let usable = order
            .iter()
            .take_while(|&&i| self.lots[i].usable(now))
            .count();
        let order = match shortfall {
            Shortfall::Refuse => &order[..usable],
            Shortfall::Owe => &order[..],
        };
        Ok(self.take(points, order))
    }

    /// Takes back `points` accrued earlier (a return): from `lot` first if it
    /// is still open, then from any lot, and owes what is missing.
    pub fn take_back(&mut self, points: i64, lot: Option<LedgerEntryId>) -> Taken {
        let mut order: Vec<usize> = (0..self.lots.len()).collect();
        order.sort_by_key(|&i| {
            let l = &self.lots[i];
            (
                Some(l.entry) != lot,
                l.expires_at.is_none(),
                l.expires_at,
                l.usable_from,
                l.entry,
            )
        });
        self.take(points, &order)
    }

    fn take(&mut self, points: i64, order: &[usize]) -> Taken {
        let mut left = points.max(0);
        let mut taken = Taken::default();
        for &i in order {
            if left == 0 {
                break;
            }
            let lot = &mut self.lots[i];
            let part = lot.remaining.min(left);
            if part > 0 {
                lot.remaining -= part;
                left -= part;
                taken.from_lots.push((lot.entry, part));
            }
        }
        self.debt += left;
        taken.debt_added = left;
        taken
    }

    /// Adds a lot; it settles the debt first. Answers the part that settled it.
    pub fn add_lot(&mut self, mut lot: Lot) -> i64 {
        let settled = self.debt.min(lot.remaining.max(0));
        self.debt -= settled;
        lot.remaining -= settled;
        self.lots.push(lot);
        settled
    }

    /// Empties the account for a merge: answers its open lots (to reopen in
    /// the survivor's account with their dates) and its debt (the survivor's now).
    pub fn hand_over(&mut self) -> (Vec<Lot>, i64) {
        let lots: Vec<Lot> = self
            .lots
            .iter()
            .filter(|l| l.remaining > 0)
            .copied()
            .collect();
        for lot in &mut self.lots {
            lot.remaining = 0;
        }
        (lots, std::mem::take(&mut self.debt))
    }

    /// Empties the lots expired by `now`; answers what each lost.
    pub fn expire(&mut self, now: Timestamp) -> Vec<(LedgerEntryId, i64)> {
        let mut expired = Vec::new();
        for lot in &mut self.lots {
            if lot.remaining > 0 && lot.expires_at.is_some_and(|e| e <= now) {
                expired.push((lot.entry, lot.remaining));
                lot.remaining = 0;
            }
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;
    use proptest::prelude::*;

    use super::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(24 * day)
    }

    fn lot(entry: i64, points: i64, from: i64, expires: Option<i64>) -> Lot {
        Lot {
            entry: LedgerEntryId(entry),
            remaining: points,
            usable_from: at(from),
            expires_at: expires.map(at),
        }
    }

    #[test]
    fn spends_the_soonest_to_expire_first_and_skips_pending_lots() {
        let mut account = Account::default();
        account.add_lot(lot(1, 100, 0, Some(30)));
        account.add_lot(lot(2, 100, 0, Some(10)));
        account.add_lot(lot(3, 100, 0, None));
        account.add_lot(lot(4, 100, 5, Some(6)));
        assert_eq!(account.available(at(1)), 300);
        assert_eq!(
            account.next_expiry(at(1)),
            Some(NextExpiry {
                at: at(10),
                points: 100
            })
        );
        let taken = account.spend(150, at(1), Shortfall::Refuse).unwrap();
        assert_eq!(
            taken.from_lots,
            vec![(LedgerEntryId(2), 100), (LedgerEntryId(1), 50)]
        );
        assert_eq!(
            account.spend(200, at(1), Shortfall::Refuse),
            Err(Insufficient {
                requested: 200,
                available: 150
            })
        );
    }

    #[test]
    fn a_take_back_beyond_the_lots_is_owed_and_settled_by_the_next_accrual() {
        let mut account = Account::default();
        account.add_lot(lot(1, 100, 0, None));
        account.spend(80, at(0), Shortfall::Refuse).unwrap();
        let taken = account.take_back(100, Some(LedgerEntryId(1)));
        assert_eq!(taken.debt_added, 80);
        assert_eq!(account.balance(), -80);
        assert_eq!(account.available(at(0)), 0);
        assert_eq!(account.add_lot(lot(2, 50, 0, None)), 50);
        assert_eq!(account.add_lot(lot(3, 50, 0, None)), 30);
        assert_eq!(account.available(at(0)), 20);
        assert_eq!(account.balance(), 20);
    }

    #[test]
    fn held_points_are_not_available_but_their_payment_may_use_them() {
        let mut account = Account::default();
        account.add_lot(lot(1, 1000, 0, None));
        account.held = 700;
        assert_eq!(account.available(at(0)), 300);
        assert!(account.spend(500, at(0), Shortfall::Refuse).is_err());
        account.use_hold(700);
        assert!(account.spend(500, at(0), Shortfall::Refuse).is_ok());
        assert_eq!(account.available(at(0)), 500);
    }

    #[test]
    fn a_merge_hands_over_lots_with_their_dates_and_the_debt() {
        let mut duplicate = Account::default();
        duplicate.add_lot(lot(1, 300, 0, Some(10)));
        duplicate.add_lot(lot(2, 200, 5, None));
        let mut survivor = Account::default();
        survivor.add_lot(lot(3, 100, 0, None));
        survivor.spend(150, at(0), Shortfall::Owe).unwrap();
        let before = duplicate.balance() + survivor.balance();
        let (lots, debt) = duplicate.hand_over();
        assert_eq!((lots.len(), debt, duplicate.balance()), (2, 0, 0));
        for lot in lots {
            survivor.add_lot(lot);
        }
        assert_eq!(survivor.balance(), before);
        assert_eq!(
            survivor.next_expiry(at(6)).map(|e| e.points),
            Some(250),
            "the debt was settled from the first lot"
        );
    }

    #[test]
    fn expiry_empties_only_expired_lots() {
        let mut account = Account::default();
        account.add_lot(lot(1, 100, 0, Some(10)));
        account.add_lot(lot(2, 40, 0, Some(20)));
        assert_eq!(account.expire(at(10)), vec![(LedgerEntryId(1), 100)]);
        assert_eq!(account.available(at(10)), 40);
        assert!(account.expire(at(10)).is_empty());
    }

    #[derive(Debug, Clone)]
    enum Move {
        Accrue {
            points: i64,
            from: i64,
            expires: Option<i64>,
        },
        Spend {
            points: i64,
            owe: bool,
        },
        TakeBack {
            points: i64,
        },
        Expire,
        Tick(i64),
    }

    fn any_move() -> impl Strategy<Value = Move> {
        prop_oneof![
            (1i64..10_000, 0i64..5, prop::option::of(1i64..30)).prop_map(
                |(points, from, expires)| Move::Accrue {
                    points,
                    from,
                    expires
                }
            ),
            (1i64..10_000, any::<bool>()).prop_map(|(points, owe)| Move::Spend { points, owe }),
            (1i64..10_000).prop_map(|points| Move::TakeBack { points }),
            Just(Move::Expire),
            (0i64..5).prop_map(Move::Tick),
        ]
    }

    proptest! {
        /// Replays random moves as a ledger of signed entries and checks the
        /// account against it after each move.
        #[test]
        fn the_balance_is_the_ledger_sum_and_available_never_goes_negative(
            moves in prop::collection::vec(any_move(), 1..60)
        ) {
            let mut account = Account::default();
            let mut ledger: i64 = 0;
            let mut day = 0;
            let mut next_entry = 1;
            for step in moves {
                let now = at(day);
                match step {
                    Move::Accrue { points, from, expires } => {
                        account.add_lot(lot(next_entry, points, day + from, expires.map(|e| day + from + e)));
                        next_entry += 1;
                        ledger += points;
                    }
                    Move::Spend { points, owe } => {
                        let before = account.available(now);
                        let shortfall = if owe { Shortfall::Owe } else { Shortfall::Refuse };
                        match account.spend(points, now, shortfall) {
                            Ok(taken) => {
                                ledger -= points;
                                let from_lots: i64 = taken.from_lots.iter().map(|t| t.1).sum();
                                prop_assert_eq!(from_lots + taken.debt_added, points);
                                prop_assert!(owe || points <= before);
                            }
                            Err(e) => prop_assert!(!owe && e.available == before && points > before),
                        }
                    }
                    Move::TakeBack { points } => {
                        account.take_back(points, Some(LedgerEntryId(next_entry - 1)));
                        ledger -= points;
                    }
                    Move::Expire => {
                        ledger -= account.expire(now).iter().map(|e| e.1).sum::<i64>();
                    }
                    Move::Tick(days) => day += days,
                }
                prop_assert_eq!(account.balance(), ledger);
                prop_assert!(account.available(at(day)) >= 0);
                prop_assert!(account.lots.iter().all(|l| l.remaining >= 0));
                prop_assert!(account.debt == 0 || account.lots.iter().all(|l| l.remaining == 0));
            }
        }

        /// Expiry is first in, first out: spending never leaves a lot that
        /// expires sooner than one it took from.
        #[test]
        fn spending_takes_the_soonest_expiry_first(
            lots in prop::collection::vec((1i64..1000, 1i64..100), 1..20),
            spend in 1i64..20_000,
        ) {
            let mut account = Account::default();
            for (i, (points, expires)) in lots.iter().enumerate() {
                account.add_lot(lot(i as i64 + 1, *points, 0, Some(*expires)));
            }
            let spend = spend.min(account.available(at(0)));
            let taken = account.spend(spend, at(0), Shortfall::Refuse).unwrap();
            let latest_taken = taken
                .from_lots
                .iter()
                .filter_map(|(entry, _)| account.lots.iter().find(|l| l.entry == *entry)?.expires_at)
                .max();
            if let Some(latest) = latest_taken {
                let fully_taken_before = account.lots.iter().all(|l| l.expires_at >= Some(latest) || l.remaining == 0);
                prop_assert!(fully_taken_before);
            }
        }
    }
}
