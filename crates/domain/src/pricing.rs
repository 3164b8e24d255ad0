//! Pricing a basket: discounts, points paid and points accrued per line.
//!
//! Rounding rule: every line is computed on its own and rounded down to the
//! minor unit (or hundredth of a point); the receipt's totals are the sums
//! of its lines, so lines always add up exactly. Points paid are spread over
//! the lines in proportion to what they cost after discount, the remainders
//! going to the lines with the largest fractions (then the first lines).
//! One hundredth of a point pays one minor unit.

use serde::Serialize;

use crate::program::{BasisPoints, Program, Rates, Tier, WHOLE};
use crate::quantity::Quantity;
use crate::validation::{FieldError, ValidationErrors};

/// The most lines one receipt may carry.
pub const MAX_LINES: usize = 1000;
/// The most one line may cost: ten billion in major units.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

/// One line of a basket, as the till sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasketLine {
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub quantity: Quantity,
    pub price_minor: i64,
    /// What the line costs before loyalty.
    pub amount_minor: i64,
}

/// A checked basket: 1 to [`MAX_LINES`] lines, amounts within range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Basket {
    lines: Vec<BasketLine>,
}

impl Basket {
    pub fn parse(lines: Vec<BasketLine>) -> Result<Basket, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if lines.is_empty() {
            errors.push(FieldError::new(
                "lines",
                "required",
                "a receipt needs at least one line",
            ));
        }
        if lines.len() > MAX_LINES {
            errors.push(FieldError::new(
                "lines",
                "too_many",
                format!(
                    "a receipt may have at most {MAX_LINES} lines, this one has {}",
                    lines.len()
                ),
            ));
            return Err(errors);
        }
        for (i, line) in lines.iter().enumerate() {
            let at = |field: &str| format!("lines[{i}].{field}");
            if line.sku.trim().is_empty() {
                errors.push(FieldError::new(
                    at("sku"),
                    "required",
                    "each line needs its SKU",
                ));
            }
            for (field, value) in [
                ("price_minor", line.price_minor),
                ("amount_minor", line.amount_minor),
            ] {
                if !(0..=MAX_AMOUNT_MINOR).contains(&value) {
                    errors.push(FieldError::new(
                        at(field),
                        "out_of_range",
                        format!("must be between 0 and {MAX_AMOUNT_MINOR} minor units"),
                    ));
                }
            }
        }
        errors.finish(|| Basket { lines })
    }

    pub fn lines(&self) -> &[BasketLine] {
        &self.lines
    }

    pub fn total_minor(&self) -> i64 {
        self.lines.iter().map(|l| l.amount_minor).sum()
    }
}

/// What loyalty does to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct PricedLine {
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
}

/// A priced basket: its lines and their sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Calculation {
    pub lines: Vec<PricedLine>,
    pub total_minor: i64,
    pub discount_minor: i64,
    /// The most points this receipt could be paid with.
    pub points_payable_max: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
}

/// Who the receipt is priced for.
#[derive(Debug, Clone, Copy)]
pub struct Pricing<'a> {
    pub program: &'a Program,
    pub tier: Option<&'a Tier>,
    /// The customer's usable points; `None` when the payment is checked
    /// later, against the ledger, as `commit` does.
    pub points_available: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("at most {max} points can pay this receipt, {requested} were asked")]
    TooManyPoints { requested: i64, max: i64 },
    #[error("points to pay must not be negative")]
    NegativePoints,
}

/// Prices a receipt of nobody in particular: nothing off, nothing earned.
pub fn anonymous(basket: &Basket) -> Calculation {
    let lines = basket
        .lines()
        .iter()
        .map(|line| PricedLine {
            to_pay_minor: line.amount_minor,
            ..PricedLine::default()
        })
        .collect();
    summed(lines, basket.total_minor(), 0)
}

/// Prices a basket for a customer who asks to pay `points_to_pay` with points.
pub fn price(
    basket: &Basket,
    pricing: Pricing<'_>,
    points_to_pay: i64,
) -> Result<Calculation, PricingError> {
    price_after_offers(
        basket,
        pricing,
        points_to_pay,
        &vec![0; basket.lines().len()],
    )
}

/// Prices a basket whose lines offers took `offered` off (one per line,
/// each at most what the line costs after the program's discount): points
/// pay part of what is left, and the program accrues on what is paid in
/// money.
pub fn price_after_offers(
    basket: &Basket,
    pricing: Pricing<'_>,
    points_to_pay: i64,
    offered: &[i64],
) -> Result<Calculation, PricingError> {
    assert_eq!(
        offered.len(),
        basket.lines().len(),
        "one offer discount per line"
    );
    if points_to_pay < 0 {
        return Err(PricingError::NegativePoints);
    }
    let program = pricing.program;
    let Rates {
        earn_bp,
        discount_bp,
        max_payable_share_bp,
    } = program.rates(pricing.tier);
    let lines = basket.lines();
    let takes_part: Vec<bool> = lines
        .iter()
        .map(|line| !program.excludes(&line.sku, line.category.as_deref()))
        .collect();
    let discountable: Vec<bool> = lines
        .iter()
        .zip(&takes_part)
        .map(|(line, &part)| part && line.price_minor >= program.rules.min_price_minor)
        .collect();

    let mut priced: Vec<PricedLine> = lines
        .iter()
        .zip(&discountable)
        .zip(offered)
        .map(|((line, &discountable), &offered)| {
            let program_minor = if discountable {
                share(line.amount_minor, discount_bp)
            } else {
                0
            };
            let discount_minor =
                program_minor + offered.clamp(0, line.amount_minor - program_minor);
            PricedLine {
                discount_minor,
                to_pay_minor: line.amount_minor - discount_minor,
                ..PricedLine::default()
            }
        })
        .collect();

    let net: i64 = priced.iter().map(|l| l.to_pay_minor).sum();
    let payable_net: i64 = priced
        .iter()
        .zip(&discountable)
        .filter(|(_, d)| **d)
        .map(|(l, _)| l.to_pay_minor)
        .sum();
    let mut max = share(net, max_payable_share_bp).min(payable_net);
    if let Some(available) = pricing.points_available {
        max = max.min(available.max(0));
    }
    if points_to_pay > max {
        return Err(PricingError::TooManyPoints {
            requested: points_to_pay,
            max,
        });
    }

    let weights: Vec<i64> = priced
        .iter()
        .zip(&discountable)
        .map(|(l, &d)| if d { l.to_pay_minor } else { 0 })
        .collect();
    for (line, paid) in priced.iter_mut().zip(spread(points_to_pay, &weights)) {
        line.points_paid = paid;
        line.to_pay_minor -= paid;
    }
    for (line, &part) in priced.iter_mut().zip(&takes_part) {
        if part {
            line.points_accrued = share(line.to_pay_minor, earn_bp);
        }
    }
    Ok(summed(priced, basket.total_minor(), max))
}

fn summed(lines: Vec<PricedLine>, total_minor: i64, points_payable_max: i64) -> Calculation {
    Calculation {
        total_minor,
        discount_minor: lines.iter().map(|l| l.discount_minor).sum(),
        points_payable_max,
        points_paid: lines.iter().map(|l| l.points_paid).sum(),
        points_accrued: lines.iter().map(|l| l.points_accrued).sum(),
        to_pay_minor: lines.iter().map(|l| l.to_pay_minor).sum(),
        lines,
    }
}

/// `amount × rate`, rounded down.
pub fn share(amount: i64, rate: BasisPoints) -> i64 {
    (i128::from(amount) * i128::from(rate) / i128::from(WHOLE)) as i64
}

/// Splits `total` over `weights` in proportion (largest remainder first,
/// ties to the earlier line). Needs `total <= sum(weights)` unless all
/// weights are zero, in which case nothing is spread.
pub fn spread(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if sum == 0 || total == 0 {
        return vec![0; weights.len()];
    }
    let total = i128::from(total);
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = total * i128::from(w);
        parts.push((exact / sum) as i64);
        remainders.push((exact % sum, i));
    }
    let left = (total - parts.iter().map(|&p| i128::from(p)).sum::<i128>()) as usize;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        parts[i] += 1;
    }
    parts
}

/// The part of `total` that a return of `now` (of `whole`, after `before`
/// was already returned) gives back, in thousandths of the line's quantity.
/// Returns of everything add up to exactly `total`, whatever the steps.
pub fn returned_part(total: i64, whole: i64, before: i64, now: i64) -> i64 {
    let at = |returned: i64| (i128::from(total) * i128::from(returned) / i128::from(whole)) as i64;
    at(before + now) - at(before)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ids::{ProgramId, TierId};
    use crate::program::{ProgramKind, ProgramRules};

    fn bonus(earn: i64, share: i64) -> Program {
        Program {
            id: ProgramId(1),
            name: "Бонусы".into(),
            is_default: true,
            rules: ProgramRules {
                kind: ProgramKind::Bonus,
                earn_rate_bp: earn,
                max_payable_share_bp: share,
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

    fn line(sku: &str, category: Option<&str>, amount: i64) -> BasketLine {
        BasketLine {
            sku: sku.into(),
            name: sku.into(),
            category: category.map(Into::into),
            quantity: Quantity::ONE,
            price_minor: amount,
            amount_minor: amount,
        }
    }

    #[test]
    fn tobacco_is_neither_paid_with_points_nor_earns() {
        let basket = Basket::parse(vec![
            line("bread", None, 10_000),
            line("cigs", Some("tobacco"), 20_000),
        ])
        .unwrap();
        let program = bonus(500, 5000);
        let pricing = Pricing {
            program: &program,
            tier: None,
            points_available: Some(1_000_000),
        };
        let calc = price(&basket, pricing, 0).unwrap();
        assert_eq!(calc.points_payable_max, 10_000);
        assert_eq!(calc.lines[1].points_accrued, 0);
        assert_eq!(calc.lines[0].points_accrued, 500);
        let paid = price(&basket, pricing, 10_000).unwrap();
        assert_eq!(paid.lines[0].points_paid, 10_000);
        assert_eq!(paid.lines[1].points_paid, 0);
        assert_eq!(paid.to_pay_minor, 20_000);
        assert_eq!(
            price(&basket, pricing, 10_001),
            Err(PricingError::TooManyPoints {
                requested: 10_001,
                max: 10_000
            })
        );
    }

    #[test]
    fn a_tier_rate_replaces_the_programs() {
        let mut program = bonus(300, 0);
        program.tiers.push(Tier {
            id: TierId(1),
            name: "Gold".into(),
            threshold_minor: 100,
            earn_rate_bp: Some(1000),
            discount_bp: None,
        });
        let basket = Basket::parse(vec![line("a", None, 999)]).unwrap();
        let tier = program.tier_for_spend(100);
        let calc = price(
            &basket,
            Pricing {
                program: &program,
                tier,
                points_available: None,
            },
            0,
        )
        .unwrap();
        assert_eq!(calc.points_accrued, 99);
    }

    #[test]
    fn the_balance_caps_what_is_payable() {
        let program = bonus(0, 10_000);
        let basket = Basket::parse(vec![line("a", None, 5000)]).unwrap();
        let calc = price(
            &basket,
            Pricing {
                program: &program,
                tier: None,
                points_available: Some(1200),
            },
            0,
        )
        .unwrap();
        assert_eq!(calc.points_payable_max, 1200);
    }

    #[test]
    fn a_basket_is_refused_when_empty_too_long_or_out_of_range() {
        assert!(Basket::parse(vec![]).is_err());
        let many = vec![line("a", None, 1); MAX_LINES + 1];
        assert_eq!(Basket::parse(many).unwrap_err().0[0].code, "too_many");
        assert!(Basket::parse(vec![line("a", None, -5)]).is_err());
    }

    fn any_basket() -> impl Strategy<Value = Basket> {
        prop::collection::vec(
            (
                0i64..2_000_000,
                1i64..5000,
                prop::option::of(prop_oneof!["tobacco", "milk"]),
            ),
            1..40,
        )
        .prop_map(|lines| {
            let lines = lines
                .into_iter()
                .enumerate()
                .map(|(i, (amount, milli, category))| BasketLine {
                    sku: format!("sku{i}"),
                    name: String::new(),
                    category,
                    quantity: Quantity::from_milli(milli).unwrap(),
                    price_minor: amount,
                    amount_minor: amount,
                })
                .collect();
            Basket::parse(lines).unwrap()
        })
    }

    fn any_program() -> impl Strategy<Value = Program> {
        (
            0i64..=WHOLE,
            0i64..=WHOLE,
            0i64..=WHOLE,
            0i64..3,
            0i64..100_000,
        )
            .prop_map(|(earn, share, discount, kind, min_price)| {
                let mut program = bonus(earn, share);
                program.rules.discount_bp = discount;
                program.rules.min_price_minor = min_price;
                program.rules.kind = [
                    ProgramKind::Bonus,
                    ProgramKind::FixedDiscount,
                    ProgramKind::CumulativeDiscount,
                ][kind as usize];
                program
            })
    }

    proptest! {
        #[test]
        fn lines_add_up_to_the_totals_and_nothing_goes_negative(
            basket in any_basket(),
            program in any_program(),
            available in 0i64..10_000_000,
            ask in 0u32..=100,
        ) {
            let pricing = Pricing { program: &program, tier: None, points_available: Some(available) };
            let max = price(&basket, pricing, 0).unwrap().points_payable_max;
            let points = max * i64::from(ask) / 100;
            let calc = price(&basket, pricing, points).unwrap();
            prop_assert_eq!(calc.points_paid, points);
            prop_assert!(max <= available);
            prop_assert_eq!(calc.total_minor, calc.discount_minor + calc.points_paid + calc.to_pay_minor);
            prop_assert_eq!(calc.points_accrued, calc.lines.iter().map(|l| l.points_accrued).sum::<i64>());
            for (priced, line) in calc.lines.iter().zip(basket.lines()) {
                prop_assert!(priced.discount_minor >= 0 && priced.points_paid >= 0);
                prop_assert!(priced.to_pay_minor >= 0 && priced.points_accrued >= 0);
                prop_assert_eq!(line.amount_minor, priced.discount_minor + priced.points_paid + priced.to_pay_minor);
                if program.excludes(&line.sku, line.category.as_deref()) {
                    prop_assert_eq!(priced.discount_minor + priced.points_paid + priced.points_accrued, 0);
                }
            }
            prop_assert!(price(&basket, pricing, max + 1).is_err());
        }

        #[test]
        fn spread_keeps_the_total_and_each_part_within_its_weight(
            weights in prop::collection::vec(0i64..1_000_000, 1..50),
            fraction in 0u32..=100,
        ) {
            let sum: i64 = weights.iter().sum();
            let total = sum * i64::from(fraction) / 100;
            let parts = spread(total, &weights);
            prop_assert_eq!(parts.iter().sum::<i64>(), if sum == 0 { 0 } else { total });
            for (part, weight) in parts.iter().zip(&weights) {
                prop_assert!(*part >= 0 && part <= weight);
            }
        }

        #[test]
        fn returns_in_any_steps_give_back_exactly_the_whole(
            total in 0i64..10_000_000,
            whole in 1i64..100_000,
            cuts in prop::collection::vec(0.0f64..1.0, 0..6),
        ) {
            let mut points: Vec<i64> = cuts.iter().map(|c| (c * whole as f64) as i64).collect();
            points.push(0);
            points.push(whole);
            points.sort_unstable();
            let given: i64 = points.windows(2).map(|w| returned_part(total, whole, w[0], w[1] - w[0])).sum();
            prop_assert_eq!(given, total);
        }
    }
}
