//! An open-loop load generator: requests leave on a fixed schedule whatever
//! the server does, and each latency is counted from the scheduled send time,
//! so a stall shows in the figures instead of slowing the load down
//! (coordinated omission).

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{StatusCode, Url};

/// What a response must be to count as a success.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    Ok,
    /// A customer page holding exactly one customer.
    OneItem,
}

#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub requests: u64,
    pub errors: u64,
    /// Successes per second, from the first scheduled send to the last answer.
    pub achieved: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Sends `rate` requests a second for `duration`, cycling through `urls`.
pub async fn open_loop(
    client: &reqwest::Client,
    urls: Arc<Vec<Url>>,
    rate: u32,
    duration: Duration,
    expect: Expect,
) -> anyhow::Result<Load> {
    anyhow::ensure!(!urls.is_empty(), "no URLs to load");
    let client = client.clone();
    let (start, tasks) = paced(rate, duration, move |i| {
        let url = urls[(i % urls.len() as u64) as usize].clone();
        let client = client.clone();
        async move {
            let ok = succeeded(client.get(url).send().await, expect).await;
            (Instant::now(), ok)
        }
    })
    .await?;
    let mut outcomes = Vec::with_capacity(tasks.len());
    for (due, task) in tasks {
        let (done, ok) = task.await?;
        outcomes.push(Outcome { due, done, ok });
    }
    Ok(Load::from_outcomes(start, &outcomes))
}

/// When the `i`th of a load paced at `rate` a second is due, after its start.
pub fn due_after(i: u64, rate: u32) -> Duration {
    Duration::from_nanos(i * 1_000_000_000 / u64::from(rate.max(1)))
}

/// Starts `rate × duration` tasks, the `i`th made by `task(i)` when it is
/// due whatever the earlier ones are doing; answers the start, and each
/// task's due time with its handle. A task should note its own end time:
/// its handle is awaited only once all are started.
pub async fn paced<T, F, Fut>(
    rate: u32,
    duration: Duration,
    mut task: F,
) -> anyhow::Result<(Instant, Vec<(Instant, tokio::task::JoinHandle<T>)>)>
where
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let count = (f64::from(rate) * duration.as_secs_f64()).round() as u64;
    // The pacer sleeps on a blocking thread of this runtime: a thread sleep
    // wakes within tens of microseconds, where tokio's timer rounds to whole
    // milliseconds and would add up to one to every latency.
    Ok(tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Handle::current();
        let start = Instant::now();
        let tasks = (0..count)
            .map(|i| {
                let due = start + due_after(i, rate);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                (due, runtime.spawn(task(i)))
            })
            .collect();
        (start, tasks)
    })
    .await?)
}

/// One paced request: when it was due, when its answer came, and whether
/// the answer was what was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub due: Instant,
    pub done: Instant,
    pub ok: bool,
}

impl Load {
    /// The figures of a paced load begun at `start`, each latency counted
    /// from the request's due time, not from when it was sent.
    pub fn from_outcomes(start: Instant, outcomes: &[Outcome]) -> Load {
        let mut latencies: Vec<Duration> = outcomes
            .iter()
            .map(|o| o.done.saturating_duration_since(o.due))
            .collect();
        latencies.sort_unstable();
        let requests = outcomes.len() as u64;
        let errors = outcomes.iter().filter(|o| !o.ok).count() as u64;
        let last = outcomes.iter().map(|o| o.done).max().unwrap_or(start);
        Load {
            requests,
            errors,
            achieved: (requests - errors) as f64
                / last
                    .saturating_duration_since(start)
                    .as_secs_f64()
                    .max(f64::EPSILON),
            p50: percentile(&latencies, 0.50),
            p99: percentile(&latencies, 0.99),
            max: latencies.last().copied().unwrap_or_default(),
        }
    }
}

async fn succeeded(response: reqwest::Result<reqwest::Response>, expect: Expect) -> bool {
    let Ok(response) = response else {
        return false;
    };
    if response.status() != StatusCode::OK {
        return false;
    }
    match expect {
        Expect::Ok => response.bytes().await.is_ok(),
        Expect::OneItem => response
            .json::<serde_json::Value>()
            .await
            .is_ok_and(|body| {
                body["items"]
                    .as_array()
                    .is_some_and(|items| items.len() == 1)
            }),
    }
}

/// The nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&values, 0.50), Duration::from_millis(50));
        assert_eq!(percentile(&values, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&values[..30], 0.99), Duration::from_millis(30));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn a_paced_load_is_due_at_fixed_steps() {
        assert_eq!(due_after(0, 500), Duration::ZERO);
        assert_eq!(due_after(1, 500), Duration::from_millis(2));
        assert_eq!(due_after(500, 500), Duration::from_secs(1));
        assert_eq!(due_after(1, 3), Duration::from_nanos(333_333_333));
        assert_eq!(due_after(3, 3), Duration::from_secs(1));
    }

    #[test]
    fn a_stall_counts_from_each_due_time() {
        // 100 requests due every 10 ms, each answered 1 ms after it is due,
        // except that nothing is answered between 500 and 600 ms: the ten
        // due in the stall wait for its end, and the p99 shows it.
        let start = Instant::now();
        let ms = Duration::from_millis;
        let outcomes: Vec<Outcome> = (0..100)
            .map(|i| {
                let due = start + ms(10 * i);
                let answered = due + ms(1);
                let done = if answered >= start + ms(500) && answered < start + ms(600) {
                    start + ms(600)
                } else {
                    answered
                };
                Outcome {
                    due,
                    done,
                    ok: i != 7,
                }
            })
            .collect();
        let load = Load::from_outcomes(start, &outcomes);
        assert_eq!(load.requests, 100);
        assert_eq!(load.errors, 1);
        assert_eq!(load.p50, ms(1));
        assert_eq!(load.p99, ms(90));
        assert_eq!(load.max, ms(100));
        assert!(
            (load.achieved - 99.0 / 0.991).abs() < 1e-6,
            "{}",
            load.achieved
        );
    }
}
