//! The fair ceiling of `pos`: bare SQL doing what one receipt of the tills'
//! flow makes the engine do, in the same base, from as many connections as
//! there are tills, with none of HTTP, JSON, the app's rules or pricing:
//!
//! - identify's reads: the customer by phone with their account and its
//!   open lots (one statement), their usual products, their certificates;
//! - calculate's read, and the commit's own before it writes: the customer
//!   with their account, in one statement;
//! - the commit: the account read again where the engine reads it, the
//!   receipt, three lines, an accrual with the lot it opens, and on every
//!   third receipt a payment with the lot it draws from, and the account;
//! - after every tenth receipt, the till's receipt before it returned whole,
//!   with the reads and writes the engine does for it (the flow returns
//!   after a tenth of its receipts, chosen at random).
//!
//! Left out, so the ceiling errs high: the till key check and the programs
//! (both cached by the server).

mod postgres;
mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use crate::Engine;

/// A customer the tills serve.
pub struct Shopper {
    pub id: i64,
    pub phone: String,
}

/// Points a paying receipt takes from one open lot.
const PAID: i64 = 100;
/// Points every receipt accrues.
const ACCRUED: i64 = 600;
/// What every receipt costs, in minor units.
const TOTAL: i64 = 32_000;
/// Usual products an identify asks for, and certificates.
const PREFERRED: i64 = 20;
const CERTIFICATES: i64 = 20;

/// Receipts a second the bare SQL serves in `duration` on the migrated base
/// at `url`, where `shoppers` have points.
pub async fn receipts_per_s(
    engine: Engine,
    url: &str,
    shoppers: Arc<Vec<Shopper>>,
    tills: u32,
    duration: Duration,
) -> anyhow::Result<f64> {
    anyhow::ensure!(!shoppers.is_empty(), "no customers for the ceiling");
    match engine {
        Engine::Sqlite => sqlite::receipts_per_s(url, shoppers, tills, duration).await,
        Engine::Postgres => postgres::receipts_per_s(url, shoppers, tills, duration).await,
    }
}

/// The `n`th receipt of till `till`: whose it is, and whether it pays with
/// points (every third, as in the flow).
fn nth_receipt(shoppers: &[Shopper], tills: u32, till: u32, n: u64) -> (&Shopper, bool) {
    let i = n * u64::from(tills) + u64::from(till);
    (
        &shoppers[(i % shoppers.len() as u64) as usize],
        n.is_multiple_of(3),
    )
}

/// The till's id of the `n`th receipt of till `till`.
fn receipt_id(till: u32, n: u64) -> String {
    format!("F-{till}-{n}")
}

/// The receipt a till returns after its `n`th: the one before, after every
/// tenth.
fn returned_after(n: u64) -> Option<u64> {
    (n % 10 == 9).then(|| n - 1)
}

/// The first open lot, `[entry, remaining, usable_from, …]` as the account
/// read gives them, that can pay [`PAID`] now.
fn lot_to_draw(lots: &[(i64, i64, i64)], now: i64) -> Option<i64> {
    lots.iter()
        .find(|(_, remaining, usable_from)| *remaining >= PAID && *usable_from <= now)
        .map(|(entry, ..)| *entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tills_take_turns_over_the_customers_and_every_third_pays() {
        let shoppers: Vec<Shopper> = (1..=5)
            .map(|id| Shopper {
                id,
                phone: String::new(),
            })
            .collect();
        let ids: Vec<(i64, bool)> = (0..3)
            .flat_map(|n| (0..2).map(move |till| (till, n)))
            .map(|(till, n)| {
                let (s, pays) = nth_receipt(&shoppers, 2, till, n);
                (s.id, pays)
            })
            .collect();
        assert_eq!(
            ids,
            [
                (1, true),
                (2, true),
                (3, false),
                (4, false),
                (5, false),
                (1, false)
            ]
        );
    }

    #[test]
    fn every_tenth_receipt_is_followed_by_a_return_of_the_one_before() {
        let returned: Vec<(u64, u64)> = (0..30)
            .filter_map(|n| returned_after(n).map(|r| (n, r)))
            .collect();
        assert_eq!(returned, [(9, 8), (19, 18), (29, 28)]);
    }

    #[test]
    fn a_payment_draws_from_the_first_lot_that_covers_it_now() {
        let lots = [(7, 50, 0), (8, 500, 2_000), (9, 100, 1_000), (10, 900, 0)];
        assert_eq!(lot_to_draw(&lots, 1_000), Some(9));
        assert_eq!(lot_to_draw(&lots, 500), Some(10));
        assert_eq!(lot_to_draw(&lots[..2], 1_000), None);
    }
}
