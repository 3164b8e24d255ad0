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

/// Receipts at `rate` a second for `duration`, the `i`th sent by till
/// `i mod tills`.
pub async fn receipts(
    clients: &[reqwest::Client],
    base: &Url,
    shop: &Arc<Shop>,
    rate: u32,
    duration: Duration,
) -> anyhow::Result<Offered> {
    let (clients, base, shop) = (clients.to_vec(), base.clone(), shop.clone());
    let (start, tasks) = paced(rate, duration, move |i| {
        let client = clients[(i % clients.len() as u64) as usize].clone();
        let (base, shop) = (base.clone(), shop.clone());
        async move {
            // Far from the closed loop's sequences, so other customers.
            let mut dice = Dice::nth(1_000_000 + i);
            let customer = &shop.customers[dice.roll(shop.customers.len() as u64) as usize];
            let (flow, _) =
                till::receipt(&client, &base, customer, &mut dice, &format!("O-{i}")).await;
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
