//! The figures of products, per day (in the store's zone), store and sku:
//! every product's sales and returns, and what each identified customer
//! bought, so that reports on goods and their buyers read only these.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::sums::sums;
use crate::ids::{CustomerId, StoreId};

/// What a receipt line adds to its product's day, and to its buyer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFact {
    pub store_id: StoreId,
    /// The receipt's customer; none for an anonymous receipt.
    pub customer_id: Option<CustomerId>,
    /// The receipt's time.
    pub created_at: Timestamp,
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub quantity_milli: i64,
    pub amount_minor: i64,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
}

/// What a returned line takes back from its product's day: the day of the
/// return, in the store of the till that took it. The product is named as
/// the line returned was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnLineFact {
    pub store_id: StoreId,
    pub created_at: Timestamp,
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub quantity_milli: i64,
    pub refund_minor: i64,
}

sums! {
    /// A product's sums: what its lines sold, then what was returned.
    ProductFigures {
        quantity_milli,
        amount_minor,
        discount_minor,
        points_paid,
        points_accrued,
        lines,
        returned_quantity_milli,
        refunds_minor,
    }
}

impl ProductFigures {
    /// How many of [`ProductFigures::NAMES`] a customer's products keep:
    /// what was bought (returns count in the products' days alone).
    pub const BOUGHT: usize = 6;
}

impl From<&LineFact> for ProductFigures {
    fn from(l: &LineFact) -> ProductFigures {
        ProductFigures {
            quantity_milli: l.quantity_milli,
            amount_minor: l.amount_minor,
            discount_minor: l.discount_minor,
            points_paid: l.points_paid,
            points_accrued: l.points_accrued,
            lines: 1,
            ..ProductFigures::default()
        }
    }
}

impl From<&ReturnLineFact> for ProductFigures {
    fn from(r: &ReturnLineFact) -> ProductFigures {
        ProductFigures {
            returned_quantity_milli: r.quantity_milli,
            refunds_minor: r.refund_minor,
            ..ProductFigures::default()
        }
    }
}

/// A product's day in a store: its figures, and the name and category it
/// was last sold under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDay {
    pub name: String,
    pub category: Option<String>,
    pub figures: ProductFigures,
}

impl ProductDay {
    /// Adds figures that came later. A later sale names the product; a
    /// return names it only where nothing sold did, so that the order a
    /// batch's sales and returns are added in changes nothing (the engines
    /// keep a product's day by the same rule).
    pub fn add(&mut self, later: ProductDay) {
        if later.figures.lines > 0 {
            self.name = later.name;
            self.category = later.category;
        }
        self.figures += later.figures;
    }
}

/// A customer's product on a day in a store: what they bought of it, in
/// the category it was last sold in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerProduct {
    pub category: Option<String>,
    pub figures: ProductFigures,
}

impl CustomerProduct {
    /// Adds what the customer bought later.
    pub fn add(&mut self, later: CustomerProduct) {
        self.category = later.category;
        self.figures += later.figures;
    }
}

/// A product's key among the days: its day, store and sku.
pub type ProductKey = (Date, StoreId, String);

/// A customer's product's key: the customer, then the product's.
pub type CustomerProductKey = (CustomerId, Date, StoreId, String);

/// Adds `figures` to those kept at `key` by `add`, or keeps them there.
pub(super) fn add_at<K: Ord, V>(map: &mut BTreeMap<K, V>, key: K, figures: V, add: fn(&mut V, V)) {
    match map.entry(key) {
        Entry::Occupied(mut kept) => add(kept.get_mut(), figures),
        Entry::Vacant(new) => {
            new.insert(figures);
        }
    }
}

fn day_of(store: StoreId, at: Timestamp, zone_of: &impl Fn(StoreId) -> TimeZone) -> Date {
    at.to_zoned(zone_of(store)).date()
}

/// Each product's days in each store, from the lines sold (anonymous ones
/// included) and the lines returned, each in the order committed.
pub fn product_days(
    lines: &[LineFact],
    returned: &[ReturnLineFact],
    zone_of: impl Fn(StoreId) -> TimeZone,
) -> BTreeMap<ProductKey, ProductDay> {
    let mut days = BTreeMap::new();
    // Sold and returned alike: a product's day, named as the line names it.
    let sold = lines.iter().map(|l| {
        (
            l.store_id,
            l.created_at,
            &l.sku,
            &l.name,
            &l.category,
            l.into(),
        )
    });
    let taken_back = returned.iter().map(|l| {
        (
            l.store_id,
            l.created_at,
            &l.sku,
            &l.name,
            &l.category,
            l.into(),
        )
    });
    for (store, at, sku, name, category, figures) in sold.chain(taken_back) {
        let day = day_of(store, at, &zone_of);
        let product = ProductDay {
            name: name.clone(),
            category: category.clone(),
            figures,
        };
        add_at(
            &mut days,
            (day, store, sku.clone()),
            product,
            ProductDay::add,
        );
    }
    days
}

/// What each identified customer bought of each product, per day and
/// store, from the lines in the order committed.
pub fn customer_products(
    lines: &[LineFact],
    zone_of: impl Fn(StoreId) -> TimeZone,
) -> BTreeMap<CustomerProductKey, CustomerProduct> {
    let mut bought = BTreeMap::new();
    for line in lines {
        let Some(customer) = line.customer_id else {
            continue;
        };
        let day = day_of(line.store_id, line.created_at, &zone_of);
        let figures = CustomerProduct {
            category: line.category.clone(),
            figures: line.into(),
        };
        let key = (customer, day, line.store_id, line.sku.clone());
        add_at(&mut bought, key, figures, CustomerProduct::add);
    }
    bought
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn moscow(_: StoreId) -> TimeZone {
        TimeZone::get("Europe/Moscow").unwrap()
    }

    fn line(customer: Option<i64>, at: &str, name: &str, amount: i64) -> LineFact {
        LineFact {
            store_id: StoreId(1),
            customer_id: customer.map(CustomerId),
            created_at: at.parse().unwrap(),
            sku: "milk".into(),
            name: name.into(),
            category: Some(format!("{name} dairy")),
            quantity_milli: 2_000,
            amount_minor: amount,
            discount_minor: 100,
            points_paid: 0,
            points_accrued: 10,
        }
    }

    fn returned(at: &str, name: &str) -> ReturnLineFact {
        ReturnLineFact {
            store_id: StoreId(1),
            created_at: at.parse().unwrap(),
            sku: "milk".into(),
            name: name.into(),
            category: None,
            quantity_milli: 1_000,
            refund_minor: 450,
        }
    }

    #[test]
    fn a_products_day_is_named_by_its_last_sale() {
        let lines = [
            line(Some(1), "2026-12-01T08:00:00Z", "Молоко", 900),
            line(None, "2026-12-01T09:00:00Z", "Молоко 3,2%", 800),
        ];
        let returns = [returned("2026-12-01T10:00:00Z", "Молоко старое")];
        let days = product_days(&lines, &returns, moscow);
        let day = &days[&(date(2026, 12, 1), StoreId(1), "milk".into())];
        assert_eq!(day.name, "Молоко 3,2%");
        assert_eq!(day.category.as_deref(), Some("Молоко 3,2% dairy"));
        assert_eq!((day.figures.lines, day.figures.amount_minor), (2, 1_700));
        assert_eq!(
            (
                day.figures.returned_quantity_milli,
                day.figures.refunds_minor
            ),
            (1_000, 450)
        );
        // A day with returns alone is named by the first line returned.
        let returns = [
            returned("2026-12-05T10:00:00Z", "Первое"),
            returned("2026-12-05T11:00:00Z", "Второе"),
        ];
        let days = product_days(&[], &returns, moscow);
        assert_eq!(
            days[&(date(2026, 12, 5), StoreId(1), "milk".into())].name,
            "Первое"
        );
    }

    #[test]
    fn a_customer_buys_on_their_day_and_an_anonymous_line_counts_for_nobody() {
        let lines = [
            line(Some(1), "2026-12-01T21:30:00Z", "Молоко", 900),
            line(None, "2026-12-01T21:30:00Z", "Молоко", 800),
        ];
        let bought = customer_products(&lines, moscow);
        assert_eq!(bought.len(), 1);
        let kept = &bought[&(CustomerId(1), date(2026, 12, 2), StoreId(1), "milk".into())];
        assert_eq!((kept.figures.lines, kept.figures.amount_minor), (1, 900));
    }
}
