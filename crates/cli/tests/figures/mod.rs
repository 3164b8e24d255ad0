//! What the figures' reads must answer, counted from the receipts
//! themselves: their rows read by plain SQL through the engine's own
//! driver, summed here, each day read in its store's time zone.

use std::collections::BTreeMap;

use clientele_domain::CustomerId;
use clientele_domain::report::{CustomerMonth, DayFigures, ProductFigures};
use clientele_store::{CohortMonth, ProductBuyer, ProductTotal, VisitorMonth};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sqlx::{AssertSqlSafe, Connection};

/// The rows `from` (a table, or joins) answers, each its `columns` as text
/// (∅ for NULL), sorted.
async fn rows(url: &str, columns: &[String], from: &str) -> Vec<Vec<String>> {
    let each: Vec<String> = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '∅')"))
        .collect();
    let sql = format!("SELECT {} AS line FROM {from}", each.join(" || '|' || "));
    let lines: Vec<String> = if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap()
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap()
    };
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .map(|line| line.split('|').map(str::to_owned).collect())
        .collect();
    rows.sort();
    rows
}

fn names(key: &[&str], sums: &[&str]) -> Vec<String> {
    key.iter().chain(sums).map(|c| (*c).to_owned()).collect()
}

/// Every table of figures, row by row (the whole chain's months as kept).
pub async fn tables(url: &str) -> Vec<Vec<Vec<String>>> {
    let bought = &ProductFigures::NAMES[..ProductFigures::BOUGHT];
    vec![
        rows(
            url,
            &names(&["day", "store_id"], &DayFigures::NAMES),
            "store_days",
        )
        .await,
        rows(
            url,
            &names(&["customer_id", "month", "store_id"], &CustomerMonth::NAMES),
            "customer_months",
        )
        .await,
        rows(
            url,
            &names(
                &["customer_id", "day", "store_id", "sku", "category"],
                bought,
            ),
            "customer_products",
        )
        .await,
        rows(
            url,
            &names(
                &["day", "store_id", "sku", "name", "category"],
                &ProductFigures::NAMES,
            ),
            "product_days",
        )
        .await,
        rows(
            url,
            &names(
                &["month", "zone"],
                &["new_customers", "loyal_customers", "other_customers"],
            ),
            "month_visitors WHERE counted = changes",
        )
        .await,
        rows(
            url,
            &names(&["c.month", "c.cohort"], &["c.customers"]),
            "cohort_months c JOIN month_visitors v ON v.month = c.month AND v.counted = v.changes",
        )
        .await,
    ]
}

/// A time column as microseconds since 1970, as either engine keeps it.
fn micros(url: &str, column: &str) -> String {
    if url.starts_with("sqlite:") {
        column.to_owned()
    } else {
        format!("CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS bigint)")
    }
}

fn int(text: &str) -> i64 {
    text.parse().unwrap()
}

fn or_null(text: &str) -> Option<&str> {
    (text != "∅").then_some(text)
}

fn time(text: &str) -> Timestamp {
    Timestamp::from_microsecond(int(text)).unwrap()
}

struct Receipt {
    customer: Option<i64>,
    store: i64,
    at: Timestamp,
}

/// A line sold, in the order committed (its receipt's id, then its own).
struct Sold {
    order: (i64, i64),
    customer: Option<i64>,
    store: i64,
    at: Timestamp,
    sku: String,
    name: String,
    category: Option<String>,
    figures: ProductFigures,
}

struct Returned {
    store: i64,
    at: Timestamp,
    sku: String,
    quantity_milli: i64,
    refund_minor: i64,
}

/// The receipts, their lines and what was returned, as the tables hold them.
pub struct Committed {
    receipts: Vec<Receipt>,
    sold: Vec<Sold>,
    returned: Vec<Returned>,
    first_purchases: BTreeMap<i64, Timestamp>,
    zones: BTreeMap<i64, TimeZone>,
    shop: TimeZone,
}

impl Committed {
    /// Reads them, with each store's zone and the shop's.
    pub async fn read(url: &str, zones: BTreeMap<i64, TimeZone>, shop: TimeZone) -> Committed {
        let columns = |c: &[&str]| c.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let mut receipt = columns(&["customer_id", "store_id"]);
        receipt.push(micros(url, "created_at"));
        let receipts = rows(url, &receipt, "receipts").await;
        let mut line = columns(&["r.id", "l.line", "r.customer_id", "r.store_id"]);
        line.push(micros(url, "r.created_at"));
        line.extend(columns(&[
            "l.sku",
            "l.name",
            "l.category",
            "l.quantity_milli",
            "l.amount_minor",
            "l.discount_minor",
            "l.points_paid",
            "l.points_accrued",
        ]));
        let lines = rows(
            url,
            &line,
            "receipts r JOIN receipt_lines l ON l.receipt_key = r.id",
        )
        .await;
        let mut back = vec![micros(url, "rt.created_at")];
        back.extend(columns(&[
            "t.store_id",
            "li.sku",
            "rl.quantity_milli",
            "rl.refund_minor",
        ]));
        let returned = rows(
            url,
            &back,
            "returns rt JOIN tills t ON t.id = rt.till_id
             JOIN return_lines rl ON rl.return_key = rt.id
             JOIN receipt_lines li ON li.receipt_key = rl.receipt_key AND li.line = rl.line",
        )
        .await;
        let first = vec!["customer_id".into(), micros(url, "first_purchase_at")];
        let firsts = rows(
            url,
            &first,
            "customer_loyalty WHERE first_purchase_at IS NOT NULL",
        )
        .await;
        Committed {
            receipts: receipts
                .iter()
                .map(|r| Receipt {
                    customer: or_null(&r[0]).map(int),
                    store: int(&r[1]),
                    at: time(&r[2]),
                })
                .collect(),
            sold: lines
                .iter()
                .map(|l| Sold {
                    order: (int(&l[0]), int(&l[1])),
                    customer: or_null(&l[2]).map(int),
                    store: int(&l[3]),
                    at: time(&l[4]),
                    sku: l[5].clone(),
                    name: l[6].clone(),
                    category: or_null(&l[7]).map(str::to_owned),
                    figures: ProductFigures {
                        quantity_milli: int(&l[8]),
                        amount_minor: int(&l[9]),
                        discount_minor: int(&l[10]),
                        points_paid: int(&l[11]),
                        points_accrued: int(&l[12]),
                        lines: 1,
                        ..ProductFigures::default()
                    },
                })
                .collect(),
            returned: returned
                .iter()
                .map(|r| Returned {
                    at: time(&r[0]),
                    store: int(&r[1]),
                    sku: r[2].clone(),
                    quantity_milli: int(&r[3]),
                    refund_minor: int(&r[4]),
                })
                .collect(),
            first_purchases: firsts.iter().map(|f| (int(&f[0]), time(&f[1]))).collect(),
            zones,
            shop,
        }
    }

    fn day(&self, store: i64, at: Timestamp) -> Date {
        at.to_zoned(self.zones[&store].clone()).date()
    }

    fn month(&self, store: i64, at: Timestamp) -> Date {
        self.day(store, at).first_of_month()
    }

    /// Each customer's receipts per month in `stores`, the months of
    /// `from` to `to`.
    fn visits(&self, from: Date, to: Date, stores: &[i64]) -> BTreeMap<(Date, i64), i64> {
        let mut visits = BTreeMap::new();
        for r in &self.receipts {
            let month = self.month(r.store, r.at);
            if let Some(customer) = r.customer
                && stores.contains(&r.store)
                && (from.first_of_month()..=to).contains(&month)
            {
                *visits.entry((month, customer)).or_insert(0) += 1;
            }
        }
        visits
    }

    pub fn visitor_months(&self, from: Date, to: Date, stores: &[i64]) -> Vec<VisitorMonth> {
        let mut months: BTreeMap<Date, VisitorMonth> = BTreeMap::new();
        for ((month, customer), receipts) in self.visits(from, to, stores) {
            let counted = months.entry(month).or_insert(VisitorMonth {
                month,
                new: 0,
                loyal: 0,
                other: 0,
            });
            let first = self
                .first_purchases
                .get(&customer)
                .map(|at| at.to_zoned(self.shop.clone()).date().first_of_month());
            if first == Some(month) {
                counted.new += 1;
            } else if receipts >= 2 {
                counted.loyal += 1;
            } else {
                counted.other += 1;
            }
        }
        months.into_values().collect()
    }

    pub fn cohorts(&self, from: Date, to: Date, stores: &[i64]) -> Vec<CohortMonth> {
        let mut firsts: BTreeMap<i64, Date> = BTreeMap::new();
        for r in &self.receipts {
            if let Some(customer) = r.customer {
                let month = self.month(r.store, r.at);
                let first = firsts.entry(customer).or_insert(month);
                *first = (*first).min(month);
            }
        }
        let mut cohorts: BTreeMap<(Date, Date), i64> = BTreeMap::new();
        for (month, customer) in self.visits(from, to, stores).into_keys() {
            let cohort = firsts[&customer];
            if cohort >= from.first_of_month() {
                *cohorts.entry((cohort, month)).or_insert(0) += 1;
            }
        }
        cohorts
            .into_iter()
            .map(|((cohort, month), customers)| CohortMonth {
                cohort,
                month,
                customers,
            })
            .collect()
    }

    pub fn product_figures(&self, from: Date, to: Date, stores: &[i64]) -> Vec<ProductTotal> {
        let within = |store: i64, at: Timestamp| {
            stores.contains(&store) && (from..=to).contains(&self.day(store, at))
        };
        let mut products: BTreeMap<String, ProductFigures> = BTreeMap::new();
        // Named by the last sale of the latest day and store.
        let mut named: BTreeMap<String, &Sold> = BTreeMap::new();
        let latest = |line: &Sold| (self.day(line.store, line.at), line.store, line.order);
        for line in self.sold.iter().filter(|l| within(l.store, l.at)) {
            *products.entry(line.sku.clone()).or_default() += line.figures;
            let kept = named.entry(line.sku.clone()).or_insert(line);
            if latest(line) > latest(kept) {
                *kept = line;
            }
        }
        for back in self.returned.iter().filter(|r| within(r.store, r.at)) {
            let figures = products.entry(back.sku.clone()).or_default();
            figures.returned_quantity_milli += back.quantity_milli;
            figures.refunds_minor += back.refund_minor;
        }
        let mut totals: Vec<ProductTotal> = products
            .into_iter()
            .map(|(sku, figures)| {
                let line = named[&sku];
                ProductTotal {
                    name: line.name.clone(),
                    category: line.category.clone(),
                    sku,
                    figures,
                }
            })
            .collect();
        totals.sort_by(|a, b| {
            (b.figures.amount_minor, &a.sku).cmp(&(a.figures.amount_minor, &b.sku))
        });
        totals
    }

    pub fn product_buyers(
        &self,
        (from, to): (Date, Date),
        skus: &[&str],
        categories: &[&str],
        stores: &[i64],
        limit: usize,
    ) -> Vec<ProductBuyer> {
        let mut buyers: BTreeMap<i64, ProductBuyer> = BTreeMap::new();
        for line in &self.sold {
            let day = self.day(line.store, line.at);
            let asked = skus.contains(&line.sku.as_str())
                || line
                    .category
                    .as_deref()
                    .is_some_and(|c| categories.contains(&c));
            let Some(customer) = line.customer else {
                continue;
            };
            if !asked || !stores.contains(&line.store) || !(from..=to).contains(&day) {
                continue;
            }
            let buyer = buyers.entry(customer).or_insert(ProductBuyer {
                customer_id: CustomerId(customer),
                quantity_milli: 0,
                amount_minor: 0,
                last_day: day,
            });
            buyer.quantity_milli += line.figures.quantity_milli;
            buyer.amount_minor += line.figures.amount_minor;
            buyer.last_day = buyer.last_day.max(day);
        }
        let mut buyers: Vec<ProductBuyer> = buyers.into_values().collect();
        buyers.sort_by_key(|b| (-b.amount_minor, b.customer_id.0));
        buyers.truncate(limit);
        buyers
    }
}
