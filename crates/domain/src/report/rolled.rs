//! Every table of figures a span of commits adds to, rolled up at once:
//! adding a later span's figures is what keeping them does to the tables,
//! so figures kept a span at a time equal figures rebuilt from all spans.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::customer_months::{CustomerMonth, customer_months, first_month_changed};
use super::figures::{DayFigures, DisplacedFirst, ReceiptFact, ReturnFact, roll_up};
use super::products::{
    CustomerProduct, CustomerProductKey, LineFact, ProductDay, ProductKey, ReturnLineFact, add_at,
    customer_products, product_days,
};
use crate::ids::{CustomerId, StoreId};

/// What was committed within a span of time, each kind in the order it
/// was committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub receipts: Vec<ReceiptFact>,
    pub returns: Vec<ReturnFact>,
    /// The receipts' lines.
    pub lines: Vec<LineFact>,
    /// The returns' lines.
    pub returned: Vec<ReturnLineFact>,
    /// First purchases counted before that a receipt here came before.
    pub displaced: Vec<DisplacedFirst>,
}

/// What a span of facts adds to each table of figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolledUp {
    pub store_days: BTreeMap<(Date, StoreId), DayFigures>,
    pub customer_months: BTreeMap<(CustomerId, Date, StoreId), CustomerMonth>,
    pub customer_products: BTreeMap<CustomerProductKey, CustomerProduct>,
    pub product_days: BTreeMap<ProductKey, ProductDay>,
    /// The first month whose figures of the whole chain the span changes:
    /// those kept from it on are counted again.
    pub months_changed_from: Option<Date>,
}

impl RolledUp {
    /// The facts' figures, each day and month read in its store's zone, a
    /// first purchase's month in the shop's (`shop`) as well.
    pub fn of(facts: &Facts, zone_of: impl Fn(StoreId) -> TimeZone, shop: &TimeZone) -> RolledUp {
        RolledUp {
            store_days: roll_up(&facts.receipts, &facts.returns, &facts.displaced, &zone_of),
            customer_months: customer_months(&facts.receipts, &zone_of),
            customer_products: customer_products(&facts.lines, &zone_of),
            product_days: product_days(&facts.lines, &facts.returned, &zone_of),
            months_changed_from: first_month_changed(&facts.receipts, &zone_of, shop),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.store_days.is_empty()
            && self.customer_months.is_empty()
            && self.customer_products.is_empty()
            && self.product_days.is_empty()
    }

    /// Adds the figures of a later span, as keeping them adds to the tables.
    pub fn add(&mut self, later: RolledUp) {
        self.months_changed_from = self
            .months_changed_from
            .into_iter()
            .chain(later.months_changed_from)
            .min();
        for (key, figures) in later.store_days {
            add_at(&mut self.store_days, key, figures, |kept, more| {
                *kept += more
            });
        }
        for (key, figures) in later.customer_months {
            add_at(&mut self.customer_months, key, figures, |kept, more| {
                *kept += more
            });
        }
        for (key, figures) in later.customer_products {
            add_at(
                &mut self.customer_products,
                key,
                figures,
                CustomerProduct::add,
            );
        }
        for (key, figures) in later.product_days {
            add_at(&mut self.product_days, key, figures, ProductDay::add);
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use proptest::prelude::*;

    use super::*;

    fn zone(store: StoreId) -> TimeZone {
        match store.0 {
            2 => TimeZone::get("Asia/Yekaterinburg").unwrap(),
            _ => TimeZone::get("Europe/Moscow").unwrap(),
        }
    }

    /// A drawn line: its sku, name and category (each of a few), amount.
    type DrawnLine = (usize, usize, Option<usize>, i64);

    /// One commit: a receipt with its lines, or a return of lines.
    fn commit(
        returned: bool,
        store: i64,
        minutes: i64,
        customer: Option<i64>,
        drawn: Vec<DrawnLine>,
    ) -> Facts {
        let store_id = StoreId(store);
        let created_at = Timestamp::from_second(1_780_000_000 + minutes * 60).unwrap();
        let total: i64 = drawn.iter().map(|l| l.3).sum();
        let sku = |n: usize| ["milk", "bread", "tea", "salt"][n].to_owned();
        let name = |n: usize| ["Первое", "Второе", "Третье"][n].to_owned();
        let category = |n: Option<usize>| n.map(|n| ["dairy", "bakery"][n].to_owned());
        if returned {
            return Facts {
                returns: vec![ReturnFact {
                    store_id,
                    created_at,
                    refund_minor: total,
                    points_returned: 0,
                    points_taken_back: total / 100,
                }],
                returned: drawn
                    .into_iter()
                    .map(|(s, n, c, amount)| ReturnLineFact {
                        store_id,
                        created_at,
                        sku: sku(s),
                        name: name(n),
                        category: category(c),
                        quantity_milli: 1_000,
                        refund_minor: amount,
                    })
                    .collect(),
                ..Facts::default()
            };
        }
        let customer_id = customer.map(CustomerId);
        Facts {
            receipts: vec![ReceiptFact {
                store_id,
                customer_id,
                created_at,
                total_minor: total,
                discount_minor: total / 10,
                points_accrued: total / 100,
                points_paid: total / 50,
                first_purchase: customer == Some(1),
            }],
            lines: drawn
                .into_iter()
                .map(|(s, n, c, amount)| LineFact {
                    store_id,
                    customer_id,
                    created_at,
                    sku: sku(s),
                    name: name(n),
                    category: category(c),
                    quantity_milli: 500 + amount % 3_000,
                    amount_minor: amount,
                    discount_minor: amount / 10,
                    points_paid: amount / 50,
                    points_accrued: amount / 100,
                })
                .collect(),
            ..Facts::default()
        }
    }

    fn commits() -> impl Strategy<Value = Vec<Facts>> {
        let line = (
            0usize..4,
            0usize..3,
            proptest::option::of(0usize..2),
            1i64..100_000,
        );
        let one = (
            proptest::bool::weighted(0.25),
            1i64..4,
            0i64..200_000,
            proptest::option::of(1i64..8),
            proptest::collection::vec(line, 1..5),
        );
        proptest::collection::vec(one, 0..40).prop_map(|drawn| {
            drawn
                .into_iter()
                .map(|(returned, store, minutes, customer, lines)| {
                    commit(returned, store, minutes, customer, lines)
                })
                .collect()
        })
    }

    /// The commits as one span, in their order.
    fn span(commits: &[Facts]) -> Facts {
        let mut all = Facts::default();
        for one in commits {
            all.receipts.extend(one.receipts.iter().cloned());
            all.returns.extend(one.returns.iter().cloned());
            all.lines.extend(one.lines.iter().cloned());
            all.returned.extend(one.returned.iter().cloned());
        }
        all
    }

    proptest! {
        /// Every table kept a span at a time, the commits cut into spans
        /// anywhere, equals the table rebuilt from all of them at once.
        #[test]
        fn kept_in_batches_equals_rebuilt_at_once(
            commits in commits(),
            cuts in proptest::collection::btree_set(0usize..40, 0..4),
        ) {
            let mut kept = RolledUp::default();
            let mut start = 0;
            for cut in cuts.into_iter().map(|c| c.min(commits.len())).chain([commits.len()]) {
                if cut > start {
                    kept.add(RolledUp::of(&span(&commits[start..cut]), zone, &zone(StoreId(1))));
                    start = cut;
                }
            }
            let rebuilt = RolledUp::of(&span(&commits), zone, &zone(StoreId(1)));
            prop_assert_eq!(&kept, &rebuilt);
            prop_assert_eq!(kept.is_empty(), commits.is_empty());
            let sold: i64 = rebuilt.product_days.values().map(|d| d.figures.amount_minor).sum();
            let bought: i64 = rebuilt.customer_products.values().map(|p| p.figures.amount_minor).sum();
            let revenue: i64 = rebuilt.store_days.values().map(|d| d.revenue_minor).sum();
            let spent: i64 = rebuilt.customer_months.values().map(|m| m.revenue_minor).sum();
            let all = span(&commits);
            prop_assert_eq!(revenue, all.receipts.iter().map(|r| r.total_minor).sum::<i64>());
            prop_assert_eq!(sold, all.lines.iter().map(|l| l.amount_minor).sum::<i64>());
            let identified = |l: &&LineFact| l.customer_id.is_some();
            prop_assert_eq!(
                bought,
                all.lines.iter().filter(identified).map(|l| l.amount_minor).sum::<i64>()
            );
            prop_assert_eq!(
                spent,
                all.receipts.iter().filter(|r| r.customer_id.is_some()).map(|r| r.total_minor).sum::<i64>()
            );
        }
    }
}
