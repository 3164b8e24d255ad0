//! When an offer runs, in the till's local time: a period of dates, days of
//! the week and hours of the day, each checked on its own.

use jiff::civil::{Date, DateTime, Time, Weekday};
use serde::{Deserialize, Serialize};

use super::outcome::Reason;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// First day, inclusive; `None`: since always.
    pub valid_from: Option<Date>,
    /// Last day, inclusive; `None`: until paused.
    pub valid_to: Option<Date>,
    /// Empty: every day.
    pub days: Vec<Day>,
    /// `None`: all day.
    pub hours: Option<Hours>,
}

/// Hours of the day, `from` inclusive, `to` exclusive. When `from` is after
/// `to` the window crosses midnight (22:00–02:00); the day of the week is
/// still the receipt's own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub from: Time,
    pub to: Time,
}

impl Hours {
    pub fn contains(self, time: Time) -> bool {
        if self.from <= self.to {
            self.from <= time && time < self.to
        } else {
            self.from <= time || time < self.to
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    const ALL: [Day; 7] = [
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
        Day::Saturday,
        Day::Sunday,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];

    pub fn parse(raw: &str) -> Option<Day> {
        let index = Day::NAMES.iter().position(|name| *name == raw.trim())?;
        Some(Day::ALL[index])
    }

    pub fn of(weekday: Weekday) -> Day {
        Day::ALL[weekday.to_monday_zero_offset() as usize]
    }
}

impl Schedule {
    /// Whether the offer runs at this local time, and if not, why.
    pub fn check(&self, now: DateTime) -> Result<(), Reason> {
        let date = now.date();
        if self.valid_from.is_some_and(|from| date < from)
            || self.valid_to.is_some_and(|to| date > to)
        {
            return Err(Reason::NotInPeriod);
        }
        if !self.days.is_empty() && !self.days.contains(&Day::of(date.weekday())) {
            return Err(Reason::NotOnThisDay);
        }
        if self.hours.is_some_and(|hours| !hours.contains(now.time())) {
            return Err(Reason::OutsideHours);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    fn at(day: i8, hour: i8, minute: i8) -> DateTime {
        // March 2025: the 3rd is a Monday.
        date(2025, 3, day).at(hour, minute, 0, 0)
    }

    #[test]
    fn the_period_includes_both_ends() {
        let schedule = Schedule {
            valid_from: Some(date(2025, 3, 3)),
            valid_to: Some(date(2025, 3, 9)),
            ..Schedule::default()
        };
        assert_eq!(schedule.check(at(2, 23, 59)), Err(Reason::NotInPeriod));
        assert_eq!(schedule.check(at(3, 0, 0)), Ok(()));
        assert_eq!(schedule.check(at(9, 23, 59)), Ok(()));
        assert_eq!(schedule.check(at(10, 0, 0)), Err(Reason::NotInPeriod));
        assert_eq!(Schedule::default().check(at(10, 0, 0)), Ok(()));
    }

    #[test]
    fn days_of_the_week_are_the_receipts_date() {
        let weekend = Schedule {
            days: vec![Day::Saturday, Day::Sunday],
            ..Schedule::default()
        };
        assert_eq!(weekend.check(at(7, 12, 0)), Err(Reason::NotOnThisDay));
        assert_eq!(weekend.check(at(8, 12, 0)), Ok(()));
        assert_eq!(weekend.check(at(9, 12, 0)), Ok(()));
        assert_eq!(weekend.check(at(10, 0, 0)), Err(Reason::NotOnThisDay));
    }

    #[test]
    fn hours_include_the_start_and_may_cross_midnight() {
        let morning = Schedule {
            hours: Some(Hours {
                from: time(8, 0, 0, 0),
                to: time(11, 0, 0, 0),
            }),
            ..Schedule::default()
        };
        assert_eq!(morning.check(at(3, 7, 59)), Err(Reason::OutsideHours));
        assert_eq!(morning.check(at(3, 8, 0)), Ok(()));
        assert_eq!(morning.check(at(3, 11, 0)), Err(Reason::OutsideHours));
        let night = Hours {
            from: time(22, 0, 0, 0),
            to: time(2, 0, 0, 0),
        };
        assert!(night.contains(time(23, 30, 0, 0)));
        assert!(night.contains(time(1, 59, 0, 0)));
        assert!(!night.contains(time(2, 0, 0, 0)));
        assert!(!night.contains(time(12, 0, 0, 0)));
    }

    #[test]
    fn days_parse_by_their_english_names() {
        assert_eq!(Day::parse(" friday "), Some(Day::Friday));
        assert_eq!(Day::parse("Friday"), None);
        assert_eq!(Day::of(date(2025, 3, 9).weekday()), Day::Sunday);
    }
}
