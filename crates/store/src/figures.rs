//! The figures an owner looks at first: how many customers, how many came
//! back lately, what the points owe, and sales by day.

use clientele_domain::StoreId;
use jiff::Timestamp;

/// What [`crate::Figures::business_figures`] counts.
#[derive(Debug, Clone)]
pub struct FiguresQuery {
    /// Only the receipts of these stores and the customers registered in
    /// them; `None`: the whole base.
    pub stores: Option<Vec<StoreId>>,
    /// Customers who bought at or after this count as active.
    pub active_since: Timestamp,
    /// Points still to expire count as owed until this moment.
    pub now: Timestamp,
    /// The days to sum receipts over, each `[start, end)`, oldest first: the
    /// caller cuts them in the shop's time zone.
    pub days: Vec<(Timestamp, Timestamp)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessFigures {
    /// Customers not archived nor merged.
    pub customers: u64,
    pub active_customers: u64,
    /// Points earned and not yet spent nor expired: what the shop owes, in
    /// hundredths of a point.
    pub points_outstanding: i64,
    /// One per day of the query, in its order.
    pub days: Vec<DaySales>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySales {
    pub receipts: u64,
    /// Receipts' totals after their discounts, in minor units.
    pub revenue_minor: i64,
    /// Money given back for returns made that day.
    pub refunds_minor: i64,
}
