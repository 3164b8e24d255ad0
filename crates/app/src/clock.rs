use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The time and the shop's calendar: ages and birthdays are counted in the
/// shop's time zone, not the server's.
#[derive(Debug, Clone)]
pub struct Clock {
    zone: TimeZone,
    /// A test's instant in nanoseconds since 1970, shared by the clock's
    /// clones so that a test can move it for the whole server.
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn new(zone: TimeZone) -> Clock {
        Clock { zone, fixed: None }
    }

    /// A clock stopped at one instant, for tests.
    pub fn fixed(zone: TimeZone, at: Timestamp) -> Clock {
        Clock {
            zone,
            fixed: Some(Arc::new(AtomicI64::new(nanos(at)))),
        }
    }

    /// Moves a stopped clock on (a running one moves by itself).
    pub fn advance(&self, by: SignedDuration) {
        if let Some(fixed) = &self.fixed {
            let by = i64::try_from(by.as_nanos()).unwrap_or(i64::MAX);
            fixed.fetch_add(by, Ordering::SeqCst);
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(fixed) => Timestamp::from_nanosecond(i128::from(fixed.load(Ordering::SeqCst)))
                .unwrap_or(Timestamp::MAX),
            None => Timestamp::now(),
        }
    }

    pub fn today(&self) -> Date {
        self.now().to_zoned(self.zone.clone()).date()
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

fn nanos(at: Timestamp) -> i64 {
    i64::try_from(at.as_nanosecond()).unwrap_or(i64::MAX)
}
