use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The time and the shop's calendar: ages and birthdays are counted in the
/// shop's time zone, not the server's.
#[derive(Debug, Clone)]
pub struct Clock {
    zone: TimeZone,
    fixed: Option<Timestamp>,
}

impl Clock {
    pub fn new(zone: TimeZone) -> Clock {
        Clock { zone, fixed: None }
    }

    /// A clock stopped at one instant, for tests.
    pub fn fixed(zone: TimeZone, at: Timestamp) -> Clock {
        Clock {
            zone,
            fixed: Some(at),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.fixed.unwrap_or_else(Timestamp::now)
    }

    pub fn today(&self) -> Date {
        self.now().to_zoned(self.zone.clone()).date()
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}
