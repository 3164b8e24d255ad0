//! The days a report covers, in the shop's calendar: asked as `from` and
//! `to` (both included), checked, and cut to the history there is.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::validation::{FieldError, ValidationErrors};

/// The longest period a report covers: ten years of days.
pub const MAX_PERIOD_DAYS: i32 = 3_660;

/// The days a report covers when none are asked: the last thirty.
const DEFAULT_DAYS: i64 = 30;

/// A period as asked: `YYYY-MM-DD` each, either left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodAsked<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// The days a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// The period asked began before the first receipt: it starts there.
    pub cut_to_history: bool,
}

/// How a period's days are grouped on a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    Week,
    Month,
}

impl Bucket {
    /// The first day of the group `day` falls in (weeks start on Monday).
    pub fn start_of(self, day: Date) -> Date {
        match self {
            Bucket::Day => day,
            Bucket::Week => {
                let back = i64::from(day.weekday().to_monday_zero_offset());
                day.checked_sub(back.days()).unwrap_or(day)
            }
            Bucket::Month => day.first_of_month(),
        }
    }

    /// The first day of the group after the one starting on `start`.
    pub fn next(self, start: Date) -> Option<Date> {
        match self {
            Bucket::Day => start.checked_add(1.day()).ok(),
            Bucket::Week => start.checked_add(1.week()).ok(),
            Bucket::Month => start.first_of_month().checked_add(1.month()).ok(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

impl Period {
    /// The period asked, checked: dates as `YYYY-MM-DD`, `from` not after
    /// `to`, neither after `today`, at most [`MAX_PERIOD_DAYS`] long;
    /// left out, the last thirty days up to today. One starting before the
    /// first receipt (`history_from`) starts there.
    pub fn parse(
        asked: PeriodAsked<'_>,
        today: Date,
        history_from: Option<Date>,
    ) -> Result<Period, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let to = day("to", asked.to, &mut errors).unwrap_or(today);
        let from = day("from", asked.from, &mut errors)
            .unwrap_or_else(|| to.checked_sub((DEFAULT_DAYS - 1).days()).unwrap_or(to));
        if errors.is_empty() {
            if from > to {
                errors.push(FieldError::new(
                    "from",
                    "period_reversed",
                    format!("the period starts on {from}, after it ends on {to}"),
                ));
            } else if to > today {
                errors.push(FieldError::new(
                    "to",
                    "period_in_future",
                    format!("the period ends on {to}, after today ({today})"),
                ));
            } else if i64::from((to - from).get_days()) >= i64::from(MAX_PERIOD_DAYS) {
                errors.push(FieldError::new(
                    "from",
                    "period_too_long",
                    format!("a report covers at most {MAX_PERIOD_DAYS} days"),
                ));
            }
        }
        errors.finish(|| ())?;
        Ok(match history_from {
            Some(first) if from < first && first <= to => Period {
                from: first,
                to,
                cut_to_history: true,
            },
            _ => Period {
                from,
                to,
                cut_to_history: false,
            },
        })
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        i64::from((self.to - self.from).get_days()) + 1
    }

    /// How its days are grouped on a chart: by day up to two months, by
    /// week up to half a year, by month beyond.
    pub fn bucket(&self) -> Bucket {
        match self.days() {
            ..=62 => Bucket::Day,
            63..=186 => Bucket::Week,
            _ => Bucket::Month,
        }
    }

    pub fn holds(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

fn day(field: &str, raw: Option<&str>, errors: &mut ValidationErrors) -> Option<Date> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    match raw.parse::<Date>() {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "bad_date",
                format!("«{raw}» is not a date as YYYY-MM-DD"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    const TODAY: Date = date(2026, 12, 6);

    fn asked<'a>(from: &'a str, to: &'a str) -> PeriodAsked<'a> {
        PeriodAsked {
            from: Some(from),
            to: Some(to),
        }
    }

    fn refused(asked: PeriodAsked<'_>) -> (String, String) {
        let errors = Period::parse(asked, TODAY, None).unwrap_err();
        let first = &errors.0[0];
        (first.field.clone(), first.code.to_owned())
    }

    #[test]
    fn a_period_left_out_is_the_last_thirty_days() {
        let period = Period::parse(PeriodAsked::default(), TODAY, None).unwrap();
        assert_eq!((period.from, period.to), (date(2026, 11, 7), TODAY));
        assert_eq!(period.days(), 30);
        assert_eq!(period.bucket(), Bucket::Day);
    }

    #[test]
    fn a_wrong_period_is_refused_and_says_why() {
        assert_eq!(
            refused(asked("2026-12-01", "2026-11-01")),
            ("from".into(), "period_reversed".into())
        );
        assert_eq!(
            refused(asked("2026-12-01", "2026-12-31")),
            ("to".into(), "period_in_future".into())
        );
        assert_eq!(
            refused(asked("1990-01-01", "2026-12-01")),
            ("from".into(), "period_too_long".into())
        );
        assert_eq!(
            refused(asked("01.12.2026", "2026-12-01")),
            ("from".into(), "bad_date".into())
        );
    }

    #[test]
    fn a_period_before_the_history_starts_with_it() {
        let period = Period::parse(
            asked("2020-01-01", "2026-12-01"),
            TODAY,
            Some(date(2025, 3, 1)),
        )
        .unwrap();
        assert_eq!(period.from, date(2025, 3, 1));
        assert!(period.cut_to_history);
        assert_eq!(period.bucket(), Bucket::Month);
        // Wholly before the history: nothing to cut it to, it stays.
        let before = Period::parse(
            asked("2020-01-01", "2020-02-01"),
            TODAY,
            Some(date(2025, 3, 1)),
        )
        .unwrap();
        assert!(!before.cut_to_history);
    }

    #[test]
    fn days_group_by_week_from_monday_and_by_month() {
        assert_eq!(Bucket::Week.start_of(date(2026, 12, 6)), date(2026, 11, 30));
        assert_eq!(
            Bucket::Week.start_of(date(2026, 11, 30)),
            date(2026, 11, 30)
        );
        assert_eq!(Bucket::Month.start_of(date(2026, 12, 6)), date(2026, 12, 1));
    }
}
