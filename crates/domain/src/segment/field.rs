//! The fields a condition tests: their JSON names, the values they take and
//! the ops that make sense for each. The console's editor builds its pickers
//! from [`Field::catalogue`].

use serde::Serialize;

use super::rfm::RfmGroup;
use super::rule::Operator;
use crate::consent::ConsentKind;
use crate::customer::{CustomerStatus, Gender, RegistrationChannel};
use crate::property::{PropertyDefinition, PropertyKind, PropertyName};
use crate::validation::FieldError;

/// What a condition looks at. Days are counted in the shop's local dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Gender,
    /// Full years, as [`crate::customer::CustomerProfile::age_on`] counts them.
    Age,
    /// Days until the next birthday, 0 on the day itself.
    DaysToBirthday,
    GroupId,
    Status,
    TierId,
    /// Days since the current tier was set.
    TierSinceDays,
    /// The registration store is this node of the hierarchy or under it.
    StoreId,
    Channel,
    CreatedDaysAgo,
    /// The consent is given now.
    Consent(ConsentKind),
    HasPhone,
    HasEmail,
    /// A marketer's custom property; its kind decides the operand.
    Property {
        name: PropertyName,
        kind: PropertyKind,
    },
    /// In hundredths of a point, negative while a debt is owed.
    BalancePoints,
    /// Days from today to the earliest expiry of open points.
    PointsExpiringWithinDays,
    PurchasesCount,
    SpentMinor,
    /// Spent ÷ purchases, rounded down.
    AverageReceiptMinor,
    FirstPurchaseDaysAgo,
    LastPurchaseDaysAgo,
    /// Whole units of the goods, compared with the summed quantity.
    Bought,
    /// What the goods' lines came to.
    BoughtMinor,
    /// Distinct stores bought in.
    StoresVisited,
    /// Bought in this node of the hierarchy or under it.
    PurchaseStoreId,
    RfmRecency,
    RfmFrequency,
    RfmMonetary,
    RfmGroup,
}

/// The kind of value a field holds, which decides its operand: `Number`,
/// `Id` and `Store` take [`super::Operand::Int`]; `Choice`, `Text` and
/// `Decimal` (a number property, compared as a decimal) take `Text`; `Bool`
/// and `Date` take theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Number,
    /// A customer group's or a tier's id.
    Id,
    /// A node of the store hierarchy.
    Store,
    /// One of [`FieldSpec::values`].
    Choice,
    Text,
    Decimal,
    Bool,
    Date,
}

/// A field as the editor offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub name: String,
    pub kind: ValueKind,
    pub ops: &'static [Operator],
    /// The smallest and largest whole number a `Number`, `Id` or `Store` takes.
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub takes_period: bool,
    /// `skus` or `categories` must be given.
    pub needs_goods: bool,
    /// The allowed values of a `Choice`.
    pub values: Vec<String>,
    /// A custom property's label; built-in fields are labelled by name.
    pub label: Option<String>,
}

/// About a hundred years.
pub(super) const MAX_DAYS: i64 = 36_600;
const MAX_COUNT: i64 = 1_000_000_000;
const MAX_UNITS: i64 = 1_000_000_000;
const MAX_MINOR: i64 = 1_000_000_000_000_000;
const MAX_ID: i64 = i64::MAX;

/// The profile's own fields, in the editor's order; consents and
/// properties follow them, then the purchase history.
const PROFILE: &[Field] = &[
    Field::Gender,
    Field::Age,
    Field::DaysToBirthday,
    Field::GroupId,
    Field::Status,
    Field::TierId,
    Field::TierSinceDays,
    Field::StoreId,
    Field::Channel,
    Field::CreatedDaysAgo,
    Field::HasPhone,
    Field::HasEmail,
];

const HISTORY: &[Field] = &[
    Field::BalancePoints,
    Field::PointsExpiringWithinDays,
    Field::PurchasesCount,
    Field::SpentMinor,
    Field::AverageReceiptMinor,
    Field::FirstPurchaseDaysAgo,
    Field::LastPurchaseDaysAgo,
    Field::Bought,
    Field::BoughtMinor,
    Field::StoresVisited,
    Field::PurchaseStoreId,
    Field::RfmRecency,
    Field::RfmFrequency,
    Field::RfmMonetary,
    Field::RfmGroup,
];

const ORDERED: &[Operator] = &[
    Operator::Eq,
    Operator::Ne,
    Operator::Lt,
    Operator::Lte,
    Operator::Gt,
    Operator::Gte,
    Operator::Between,
    Operator::In,
];
const ORDERED_OR_ABSENT: &[Operator] = &[
    Operator::Eq,
    Operator::Ne,
    Operator::Lt,
    Operator::Lte,
    Operator::Gt,
    Operator::Gte,
    Operator::Between,
    Operator::In,
    Operator::Exists,
];
const EQUAL: &[Operator] = &[Operator::Eq, Operator::Ne, Operator::In];
const EQUAL_OR_ABSENT: &[Operator] = &[Operator::Eq, Operator::Ne, Operator::In, Operator::Exists];
const YES_NO: &[Operator] = &[Operator::Eq, Operator::Ne];
const YES_NO_OR_ABSENT: &[Operator] = &[Operator::Eq, Operator::Ne, Operator::Exists];
/// "Did not buy there" is `not`, so a purchase store is only ever matched.
const MATCHED: &[Operator] = &[Operator::Eq, Operator::In];

/// What a field takes, in one place.
#[derive(Clone, Copy)]
struct Shape {
    kind: ValueKind,
    /// The whole numbers a `Number`, `Id` or `Store` takes.
    range: Option<(i64, i64)>,
    /// The value may be absent (no birth date, no purchase yet, …).
    optional: bool,
    period: bool,
    goods: bool,
}

impl Field {
    /// The field's JSON name.
    pub fn name(&self) -> String {
        let fixed = match self {
            Field::Consent(kind) => return format!("consent_{}", kind.as_str()),
            Field::Property { name, .. } => return format!("property_{name}"),
            Field::Gender => "gender",
            Field::Age => "age",
            Field::DaysToBirthday => "days_to_birthday",
            Field::GroupId => "group_id",
            Field::Status => "status",
            Field::TierId => "tier_id",
            Field::TierSinceDays => "tier_since_days",
            Field::StoreId => "store_id",
            Field::Channel => "channel",
            Field::CreatedDaysAgo => "created_days_ago",
            Field::HasPhone => "has_phone",
            Field::HasEmail => "has_email",
            Field::BalancePoints => "balance_points",
            Field::PointsExpiringWithinDays => "points_expiring_within_days",
            Field::PurchasesCount => "purchases_count",
            Field::SpentMinor => "spent_minor",
            Field::AverageReceiptMinor => "average_receipt_minor",
            Field::FirstPurchaseDaysAgo => "first_purchase_days_ago",
            Field::LastPurchaseDaysAgo => "last_purchase_days_ago",
            Field::Bought => "bought",
            Field::BoughtMinor => "bought_minor",
            Field::StoresVisited => "stores_visited",
            Field::PurchaseStoreId => "purchase_store_id",
            Field::RfmRecency => "rfm_recency",
            Field::RfmFrequency => "rfm_frequency",
            Field::RfmMonetary => "rfm_monetary",
            Field::RfmGroup => "rfm_group",
        };
        fixed.to_owned()
    }

    /// The field a JSON name stands for; `property_<name>` must be defined.
    pub fn parse(raw: &str, properties: &[PropertyDefinition]) -> Result<Field, FieldError> {
        if let Some(field) = PROFILE.iter().chain(HISTORY).find(|f| f.name() == raw) {
            return Ok(field.clone());
        }
        if let Some(kind) = raw.strip_prefix("consent_")
            && let Ok(kind) = ConsentKind::parse(kind)
        {
            return Ok(Field::Consent(kind));
        }
        if let Some(name) = raw.strip_prefix("property_") {
            return match properties.iter().find(|d| d.name.as_str() == name) {
                Some(definition) => Ok(Field::Property {
                    name: definition.name.clone(),
                    kind: definition.kind,
                }),
                None => Err(FieldError::new(
                    "field",
                    "unknown_property",
                    format!("there is no property «{name}»"),
                )),
            };
        }
        Err(FieldError::new(
            "field",
            "unknown_field",
            format!("unknown field «{raw}»"),
        ))
    }

    /// Every field a rule may use, with what it takes.
    pub fn catalogue(properties: &[PropertyDefinition]) -> Vec<FieldSpec> {
        let consents = ConsentKind::ALL.into_iter().map(Field::Consent);
        let profile = PROFILE.iter().cloned().chain(consents);
        let properties = properties.iter().map(|definition| {
            let field = Field::Property {
                name: definition.name.clone(),
                kind: definition.kind,
            };
            let mut spec = field.spec();
            spec.values = definition.choices.clone();
            spec.label = Some(definition.label.clone());
            spec
        });
        let history = HISTORY.iter().map(Field::spec);
        profile
            .map(|field| field.spec())
            .chain(properties)
            .chain(history)
            .collect()
    }

    fn spec(&self) -> FieldSpec {
        let shape = self.shape();
        FieldSpec {
            name: self.name(),
            kind: shape.kind,
            ops: self.ops(),
            min: shape.range.map(|(min, _)| min),
            max: shape.range.map(|(_, max)| max),
            takes_period: shape.period,
            needs_goods: shape.goods,
            values: self.values().iter().map(|v| (*v).to_owned()).collect(),
            label: None,
        }
    }

    pub fn kind(&self) -> ValueKind {
        self.shape().kind
    }

    /// The ops this field allows.
    pub fn ops(&self) -> &'static [Operator] {
        let shape = self.shape();
        match (shape.kind, shape.optional) {
            _ if *self == Field::PurchaseStoreId => MATCHED,
            (ValueKind::Number | ValueKind::Decimal | ValueKind::Date, false) => ORDERED,
            (ValueKind::Number | ValueKind::Decimal | ValueKind::Date, true) => ORDERED_OR_ABSENT,
            (ValueKind::Bool, false) => YES_NO,
            (ValueKind::Bool, true) => YES_NO_OR_ABSENT,
            (_, false) => EQUAL,
            (_, true) => EQUAL_OR_ABSENT,
        }
    }

    /// The smallest and largest whole number a `Number`, `Id` or `Store` takes.
    pub fn range(&self) -> Option<(i64, i64)> {
        self.shape().range
    }

    pub fn takes_period(&self) -> bool {
        self.shape().period
    }

    pub fn needs_goods(&self) -> bool {
        self.shape().goods
    }

    /// The values of a built-in choice field (a property's are its own).
    pub fn values(&self) -> &'static [&'static str] {
        match self {
            Field::Gender => Gender::NAMES,
            Field::Status => CustomerStatus::NAMES,
            Field::Channel => RegistrationChannel::NAMES,
            Field::RfmGroup => RfmGroup::NAMES,
            _ => &[],
        }
    }

    fn shape(&self) -> Shape {
        use ValueKind as K;
        let of = |kind| Shape {
            kind,
            range: None,
            optional: false,
            period: false,
            goods: false,
        };
        let within = |kind, min, max| Shape {
            range: Some((min, max)),
            ..of(kind)
        };
        let number = |min, max| within(K::Number, min, max);
        let absent = |shape: Shape| Shape {
            optional: true,
            ..shape
        };
        let history = |shape: Shape| Shape {
            period: true,
            ..shape
        };
        let goods = |shape: Shape| Shape {
            goods: true,
            ..history(shape)
        };
        match self {
            Field::Gender | Field::RfmGroup => absent(of(K::Choice)),
            Field::Status | Field::Channel => of(K::Choice),
            Field::Age => absent(number(0, 150)),
            Field::DaysToBirthday => absent(number(0, 365)),
            Field::GroupId => within(K::Id, 1, MAX_ID),
            Field::TierId => absent(within(K::Id, 1, MAX_ID)),
            Field::StoreId => absent(within(K::Store, 1, MAX_ID)),
            Field::TierSinceDays
            | Field::PointsExpiringWithinDays
            | Field::FirstPurchaseDaysAgo
            | Field::LastPurchaseDaysAgo => absent(number(0, MAX_DAYS)),
            Field::CreatedDaysAgo => number(0, MAX_DAYS),
            Field::Consent(_) | Field::HasPhone | Field::HasEmail => of(K::Bool),
            Field::Property { kind, .. } => absent(of(match kind {
                PropertyKind::String => K::Text,
                PropertyKind::Number => K::Decimal,
                PropertyKind::Date => K::Date,
                PropertyKind::Bool => K::Bool,
                PropertyKind::Choice => K::Choice,
            })),
            Field::BalancePoints => number(-MAX_MINOR, MAX_MINOR),
            Field::PurchasesCount | Field::StoresVisited => history(number(0, MAX_COUNT)),
            Field::SpentMinor => history(number(0, MAX_MINOR)),
            Field::AverageReceiptMinor => absent(history(number(0, MAX_MINOR))),
            Field::Bought => goods(number(0, MAX_UNITS)),
            Field::BoughtMinor => goods(number(0, MAX_MINOR)),
            Field::PurchaseStoreId => history(within(K::Store, 1, MAX_ID)),
            Field::RfmRecency | Field::RfmFrequency | Field::RfmMonetary => absent(number(1, 5)),
        }
    }
}
