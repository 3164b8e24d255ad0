//! Each identified customer's months, per store: what cohorts and visitors
//! are counted from without reading a receipt.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::figures::ReceiptFact;
use super::sums::sums;
use crate::ids::{CustomerId, StoreId};

sums! {
    /// What a customer bought in a store in a month.
    CustomerMonth {
        receipts,
        revenue_minor,
        discount_minor,
        points_paid,
        points_accrued,
    }
}

impl From<&ReceiptFact> for CustomerMonth {
    fn from(r: &ReceiptFact) -> CustomerMonth {
        CustomerMonth {
            receipts: 1,
            revenue_minor: r.total_minor,
            discount_minor: r.discount_minor,
            points_paid: r.points_paid,
            points_accrued: r.points_accrued,
        }
    }
}

/// The months (each its first day, in the store's zone) the receipts of
/// identified customers fall in, by customer, month and store; anonymous
/// receipts have no customer to count. Returns leave a customer's months
/// alone: they count purchases, the visits a customer made.
pub fn customer_months(
    receipts: &[ReceiptFact],
    zone_of: impl Fn(StoreId) -> TimeZone,
) -> BTreeMap<(CustomerId, Date, StoreId), CustomerMonth> {
    let mut months: BTreeMap<_, CustomerMonth> = BTreeMap::new();
    for receipt in receipts {
        let Some(customer) = receipt.customer_id else {
            continue;
        };
        let month = receipt
            .created_at
            .to_zoned(zone_of(receipt.store_id))
            .date()
            .first_of_month();
        *months
            .entry((customer, month, receipt.store_id))
            .or_default() += receipt.into();
    }
    months
}

/// The first month whose figures of the whole chain (who bought, new or
/// not; the cohorts) the receipts change: the earliest a customer's month
/// is added to, or a first purchase now falls in, read in the shop's zone
/// (`shop`) as new customers are. Every later month may change with it: a
/// customer's first month and first purchase shape them all.
pub fn first_month_changed(
    receipts: &[ReceiptFact],
    zone_of: impl Fn(StoreId) -> TimeZone,
    shop: &TimeZone,
) -> Option<Date> {
    let month = |receipt: &ReceiptFact, zone: TimeZone| {
        receipt.created_at.to_zoned(zone).date().first_of_month()
    };
    receipts
        .iter()
        .filter(|r| r.customer_id.is_some())
        .flat_map(|r| {
            let first = r.first_purchase.then(|| month(r, shop.clone()));
            [Some(month(r, zone_of(r.store_id))), first]
        })
        .flatten()
        .min()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_customers_receipts_count_in_their_stores_month() {
        let receipt = |customer: Option<i64>, at: &str, total: i64| ReceiptFact {
            store_id: StoreId(1),
            customer_id: customer.map(CustomerId),
            created_at: at.parse().unwrap(),
            total_minor: total,
            discount_minor: 10,
            points_accrued: 5,
            points_paid: 0,
            first_purchase: false,
        };
        // 21:30 UTC on the 30th of November is December in Moscow.
        let receipts = [
            receipt(Some(7), "2026-11-30T21:30:00Z", 1_000),
            receipt(Some(7), "2026-12-15T10:00:00Z", 500),
            receipt(Some(7), "2026-11-30T20:30:00Z", 300),
            receipt(None, "2026-12-15T10:00:00Z", 900),
        ];
        let months = customer_months(&receipts, |_| TimeZone::get("Europe/Moscow").unwrap());
        let december = months[&(CustomerId(7), date(2026, 12, 1), StoreId(1))];
        assert_eq!(
            (
                december.receipts,
                december.revenue_minor,
                december.discount_minor
            ),
            (2, 1_500, 20)
        );
        assert_eq!(
            months[&(CustomerId(7), date(2026, 11, 1), StoreId(1))].receipts,
            1
        );
        assert_eq!(months.len(), 2, "the anonymous receipt counts nowhere");
    }

    #[test]
    fn a_first_purchase_changes_the_shops_month_when_it_is_earlier() {
        let receipt = |customer: Option<i64>, at: &str, first_purchase: bool| ReceiptFact {
            store_id: StoreId(2),
            customer_id: customer.map(CustomerId),
            created_at: at.parse().unwrap(),
            total_minor: 100,
            discount_minor: 0,
            points_accrued: 0,
            points_paid: 0,
            first_purchase,
        };
        let yekaterinburg = |_: StoreId| TimeZone::get("Asia/Yekaterinburg").unwrap();
        let moscow = TimeZone::get("Europe/Moscow").unwrap();
        // 01:30 on the 1st of November in Yekaterinburg is still October
        // in Moscow, the shop's zone.
        let at = "2026-10-31T20:30:00Z";
        let changed =
            |receipts: &[ReceiptFact]| first_month_changed(receipts, yekaterinburg, &moscow);
        assert_eq!(
            changed(&[receipt(Some(7), at, false)]),
            Some(date(2026, 11, 1))
        );
        assert_eq!(
            changed(&[receipt(Some(7), at, true)]),
            Some(date(2026, 10, 1))
        );
        assert_eq!(
            changed(&[receipt(None, at, false)]),
            None,
            "an anonymous receipt changes none"
        );
    }
}
