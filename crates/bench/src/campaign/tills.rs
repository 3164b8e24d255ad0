//! The tills at an offered rate, as `pos`'s open loop plays them (each
//! receipt's identify, calculate and commit start at its scheduled time, its
//! latency counted from that time to the commit's answer), but with receipt
//! ids of the phase's own, so that one database can take several phases
//! without a receipt replayed as one committed before.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::load::{Load, Outcome, paced};
use crate::pos::Shop;
use crate::pos::till::{self, Dice, Flow};

pub struct Played {
    pub load: Load,
    /// Commits refused for want of points (answered, so not errors).
    pub refused: u64,
    /// `step status detail` of each failure, counted.
    pub failures: BTreeMap<String, u64>,
}

impl Played {
    pub fn summary(&self) -> String {
        let load = &self.load;
        format!(
            "{} receipts, {:.0}/s answered, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms from the scheduled time, {} refused, {} failed",
            load.requests,
            load.achieved,
            load.p50.as_secs_f64() * 1e3,
            load.p99.as_secs_f64() * 1e3,
            load.max.as_secs_f64() * 1e3,
            self.refused,
            load.errors
        )
    }
}

/// Receipts at `rate` a second for `duration`, the `i`th sent by till
/// `i mod tills` with the id `{phase}-{i}`; `phase` also picks the customers.
pub async fn receipts(
    clients: &[reqwest::Client],
    base: &Url,
    shop: &Arc<Shop>,
    phase: (&'static str, u64),
    rate: u32,
    duration: Duration,
) -> anyhow::Result<Played> {
    let (clients, base, shop) = (clients.to_vec(), base.clone(), shop.clone());
    let (prefix, seed) = phase;
    let (start, tasks) = paced(rate, duration, move |i| {
        let client = clients[(i % clients.len() as u64) as usize].clone();
        let (base, shop) = (base.clone(), shop.clone());
        async move {
            let mut dice = Dice::nth(seed * 10_000_000 + i);
            let customer = &shop.customers[dice.roll(shop.customers.len() as u64) as usize];
            let id = format!("{prefix}-{i}");
            let (flow, _) = till::receipt(&client, &base, customer, &mut dice, &id).await;
            (Instant::now(), flow)
        }
    })
    .await?;
    let mut outcomes = Vec::with_capacity(tasks.len());
    let mut refused = 0;
    let mut failures = BTreeMap::new();
    for (due, task) in tasks {
        let (done, flow) = task.await?;
        let ok = match flow {
            Flow::Committed => true,
            Flow::Refused => {
                refused += 1;
                true
            }
            Flow::Failed(what) => {
                *failures.entry(what).or_default() += 1;
                false
            }
        };
        outcomes.push(Outcome { due, done, ok });
    }
    Ok(Played {
        load: Load::from_outcomes(start, &outcomes),
        refused,
        failures,
    })
}
