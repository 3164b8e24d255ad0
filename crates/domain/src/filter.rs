//! The customer filter shared by the API, the console and export: parsed once
//! from `key=value` pairs into a checked value the stores turn into SQL.

use jiff::civil::Date;
use jiff::{Span, Timestamp};

use crate::consent::ConsentKind;
use crate::customer::{CustomerStatus, Gender, RegistrationChannel, parse_date};
use crate::ids::{CustomerGroupId, PropertyId, SegmentId, StoreId, UserId};
use crate::phone::Phone;
use crate::property::PropertyDefinition;
use crate::text;
use crate::validation::{FieldError, ValidationErrors};

/// What the quick search box means, decided by what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the text means as one of the customer's own fields.
    pub term: SearchTerm,
    /// The text as a card's full barcode: the holder of an activated card
    /// with exactly this barcode is found too. Set for phone-like input
    /// (digits only) and for one word holding a digit (`CL-000123`).
    pub barcode: Option<String>,
}

/// The customer's own field a quick search looks in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// A whole phone number: an exact, indexed look-up.
    Phone(crate::phone::Phone),
    /// Three or more digits (and phone punctuation): any part of the phone.
    Digits(String),
    /// Contains `@`: the start of an e-mail address.
    Email(String),
    /// Anything else: words each starting a word of the name, in any order.
    Name(NameWords),
}

/// The words of a name search, folded as names are kept (lowercase, `ё` as
/// `е`) and split at anything but a letter or a digit, as the stores split
/// the names they index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameWords(Vec<String>);

impl NameWords {
    /// More words than this narrow nothing a person would type.
    pub const MAX: usize = 8;

    pub fn parse(raw: &str) -> NameWords {
        NameWords(
            text::search_key(raw)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| !word.is_empty())
                .take(NameWords::MAX)
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Empty when nothing searchable was typed (punctuation alone): then
    /// nobody matches.
    pub fn words(&self) -> &[String] {
        &self.0
    }
}

impl SearchQuery {
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let phone_like = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        let term = if phone_like
            && digits.len() >= 10
            && let Ok(phone) = Phone::parse(trimmed)
        {
            SearchTerm::Phone(phone)
        } else if phone_like && digits.len() >= 3 {
            // A Russian "8 912…" is stored as "+7 912…": an 8 before a mobile
            // code, or before ten digits, is the trunk prefix.
            let digits = match digits.strip_prefix('8') {
                Some(rest) if digits.len() == 11 || rest.starts_with('9') => format!("7{rest}"),
                _ => digits.clone(),
            };
            SearchTerm::Digits(digits)
        } else if trimmed.contains('@') {
            SearchTerm::Email(trimmed.to_lowercase())
        } else {
            SearchTerm::Name(NameWords::parse(trimmed))
        };
        let barcode = if phone_like {
            // A card number read aloud or typed in groups: its digits.
            (digits.len() >= 3).then_some(digits)
        } else {
            let one_word = !trimmed.chars().any(char::is_whitespace);
            let has_digit = trimmed.chars().any(|c| c.is_ascii_digit());
            (one_word && has_digit && !trimmed.contains('@')).then(|| trimmed.to_owned())
        };
        Some(SearchQuery { term, barcode })
    }
}

/// A month and day, `MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: i8,
    pub day: i8,
}

impl MonthDay {
    pub fn parse(raw: &str, field: &str) -> Result<MonthDay, FieldError> {
        let invalid = || {
            FieldError::new(
                field,
                "invalid_month_day",
                format!("«{raw}» is not a day of the year (MM-DD)"),
            )
        };
        let (month, day) = raw.trim().split_once('-').ok_or_else(invalid)?;
        let month: i8 = month.parse().map_err(|_| invalid())?;
        let day: i8 = day.parse().map_err(|_| invalid())?;
        // 2000 is a leap year, so 02-29 is a valid day of the year.
        Date::new(2000, month, day).map_err(|_| invalid())?;
        Ok(MonthDay { month, day })
    }

    /// `MMDD` as a number, the form stores index birthdays by.
    pub fn as_number(self) -> i32 {
        i32::from(self.month) * 100 + i32::from(self.day)
    }

    /// 1 for 1 January … 366 for 31 December (counted in a leap year).
    fn day_of_year(self) -> i16 {
        Date::new(2000, self.month, self.day)
            .map(|date| date.day_of_year())
            .unwrap_or(1)
    }
}

/// Birthdays from one day of the year to another, wrapping the new year
/// (25 Dec – 5 Jan is one range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthdayRange {
    pub from: MonthDay,
    pub to: MonthDay,
}

impl BirthdayRange {
    pub fn wraps(self) -> bool {
        self.from > self.to
    }

    /// How many days of the year the range covers, 1 to 366.
    pub fn days(self) -> u16 {
        let (from, to) = (self.from.day_of_year(), self.to.day_of_year());
        let days = if self.wraps() {
            366 - from + to + 1
        } else {
            to - from + 1
        };
        days as u16
    }

    pub fn contains(self, date: Date) -> bool {
        let md = MonthDay {
            month: date.month(),
            day: date.day(),
        };
        if self.wraps() {
            md >= self.from || md <= self.to
        } else {
            md >= self.from && md <= self.to
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortField {
    #[default]
    Id,
    Name,
    CreatedAt,
    /// What the customer spent, returns deducted (`spent_minor`).
    Spent,
    /// When the customer last bought (`last_purchase_at`); never sorts as
    /// the earliest.
    LastPurchase,
    /// Best matches of a name search first: names holding every word typed
    /// as a whole word (or the holder of the card typed), then those where
    /// words only start with them; each by name. Chosen when a name is
    /// searched and no order is asked for; never parsed.
    Match,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SortOrder {
    pub field: SortField,
    pub descending: bool,
}

impl SortField {
    /// The fields a list may be sorted by, as `sort=` names them.
    pub const NAMED: &'static [(&'static str, SortField)] = &[
        ("id", SortField::Id),
        ("name", SortField::Name),
        ("created_at", SortField::CreatedAt),
        ("spent_minor", SortField::Spent),
        ("last_purchase_at", SortField::LastPurchase),
    ];

    /// Whether the sort key is one of the customer's figures (kept beside
    /// the customer, in the loyalty account).
    pub fn is_figure(self) -> bool {
        matches!(self, SortField::Spent | SortField::LastPurchase)
    }
}

impl SortOrder {
    /// `name`, `-created_at`, `-spent_minor`, …
    pub fn parse(raw: &str) -> Result<SortOrder, FieldError> {
        let (descending, name) = match raw.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, raw),
        };
        let field = SortField::NAMED
            .iter()
            .find(|(named, _)| *named == name)
            .map(|(_, field)| *field)
            .ok_or_else(|| {
                FieldError::new(
                    "sort",
                    "invalid_sort",
                    "sort by id, name, created_at, spent_minor or last_purchase_at, with - before it for descending",
                )
            })?;
        Ok(SortOrder { field, descending })
    }
}

/// Lower and upper bounds of a whole number, each optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Bounds {
    pub fn is_set(self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    pub fn contains(self, value: i64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max)
    }
}

/// What a filter key takes: what a form offers for it and how the API
/// describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// Free text: the quick search.
    Text,
    /// A customer group's id.
    Group,
    /// A store's id.
    Store,
    /// A segment's id.
    Segment,
    /// One of these values.
    Choice(&'static [&'static str]),
    /// A whole number from `min` to `max`, counting `unit`.
    Number { min: i64, max: i64, unit: Unit },
    /// A day of the year, `MM-DD`.
    DayOfYear,
    /// A date (`YYYY-MM-DD` or `DD.MM.YYYY`) or an RFC 3339 time.
    Time,
    /// `true` or `false`.
    Flag,
}

/// What a number filter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Years of age.
    Years,
    /// Days.
    Days,
    /// Purchases.
    Count,
    /// Money in minor units (kopecks).
    Minor,
    /// Points in hundredths of a point.
    Points,
}

/// Which condition of [`CustomerFilter`] a key sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Search,
    GroupId,
    Status,
    Gender,
    AgeMin,
    AgeMax,
    BirthdayFrom,
    BirthdayTo,
    StoreId,
    Channel,
    CreatedFrom,
    CreatedTo,
    Favourite,
    SpentMin,
    SpentMax,
    PurchasesMin,
    PurchasesMax,
    LastPurchaseFrom,
    LastPurchaseTo,
    NoPurchaseDays,
    BalanceMin,
    BalanceMax,
    SegmentId,
}

/// One key of the customer filter, the same in the API, the console's
/// form and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterKey {
    pub key: &'static str,
    pub field: FilterField,
    pub kind: FilterKind,
    /// The console's Fluent message that labels it.
    pub message: &'static str,
    /// What it selects, for the API's description.
    pub description: &'static str,
}

/// Keys made of a prefix and a name: `consent_sms`, `property_vision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterFamily {
    pub prefix: &'static str,
    pub kind: FilterKind,
    pub message: &'static str,
    pub description: &'static str,
}

/// The most money (minor units) or points (hundredths) a bound may name.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
/// The most purchases a bound may name.
pub const MAX_PURCHASES: i64 = 1_000_000_000;
/// The most days `no_purchase_days` may name (a century).
pub const MAX_DAYS: i64 = 36_500;

const fn key(
    key: &'static str,
    field: FilterField,
    kind: FilterKind,
    message: &'static str,
    description: &'static str,
) -> FilterKey {
    FilterKey {
        key,
        field,
        kind,
        message,
        description,
    }
}

const AGE: FilterKind = FilterKind::Number {
    min: 0,
    max: 150,
    unit: Unit::Years,
};
const MONEY: FilterKind = FilterKind::Number {
    min: 0,
    max: MAX_AMOUNT,
    unit: Unit::Minor,
};
const PURCHASES: FilterKind = FilterKind::Number {
    min: 0,
    max: MAX_PURCHASES,
    unit: Unit::Count,
};
const POINTS: FilterKind = FilterKind::Number {
    min: -MAX_AMOUNT,
    max: MAX_AMOUNT,
    unit: Unit::Points,
};

/// Every key of the customer filter, declared once: the parser reads these,
/// the API's list and export document them, the console's form offers them.
pub const FILTER_KEYS: &[FilterKey] = {
    use FilterField as F;
    use FilterKind as K;
    &[
        key(
            "q",
            F::Search,
            K::Text,
            "filter-q",
            "Quick search: words starting words of the name (any order; ё as е), the start of the e-mail, any part of the phone, or the whole barcode of a card the customer holds.",
        ),
        key(
            "group_id",
            F::GroupId,
            K::Group,
            "filter-group",
            "The customer group.",
        ),
        key(
            "segment_id",
            F::SegmentId,
            K::Segment,
            "filter-segment",
            "A member of this segment (as of its last recompute).",
        ),
        key(
            "status",
            F::Status,
            K::Choice(CustomerStatus::NAMES),
            "filter-status",
            "`active`, `incomplete` or `archived`; customers merged into another are listed only among the archived.",
        ),
        key(
            "gender",
            F::Gender,
            K::Choice(Gender::NAMES),
            "filter-gender",
            "`female` or `male`.",
        ),
        key(
            "age_min",
            F::AgeMin,
            AGE,
            "filter-age-min",
            "At least this many years old.",
        ),
        key(
            "age_max",
            F::AgeMax,
            AGE,
            "filter-age-max",
            "At most this many years old.",
        ),
        key(
            "birthday_from",
            F::BirthdayFrom,
            K::DayOfYear,
            "filter-birthday-from",
            "Birthday from this day (`MM-DD`); with `birthday_to` a range that may wrap the new year.",
        ),
        key(
            "birthday_to",
            F::BirthdayTo,
            K::DayOfYear,
            "filter-birthday-to",
            "Birthday up to this day (`MM-DD`).",
        ),
        key(
            "store_id",
            F::StoreId,
            K::Store,
            "filter-store",
            "The store the customer registered in.",
        ),
        key(
            "channel",
            F::Channel,
            K::Choice(RegistrationChannel::NAMES),
            "filter-channel",
            "Where the customer registered.",
        ),
        key(
            "created_from",
            F::CreatedFrom,
            K::Time,
            "filter-created-from",
            "Registered at or after: a date (its start, UTC) or an RFC 3339 time.",
        ),
        key(
            "created_to",
            F::CreatedTo,
            K::Time,
            "filter-created-to",
            "Registered at or before: a date (its end, UTC) or an RFC 3339 time.",
        ),
        key(
            "favourite",
            F::Favourite,
            K::Flag,
            "filter-favourite",
            "Starred by the caller (`true`) or not (`false`).",
        ),
        key(
            "spent_min",
            F::SpentMin,
            MONEY,
            "filter-spent-min",
            "Spent at least this much, after discounts and returns (minor units).",
        ),
        key(
            "spent_max",
            F::SpentMax,
            MONEY,
            "filter-spent-max",
            "Spent at most this much, after discounts and returns (minor units).",
        ),
        key(
            "purchases_min",
            F::PurchasesMin,
            PURCHASES,
            "filter-purchases-min",
            "At least this many purchases.",
        ),
        key(
            "purchases_max",
            F::PurchasesMax,
            PURCHASES,
            "filter-purchases-max",
            "At most this many purchases.",
        ),
        key(
            "last_purchase_from",
            F::LastPurchaseFrom,
            K::Time,
            "filter-last-purchase-from",
            "Last bought at or after: a date (its start, UTC) or an RFC 3339 time.",
        ),
        key(
            "last_purchase_to",
            F::LastPurchaseTo,
            K::Time,
            "filter-last-purchase-to",
            "Last bought at or before: a date (its end, UTC) or an RFC 3339 time; customers who never bought are left out.",
        ),
        key(
            "no_purchase_days",
            F::NoPurchaseDays,
            FilterKind::Number {
                min: 1,
                max: MAX_DAYS,
                unit: Unit::Days,
            },
            "filter-no-purchase-days",
            "Bought nothing on the last this many days, today included (UTC days), or never.",
        ),
        key(
            "balance_min",
            F::BalanceMin,
            POINTS,
            "filter-balance-min",
            "At least this many points (hundredths), the sum of the ledger.",
        ),
        key(
            "balance_max",
            F::BalanceMax,
            POINTS,
            "filter-balance-max",
            "At most this many points (hundredths), the sum of the ledger (negative while a debt is owed).",
        ),
    ]
};

/// The keys of the customer filter made of a prefix and a name.
pub const FILTER_FAMILIES: &[FilterFamily] = &[
    FilterFamily {
        prefix: "consent_",
        kind: FilterKind::Flag,
        message: "filter-consents",
        description: "A consent given (`true`) or not (`false`): `consent_<kind>` with kind `general`, `sms`, `email`, `viber`, `push`, `messenger` or `paper_receipt_refusal`.",
    },
    FilterFamily {
        prefix: "property_",
        kind: FilterKind::Text,
        message: "filter-properties",
        description: "A custom property's value: `property_<name>`, read as the property's kind reads it.",
    },
];

/// Which customers to list. Every condition present must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    pub search: Option<SearchQuery>,
    pub group_id: Option<CustomerGroupId>,
    pub segment: Option<SegmentId>,
    pub status: Option<CustomerStatus>,
    pub gender: Option<Gender>,
    /// Born on or after (from `age_max`).
    pub born_from: Option<Date>,
    /// Born on or before (from `age_min`).
    pub born_to: Option<Date>,
    pub birthday: Option<BirthdayRange>,
    pub store_id: Option<StoreId>,
    pub channel: Option<RegistrationChannel>,
    pub consents: Vec<(ConsentKind, bool)>,
    /// Property and the canonical value it must have.
    pub properties: Vec<(PropertyId, String)>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    /// Starred (`favourite=true`) or not (`false`) by [`Self::user`].
    pub favourite: Option<bool>,
    /// Spent after discounts, returns deducted (minor units).
    pub spent: Bounds,
    pub purchases: Bounds,
    /// Last purchase at or after, and at or before (never-bought left out).
    pub last_purchase_from: Option<Timestamp>,
    pub last_purchase_to: Option<Timestamp>,
    /// No purchase since this time, or never (`no_purchase_days`).
    pub lapsed_since: Option<Timestamp>,
    /// The sum of the points ledger (hundredths).
    pub balance: Bounds,
    /// Registered in one of these stores: the reach of a staff user limited
    /// to some regions or stores. Set by the application, never parsed.
    pub stores_within: Option<Vec<StoreId>>,
    /// The staff user whose favourites `favourite` means. Set by the
    /// application, never parsed; without one, nobody is a favourite.
    pub user: Option<UserId>,
}

impl CustomerFilter {
    /// Parses filter parameters (`q`, `group_id`, `age_min`, `consent_sms`,
    /// `property_vision`, …). Unknown keys are refused rather than ignored, so
    /// a typo never silently widens a selection.
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        properties: &[PropertyDefinition],
        today: Date,
    ) -> Result<CustomerFilter, ValidationErrors> {
        let mut filter = CustomerFilter::default();
        let mut errors = ValidationErrors::default();
        let mut age_min: Option<i16> = None;
        let mut age_max: Option<i16> = None;
        let mut birthday_from = None;
        let mut birthday_to = None;
        for (key, value) in params {
            let value = value.trim();
            let Some(declared) = FILTER_KEYS.iter().find(|k| k.key == key) else {
                filter.parse_family(key, value, properties, &mut errors);
                continue;
            };
            let bound = || {
                let (min, max) = declared.kind.number_range();
                parse_number(key, value, min, max)
            };
            match declared.field {
                FilterField::Search => filter.search = SearchQuery::parse(value),
                FilterField::GroupId => {
                    filter.group_id = errors.take(parse_id(key, value)).map(CustomerGroupId)
                }
                FilterField::StoreId => {
                    filter.store_id = errors.take(parse_id(key, value)).map(StoreId)
                }
                FilterField::SegmentId => {
                    filter.segment = errors.take(parse_id(key, value)).map(SegmentId)
                }
                FilterField::Status => {
                    filter.status = errors.take(CustomerStatus::parse(value).map_err(|e| e.at(key)))
                }
                FilterField::Gender => {
                    filter.gender = errors.take(Gender::parse(value).map_err(|e| e.at(key)))
                }
                FilterField::Channel => {
                    filter.channel =
                        errors.take(RegistrationChannel::parse(value).map_err(|e| e.at(key)));
                }
                FilterField::AgeMin => age_min = errors.take(parse_age(key, value)),
                FilterField::AgeMax => age_max = errors.take(parse_age(key, value)),
                FilterField::BirthdayFrom => {
                    birthday_from = errors.take(MonthDay::parse(value, key))
                }
                FilterField::BirthdayTo => birthday_to = errors.take(MonthDay::parse(value, key)),
                FilterField::Favourite => filter.favourite = errors.take(parse_bool(key, value)),
                FilterField::CreatedFrom => {
                    filter.created_from = errors.take(parse_instant(key, value, false))
                }
                FilterField::CreatedTo => {
                    filter.created_to = errors.take(parse_instant(key, value, true))
                }
                FilterField::SpentMin => filter.spent.min = errors.take(bound()),
                FilterField::SpentMax => filter.spent.max = errors.take(bound()),
                FilterField::PurchasesMin => filter.purchases.min = errors.take(bound()),
                FilterField::PurchasesMax => filter.purchases.max = errors.take(bound()),
                FilterField::BalanceMin => filter.balance.min = errors.take(bound()),
                FilterField::BalanceMax => filter.balance.max = errors.take(bound()),
                FilterField::LastPurchaseFrom => {
                    filter.last_purchase_from = errors.take(parse_instant(key, value, false))
                }
                FilterField::LastPurchaseTo => {
                    filter.last_purchase_to = errors.take(parse_instant(key, value, true))
                }
                FilterField::NoPurchaseDays => {
                    if let Some(days) = errors.take(bound()) {
                        // The last `days` days, today included, from the
                        // start of the first of them.
                        filter.lapsed_since = today
                            .checked_sub(Span::new().days(days - 1))
                            .ok()
                            .and_then(|day| day.to_zoned(jiff::tz::TimeZone::UTC).ok())
                            .map(|start| start.timestamp());
                    }
                }
            }
        }
        for (min_key, bounds) in [
            ("spent_min", filter.spent),
            ("purchases_min", filter.purchases),
            ("balance_min", filter.balance),
        ] {
            if let (Some(min), Some(max)) = (bounds.min, bounds.max)
                && min > max
            {
                errors.push(FieldError::new(
                    min_key,
                    "invalid_range",
                    format!("{min_key} is above its maximum"),
                ));
            }
        }
        if let (Some(from), Some(to)) = (filter.last_purchase_from, filter.last_purchase_to)
            && from > to
        {
            errors.push(FieldError::new(
                "last_purchase_from",
                "invalid_range",
                "last_purchase_from is after last_purchase_to",
            ));
        }
        if let (Some(min), Some(max)) = (age_min, age_max)
            && min > max
        {
            errors.push(FieldError::new(
                "age_min",
                "invalid_range",
                "age_min is above age_max",
            ));
        }
        if let Some(min) = age_min {
            filter.born_to = today.checked_sub(Span::new().years(min)).ok();
        }
        if let Some(max) = age_max {
            // Younger than max + 1 years: born after that day.
            filter.born_from = today
                .checked_sub(Span::new().years(max + 1))
                .ok()
                .and_then(|d| d.tomorrow().ok());
        }
        match (birthday_from, birthday_to) {
            (Some(from), Some(to)) => filter.birthday = Some(BirthdayRange { from, to }),
            (Some(from), None) => filter.birthday = Some(BirthdayRange { from, to: from }),
            (None, Some(to)) => filter.birthday = Some(BirthdayRange { from: to, to }),
            (None, None) => {}
        }
        if let (Some(from), Some(to)) = (filter.created_from, filter.created_to)
            && from > to
        {
            errors.push(FieldError::new(
                "created_from",
                "invalid_range",
                "created_from is after created_to",
            ));
        }
        errors.finish(|| filter)
    }
}

impl CustomerFilter {
    /// A key of a family (`consent_<kind>`, `property_<name>`), or an
    /// unknown key.
    fn parse_family(
        &mut self,
        key: &str,
        value: &str,
        properties: &[PropertyDefinition],
        errors: &mut ValidationErrors,
    ) {
        if let Some(kind) = key.strip_prefix("consent_") {
            let kind = errors.take(ConsentKind::parse(kind).map_err(|e| e.at(key)));
            let granted = errors.take(parse_bool(key, value));
            if let (Some(kind), Some(granted)) = (kind, granted) {
                self.consents.push((kind, granted));
            }
        } else if let Some(name) = key.strip_prefix("property_") {
            match properties.iter().find(|d| d.name.as_str() == name) {
                Some(definition) => {
                    if let Some(canonical) =
                        errors.take(definition.parse_value(value).map_err(|e| e.at(key)))
                    {
                        self.properties.push((definition.id, canonical));
                    }
                }
                None => errors.push(FieldError::new(
                    key,
                    "unknown_property",
                    format!("there is no property «{name}»"),
                )),
            }
        } else {
            errors.push(FieldError::new(
                key,
                "unknown_filter",
                format!("unknown filter «{key}»"),
            ));
        }
    }

    /// Whether a condition on the customer's figures (spent, purchases,
    /// last purchase, balance) is set.
    pub fn has_figures(&self) -> bool {
        self.spent.is_set()
            || self.purchases.is_set()
            || self.balance.is_set()
            || self.last_purchase_from.is_some()
            || self.last_purchase_to.is_some()
            || self.lapsed_since.is_some()
    }
}

impl FilterKind {
    /// The smallest and largest number a key of this kind takes (any, for
    /// a kind that is not a number).
    pub fn number_range(self) -> (i64, i64) {
        match self {
            FilterKind::Number { min, max, .. } => (min, max),
            _ => (i64::MIN, i64::MAX),
        }
    }
}

/// A whole number from `min` to `max`.
fn parse_number(field: &str, raw: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_number",
                format!("«{raw}» is not a whole number from {min} to {max}"),
            )
        })
}

fn parse_id(field: &str, raw: &str) -> Result<i64, FieldError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| FieldError::new(field, "invalid_id", format!("«{raw}» is not an id")))
}

fn parse_age(field: &str, raw: &str) -> Result<i16, FieldError> {
    raw.parse::<i16>()
        .ok()
        .filter(|age| (0..=150).contains(age))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_age",
                "an age is a whole number from 0 to 150",
            )
        })
}

fn parse_bool(field: &str, raw: &str) -> Result<bool, FieldError> {
    match raw {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(FieldError::new(field, "invalid_bool", "use true or false")),
    }
}

/// An RFC 3339 instant, or a date meaning its start (`from`) or its end (`to`, inclusive) in UTC.
fn parse_instant(field: &str, raw: &str, end_of_day: bool) -> Result<Timestamp, FieldError> {
    if let Ok(instant) = raw.parse::<Timestamp>() {
        return Ok(instant);
    }
    let invalid = || {
        FieldError::new(
            field,
            "invalid_time",
            format!("«{raw}» is neither an RFC 3339 time nor a date"),
        )
    };
    let date = parse_date(raw).ok_or_else(invalid)?;
    let day = if end_of_day {
        date.tomorrow().map_err(|_| invalid())?
    } else {
        date
    };
    let start = day
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|_| invalid())?
        .timestamp();
    Ok(if end_of_day {
        start - Span::new().microseconds(1)
    } else {
        start
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn parse(params: &[(&str, &str)]) -> Result<CustomerFilter, ValidationErrors> {
        CustomerFilter::parse(params.iter().copied(), &[], date(2026, 11, 23))
    }

    #[test]
    fn quick_search_reads_intent() {
        let term = |raw: &str| SearchQuery::parse(raw).map(|q| q.term);
        assert_eq!(term("912-34"), Some(SearchTerm::Digits("91234".into())));
        assert_eq!(
            term("8 912 345 67 89"),
            Some(SearchTerm::Phone(Phone::parse("+79123456789").unwrap()))
        );
        assert_eq!(
            term("8 912 345 67"),
            Some(SearchTerm::Digits("791234567".into()))
        );
        assert_eq!(term("Ivan@"), Some(SearchTerm::Email("ivan@".into())));
        let words = |raw: &str| match term(raw) {
            Some(SearchTerm::Name(words)) => words.words().to_vec(),
            other => panic!("{raw}: {other:?}"),
        };
        assert_eq!(words(" Королёв "), ["королев"]);
        assert_eq!(words("12"), ["12"]);
        assert_eq!(words("Ива  Мар"), ["ива", "мар"]);
        assert_eq!(words("Петрова-Водкина, А."), ["петрова", "водкина", "а"]);
        assert!(words("--").is_empty());
        assert_eq!(SearchQuery::parse("  "), None);
    }

    #[test]
    fn a_card_number_is_looked_up_as_typed() {
        let barcode = |raw: &str| SearchQuery::parse(raw).and_then(|q| q.barcode);
        assert_eq!(barcode("2000000000015"), Some("2000000000015".into()));
        assert_eq!(barcode("2 000000 000015"), Some("2000000000015".into()));
        // Eleven digits starting with 8 are a phone and a card number both.
        let both = SearchQuery::parse("89123456789").unwrap();
        assert!(matches!(both.term, SearchTerm::Phone(_)));
        assert_eq!(both.barcode.as_deref(), Some("89123456789"));
        assert_eq!(barcode("CL-000123"), Some("CL-000123".into()));
        assert_eq!(barcode("Иванова"), None);
        assert_eq!(barcode("Иванова 12"), None);
        assert_eq!(barcode("anna1@mail.ru"), None);
    }

    #[test]
    fn ages_become_birth_date_bounds() {
        let filter = parse(&[("age_min", "18"), ("age_max", "30")]).unwrap();
        assert_eq!(filter.born_to, Some(date(2008, 11, 23)));
        assert_eq!(filter.born_from, Some(date(1995, 11, 24)));
    }

    #[test]
    fn bad_parameters_are_all_reported() {
        let errors = parse(&[
            ("gender", "other"),
            ("age_min", "40"),
            ("age_max", "30"),
            ("birthday_from", "02-30"),
            ("gendr", "female"),
            ("consent_fax", "true"),
            ("property_vision", "1"),
        ])
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "gender",
                "birthday_from",
                "gendr",
                "consent_fax",
                "property_vision",
                "age_min"
            ]
        );
    }

    #[test]
    fn every_key_is_declared_once() {
        let mut keys: Vec<&str> = FILTER_KEYS.iter().map(|k| k.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FILTER_KEYS.len());
        let mut fields: Vec<String> = FILTER_KEYS
            .iter()
            .map(|k| format!("{:?}", k.field))
            .collect();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(
            fields.len(),
            FILTER_KEYS.len(),
            "each condition has one key"
        );
        for key in FILTER_KEYS {
            let parsed = parse(&[(key.key, "")]);
            assert!(
                !matches!(&parsed, Err(e) if e.0.iter().any(|e| e.code == "unknown_filter")),
                "{} is read",
                key.key
            );
        }
    }

    #[test]
    fn figures_are_read_with_their_bounds() {
        let filter = parse(&[
            ("spent_min", "100000"),
            ("spent_max", "500000"),
            ("purchases_min", "2"),
            ("balance_max", "-1"),
            ("last_purchase_from", "2026-01-01"),
            ("no_purchase_days", "30"),
        ])
        .unwrap();
        assert_eq!(
            filter.spent,
            Bounds {
                min: Some(100_000),
                max: Some(500_000)
            }
        );
        assert_eq!(filter.purchases.min, Some(2));
        assert_eq!(
            filter.balance,
            Bounds {
                min: None,
                max: Some(-1)
            }
        );
        assert!(filter.has_figures());
        // The last 30 days, today (23 November) included: from 25 October.
        assert_eq!(
            filter.lapsed_since,
            Some("2026-10-25T00:00:00Z".parse().unwrap())
        );
        let errors = parse(&[
            ("spent_min", "-1"),
            ("purchases_max", "many"),
            ("no_purchase_days", "0"),
            ("balance_min", "5"),
            ("balance_max", "4"),
            ("last_purchase_from", "2026-02-01"),
            ("last_purchase_to", "2026-01-01"),
        ])
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spent_min",
                "purchases_max",
                "no_purchase_days",
                "balance_min",
                "last_purchase_from"
            ]
        );
        assert_eq!(
            SortOrder::parse("-spent_minor").unwrap(),
            SortOrder {
                field: SortField::Spent,
                descending: true
            }
        );
        assert_eq!(
            SortOrder::parse("last_purchase_at").unwrap().field,
            SortField::LastPurchase
        );
    }

    #[test]
    fn created_dates_cover_whole_days() {
        let filter =
            parse(&[("created_from", "2026-01-01"), ("created_to", "2026-01-01")]).unwrap();
        let span = filter.created_to.unwrap().as_microsecond()
            - filter.created_from.unwrap().as_microsecond();
        assert_eq!(span, 86_400_000_000 - 1);
    }

    #[test]
    fn a_birthday_range_wraps_the_new_year() {
        let filter = parse(&[("birthday_from", "12-25"), ("birthday_to", "01-05")]).unwrap();
        let range = filter.birthday.unwrap();
        assert!(range.wraps());
        assert_eq!(range.days(), 12);
        assert!(range.contains(date(1990, 12, 31)));
        assert!(range.contains(date(1990, 1, 5)));
        assert!(!range.contains(date(1990, 1, 6)));
        assert!(!range.contains(date(1990, 12, 24)));
    }

    proptest! {
        #[test]
        fn birthday_ranges_match_a_day_by_day_walk(
            from in 0..366i32, to in 0..366i32, day in 0..366i32,
        ) {
            let day_of = |n: i32| date(2000, 1, 1).checked_add(Span::new().days(n)).unwrap();
            let (from, to, day) = (day_of(from), day_of(to), day_of(day));
            let md = |d: Date| MonthDay { month: d.month(), day: d.day() };
            let range = BirthdayRange { from: md(from), to: md(to) };
            // Walk from `from` forward until `to`, as a calendar would.
            let mut inside = false;
            let mut days = 0;
            let mut cursor = from;
            loop {
                days += 1;
                if md(cursor) == md(day) { inside = true; }
                if md(cursor) == md(to) { break; }
                cursor = cursor.tomorrow().unwrap();
                if cursor.year() > 2000 { cursor = date(2000, 1, 1); }
            }
            prop_assert_eq!(range.contains(day), inside);
            prop_assert_eq!(range.days(), days);
        }
    }
}
