//! What a report is asked for: the period, a node of the store hierarchy,
//! a segment, a program, and the few settings some reports take, checked
//! as typed (each refusal names its field).

use jiff::civil::Date;

use super::{Period, PeriodAsked};
use crate::ids::{ProgramId, SegmentId, StoreId};
use crate::validation::{FieldError, ValidationErrors};

/// Days without a purchase after which a customer counts as lapsed, and
/// within which one counts as active, when none are asked.
pub const DEFAULT_DAYS: i32 = 90;
/// The longest "days" a report takes.
pub const MAX_DAYS: i32 = 3_660;
/// Rows of customers a report lists when no limit is asked.
pub const DEFAULT_LIMIT: u32 = 100;
/// The most customers a report lists (the file too).
pub const MAX_LIMIT: u32 = 10_000;

/// The parameters as typed, each left out or not.
#[derive(Debug, Clone, Default)]
pub struct ReportAsked<'a> {
    pub period: PeriodAsked<'a>,
    pub store_id: Option<&'a str>,
    pub segment_id: Option<&'a str>,
    pub program_id: Option<&'a str>,
    pub days: Option<&'a str>,
    /// SKUs, each its own parameter or several split by commas.
    pub skus: Vec<&'a str>,
    pub categories: Vec<&'a str>,
    pub limit: Option<&'a str>,
    /// RFM scores, 1–5: with both, a cell; with one, its row or column.
    pub recency: Option<&'a str>,
    pub frequency: Option<&'a str>,
}

/// A report's parameters, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFilter {
    pub period: Period,
    pub store_id: Option<StoreId>,
    pub segment_id: Option<SegmentId>,
    pub program_id: Option<ProgramId>,
    pub days: i32,
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub limit: u32,
    /// The RFM recency and frequency whose customers to list.
    pub recency: Option<u8>,
    pub frequency: Option<u8>,
}

impl ReportFilter {
    pub fn parse(
        asked: &ReportAsked<'_>,
        today: Date,
        history_from: Option<Date>,
    ) -> Result<ReportFilter, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let period = match Period::parse(asked.period, today, history_from) {
            Ok(period) => Some(period),
            Err(refused) => {
                refused.0.into_iter().for_each(|e| errors.push(e));
                None
            }
        };
        let store_id = errors.take(id("store_id", asked.store_id)).flatten();
        let segment_id = errors.take(id("segment_id", asked.segment_id)).flatten();
        let program_id = errors.take(id("program_id", asked.program_id)).flatten();
        let days = errors
            .take(whole("days", asked.days, 1, i64::from(MAX_DAYS)))
            .flatten()
            .map_or(DEFAULT_DAYS, |d| i32::try_from(d).unwrap_or(MAX_DAYS));
        let limit = errors
            .take(whole("limit", asked.limit, 1, i64::from(MAX_LIMIT)))
            .flatten()
            .map_or(DEFAULT_LIMIT, |l| u32::try_from(l).unwrap_or(MAX_LIMIT));
        let score = |n: i64| u8::try_from(n).ok();
        let recency = errors
            .take(whole("recency", asked.recency, 1, 5))
            .flatten()
            .and_then(score);
        let frequency = errors
            .take(whole("frequency", asked.frequency, 1, 5))
            .flatten()
            .and_then(score);
        errors.finish(|| ())?;
        Ok(ReportFilter {
            period: period.expect("refused above when missing"),
            store_id: store_id.map(StoreId),
            segment_id: segment_id.map(SegmentId),
            program_id: program_id.map(ProgramId),
            days,
            skus: listed(&asked.skus),
            categories: listed(&asked.categories),
            limit,
            recency,
            frequency,
        })
    }
}

fn blank(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|r| !r.is_empty())
}

fn id(field: &str, raw: Option<&str>) -> Result<Option<i64>, FieldError> {
    whole(field, raw, 1, i64::MAX)
}

fn whole(field: &str, raw: Option<&str>, min: i64, max: i64) -> Result<Option<i64>, FieldError> {
    let Some(raw) = blank(raw) else {
        return Ok(None);
    };
    match raw.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        Ok(_) => Err(FieldError::new(
            field,
            "out_of_range",
            format!("«{raw}» is not between {min} and {max}"),
        )),
        Err(_) => Err(FieldError::new(
            field,
            "invalid",
            format!("«{raw}» is not a whole number"),
        )),
    }
}

/// Values split by commas, trimmed, blanks dropped, each once.
fn listed(raw: &[&str]) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for value in raw.iter().flat_map(|r| r.split(',')).map(str::trim) {
        if !value.is_empty() && !values.iter().any(|v| v == value) {
            values.push(value.to_owned());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    const TODAY: Date = date(2026, 12, 6);

    #[test]
    fn parameters_left_out_take_their_defaults() {
        let filter = ReportFilter::parse(&ReportAsked::default(), TODAY, None).unwrap();
        assert_eq!(filter.days, DEFAULT_DAYS);
        assert_eq!(filter.limit, DEFAULT_LIMIT);
        assert_eq!((filter.store_id, filter.recency), (None, None));
    }

    #[test]
    fn every_bad_parameter_is_named_at_once() {
        let asked = ReportAsked {
            period: PeriodAsked {
                from: Some("2026-12-05"),
                to: Some("2026-12-01"),
            },
            store_id: Some("shop"),
            days: Some("0"),
            recency: Some("6"),
            ..ReportAsked::default()
        };
        let errors = ReportFilter::parse(&asked, TODAY, None).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("from", "period_reversed"),
                ("store_id", "invalid"),
                ("days", "out_of_range"),
                ("recency", "out_of_range"),
            ]
        );
    }

    #[test]
    fn skus_come_one_by_one_or_by_commas() {
        let asked = ReportAsked {
            skus: vec!["A-1, B-2", "A-1", " "],
            recency: Some("5"),
            frequency: Some("1"),
            ..ReportAsked::default()
        };
        let filter = ReportFilter::parse(&asked, TODAY, None).unwrap();
        assert_eq!(filter.skus, ["A-1", "B-2"]);
        assert_eq!((filter.recency, filter.frequency), (Some(5), Some(1)));
    }
}
