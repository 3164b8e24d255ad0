//! The worker's pace: sends spread evenly over each second, so that a
//! campaign of a million leaves the tills their share of the machine (and
//! of SQLite's one writer) and stays within what a provider takes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// Sends an idle spell saves up: the worker's pauses between rounds (a
/// claim, a settle) are made up at once, a quiet hour is not.
const BURST: u32 = 8;

/// At most so many sends a second, over every channel; the default sends
/// as fast as the channels take them.
#[derive(Debug, Clone, Default)]
pub struct Pace {
    gap: Option<Duration>,
    /// When the next send may leave.
    next: Arc<Mutex<Option<Instant>>>,
}

impl Pace {
    /// `per_second` sends a second at most; 0: no limit.
    pub fn per_second(per_second: u32) -> Pace {
        Pace {
            gap: (per_second > 0).then(|| Duration::from_secs(1) / per_second),
            next: Arc::default(),
        }
    }

    /// Waits for this send's turn: each takes the next free slot.
    pub(crate) async fn turn(&self) {
        let Some(gap) = self.gap else {
            return;
        };
        let slot = {
            let mut next = self.next.lock().expect("the pace is never poisoned");
            let now = Instant::now();
            let earliest = now.checked_sub(gap * (BURST - 1)).unwrap_or(now);
            let slot = next.map_or(now, |n| n.max(earliest));
            *next = Some(slot + gap);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sends_are_spread_over_the_second() {
        let pace = Pace::per_second(100);
        let started = Instant::now();
        let turns = (0..50).map(|_| {
            let pace = pace.clone();
            tokio::spawn(async move {
                pace.turn().await;
                Instant::now()
            })
        });
        let mut at = Vec::new();
        for turn in turns {
            at.push(turn.await.unwrap() - started);
        }
        at.sort();
        assert_eq!(at[0], Duration::ZERO);
        assert_eq!(at[49], Duration::from_millis(490));
        assert!(
            at.windows(2)
                .all(|w| w[1] - w[0] == Duration::from_millis(10))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_spell_is_made_up_for_a_few_sends_only() {
        let pace = Pace::per_second(100);
        pace.turn().await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let idle_until = Instant::now();
        for _ in 0..BURST {
            pace.turn().await;
        }
        assert_eq!(
            Instant::now(),
            idle_until,
            "the saved-up sends leave at once"
        );
        pace.turn().await;
        assert_eq!(Instant::now() - idle_until, Duration::from_millis(10));
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_limit_nothing_waits() {
        let pace = Pace::default();
        let started = Instant::now();
        for _ in 0..1000 {
            pace.turn().await;
        }
        assert_eq!(Instant::now(), started);
    }
}
