//! The laws: a rule written as JSON reads back as itself, and the members
//! computed as sets are exactly the customers the rule holds for.

use std::collections::BTreeSet;

use jiff::Span;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::sample::select;

use super::{blank, properties};
use crate::consent::ConsentKind;
use crate::customer::{CustomerStatus, Gender, RegistrationChannel};
use crate::ids::{CustomerGroupId, CustomerId, StoreId, TierId};
use crate::property::{PropertyKind, PropertyName};
use crate::segment::eval::in_order;
use crate::segment::{
    Condition, Facts, Field, Goods, HeldTier, Operand, Operator, Purchase, PurchaseLine, RawRule,
    Rfm, RfmGroup, Rule, Test, members,
};

fn day(today: Date, offset: i64) -> Date {
    today.checked_add(Span::new().days(offset)).unwrap()
}

fn ints(min: i64, max: i64) -> BoxedStrategy<Operand> {
    (min..=max).prop_map(Operand::Int).boxed()
}

fn texts(values: &'static [&'static str]) -> BoxedStrategy<Operand> {
    select(values).prop_map(|v| Operand::Text(v.into())).boxed()
}

fn property(name: &str, kind: PropertyKind) -> Field {
    Field::Property {
        name: PropertyName::parse(name).unwrap(),
        kind,
    }
}

/// Every kind of field, with operands near the facts generated below.
fn fields() -> Vec<(Field, BoxedStrategy<Operand>)> {
    let bools = || any::<bool>().prop_map(Operand::Bool).boxed();
    let visits = (0i64..366)
        .prop_map(|offset| Operand::Date(day(date(2024, 1, 1), offset)))
        .boxed();
    vec![
        (Field::Gender, texts(Gender::NAMES)),
        (Field::Age, ints(0, 80)),
        (Field::DaysToBirthday, ints(0, 365)),
        (Field::GroupId, ints(1, 3)),
        (Field::Status, texts(CustomerStatus::NAMES)),
        (Field::TierId, ints(1, 3)),
        (Field::TierSinceDays, ints(0, 60)),
        (Field::StoreId, ints(1, 6)),
        (Field::Channel, texts(RegistrationChannel::NAMES)),
        (Field::CreatedDaysAgo, ints(0, 400)),
        (Field::Consent(ConsentKind::Sms), bools()),
        (Field::Consent(ConsentKind::Email), bools()),
        (Field::HasPhone, bools()),
        (Field::HasEmail, bools()),
        (
            property("vision", PropertyKind::Number),
            texts(&["-2.5", "-1", "0", "0.75", "3"]),
        ),
        (
            property("pet", PropertyKind::Choice),
            texts(&["Кошка", "Собака"]),
        ),
        (property("visit", PropertyKind::Date), visits),
        (property("vip", PropertyKind::Bool), bools()),
        (property("note", PropertyKind::String), texts(&["a", "b"])),
        (Field::BalancePoints, ints(-100, 1000)),
        (Field::PointsExpiringWithinDays, ints(0, 60)),
        (Field::PurchasesCount, ints(0, 5)),
        (Field::SpentMinor, ints(0, 6000)),
        (Field::AverageReceiptMinor, ints(0, 3000)),
        (Field::FirstPurchaseDaysAgo, ints(0, 90)),
        (Field::LastPurchaseDaysAgo, ints(0, 90)),
        (Field::Bought, ints(0, 6)),
        (Field::BoughtMinor, ints(0, 5000)),
        (Field::StoresVisited, ints(0, 4)),
        (Field::PurchaseStoreId, ints(1, 6)),
        (Field::RfmRecency, ints(1, 5)),
        (Field::RfmFrequency, ints(1, 5)),
        (Field::RfmMonetary, ints(1, 5)),
        (Field::RfmGroup, texts(RfmGroup::NAMES)),
    ]
}

fn test(field: &Field, op: Operator, operand: BoxedStrategy<Operand>) -> BoxedStrategy<Test> {
    let kind = field.kind();
    match op {
        Operator::Exists => any::<bool>().prop_map(Test::Exists).boxed(),
        Operator::In => prop::collection::vec(operand, 1..4)
            .prop_map(Test::In)
            .boxed(),
        Operator::Between => (operand.clone(), operand)
            .prop_map(move |(a, b)| {
                if in_order(kind, &a, &b) {
                    Test::Between(a, b)
                } else {
                    Test::Between(b, a)
                }
            })
            .boxed(),
        comparison => {
            let op = comparison.comparison().unwrap();
            operand.prop_map(move |x| Test::Compare(op, x)).boxed()
        }
    }
}

fn goods() -> impl Strategy<Value = Goods> {
    let skus = prop::collection::vec(select(&["A", "B", "C"][..]), 0..3);
    let categories = prop::collection::vec(select(&["milk", "bread"][..]), 0..2);
    (skus, categories).prop_map(|(skus, categories)| {
        let mut goods = Goods {
            skus: skus.into_iter().map(str::to_owned).collect(),
            categories: categories.into_iter().map(str::to_owned).collect(),
        };
        if goods.is_empty() {
            goods.skus.push("A".into());
        }
        goods
    })
}

/// A valid condition on any field, with any op it allows.
fn condition() -> impl Strategy<Value = Condition> {
    select(
        fields()
            .into_iter()
            .map(|(field, _)| field)
            .collect::<Vec<_>>(),
    )
    .prop_flat_map(|field| {
        let operand = (fields().into_iter())
            .find(|(candidate, _)| *candidate == field)
            .map(|(_, operand)| operand)
            .unwrap();
        let period = if field.takes_period() {
            prop::option::of(1u32..=60).boxed()
        } else {
            Just(None).boxed()
        };
        let goods = if field.needs_goods() {
            goods().boxed()
        } else {
            Just(Goods::default()).boxed()
        };
        let op = select(field.ops());
        let field_of_test = field.clone();
        let test = op.prop_flat_map(move |op| test(&field_of_test, op, operand.clone()));
        (Just(field), test, period, goods).prop_map(|(field, test, period_days, goods)| Condition {
            field,
            test,
            period_days,
            goods,
        })
    })
}

/// Trees at most four levels deep.
fn rule() -> impl Strategy<Value = Rule> {
    condition()
        .prop_map(Rule::Condition)
        .prop_recursive(3, 64, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Rule::All),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Rule::Any),
                inner.prop_map(|rule| Rule::Not(Box::new(rule))),
            ]
        })
}

/// Region 1 → city 2 → stores 3 and 4; region 5 → store 6; or none.
const PATHS: &[&[i64]] = &[&[], &[3, 2, 1], &[4, 2, 1], &[2, 1], &[6, 5]];

fn path() -> impl Strategy<Value = Vec<StoreId>> {
    select(PATHS).prop_map(|path| path.iter().copied().map(StoreId).collect())
}

fn purchase(today: Date) -> impl Strategy<Value = Purchase> {
    let line = (
        select(&["A", "B", "C"][..]),
        prop::option::of(select(&["milk", "bread"][..])),
        0i64..3000,
        0i64..2000,
    )
        .prop_map(
            |(sku, category, quantity_milli, amount_minor)| PurchaseLine {
                sku: sku.into(),
                category: category.map(str::to_owned),
                quantity_milli,
                amount_minor,
            },
        );
    (
        0i64..90,
        path(),
        0i64..3000,
        prop::collection::vec(line, 0..3),
    )
        .prop_map(move |(ago, store_path, spent_minor, lines)| Purchase {
            on: day(today, -ago),
            store_path,
            spent_minor,
            lines,
        })
}

fn facts(today: Date) -> impl Strategy<Value = Facts> {
    let profile = (
        prop::option::of(select(Gender::ALL)),
        prop::option::of((0i64..30_000).prop_map(move |ago| day(today, -ago))),
        1i64..=3,
        select(CustomerStatus::ALL),
        prop::option::of((1i64..=3, 0i64..60)),
        path(),
        select(RegistrationChannel::ALL),
        0i64..400,
        prop::collection::btree_set(select(&[ConsentKind::Sms, ConsentKind::Email][..]), 0..2),
        any::<(bool, bool)>(),
    );
    let properties = (
        prop::option::of(select(&["-2.5", "-1", "0", "0.75", "3"][..])),
        prop::option::of(select(&["Кошка", "Собака"][..])),
        prop::option::of(select(&["2024-01-01", "2024-06-30", "2024-12-31"][..])),
        prop::option::of(select(&["true", "false"][..])),
        prop::option::of(select(&["a", "b"][..])),
    );
    let figures = (
        -100i64..1000,
        prop::collection::vec(-5i64..60, 0..3),
        prop::collection::vec(purchase(today), 0..5),
        prop::option::of((1u8..=5, 1u8..=5, 1u8..=5)),
    );
    (profile, properties, figures).prop_map(move |(profile, properties, figures)| {
        let (
            gender,
            birth_date,
            group,
            status,
            tier,
            store_path,
            channel,
            created,
            consents,
            contacts,
        ) = profile;
        let (balance_points, expiries, purchases, rfm) = figures;
        let mut facts = Facts {
            gender,
            birth_date,
            group_id: CustomerGroupId(group),
            status,
            tier: tier.map(|(id, ago)| HeldTier {
                id: TierId(id),
                since: day(today, -ago),
            }),
            store_path,
            channel,
            created_on: day(today, -created),
            consents,
            has_phone: contacts.0,
            has_email: contacts.1,
            balance_points,
            points_expire_on: expiries
                .into_iter()
                .map(|offset| day(today, offset))
                .collect(),
            purchases,
            rfm: rfm.map(|(recency, frequency, monetary)| Rfm {
                recency,
                frequency,
                monetary,
            }),
            ..blank()
        };
        let (vision, pet, visit, vip, note) = properties;
        for (name, value) in [
            ("vision", vision),
            ("pet", pet),
            ("visit", visit),
            ("vip", vip),
            ("note", note),
        ] {
            if let Some(value) = value {
                facts
                    .properties
                    .insert(PropertyName::parse(name).unwrap(), value.into());
            }
        }
        facts
    })
}

/// Days around the year's edges and 29 February.
fn today() -> impl Strategy<Value = Date> {
    select(vec![
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2025, 3, 1),
        date(2025, 12, 31),
        date(2026, 1, 1),
    ])
}

fn population() -> impl Strategy<Value = (Date, Vec<(CustomerId, Facts)>)> {
    today().prop_flat_map(|today| {
        let customers = prop::collection::vec(facts(today), 0..12)
            .prop_map(|all| (1..).map(CustomerId).zip(all).collect::<Vec<_>>());
        (Just(today), customers)
    })
}

proptest! {
    #[test]
    fn a_written_rule_reads_back_as_itself(rule in rule()) {
        let json = serde_json::to_value(&rule).unwrap();
        let raw: RawRule = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(Rule::parse(&raw, &properties()), Ok(rule), "{}", json);
    }

    #[test]
    fn members_are_those_the_rule_holds_for(rule in rule(), (today, population) in population()) {
        let holding: BTreeSet<CustomerId> = population
            .iter()
            .filter(|(_, facts)| rule.holds(facts, today))
            .map(|(id, _)| *id)
            .collect();
        prop_assert_eq!(members(&rule, &population, today), holding);
    }
}
