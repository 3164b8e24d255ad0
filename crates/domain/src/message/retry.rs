//! When a message the provider could not take is tried again.

use jiff::{SignedDuration, Timestamp};

/// Tries before a message fails for good.
pub const MAX_ATTEMPTS: u32 = 8;

/// After a passing failure of try number `attempts` (from 1): when to try
/// again, doubling from half a minute (the last wait is half an hour), or
/// `None` when the tries are spent or the next would come after the
/// message's lifetime.
pub fn after_failure(attempts: u32, now: Timestamp, expires_at: Timestamp) -> Option<Timestamp> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let wait = 30_i64 << attempts.saturating_sub(1);
    let next = now.checked_add(SignedDuration::from_secs(wait)).ok()?;
    (next < expires_at).then_some(next)
}
