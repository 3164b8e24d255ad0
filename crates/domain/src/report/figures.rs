//! The figures reports read, kept per day and store: each receipt and
//! return counted once on the day it happened in its store's time zone.
//! Rolling up is addition, so figures kept a minute at a time equal the
//! figures rebuilt from every receipt at once.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::sums::sums;
use crate::ids::{CustomerId, StoreId};

/// What a receipt adds to its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFact {
    pub store_id: StoreId,
    pub customer_id: Option<CustomerId>,
    pub created_at: Timestamp,
    pub total_minor: i64,
    pub discount_minor: i64,
    pub points_accrued: i64,
    pub points_paid: i64,
    /// The customer's first purchase ever.
    pub first_purchase: bool,
}

/// A customer's first purchase counted in an earlier roll-up that a receipt
/// rolled up since came before (a till's offline upload): the first
/// purchase moves to that receipt, and this one's day counts one fewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplacedFirst {
    pub store_id: StoreId,
    pub created_at: Timestamp,
}

/// What a return takes back from its day (the day of the return).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnFact {
    pub store_id: StoreId,
    pub created_at: Timestamp,
    pub refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
}

sums! {
    /// One store's day, every figure a sum.
    DayFigures {
        receipts,
        /// Receipts of a customer the till identified.
        identified_receipts,
        revenue_minor,
        identified_revenue_minor,
        discount_minor,
        points_accrued,
        points_paid,
        /// Customers whose first purchase ever it was.
        first_purchases,
        returns,
        refunds_minor,
        points_returned,
        points_taken_back,
    }
}

impl From<&ReceiptFact> for DayFigures {
    fn from(r: &ReceiptFact) -> DayFigures {
        let identified = r.customer_id.is_some();
        DayFigures {
            receipts: 1,
            identified_receipts: i64::from(identified),
            revenue_minor: r.total_minor,
            identified_revenue_minor: if identified { r.total_minor } else { 0 },
            discount_minor: r.discount_minor,
            points_accrued: r.points_accrued,
            points_paid: r.points_paid,
            first_purchases: i64::from(r.first_purchase),
            ..DayFigures::default()
        }
    }
}

impl From<&ReturnFact> for DayFigures {
    fn from(r: &ReturnFact) -> DayFigures {
        DayFigures {
            returns: 1,
            refunds_minor: r.refund_minor,
            points_returned: r.points_returned,
            points_taken_back: r.points_taken_back,
            ..DayFigures::default()
        }
    }
}

/// The figures of each store's day the facts fall on, the day read in the
/// store's zone (`zone_of`).
pub fn roll_up(
    receipts: &[ReceiptFact],
    returns: &[ReturnFact],
    displaced: &[DisplacedFirst],
    zone_of: impl Fn(StoreId) -> TimeZone,
) -> BTreeMap<(Date, StoreId), DayFigures> {
    let mut days: BTreeMap<(Date, StoreId), DayFigures> = BTreeMap::new();
    let mut add = |store: StoreId, at: Timestamp, figures: DayFigures| {
        let day = at.to_zoned(zone_of(store)).date();
        *days.entry((day, store)).or_default() += figures;
    };
    for receipt in receipts {
        add(receipt.store_id, receipt.created_at, receipt.into());
    }
    for taken_back in returns {
        add(
            taken_back.store_id,
            taken_back.created_at,
            taken_back.into(),
        );
    }
    for first in displaced {
        let fewer = DayFigures {
            first_purchases: -1,
            ..DayFigures::default()
        };
        add(first.store_id, first.created_at, fewer);
    }
    days
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn zone(store: StoreId) -> TimeZone {
        match store.0 {
            2 => TimeZone::get("Asia/Yekaterinburg").unwrap(),
            _ => TimeZone::get("Europe/Moscow").unwrap(),
        }
    }

    fn receipt(store: i64, at: &str, total: i64, customer: Option<i64>) -> ReceiptFact {
        ReceiptFact {
            store_id: StoreId(store),
            customer_id: customer.map(CustomerId),
            created_at: at.parse().unwrap(),
            total_minor: total,
            discount_minor: total / 10,
            points_accrued: total / 100,
            points_paid: 0,
            first_purchase: customer == Some(1),
        }
    }

    #[test]
    fn figures_read_back_from_their_values() {
        let figures = DayFigures::from_values(std::array::from_fn(|n| n as i64 * 7));
        assert_eq!(DayFigures::from_values(figures.values()), figures);
        assert_eq!(figures.refunds_minor, 63);
    }

    #[test]
    fn a_receipt_counts_on_its_stores_day() {
        // 21:30 UTC is 00:30 in Moscow the next day and 02:30 in Yekaterinburg.
        let receipts = [
            receipt(1, "2026-12-01T21:30:00Z", 10_000, Some(1)),
            receipt(1, "2026-12-01T20:30:00Z", 5_000, None),
            receipt(2, "2026-12-01T18:30:00Z", 7_000, Some(2)),
        ];
        let returns = [ReturnFact {
            store_id: StoreId(1),
            created_at: "2026-12-02T08:00:00Z".parse().unwrap(),
            refund_minor: 2_000,
            points_returned: 0,
            points_taken_back: 20,
        }];
        let days = roll_up(&receipts, &returns, &[], zone);
        let moscow_2nd = days[&(date(2026, 12, 2), StoreId(1))];
        assert_eq!(
            (
                moscow_2nd.receipts,
                moscow_2nd.identified_receipts,
                moscow_2nd.revenue_minor
            ),
            (1, 1, 10_000)
        );
        assert_eq!((moscow_2nd.first_purchases, moscow_2nd.returns), (1, 1));
        assert_eq!(moscow_2nd.refunds_minor, 2_000);
        let moscow_1st = days[&(date(2026, 12, 1), StoreId(1))];
        assert_eq!(
            (moscow_1st.receipts, moscow_1st.identified_receipts),
            (1, 0)
        );
        assert_eq!(moscow_1st.identified_revenue_minor, 0);
        // 18:30 UTC is 23:30 in Yekaterinburg: still the 1st there.
        assert_eq!(days[&(date(2026, 12, 1), StoreId(2))].receipts, 1);
        assert_eq!(days.len(), 3);
    }

    #[test]
    fn a_first_purchase_uploaded_late_moves_the_count_to_its_day() {
        // Customer 1's receipt of the 1st, uploaded after the one of the
        // 5th was rolled up as her first purchase.
        let earlier = [receipt(1, "2026-12-01T09:00:00Z", 3_000, Some(1))];
        let displaced = [DisplacedFirst {
            store_id: StoreId(1),
            created_at: "2026-12-05T09:00:00Z".parse().unwrap(),
        }];
        let days = roll_up(&earlier, &[], &displaced, zone);
        assert_eq!(days[&(date(2026, 12, 1), StoreId(1))].first_purchases, 1);
        let the_5th = days[&(date(2026, 12, 5), StoreId(1))];
        assert_eq!((the_5th.first_purchases, the_5th.receipts), (-1, 0));
    }
}
