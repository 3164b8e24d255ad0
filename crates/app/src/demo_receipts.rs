//! Demo receipts: a year of shopping by the demo customers at a till in
//! each demo store, priced and written by the same code as a till's commit
//! (so points, tiers and figures are what they would be), in bulk.

use clientele_domain::pricing::BasketLine;
use clientele_domain::quantity::Quantity;
use clientele_domain::{CustomerId, StoreKind};
use clientele_store::{CommitOutcome, ReceiptCommit};
use jiff::{SignedDuration, Timestamp};

use crate::audit::ChangedBy;
use crate::demo::Mix;
use crate::pos::{BasketRequest, CustomerRef, ReceiptRequest, TillRef, request_hash};
use crate::progress::Progress;
use crate::{App, AppResult};

/// Receipts written per load.
const BATCH: usize = 2_000;
/// Receipts priced at once.
const PRICED_AT_ONCE: usize = 8;
const DEMO_TILL: &str = "Демо-касса";
/// Receipts with a card or phone, per mille; the rest are anonymous.
const IDENTIFIED: usize = 750;
const MAX_LINES: usize = 19;

/// SKU, name, category, price in minor units (per kilogram when weighed),
/// weighed.
const CATALOGUE: &[(&str, &str, &str, i64, bool)] = &[
    ("1001", "Молоко 3,2% 1 л", "dairy", 8_990, false),
    ("1002", "Кефир 1% 900 г", "dairy", 7_490, false),
    ("1003", "Творог 5% 200 г", "dairy", 11_990, false),
    ("1004", "Сыр Российский", "dairy", 79_900, true),
    (
        "1005",
        "Масло сливочное 82,5% 180 г",
        "dairy",
        21_990,
        false,
    ),
    ("1006", "Йогурт клубничный 125 г", "dairy", 4_990, false),
    ("2001", "Хлеб Бородинский", "bakery", 6_490, false),
    ("2002", "Батон нарезной", "bakery", 4_990, false),
    ("2003", "Круассан", "bakery", 5_990, false),
    ("3001", "Яблоки Гала", "produce", 16_990, true),
    ("3002", "Бананы", "produce", 13_990, true),
    ("3003", "Картофель", "produce", 4_990, true),
    ("3004", "Огурцы", "produce", 19_990, true),
    ("3005", "Помидоры", "produce", 29_990, true),
    ("3006", "Лук репчатый", "produce", 3_990, true),
    ("4001", "Куриное филе", "meat", 44_990, true),
    ("4002", "Фарш говяжий 400 г", "meat", 36_990, false),
    ("4003", "Колбаса докторская", "meat", 69_900, true),
    ("4004", "Сосиски молочные 450 г", "meat", 28_990, false),
    ("5001", "Гречка 900 г", "grocery", 10_990, false),
    ("5002", "Рис круглозёрный 900 г", "grocery", 9_990, false),
    ("5003", "Макароны 450 г", "grocery", 8_490, false),
    ("5004", "Масло подсолнечное 1 л", "grocery", 15_990, false),
    ("5005", "Сахар 1 кг", "grocery", 8_990, false),
    ("5006", "Яйца С1 10 шт", "grocery", 11_990, false),
    ("5007", "Кофе молотый 250 г", "grocery", 49_990, false),
    ("5008", "Чай чёрный 100 пак.", "grocery", 32_990, false),
    ("5009", "Шоколад молочный 90 г", "sweets", 8_990, false),
    ("5010", "Печенье овсяное 300 г", "sweets", 9_490, false),
    ("6001", "Вода минеральная 1,5 л", "drinks", 5_990, false),
    ("6002", "Сок яблочный 1 л", "drinks", 12_990, false),
    ("6003", "Пиво светлое 0,5 л", "alcohol", 8_990, false),
    (
        "6004",
        "Вино красное сухое 0,75 л",
        "alcohol",
        69_900,
        false,
    ),
    ("7001", "Сигареты", "tobacco", 21_900, false),
    (
        "8001",
        "Средство для посуды 500 мл",
        "household",
        14_990,
        false,
    ),
    (
        "8002",
        "Туалетная бумага 4 рул.",
        "household",
        19_990,
        false,
    ),
    (
        "8003",
        "Стиральный порошок 3 кг",
        "household",
        69_990,
        false,
    ),
    ("9001", "Корм для кошек 85 г", "pets", 3_990, false),
];

/// What a run of demo receipts wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiptsReport {
    pub receipts: u64,
    pub lines: u64,
    pub anonymous: u64,
}

/// Where and by whom demo receipts are made.
struct Shop {
    tills: Vec<TillRef>,
    customers: Vec<CustomerId>,
    now: Timestamp,
    /// Tells one run's receipt ids from another's.
    run: u64,
    count: u64,
}

impl App {
    /// Adds `count` receipts spread over the last year, oldest first.
    pub async fn seed_demo_receipts(
        &self,
        count: u64,
        progress: &dyn Progress,
    ) -> AppResult<ReceiptsReport> {
        let now = self.clock().now();
        let shop = Shop {
            tills: self.demo_tills().await?,
            customers: self.buying_customers().await?,
            now,
            run: now.as_second().unsigned_abs(),
            count,
        };
        let mut report = ReceiptsReport::default();
        let mut next_refresh = BATCH as u64;
        progress.start("demo receipts", count);
        let mut batches = (0..count)
            .step_by(BATCH)
            .map(|from| from..(from + BATCH as u64).min(count));
        let mut next = match batches.next() {
            Some(range) => self.demo_batch(&shop, range).await?,
            None => Vec::new(),
        };
        while !next.is_empty() {
            let batch = std::mem::take(&mut next);
            report.lines += batch.iter().map(|r| r.lines.len() as u64).sum::<u64>();
            report.anonymous += batch.iter().filter(|r| r.customer.is_none()).count() as u64;
            let written = batch.len() as u64;
            // The next batch is priced while this one is written.
            let following = batches.next();
            let (outcomes, priced) =
                futures_util::future::join(self.db().load_receipts(batch), async {
                    match following {
                        Some(range) => self.demo_batch(&shop, range).await,
                        None => Ok(Vec::new()),
                    }
                })
                .await;
            report.receipts += outcomes?
                .iter()
                .filter(|o| matches!(o, CommitOutcome::Committed(_)))
                .count() as u64;
            next = priced?;
            progress.advance(written);
            // The planner must learn that the tables grew: statistics taken
            // while they were empty make it scan them whole.
            if report.receipts >= next_refresh {
                self.db().refresh_statistics().await?;
                next_refresh *= 2;
            }
        }
        self.db().refresh_statistics().await?;
        progress.finish();
        Ok(report)
    }

    /// Receipts `range` of the run, priced for their customers.
    async fn demo_batch(
        &self,
        shop: &Shop,
        range: std::ops::Range<u64>,
    ) -> AppResult<Vec<ReceiptCommit>> {
        use futures_util::{StreamExt, TryStreamExt};
        let mut requests = Vec::with_capacity(BATCH);
        for i in range {
            let mut rng = Mix(shop.run.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ i);
            let till = shop.tills[rng.below(shop.tills.len())];
            let customer = if shop.customers.is_empty() || !rng.chance(IDENTIFIED) {
                CustomerRef::Anonymous
            } else {
                CustomerRef::Id(shop.customers[rng.skewed(shop.customers.len())])
            };
            let request = ReceiptRequest {
                receipt_id: format!("demo-{}-{i}", shop.run),
                created_at: when(i, shop.count, shop.now, &mut rng),
                store_id: Some(till.store_id),
                hold_id: None,
                basket: BasketRequest {
                    customer,
                    lines: demo_basket(&mut rng),
                    points_to_pay: 0,
                    certificates: Vec::new(),
                },
            };
            requests.push((till, request));
        }
        // The reads that price a receipt overlap, as many tills' would.
        futures_util::stream::iter(requests)
            .map(|(till, request)| self.demo_commit(till, request))
            .buffered(PRICED_AT_ONCE)
            .try_collect()
            .await
    }

    /// A receipt as a till would commit it; a customer the till would
    /// refuse (blocked since) shops anonymously instead.
    async fn demo_commit(
        &self,
        till: TillRef,
        request: ReceiptRequest,
    ) -> AppResult<ReceiptCommit> {
        let hash = request_hash(&request);
        match self.prepare(till, &request, hash, false).await {
            Ok(receipt) => Ok(receipt),
            Err(_) if !matches!(request.basket.customer, CustomerRef::Anonymous) => {
                let mut anonymous = request;
                anonymous.basket.customer = CustomerRef::Anonymous;
                let hash = request_hash(&anonymous);
                self.prepare(till, &anonymous, hash, false).await
            }
            Err(refused) => Err(refused),
        }
    }

    /// A till named «Демо-касса» in each shop (not warehouse or office) of
    /// the chain, made where missing.
    async fn demo_tills(&self) -> AppResult<Vec<TillRef>> {
        let by = ChangedBy::system("demo");
        let existing = self.db().tills().await?;
        let mut tills = Vec::new();
        for store in self.db().stores().await? {
            if store.kind != StoreKind::Store {
                continue;
            }
            let till = match existing
                .iter()
                .find(|t| t.store_id == store.id && t.name == DEMO_TILL && t.revoked_at.is_none())
            {
                Some(till) => till.clone(),
                None => self.add_till(store.id, DEMO_TILL, &by).await?.0,
            };
            tills.push(TillRef {
                id: till.id,
                store_id: till.store_id,
            });
        }
        if tills.is_empty() {
            return Err(clientele_domain::ValidationErrors::one(
                "receipts",
                "no_stores",
                "demo receipts need a shop to sell in; add demo customers first",
            )
            .into());
        }
        Ok(tills)
    }

    async fn buying_customers(&self) -> AppResult<Vec<CustomerId>> {
        const PAGE: u32 = 100_000;
        let mut ids = Vec::new();
        let mut after = CustomerId(0);
        loop {
            let page = self.db().customer_ids(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = *last;
            ids.extend(page);
        }
        Ok(ids)
    }
}

/// Receipt `i` of `count`, evenly over the year before `now`, give or take
/// an hour, never later than a minute ago.
fn when(i: u64, count: u64, now: Timestamp, rng: &mut Mix) -> Timestamp {
    let year = SignedDuration::from_hours(24 * 365);
    let step = year.as_secs() as u128 * u128::from(i) / u128::from(count.max(1));
    let jitter = rng.below(3_600) as i64;
    let at = now - year + SignedDuration::from_secs(step as i64 + jitter);
    at.min(now - SignedDuration::from_mins(1))
}

/// One to nineteen lines, the cheap everyday goods most often; weighed
/// goods from 150 g to 2.5 kg.
fn demo_basket(rng: &mut Mix) -> Vec<BasketLine> {
    let lines = 1 + rng.below(MAX_LINES);
    (0..lines)
        .map(|_| {
            let (sku, name, category, price, weighed) = CATALOGUE[rng.below(CATALOGUE.len())];
            let milli = if weighed {
                150 + rng.below(2_351) as i64
            } else {
                1_000 * (1 + rng.skewed(3) as i64)
            };
            BasketLine {
                sku: sku.into(),
                name: name.into(),
                category: Some(category.into()),
                quantity: Quantity::from_milli(milli).expect("a positive quantity"),
                price_minor: price,
                amount_minor: price * milli / 1_000,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_run_oldest_first_within_the_last_year() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let times: Vec<Timestamp> = (0..1_000)
            .map(|i| when(i, 1_000, now, &mut Mix(i)))
            .collect();
        assert!(
            times
                .iter()
                .all(|t| *t < now && *t > now - SignedDuration::from_hours(24 * 366))
        );
        assert!(times.first() < times.last());
    }

    #[test]
    fn baskets_are_valid_and_ten_lines_long_on_average() {
        let mut rng = Mix(7);
        let baskets: Vec<Vec<BasketLine>> = (0..2_000).map(|_| demo_basket(&mut rng)).collect();
        let lines: usize = baskets.iter().map(Vec::len).sum();
        assert!((9_000..11_000).contains(&(lines / 2)), "{lines}");
        for basket in baskets {
            clientele_domain::pricing::Basket::parse(basket).unwrap();
        }
    }
}
