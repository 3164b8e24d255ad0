//! What the tests of offers share: a program, baskets, offers and a till.

use jiff::civil::{DateTime, date};

use super::*;
use crate::ids::{CustomerId, OfferId, ProgramId, SegmentId, StoreId};
use crate::pricing::{Basket, BasketLine, share};
use crate::program::{Program, ProgramKind, ProgramRules};
use crate::quantity::Quantity;

const EARN_BP: i64 = 500;

fn program() -> Program {
    Program {
        id: ProgramId(1),
        name: "Бонусы".into(),
        is_default: true,
        rules: ProgramRules {
            kind: ProgramKind::Bonus,
            earn_rate_bp: EARN_BP,
            max_payable_share_bp: 5000,
            discount_bp: 0,
            excluded_categories: vec!["tobacco".into()],
            excluded_skus: vec![],
            min_price_minor: 0,
            accrual_delay_days: 0,
            expiry_days: 0,
            tier_period_days: 0,
            birthday_points: 0,
            birthday_days_before: 0,
            birthday_message: String::new(),
            referral_points: 0,
        },
        tiers: vec![],
    }
}

pub fn line(sku: &str, category: Option<&str>, amount: i64) -> BasketLine {
    BasketLine {
        sku: sku.into(),
        name: sku.into(),
        category: category.map(Into::into),
        quantity: Quantity::ONE,
        price_minor: amount,
        amount_minor: amount,
    }
}

/// The program's pricing: nothing off, 5 % back but on tobacco.
fn base(program: &Program, basket: &Basket) -> Vec<LineBase> {
    basket
        .lines()
        .iter()
        .map(|l| LineBase {
            payable_minor: l.amount_minor,
            points_accrued: if program.excludes(&l.sku, l.category.as_deref()) {
                0
            } else {
                share(l.amount_minor, EARN_BP)
            },
        })
        .collect()
}

pub fn offer(id: i64, reward: Reward) -> Offer {
    Offer {
        id: OfferId(id),
        terms: OfferTerms {
            name: format!("offer {id}"),
            audience: Audience::Everyone,
            active: true,
            schedule: Schedule::default(),
            stores: vec![],
            priority: 0,
            stacking: Stacking::Stack,
            reward,
            target: Target::default(),
            condition: Condition::default(),
            coupon: None,
            budget: Budget::default(),
            holdout_bp: 0,
        },
    }
}

/// What the caller knows at the till, owned so tests can change it.
pub struct Till {
    pub program: Program,
    pub customer_id: CustomerId,
    pub segments: Vec<SegmentId>,
    pub purchases_before: i64,
    pub now: DateTime,
    pub store_path: Vec<StoreId>,
    pub coupons: Vec<PresentedCoupon>,
    pub budgets_used: Vec<(OfferId, BudgetUsed)>,
}

impl Till {
    pub fn new() -> Till {
        Till {
            program: program(),
            customer_id: CustomerId(1),
            segments: vec![],
            purchases_before: 0,
            // A Wednesday noon.
            now: date(2025, 3, 5).at(12, 0, 0, 0),
            store_path: vec![StoreId(7), StoreId(2), StoreId(1)],
            coupons: vec![],
            budgets_used: vec![],
        }
    }

    pub fn ctx(&self) -> OfferContext<'_> {
        OfferContext {
            program: &self.program,
            customer_id: self.customer_id,
            segments: &self.segments,
            purchases_before: self.purchases_before,
            now: self.now,
            store_path: &self.store_path,
            coupons: &self.coupons,
            budgets_used: &self.budgets_used,
        }
    }

    pub fn apply(&self, offers: &[&Offer], basket: &Basket) -> Applied {
        apply(offers, &self.ctx(), basket, &base(&self.program, basket))
    }
}
