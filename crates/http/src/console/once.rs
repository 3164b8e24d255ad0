//! A form submitted twice (a double click, a page sent again) does its work
//! once: each form carries a one-time token; a second submission of a token
//! waits for the first and is sent where the first one went.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a used token is remembered.
const KEPT: Duration = Duration::from_secs(3600);

enum State {
    Working,
    Done(String),
}

#[derive(Default)]
pub struct Submitted {
    used: Mutex<HashMap<String, (Instant, State)>>,
}

/// What a submission of a token may do.
pub enum Turn {
    /// The first: do the work, then [`Submitted::done`] or [`Submitted::failed`].
    First,
    /// Already done: go where the first submission went.
    Again(String),
}

impl Submitted {
    pub fn token() -> String {
        clientele_app::staff::Secret::generate("form")
            .expose()
            .to_owned()
    }

    /// Claims a token; a submission that finds the first still working
    /// waits for it (up to 10 s).
    pub async fn turn(&self, token: &str) -> Turn {
        for _ in 0..200 {
            {
                let mut used = self
                    .used
                    .lock()
                    .expect("the form registry is never poisoned");
                match used.get(token) {
                    None => {
                        let now = Instant::now();
                        used.retain(|_, (at, _)| now.duration_since(*at) < KEPT);
                        used.insert(token.to_owned(), (now, State::Working));
                        return Turn::First;
                    }
                    Some((_, State::Done(target))) => return Turn::Again(target.clone()),
                    Some((_, State::Working)) => {}
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Turn::Again("/".into())
    }

    /// The work is done and led to `target`.
    pub fn done(&self, token: &str, target: &str) {
        let mut used = self
            .used
            .lock()
            .expect("the form registry is never poisoned");
        used.insert(
            token.to_owned(),
            (Instant::now(), State::Done(target.to_owned())),
        );
    }

    /// The work was refused (bad input): the corrected form may try again.
    pub fn failed(&self, token: &str) {
        let mut used = self
            .used
            .lock()
            .expect("the form registry is never poisoned");
        used.remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_token_works_once_and_a_refused_one_may_try_again() {
        let submitted = Submitted::default();
        assert!(matches!(submitted.turn("a").await, Turn::First));
        submitted.failed("a");
        assert!(matches!(submitted.turn("a").await, Turn::First));
        submitted.done("a", "/customers/7");
        match submitted.turn("a").await {
            Turn::Again(target) => assert_eq!(target, "/customers/7"),
            Turn::First => panic!("a used token worked twice"),
        }
    }
}
