//! Demo receipts: a year of shopping by the demo customers at a till in
//! each demo store, priced and written by the same code as a till's commit
//! (so points, tiers and figures are what they would be), in bulk.

use clientele_domain::pricing::BasketLine;
use clientele_domain::quantity::Quantity;
use clientele_domain::{CustomerId, StoreKind};
use clientele_store::{CommitOutcome, ReceiptCommit};
use jiff::civil::Date;
use jiff::tz::TimeZone;
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
/// Sets the receipts' draws apart from the customers'.
const RECEIPT_SEED: u64 = 0x2545_F491_4F6C_DD1D;

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
    year: Year,
    /// Tells one run's receipt ids from another's (the receipts themselves
    /// do not depend on it).
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
            customers: self.all_customer_ids().await?,
            year: Year::new(now, self.clock().zone()),
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
            // Receipt `i` is the same in every run: the data is deterministic.
            let mut rng = Mix(i ^ RECEIPT_SEED);
            let till = shop.tills[rng.below(shop.tills.len())];
            let customer = if shop.customers.is_empty() || !rng.chance(IDENTIFIED) {
                CustomerRef::Anonymous
            } else {
                CustomerRef::Id(shop.customers[rng.skewed(shop.customers.len())])
            };
            let request = ReceiptRequest {
                receipt_id: format!("{}-{i:06}", shop.run),
                created_at: shop.year.when(i, shop.count, &mut rng),
                store_id: Some(till.store_id),
                hold_id: None,
                basket: BasketRequest {
                    customer,
                    lines: demo_basket(&mut rng),
                    points_to_pay: 0,
                    certificates: Vec::new(),
                    coupons: Vec::new(),
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
        let existing = self.db().staff().tills().await?;
        let mut tills = Vec::new();
        for store in self.db().directory().stores().await? {
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

    /// Every customer's id, in order.
    pub(crate) async fn all_customer_ids(&self) -> AppResult<Vec<CustomerId>> {
        const PAGE: u32 = 100_000;
        let mut ids = Vec::new();
        let mut after = CustomerId(0);
        loop {
            let page = self.db().jobs().customer_ids(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = *last;
            ids.extend(page);
        }
        Ok(ids)
    }
}

/// The shop's last year, day by day, with each day's share of the receipts:
/// busier at the weekend and in December, quieter in the New Year holidays,
/// and growing over the year, as a shop that is doing well.
struct Year {
    zone: TimeZone,
    /// The first day; the last is today.
    first: Date,
    /// The receipts' shares summed up to and including each day.
    cumulative: Vec<f64>,
    now: Timestamp,
}

/// When the shops open and close, local time.
const OPENS: (i8, i8) = (9, 0);
const CLOSES: (i8, i8) = (22, 0);
/// Receipts per weekday, Monday first, against an ordinary Thursday.
const WEEKDAY_SHARE: [f64; 7] = [0.85, 0.9, 0.95, 1.0, 1.15, 1.3, 1.1];

impl Year {
    fn new(now: Timestamp, zone: &TimeZone) -> Year {
        let today = now.to_zoned(zone.clone()).date();
        let first = today - jiff::Span::new().days(365);
        let mut total = 0.0;
        let cumulative = (0..=365)
            .map(|n| {
                let day = first + jiff::Span::new().days(n);
                let (open, close) = Year::hours(day, zone);
                let open_so_far = match now.duration_since(open).as_secs_f64()
                    / close.duration_since(open).as_secs_f64()
                {
                    share if share > 0.0 => share.min(1.0),
                    _ => 0.0,
                };
                let season = match (day.month(), day.day()) {
                    (12, _) => 1.25,
                    (1, 1..=8) => 0.7,
                    _ => 1.0,
                };
                let weekday = WEEKDAY_SHARE[day.weekday().to_monday_zero_offset() as usize];
                let growth = 0.8 + 0.4 * f64::from(n) / 365.0;
                total += weekday * season * growth * open_so_far;
                total
            })
            .collect();
        Year {
            zone: zone.clone(),
            first,
            cumulative,
            now,
        }
    }

    fn hours(day: Date, zone: &TimeZone) -> (Timestamp, Timestamp) {
        let at = |(hour, minute): (i8, i8)| {
            day.at(hour, minute, 0, 0)
                .to_zoned(zone.clone())
                .map_or(Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp())
        };
        (at(OPENS), at(CLOSES))
    }

    /// Receipt `i` of `count`, oldest first: its day by the days' shares,
    /// its time within the opening hours, give or take a few minutes, never
    /// later than a minute ago.
    fn when(&self, i: u64, count: u64, rng: &mut Mix) -> Timestamp {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let wanted = (i as f64 + 0.5) / count.max(1) as f64 * total;
        let n = self
            .cumulative
            .partition_point(|&sum| sum < wanted)
            .min(self.cumulative.len() - 1);
        let before = if n == 0 { 0.0 } else { self.cumulative[n - 1] };
        let share = self.cumulative[n] - before;
        let within = if share > 0.0 {
            (wanted - before) / share
        } else {
            0.0
        };
        let (open, close) = Year::hours(self.first + jiff::Span::new().days(n as i64), &self.zone);
        let open_for = close.duration_since(open).as_secs_f64();
        let jitter = rng.below(600) as i64 - 300;
        let at = open
            + SignedDuration::from_secs((within * open_for) as i64 + jitter).clamp(
                SignedDuration::ZERO,
                SignedDuration::from_secs_f64(open_for - 60.0),
            );
        at.min(self.now - SignedDuration::from_mins(1))
    }
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
    fn receipts_run_oldest_first_within_the_last_year_in_opening_hours() {
        let zone = TimeZone::get("Europe/Moscow").unwrap();
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let year = Year::new(now, &zone);
        let count = 20_000;
        let times: Vec<Timestamp> = (0..count)
            .map(|i| year.when(i, count, &mut Mix(i)))
            .collect();
        let a_year_ago = now - SignedDuration::from_hours(24 * 366);
        assert!(times.iter().all(|t| *t < now && *t > a_year_ago));
        assert!(times.windows(2).filter(|w| w[0] > w[1]).count() < count as usize / 5);
        let mut per_weekday = [0u32; 7];
        for time in &times {
            let local = time.to_zoned(zone.clone());
            assert!((9..22).contains(&local.hour()), "{local}");
            per_weekday[local.weekday().to_monday_zero_offset() as usize] += 1;
        }
        assert!(per_weekday[5] > per_weekday[0] * 5 / 4, "{per_weekday:?}");
        let today = now.to_zoned(zone.clone()).date();
        let today_so_far = times
            .iter()
            .filter(|t| t.to_zoned(zone.clone()).date() == today)
            .count();
        assert!(today_so_far > 0, "the shop has sold something today");
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
