//! The customer filter shared by the API, the console and export: parsed once
//! from `key=value` pairs into a checked value the stores turn into SQL.

use jiff::civil::Date;
use jiff::{Span, Timestamp};

use crate::consent::ConsentKind;
use crate::customer::{CustomerStatus, Gender, RegistrationChannel, parse_date};
use crate::ids::{CustomerGroupId, PropertyId, StoreId, UserId};
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

impl SortOrder {
    /// `name`, `-created_at`, …
    pub fn parse(raw: &str) -> Result<SortOrder, FieldError> {
        let (descending, name) = match raw.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, raw),
        };
        let field = match name {
            "id" => SortField::Id,
            "name" => SortField::Name,
            "created_at" => SortField::CreatedAt,
            _ => {
                return Err(FieldError::new(
                    "sort",
                    "invalid_sort",
                    "sort by id, name or created_at, with - before it for descending",
                ));
            }
        };
        Ok(SortOrder { field, descending })
    }
}

/// Which customers to list. Every condition present must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    pub search: Option<SearchQuery>,
    pub group_id: Option<CustomerGroupId>,
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
            match key {
                "q" => filter.search = SearchQuery::parse(value),
                "group_id" => {
                    filter.group_id = errors.take(parse_id(key, value)).map(CustomerGroupId)
                }
                "store_id" => filter.store_id = errors.take(parse_id(key, value)).map(StoreId),
                "status" => {
                    filter.status = errors.take(CustomerStatus::parse(value).map_err(|e| e.at(key)))
                }
                "gender" => {
                    filter.gender = errors.take(Gender::parse(value).map_err(|e| e.at(key)))
                }
                "channel" => {
                    filter.channel =
                        errors.take(RegistrationChannel::parse(value).map_err(|e| e.at(key)));
                }
                "age_min" => age_min = errors.take(parse_age(key, value)),
                "age_max" => age_max = errors.take(parse_age(key, value)),
                "birthday_from" => birthday_from = errors.take(MonthDay::parse(value, key)),
                "birthday_to" => birthday_to = errors.take(MonthDay::parse(value, key)),
                "favourite" => filter.favourite = errors.take(parse_bool(key, value)),
                "created_from" => {
                    filter.created_from = errors.take(parse_instant(key, value, false))
                }
                "created_to" => filter.created_to = errors.take(parse_instant(key, value, true)),
                _ => {
                    if let Some(kind) = key.strip_prefix("consent_") {
                        let kind = errors.take(ConsentKind::parse(kind).map_err(|e| e.at(key)));
                        let granted = errors.take(parse_bool(key, value));
                        if let (Some(kind), Some(granted)) = (kind, granted) {
                            filter.consents.push((kind, granted));
                        }
                    } else if let Some(name) = key.strip_prefix("property_") {
                        match properties.iter().find(|d| d.name.as_str() == name) {
                            Some(definition) => {
                                if let Some(canonical) = errors
                                    .take(definition.parse_value(value).map_err(|e| e.at(key)))
                                {
                                    filter.properties.push((definition.id, canonical));
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
            }
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
