//! The plain-language preview on a program's page: a sample basket the
//! marketer types (a few lines, and a tier or the spend so far), priced by
//! the very functions the till's calculate prices with, then said in words:
//! «Покупатель с уровнем „Серебро“ за чек на 1 500 ₽ получит 75 баллов».

use std::collections::BTreeMap;

use clientele_domain::pricing::{self, Basket, BasketLine, Calculation, Pricing};
use clientele_domain::quantity::Quantity;
use clientele_domain::{Program, ProgramKind, Tier, TierId};
use fluent_templates::fluent_bundle::FluentValue;

use crate::console::kit::{Reader, Words};

/// The rows of the sample basket.
pub const ROWS: usize = 3;

/// A sample line's fields: `name_1`, `category_1`, `price_1`, `quantity_1`…
pub fn field(name: &str, row: usize) -> String {
    format!("{name}_{row}")
}

/// What the preview says, or why it cannot say it yet.
pub struct Preview {
    /// The sentence; `None` until a line has a price.
    pub sentence: Option<String>,
    /// More to know: lines left out, when points become usable and expire.
    pub details: Vec<String>,
    /// A typed field that is not a figure → what is wrong with it.
    pub errors: BTreeMap<String, String>,
}

/// Prices the sample basket of `values` for `program` and says the result.
pub fn preview(w: &Words, program: &Program, values: &BTreeMap<String, String>) -> Preview {
    let text = |field: &str| values.get(field).map_or("", |v| v.trim());
    let mut read = Reader::new(w);
    let mut lines = Vec::new();
    for row in 1..=ROWS {
        let price = field("price", row);
        let Some(price_minor) = read.hundredths(&price, text(&price)) else {
            continue;
        };
        let quantity = match text(&field("quantity", row)).replace(',', ".") {
            raw if raw.is_empty() => Some(Quantity::ONE),
            raw => raw.parse::<Quantity>().ok(),
        };
        let Some(quantity) = quantity else {
            read.refuse(&field("quantity", row), "preview-error-quantity");
            continue;
        };
        let name = match text(&field("name", row)) {
            "" => w.with("preview-line", "row", (row as i64).into()),
            name => name.to_owned(),
        };
        let category = Some(text(&field("category", row)))
            .filter(|c| !c.is_empty())
            .map(Words::category_code);
        lines.push(BasketLine {
            sku: name.clone(),
            name,
            category,
            quantity,
            price_minor,
            amount_minor: amount(price_minor, quantity),
        });
    }
    let spent = read.hundredths("spent", text("spent"));
    let chosen = text("tier")
        .parse()
        .ok()
        .and_then(|id| program.tier(TierId(id)));
    let tier = chosen.or_else(|| spent.and_then(|spent| program.tier_for_spend(spent)));
    let errors = read.errors;
    let priced = Basket::parse(lines).ok().and_then(|basket| {
        let pricing = Pricing {
            program,
            tier,
            points_available: None,
        };
        pricing::price(&basket, pricing, 0)
            .ok()
            .map(|calc| (basket, calc))
    });
    let Some((basket, calc)) = priced else {
        return Preview {
            sentence: None,
            details: Vec::new(),
            errors,
        };
    };
    Preview {
        sentence: Some(sentence(w, program, tier, &calc)),
        details: details(w, program, &basket, &calc),
        errors,
    }
}

/// What a line costs: the price times the quantity, to the nearest kopeck,
/// as a till rounds a weighed line.
fn amount(price_minor: i64, quantity: Quantity) -> i64 {
    let exact = i128::from(price_minor) * i128::from(quantity.milli());
    i64::try_from((exact + 500) / 1000).unwrap_or(i64::MAX)
}

/// Points in words, in the plural form their number takes (`1,5 балла`).
pub fn points(w: &Words, hundredths: i64) -> String {
    let number = match hundredths % 100 {
        0 => (hundredths / 100).to_string(),
        cents => format!("{}.{:02}", hundredths / 100, cents.abs()),
    };
    w.with_all(
        "preview-points",
        vec![
            ("count", FluentValue::try_number(&number).into_owned()),
            ("points", w.points(hundredths).into()),
        ],
    )
}

fn sentence(w: &Words, program: &Program, tier: Option<&Tier>, calc: &Calculation) -> String {
    let who = match tier {
        Some(tier) => w.with("preview-who-tier", "tier", tier.name.clone().into()),
        None if program.tiers.is_empty() => w.t("preview-who"),
        None => w.t("preview-who-no-tier"),
    };
    let total = w.money(calc.total_minor);
    match program.rules.kind {
        ProgramKind::Bonus => w.with_all(
            "preview-bonus",
            vec![
                ("who", who.into()),
                ("total", total.into()),
                ("points", points(w, calc.points_accrued).into()),
                // A hundredth of a point pays a kopeck.
                ("payable", w.money(calc.points_payable_max).into()),
            ],
        ),
        ProgramKind::CumulativeDiscount | ProgramKind::FixedDiscount => w.with_all(
            "preview-discount",
            vec![
                ("who", who.into()),
                ("total", total.into()),
                ("discount", w.money(calc.discount_minor).into()),
                ("to_pay", w.money(calc.to_pay_minor).into()),
            ],
        ),
    }
}

fn details(w: &Words, program: &Program, basket: &Basket, calc: &Calculation) -> Vec<String> {
    let mut details = Vec::new();
    let left_out: Vec<&str> = basket
        .lines()
        .iter()
        .filter(|l| program.excludes(&l.sku, l.category.as_deref()))
        .map(|l| l.name.as_str())
        .collect();
    if !left_out.is_empty() {
        details.push(w.with("preview-left-out", "names", left_out.join(", ").into()));
    }
    let rules = &program.rules;
    if rules.kind == ProgramKind::Bonus && calc.points_accrued > 0 {
        details.push(match rules.accrual_delay_days {
            0 => w.t("preview-usable-now"),
            days => w.n("preview-usable-after", days),
        });
        details.push(match rules.expiry_days {
            0 => w.t("preview-never-expire"),
            days => w.n("preview-expire-after", days),
        });
    }
    details
}

#[cfg(test)]
mod tests {
    use clientele_domain::ProgramId;
    use clientele_domain::program::ProgramRules;
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn words(lang: Lang) -> Words {
        Words::new(lang, TimeZone::UTC)
    }

    fn program(kind: ProgramKind) -> Program {
        Program {
            id: ProgramId(1),
            name: "Бонусы".into(),
            is_default: true,
            rules: ProgramRules {
                kind,
                earn_rate_bp: 300,
                max_payable_share_bp: 5000,
                discount_bp: 700,
                excluded_categories: vec!["tobacco".into()],
                excluded_skus: vec![],
                min_price_minor: 0,
                accrual_delay_days: 14,
                expiry_days: 365,
                tier_period_days: 0,
                birthday_points: 0,
                birthday_days_before: 0,
                birthday_message: String::new(),
                referral_points: 0,
            },
            tiers: vec![
                Tier {
                    id: TierId(7),
                    name: "Серебро".into(),
                    threshold_minor: 1_000_000,
                    earn_rate_bp: Some(500),
                    discount_bp: Some(1000),
                },
                Tier {
                    id: TierId(8),
                    name: "Золото".into(),
                    threshold_minor: 5_000_000,
                    earn_rate_bp: Some(1000),
                    discount_bp: Some(1500),
                },
            ],
        }
    }

    fn basket(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_bonus_basket_is_said_in_russian_with_the_tier() {
        let said = preview(
            &words(Lang::Ru),
            &program(ProgramKind::Bonus),
            &basket(&[("name_1", "Кофе"), ("price_1", "1 500"), ("tier", "7")]),
        );
        assert_eq!(
            said.sentence.unwrap(),
            "Покупатель с уровнем „Серебро“ за чек на 1\u{a0}500,00\u{a0}₽ получит 75 баллов; \
             баллами можно оплатить до 750,00\u{a0}₽."
        );
        assert_eq!(
            said.details,
            [
                "Баллы станут доступны через 14 дней.",
                "Баллы сгорят через 365 дней после этого."
            ]
        );
    }

    #[test]
    fn the_spend_so_far_picks_the_tier_and_english_says_it_too() {
        let said = preview(
            &words(Lang::En),
            &program(ProgramKind::Bonus),
            &basket(&[("price_1", "200"), ("quantity_1", "2"), ("spent", "60000")]),
        );
        assert_eq!(
            said.sentence.unwrap(),
            "A customer of tier “Золото” gets 40 points for a receipt of 400.00\u{a0}₽; \
             points may pay up to 200.00\u{a0}₽ of it."
        );
    }

    #[test]
    fn points_take_their_plural_forms() {
        let ru = words(Lang::Ru);
        assert_eq!(points(&ru, 100), "1 балл");
        assert_eq!(points(&ru, 2_100), "21 балл");
        assert_eq!(points(&ru, 300), "3 балла");
        assert_eq!(points(&ru, 2_200), "22 балла");
        assert_eq!(points(&ru, 500), "5 баллов");
        assert_eq!(points(&ru, 1_100), "11 баллов");
        assert_eq!(points(&ru, 150), "1,50 балла");
        assert_eq!(points(&ru, 0), "0 баллов");
        let en = words(Lang::En);
        assert_eq!(points(&en, 100), "1 point");
        assert_eq!(points(&en, 500), "5 points");
        assert_eq!(points(&en, 150), "1.50 points");
    }

    #[test]
    fn a_line_left_out_earns_nothing_and_is_named() {
        let said = preview(
            &words(Lang::Ru),
            &program(ProgramKind::Bonus),
            &basket(&[
                ("name_1", "Хлеб"),
                ("price_1", "100"),
                ("name_2", "Сигареты"),
                ("category_2", "табак"),
                ("price_2", "300"),
            ]),
        );
        assert_eq!(
            said.sentence.unwrap(),
            "Покупатель без уровня за чек на 400,00\u{a0}₽ получит 3 балла; \
             баллами можно оплатить до 100,00\u{a0}₽."
        );
        assert_eq!(said.details[0], "Не участвуют в программе: Сигареты.");
    }

    #[test]
    fn a_discount_program_says_the_discount_and_what_is_left_to_pay() {
        let mut fixed = program(ProgramKind::FixedDiscount);
        fixed.tiers.clear();
        let said = preview(&words(Lang::Ru), &fixed, &basket(&[("price_1", "1000")]));
        assert_eq!(
            said.sentence.unwrap(),
            "Покупатель за чек на 1\u{a0}000,00\u{a0}₽ получит скидку 70,00\u{a0}₽ и заплатит 930,00\u{a0}₽."
        );
        assert!(said.details.is_empty());
    }

    #[test]
    fn what_is_not_a_figure_is_refused_beside_its_field() {
        let said = preview(
            &words(Lang::Ru),
            &program(ProgramKind::Bonus),
            &basket(&[
                ("price_1", "дорого"),
                ("price_2", "10"),
                ("quantity_2", "0,0001"),
            ]),
        );
        assert!(said.sentence.is_none());
        assert_eq!(
            said.errors.keys().collect::<Vec<_>>(),
            ["price_1", "quantity_2"]
        );
    }
}
