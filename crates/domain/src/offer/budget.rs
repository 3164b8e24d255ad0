//! Budgets: what an offer may give at most, in points and in money, in all,
//! per customer, per day and per month.
//!
//! The caller locks the offer's budget rows, reads what was used, and asks
//! [`Budget::left`]; the application is cut to that ([`Effect::cut`]) before
//! it is written, so however many tills commit at once the caps hold.

use serde::{Deserialize, Serialize};

use super::reward::Effect;
use crate::pricing::spread;

/// Caps on one quantity (points in hundredths, or money in minor units);
/// `None`: no cap of that kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caps {
    pub total: Option<i64>,
    pub per_customer: Option<i64>,
    /// Per local day of the offer, all customers together.
    pub per_day: Option<i64>,
    /// Per local calendar month, all customers together.
    pub per_month: Option<i64>,
}

/// What was given so far, against each cap of [`Caps`]: in all, to this
/// customer, today and this month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub total: i64,
    pub customer: i64,
    pub day: i64,
    pub month: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub points: Caps,
    pub money: Caps,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetUsed {
    pub points: Usage,
    pub money: Usage,
}

impl Usage {
    fn plus(self, part: i64) -> Usage {
        Usage {
            total: self.total + part,
            customer: self.customer + part,
            day: self.day + part,
            month: self.month + part,
        }
    }
}

impl BudgetUsed {
    /// What was used with one more receipt's part counted.
    pub fn plus(self, points: i64, money: i64) -> BudgetUsed {
        BudgetUsed {
            points: self.points.plus(points),
            money: self.money.plus(money),
        }
    }
}

/// What may still be given; `None`: no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    pub points: Option<i64>,
    pub money: Option<i64>,
}

impl Caps {
    pub fn is_unlimited(&self) -> bool {
        *self == Caps::default()
    }

    fn holds(&self, given: &Usage) -> bool {
        [
            (self.total, given.total),
            (self.per_customer, given.customer),
            (self.per_day, given.day),
            (self.per_month, given.month),
        ]
        .into_iter()
        .all(|(cap, given)| cap.is_none_or(|cap| given <= cap))
    }

    /// The room under the tightest cap, never below zero.
    pub fn left(&self, used: &Usage) -> Option<i64> {
        [
            (self.total, used.total),
            (self.per_customer, used.customer),
            (self.per_day, used.day),
            (self.per_month, used.month),
        ]
        .into_iter()
        .filter_map(|(cap, used)| cap.map(|cap| cap.saturating_sub(used).max(0)))
        .min()
    }
}

impl Budget {
    pub fn is_unlimited(&self) -> bool {
        self.points.is_unlimited() && self.money.is_unlimited()
    }

    /// Whether a cap counts what each customer got.
    pub fn caps_each_customer(&self) -> bool {
        self.points.per_customer.is_some() || self.money.per_customer.is_some()
    }

    /// Whether a cap counts what every customer got together.
    pub fn caps_everyone(&self) -> bool {
        let any = |c: &Caps| c.total.is_some() || c.per_day.is_some() || c.per_month.is_some();
        any(&self.points) || any(&self.money)
    }

    /// Whether what was given, a receipt's part included, stays within
    /// every cap: the check a commit makes under lock.
    pub fn holds(&self, given: &BudgetUsed) -> bool {
        self.points.holds(&given.points) && self.money.holds(&given.money)
    }

    pub fn left(&self, used: &BudgetUsed) -> Left {
        Left {
            points: self.points.left(&used.points),
            money: self.money.left(&used.money),
        }
    }
}

impl Effect {
    /// The effect within what is left: money and points each scaled down
    /// over the same lines in proportion, so the lines still add up to the
    /// totals and none gets more than it had.
    pub fn cut(self, left: Left) -> Effect {
        let within = |parts: Vec<i64>, left: Option<i64>| match left {
            Some(left) if left < parts.iter().sum() => spread(left, &parts),
            _ => parts,
        };
        Effect {
            discount_minor: within(self.discount_minor, left.money),
            points_accrued: within(self.points_accrued, left.points),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tightest_cap_wins_and_none_means_unlimited() {
        let caps = Caps {
            total: Some(10_000),
            per_customer: Some(500),
            per_day: None,
            per_month: Some(2_000),
        };
        let used = Usage {
            total: 9_800,
            customer: 100,
            day: 0,
            month: 0,
        };
        assert_eq!(caps.left(&used), Some(200));
        assert_eq!(
            caps.left(&Usage {
                month: 1_950,
                ..Usage::default()
            }),
            Some(50)
        );
        assert_eq!(Caps::default().left(&used), None);
        let over = Usage {
            customer: 900,
            ..Usage::default()
        };
        assert_eq!(caps.left(&over), Some(0));
    }

    #[test]
    fn a_cut_effect_still_adds_up_line_by_line() {
        let effect = Effect {
            discount_minor: vec![300, 0, 700],
            points_accrued: vec![10, 20, 30],
        };
        let cut = effect.clone().cut(Left {
            points: None,
            money: Some(501),
        });
        assert_eq!(cut.discount_minor, vec![150, 0, 351]);
        assert_eq!(cut.points_accrued, effect.points_accrued);
        let none = effect.clone().cut(Left {
            points: Some(0),
            money: Some(0),
        });
        assert_eq!(none.value(), 0);
        let roomy = Left {
            points: Some(1_000),
            money: Some(1_000),
        };
        assert_eq!(effect.clone().cut(roomy), effect);
    }
}
