//! Lock-out after repeated failures: a key (a client address, later a
//! login) that fails `limit` times within `window` is refused until the
//! window that began with its first failure has passed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct Throttle {
    limit: u32,
    window: Duration,
    failures: Arc<Mutex<HashMap<String, Failures>>>,
}

/// A key's failures in its current window.
struct Failures {
    count: u32,
    since: Instant,
    /// What it last failed with (a credential's hash), when told.
    last: Option<Vec<u8>>,
}

/// Keys followed at most; past this the oldest state is dropped wholesale
/// rather than let a flood of addresses grow the map without end.
const CAPACITY: usize = 100_000;

impl Throttle {
    pub fn new(limit: u32, window: Duration) -> Throttle {
        Throttle {
            limit,
            window,
            failures: Default::default(),
        }
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(wait)` while `key` is locked out.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        match self.failures().get(key) {
            Some(failures) if failures.count >= self.limit => {
                let until = failures.since + self.window;
                if now < until {
                    Err(until - now)
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure; answers whether this one locked the key out.
    pub fn fail(&self, key: &str, now: Instant) -> bool {
        self.count(key, None, now)
    }

    /// Counts a failure with `what` (a credential's hash) unless the key's
    /// last failure in its window was with the same: a till retrying a
    /// revoked key is not guessing, a client trying many is. Answers
    /// whether this one locked the key out.
    pub fn fail_with(&self, key: &str, what: &[u8], now: Instant) -> bool {
        self.count(key, Some(what), now)
    }

    fn count(&self, key: &str, what: Option<&[u8]>, now: Instant) -> bool {
        let mut failures = self.failures();
        if failures.len() >= CAPACITY {
            failures.clear();
        }
        let fresh = || Failures {
            count: 0,
            since: now,
            last: None,
        };
        let entry = failures.entry(key.to_owned()).or_insert_with(fresh);
        if now >= entry.since + self.window {
            *entry = fresh();
        }
        if what.is_some() && entry.last.as_deref() == what {
            return false;
        }
        entry.last = what.map(<[u8]>::to_vec);
        entry.count += 1;
        entry.count == self.limit
    }

    /// A success forgets the key's failures.
    pub fn succeed(&self, key: &str) {
        self.failures().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_failure_again_counts_once() {
        let throttle = Throttle::new(2, Duration::from_secs(60));
        let now = Instant::now();
        assert!(!throttle.fail_with("10.0.0.1", b"revoked", now));
        assert!(!throttle.fail_with("10.0.0.1", b"revoked", now));
        assert_eq!(throttle.check("10.0.0.1", now), Ok(()));
        assert!(throttle.fail_with("10.0.0.1", b"guess", now));
        assert!(throttle.check("10.0.0.1", now).is_err());
    }

    #[test]
    fn locks_out_after_the_limit_until_the_window_passes() {
        let throttle = Throttle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        assert!(!throttle.fail("10.0.0.1", start));
        assert!(!throttle.fail("10.0.0.1", start + Duration::from_secs(1)));
        assert_eq!(throttle.check("10.0.0.1", start), Ok(()));
        assert!(throttle.fail("10.0.0.1", start + Duration::from_secs(2)));
        assert_eq!(
            throttle.check("10.0.0.1", start + Duration::from_secs(10)),
            Err(Duration::from_secs(50))
        );
        assert_eq!(throttle.check("10.0.0.2", start), Ok(()), "others are free");
        assert_eq!(
            throttle.check("10.0.0.1", start + Duration::from_secs(60)),
            Ok(())
        );
        // A new window starts from scratch.
        assert!(!throttle.fail("10.0.0.1", start + Duration::from_secs(61)));
        assert_eq!(
            throttle.check("10.0.0.1", start + Duration::from_secs(62)),
            Ok(())
        );
    }

    #[test]
    fn a_success_forgets_the_failures() {
        let throttle = Throttle::new(2, Duration::from_secs(60));
        let start = Instant::now();
        throttle.fail("anna", start);
        throttle.succeed("anna");
        assert!(!throttle.fail("anna", start));
        assert_eq!(throttle.check("anna", start), Ok(()));
    }
}
