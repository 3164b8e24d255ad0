//! What one offer's reward comes to on the lines it may touch.

use super::LineBase;
use super::terms::Reward;
use crate::pricing::{Basket, share, spread};
use crate::program::WHOLE;

/// What one offer gives each line of a basket (zero on the lines it does
/// not touch): money off in minor units, points in hundredths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub discount_minor: Vec<i64>,
    pub points_accrued: Vec<i64>,
}

impl Effect {
    pub fn none(lines: usize) -> Effect {
        Effect {
            discount_minor: vec![0; lines],
            points_accrued: vec![0; lines],
        }
    }

    pub fn discount_total(&self) -> i64 {
        self.discount_minor.iter().sum()
    }

    pub fn points_total(&self) -> i64 {
        self.points_accrued.iter().sum()
    }

    /// What it is worth to the customer: one hundredth of a point is worth
    /// the minor unit it pays at the till (see `pricing`).
    pub fn value(&self) -> i64 {
        self.discount_total() + self.points_total()
    }

    /// Whether it gives anything on line `i`.
    pub fn touches(&self, i: usize) -> bool {
        self.discount_minor[i] != 0 || self.points_accrued[i] != 0
    }
}

/// The reward on `lines` (indexes into the basket), where `left` is what
/// each line still costs after the offers before this one: no discount
/// goes past it.
pub(super) fn effect(
    reward: Reward,
    basket: &Basket,
    base: &[LineBase],
    left: &[i64],
    lines: &[usize],
) -> Effect {
    let mut effect = Effect::none(left.len());
    let amounts = basket.lines();
    match reward {
        Reward::ExtraPoints { multiplier_bp } => {
            for &i in lines {
                effect.points_accrued[i] =
                    share(base[i].points_accrued.max(0), multiplier_bp - WHOLE);
            }
        }
        Reward::PercentOff { rate_bp } => {
            for &i in lines {
                effect.discount_minor[i] = share(amounts[i].amount_minor, rate_bp).min(left[i]);
            }
        }
        Reward::AmountOff { amount_minor } => {
            let weights: Vec<i64> = lines.iter().map(|&i| left[i]).collect();
            let total = amount_minor.min(weights.iter().sum());
            for (&i, part) in lines.iter().zip(spread(total, &weights)) {
                effect.discount_minor[i] = part;
            }
        }
        Reward::BonusPoints { points } => {
            // By what the lines cost, or by quantity when they are all free.
            let mut weights: Vec<i64> = lines.iter().map(|&i| amounts[i].amount_minor).collect();
            if weights.iter().all(|&w| w == 0) {
                weights = lines.iter().map(|&i| amounts[i].quantity.milli()).collect();
            }
            for (&i, part) in lines.iter().zip(spread(points, &weights)) {
                effect.points_accrued[i] = part;
            }
        }
    }
    effect
}
