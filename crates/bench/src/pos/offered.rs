//! The tills at an offered rate: each receipt's flow (identify, calculate,
//! commit) starts at its scheduled time whatever the earlier ones are doing,
//! and its latency runs from that time to the commit's answer, so a server
//! that falls behind shows it instead of slowing the tills down.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;

use super::Shop;
use super::till::{self, Dice, Flow};
use crate::load::{Load, Outcome, paced};

pub struct Offered {
    pub load: Load,
    /// Commits refused for want of points (answered, so not errors).
    pub refused: u64,
    /// `step status detail` of each failure, counted.
    pub failures: BTreeMap<String, u64>,
}

/// Which receipts a run sends: their ids `{prefix}-{dice_from}-{i}`, and
/// where the dice that pick their customers start, so that one database can
/// take several runs without a receipt replayed as one committed before.
#[derive(Debug, Clone, Copy)]
pub struct Phase {
    pub prefix: &'static str,
    pub dice_from: u64,
}

impl Offered {
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
/// `i mod tills` with the id `{prefix}-{dice_from}-{i}`.
pub async fn receipts(
    clients: &[reqwest::Client],
    base: &Url,
    shop: &Arc<Shop>,
    phase: Phase,
    rate: u32,
    duration: Duration,
) -> anyhow::Result<Offered> {
    let (clients, base, shop) = (clients.to_vec(), base.clone(), shop.clone());
    let (start, tasks) = paced(rate, duration, move |i| {
        let client = clients[(i % clients.len() as u64) as usize].clone();
        let (base, shop) = (base.clone(), shop.clone());
        async move {
            let mut dice = Dice::nth(phase.dice_from + i);
            let customer = &shop.customers[dice.roll(shop.customers.len() as u64) as usize];
            let id = format!("{}-{}-{i}", phase.prefix, phase.dice_from);
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
    Ok(Offered {
        load: Load::from_outcomes(start, &outcomes),
        refused,
        failures,
    })
}

/// Tills sending a shop's receipts at an offered rate, phase after phase.
pub struct Counter {
    pub shop: Arc<Shop>,
    pub clients: Vec<reqwest::Client>,
    pub base: Url,
}

impl Counter {
    /// The shop's tills, each with a client of its own key, at `base`.
    pub fn new(shop: Shop, base: Url) -> anyhow::Result<Counter> {
        Ok(Counter {
            clients: shop
                .keys
                .iter()
                .map(|k| till::client(k))
                .collect::<anyhow::Result<_>>()?,
            shop: Arc::new(shop),
            base,
        })
    }

    /// Receipts at `rate` for `duration`, their ids and customers drawn
    /// from the phase's own series.
    pub async fn play(
        &self,
        phase: (&'static str, u64),
        rate: u32,
        duration: Duration,
    ) -> anyhow::Result<Offered> {
        let (prefix, seed) = phase;
        let phase = Phase {
            prefix,
            dice_from: seed * 10_000_000,
        };
        receipts(&self.clients, &self.base, &self.shop, phase, rate, duration).await
    }
}
