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
    let requests = (f64::from(rate) * duration.as_secs_f64()).round() as u64;
    let client = client.clone();
    // The pacer sleeps on a blocking thread of this runtime: a thread sleep
    // wakes within tens of microseconds, where tokio's timer rounds to whole
    // milliseconds and would add up to one to every latency.
    let (start, tasks) = tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Handle::current();
        let start = Instant::now();
        let tasks: Vec<_> = (0..requests)
            .map(|i| {
                let due = start + Duration::from_nanos(i * 1_000_000_000 / u64::from(rate));
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                let url = urls[(i % urls.len() as u64) as usize].clone();
                let client = client.clone();
                runtime.spawn(async move {
                    let ok = succeeded(client.get(url).send().await, expect).await;
                    (Instant::now(), due, ok)
                })
            })
            .collect();
        (start, tasks)
    })
    .await?;
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut errors = 0;
    let mut last = start;
    for task in tasks {
        let (done, due, ok) = task.await?;
        latencies.push(done - due);
        last = last.max(done);
        if !ok {
            errors += 1;
        }
    }
    latencies.sort_unstable();
    let successes = requests - errors;
    Ok(Load {
        requests,
        errors,
        achieved: successes as f64 / (last - start).as_secs_f64().max(f64::EPSILON),
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or_default(),
    })
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
}
