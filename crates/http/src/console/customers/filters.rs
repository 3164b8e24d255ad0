//! The list's filter form, drawn from the keys the domain declares once
//! (`FILTER_KEYS`, which also feed the parser and the API's document): a
//! field per key, what was typed in it, and the figures as a clerk types
//! them turned into what the filter reads. Money is typed in roubles
//! (`1 500`, `1500,50`) and read as kopecks; a balance in points (`150`,
//! `-12,5`) as hundredths; a birthday as a day and a month, read as `MM-DD`.
//! The list's own links keep the fields as typed.

use std::collections::BTreeMap;

use clientele_domain::{FILTER_KEYS, FieldError, FilterKey, FilterKind, SortField, Unit};

use crate::console::kit::{Words, hundredths};

/// The console's own parameters: not filters.
const NOT_FILTERS: &[&str] = &["lang", "bulk", "count"];

/// What a field of the form is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    /// One of the options, or any.
    Choice,
    /// A figure typed: a whole number, or roubles or points with a fraction.
    Number,
    Date,
    /// A day select and a month select.
    DayOfYear,
    /// A tick-box: ticked means `true`.
    Flag,
}

/// One field of the filter form as the template draws it.
pub struct Field {
    /// The key, as the form sends it.
    pub name: &'static str,
    pub label: String,
    pub widget: Widget,
    /// What was typed, to show again.
    pub value: String,
    /// A choice's options, the first meaning any.
    pub options: Vec<(String, String)>,
    /// A figure with a fraction (roubles, points): the decimal keyboard.
    pub decimal: bool,
    /// A day of the year as chosen: day and month, `""` when not.
    pub day: String,
    pub month: String,
    pub error: Option<String>,
}

impl Field {
    /// The day select's name, for a day of the year.
    pub fn day_name(&self) -> String {
        format!("{}_day", self.name)
    }

    pub fn month_name(&self) -> String {
        format!("{}_month", self.name)
    }
}

/// Fields drawn together: a range's two ends under one legend, or one
/// field alone.
pub struct Section {
    pub legend: Option<String>,
    pub fields: Vec<Field>,
}

/// The form as typed: every pair by its name, the last one winning.
#[derive(Debug, Default)]
pub struct Typed {
    pairs: BTreeMap<String, String>,
}

impl Typed {
    pub fn read(pairs: &[(String, String)]) -> Typed {
        Typed {
            pairs: pairs
                .iter()
                .filter(|(key, _)| !NOT_FILTERS.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.trim().to_owned()))
                .collect(),
        }
    }

    /// A field as typed, `""` when not.
    pub fn get(&self, name: &str) -> &str {
        self.pairs.get(name).map_or("", String::as_str)
    }

    /// The fields typed in, as the list's own links carry them.
    pub fn query(&self, with_cursor: bool) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(key, value)| !value.is_empty() && (with_cursor || *key != "cursor"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    /// Whether anything narrows the list (then it is counted).
    pub fn narrows(&self) -> bool {
        self.pairs
            .iter()
            .any(|(key, value)| !value.is_empty() && !matches!(key.as_str(), "sort" | "cursor"))
    }

    /// Whether a filter folded under the search holds anything (then the
    /// filters show open).
    pub fn any_folded(&self) -> bool {
        self.pairs.iter().any(|(key, value)| {
            !value.is_empty() && !matches!(key.as_str(), "q" | "sort" | "cursor")
        })
    }

    /// The pairs the list use case reads, with the figures as the filter
    /// takes them; or the fields typed wrong, each with its error.
    pub fn to_filter(&self, w: &Words) -> (Vec<(String, String)>, BTreeMap<String, String>) {
        let mut asked = Vec::new();
        let mut errors = BTreeMap::new();
        let part_of_a_day = |key: &str| {
            FILTER_KEYS.iter().any(|k| {
                k.kind == FilterKind::DayOfYear
                    && (key == format!("{}_day", k.key) || key == format!("{}_month", k.key))
            })
        };
        for (key, typed) in &self.pairs {
            if typed.is_empty() || part_of_a_day(key) {
                continue;
            }
            let declared = FILTER_KEYS.iter().find(|k| k.key == key);
            match declared.map(|k| k.kind) {
                Some(FilterKind::Number { unit, .. }) => match figure(typed, unit) {
                    Some(value) => asked.push((key.clone(), value)),
                    None => {
                        errors.insert(key.clone(), w.t(figure_error(unit)));
                    }
                },
                _ => asked.push((key.clone(), typed.clone())),
            }
        }
        for key in FILTER_KEYS
            .iter()
            .filter(|k| k.kind == FilterKind::DayOfYear)
        {
            match self.day_and_month(key) {
                (day, month) if day.is_empty() && month.is_empty() => {}
                (day, month) if day.is_empty() || month.is_empty() => {
                    errors.insert(key.key.to_owned(), w.t("filter-error-day-and-month"));
                }
                (day, month) => {
                    asked.retain(|(asked, _)| asked != key.key);
                    asked.push((key.key.to_owned(), format!("{month:0>2}-{day:0>2}")));
                }
            }
        }
        (asked, errors)
    }

    /// A day of the year as chosen in its two selects, or as `MM-DD` in a
    /// link.
    fn day_and_month(&self, key: &FilterKey) -> (String, String) {
        let day = self.get(&format!("{}_day", key.key));
        let month = self.get(&format!("{}_month", key.key));
        if day.is_empty() && month.is_empty() {
            let (month, day) = self.get(key.key).split_once('-').unwrap_or_default();
            let number = |raw: &str| {
                raw.parse::<u8>()
                    .map_or_else(|_| String::new(), |n| n.to_string())
            };
            return (number(day), number(month));
        }
        (day.to_owned(), month.to_owned())
    }

    /// The form's fields, key by key as declared, with what was typed and
    /// the errors beside them; the quick search is drawn apart.
    pub fn sections(
        &self,
        w: &Words,
        groups: &[(i64, String)],
        stores: &[(i64, String)],
        segments: &[(i64, String)],
        errors: &BTreeMap<String, String>,
    ) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::new();
        let mut last_stem = "";
        for key in FILTER_KEYS.iter().filter(|k| k.kind != FilterKind::Text) {
            let offered = match key.kind {
                FilterKind::Group => groups,
                FilterKind::Store => stores,
                FilterKind::Segment => segments,
                _ => &[],
            };
            let field = self.field(key, w, offered, errors.get(key.key).cloned());
            let stem = range_stem(key.key);
            match (stem, sections.last_mut()) {
                (Some(stem), Some(section)) if stem == last_stem => section.fields.push(field),
                (Some(stem), _) => {
                    last_stem = stem;
                    // `filter-age-min` under `filter-age`.
                    let legend = key.message.rsplit_once('-').map(|(legend, _)| w.t(legend));
                    sections.push(Section {
                        legend,
                        fields: vec![field],
                    });
                }
                (None, _) => {
                    last_stem = "";
                    sections.push(Section {
                        legend: None,
                        fields: vec![field],
                    });
                }
            }
        }
        sections
    }

    /// `offered`: the groups or stores a key of theirs chooses from.
    fn field(
        &self,
        key: &FilterKey,
        w: &Words,
        offered: &[(i64, String)],
        error: Option<String>,
    ) -> Field {
        let any = || (String::new(), w.t(&format!("{}-any", key.message)));
        let (widget, options) = match key.kind {
            FilterKind::Group | FilterKind::Store | FilterKind::Segment => (
                Widget::Choice,
                std::iter::once(any())
                    .chain(
                        offered
                            .iter()
                            .map(|(id, label)| (id.to_string(), label.clone())),
                    )
                    .collect(),
            ),
            // `gender` offers `gender-female`, `gender-male`.
            FilterKind::Choice(values) => (
                Widget::Choice,
                std::iter::once(any())
                    .chain(
                        values
                            .iter()
                            .map(|v| ((*v).to_owned(), w.t(&format!("{}-{v}", key.key)))),
                    )
                    .collect(),
            ),
            FilterKind::Number { .. } => (Widget::Number, Vec::new()),
            FilterKind::Time => (Widget::Date, Vec::new()),
            FilterKind::DayOfYear => (Widget::DayOfYear, Vec::new()),
            FilterKind::Flag | FilterKind::Text => (Widget::Flag, Vec::new()),
        };
        let (day, month) = match key.kind {
            FilterKind::DayOfYear => self.day_and_month(key),
            _ => Default::default(),
        };
        Field {
            name: key.key,
            label: w.t(key.message),
            widget,
            value: self.get(key.key).to_owned(),
            options,
            decimal: matches!(
                key.kind,
                FilterKind::Number {
                    unit: Unit::Minor | Unit::Points,
                    ..
                }
            ),
            day,
            month,
            error,
        }
    }
}

/// The name shared by a range's two ends: `age` of `age_min` and
/// `age_max`, `last_purchase` of `last_purchase_from`.
fn range_stem(key: &str) -> Option<&str> {
    ["_min", "_max", "_from", "_to"]
        .iter()
        .find_map(|end| key.strip_suffix(end))
}

/// A figure as the filter reads it: roubles typed become kopecks, points
/// hundredths; a count stays a whole number (its bounds are the parser's).
fn figure(typed: &str, unit: Unit) -> Option<String> {
    let (negative, digits) = match typed.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, typed),
    };
    let value = match unit {
        Unit::Minor if !negative => hundredths(digits)?,
        Unit::Points => hundredths(digits)?,
        Unit::Minor => return None,
        Unit::Years | Unit::Days | Unit::Count => {
            let whole = digits.replace([' ', '\u{a0}'], "");
            if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            whole.parse().ok()?
        }
    };
    Some((if negative { -value } else { value }).to_string())
}

fn figure_error(unit: Unit) -> &'static str {
    match unit {
        Unit::Minor => "filter-error-money",
        Unit::Points => "filter-error-points",
        Unit::Years | Unit::Days | Unit::Count => "filter-error-whole",
    }
}

/// The orders the list offers, each way: `sort=` value and its words
/// (`sort-spent_minor-desc`). The id orders as registration does, which
/// is offered in words.
pub fn sort_options(w: &Words) -> Vec<(String, String)> {
    SortField::NAMED
        .iter()
        .filter(|(_, field)| *field != SortField::Id)
        .flat_map(|(name, _)| {
            [
                (format!("-{name}"), w.t(&format!("sort-{name}-desc"))),
                ((*name).to_owned(), w.t(&format!("sort-{name}-asc"))),
            ]
        })
        .collect()
}

/// A use case's complaint about the filter, beside its field where the
/// form draws one (`drawn_apart`: the consents, properties and sort the
/// page draws itself), else above the list.
pub fn place_errors(
    w: &Words,
    refused: &[FieldError],
    drawn_apart: impl Fn(&str) -> bool,
    beside: &mut BTreeMap<String, String>,
    above: &mut Vec<String>,
) {
    for error in refused {
        let declared = FILTER_KEYS
            .iter()
            .find(|k| k.key == error.field && k.kind != FilterKind::Text);
        match declared {
            Some(key) => {
                beside
                    .entry(error.field.clone())
                    .or_insert_with(|| said(w, key, error));
            }
            None if drawn_apart(&error.field) => {
                beside
                    .entry(error.field.clone())
                    .or_insert_with(|| w.field_error(error));
            }
            None => above.push(w.field_error(error)),
        }
    }
}

/// A count out of its key's bounds says the bounds (`from 1 to 36 500`);
/// anything else is said by its code.
fn said(w: &Words, key: &FilterKey, error: &FieldError) -> String {
    match key.kind {
        FilterKind::Number {
            min,
            max,
            unit: Unit::Days | Unit::Count,
        } if error.code == "invalid_number" => w.with_all(
            "filter-error-between",
            vec![
                ("min", w.count(min.unsigned_abs()).into()),
                ("max", w.count(max.unsigned_abs()).into()),
            ],
        ),
        _ => w.field_error(error),
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Typed::read(&pairs)
    }

    #[test]
    fn roubles_points_and_a_day_are_read_as_the_filter_takes_them() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let (asked, errors) = typed(&[
            ("spent_min", "1 500"),
            ("spent_max", "1500,50"),
            ("balance_max", "-12,5"),
            ("no_purchase_days", "30"),
            ("birthday_from_day", "5"),
            ("birthday_from_month", "3"),
            ("gender", ""),
            ("lang", "en"),
        ])
        .to_filter(&w);
        assert!(errors.is_empty(), "{errors:?}");
        let asked: BTreeMap<_, _> = asked.into_iter().collect();
        assert_eq!(asked["spent_min"], "150000");
        assert_eq!(asked["spent_max"], "150050");
        assert_eq!(asked["balance_max"], "-1250");
        assert_eq!(asked["no_purchase_days"], "30");
        assert_eq!(asked["birthday_from"], "03-05");
        assert_eq!(asked.len(), 5, "{asked:?}");
    }

    #[test]
    fn figures_typed_wrong_are_refused_beside_their_field() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let (_, errors) = typed(&[
            ("spent_min", "-5"),
            ("spent_max", "1,234"),
            ("purchases_min", "2,5"),
            ("birthday_to_day", "5"),
        ])
        .to_filter(&w);
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["birthday_to", "purchases_min", "spent_max", "spent_min"]
        );
        assert!(errors["spent_min"].contains("руб"), "{errors:?}");
    }

    #[test]
    fn the_form_has_a_field_for_every_declared_key_in_both_languages() {
        let declared: Vec<&str> = FILTER_KEYS
            .iter()
            .filter(|k| k.kind != FilterKind::Text)
            .map(|k| k.key)
            .collect();
        for lang in [Lang::Ru, Lang::En] {
            let w = Words::new(lang, TimeZone::UTC);
            let sections =
                typed(&[("birthday_to", "12-31")]).sections(&w, &[], &[], &[], &BTreeMap::new());
            let fields: Vec<&Field> = sections.iter().flat_map(|s| &s.fields).collect();
            assert_eq!(fields.iter().map(|f| f.name).collect::<Vec<_>>(), declared);
            let birthday = fields.iter().find(|f| f.name == "birthday_to").unwrap();
            assert_eq!(
                (birthday.day.as_str(), birthday.month.as_str()),
                ("31", "12")
            );
            let words = sections
                .iter()
                .filter_map(|s| s.legend.clone())
                .chain(fields.iter().map(|f| f.label.clone()))
                .chain(
                    fields
                        .iter()
                        .flat_map(|f| f.options.iter().map(|(_, o)| o.clone())),
                )
                .chain(sort_options(&w).into_iter().map(|(_, o)| o))
                .chain(
                    [
                        "filter-error-money",
                        "filter-error-points",
                        "filter-error-whole",
                        "filter-error-day-and-month",
                    ]
                    .map(|k| w.t(k)),
                );
            for word in words {
                // A key the table lacks comes back as its name.
                assert!(
                    !word.is_empty()
                        && !word.contains("filter-")
                        && !word.contains("sort-")
                        && !word.contains('_'),
                    "{lang:?}: {word}"
                );
            }
        }
    }
}
