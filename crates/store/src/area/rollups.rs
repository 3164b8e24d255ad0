//! The figures reports read, kept by a job: the receipts and returns
//! committed since a mark, rolled up (in domain) and added to their days,
//! months and products.

use async_trait::async_trait;
use clientele_domain::report::{DayFigures, Facts, ProductFigures, RolledUp};
use clientele_domain::{CustomerId, StoreId};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::DbResult;
use crate::area::CustomerReach;

/// A store's day as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptDay {
    pub day: Date,
    pub store_id: StoreId,
    pub figures: DayFigures,
}

/// The customers who bought in a month, split as the sales report splits
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitorMonth {
    /// The month's first day.
    pub month: Date,
    /// Whose first purchase ever was in the month.
    pub new: i64,
    /// Not new, and bought at least twice in the month.
    pub loyal: i64,
    /// Not new, and bought once in the month.
    pub other: i64,
}

/// How many of a cohort (the customers whose first month is `cohort`)
/// bought in `month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortMonth {
    pub cohort: Date,
    pub month: Date,
    pub customers: i64,
}

/// A product's figures over a span of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductTotal {
    pub sku: String,
    /// The name and category of the product's latest day.
    pub name: String,
    pub category: Option<String>,
    pub figures: ProductFigures,
}

/// A customer who bought the goods asked for, and what they bought of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductBuyer {
    pub customer_id: CustomerId,
    pub quantity_milli: i64,
    pub amount_minor: i64,
    /// The last day they bought any of them.
    pub last_day: Date,
}

#[async_trait]
pub trait Rollups: Send + Sync {
    /// How far the figures are kept: what was committed up to it is in
    /// them, what came after is not yet. None: nothing kept yet.
    async fn figures_mark(&self) -> DbResult<Option<Timestamp>>;
    /// When the `nth` receipt committed after `after` (after none, when
    /// None) was committed, counting from 1; None when fewer were.
    async fn nth_commit_after(
        &self,
        after: Option<Timestamp>,
        nth: u64,
    ) -> DbResult<Option<Timestamp>>;
    /// How many receipts were committed after `after` up to `up_to`.
    async fn commits_between(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<u64>;
    /// The receipts and returns committed after `after` (all, when None)
    /// up to `up_to`, with their lines, each in the order committed.
    async fn facts(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<Facts>;
    /// Adds `figures` to every table of figures kept and moves the mark
    /// from `after` to `up_to`, in one transaction. False: the mark had
    /// moved meanwhile (another server kept these facts), and nothing is
    /// written.
    async fn keep_figures(
        &self,
        figures: &RolledUp,
        after: Option<Timestamp>,
        up_to: Timestamp,
    ) -> DbResult<bool>;
    /// The days kept from `from` to `to`, both included, by day and store.
    async fn day_figures(&self, from: Date, to: Date) -> DbResult<Vec<KeptDay>>;
    /// Per month from `from`'s to `to`'s with a receipt of a customer of
    /// `reach` in its stores (any, when None), the customers who bought,
    /// by month. A
    /// customer is new in the month their first purchase falls in, read in
    /// `zone` (the shop's), and loyal or other by their receipts in the
    /// stores that month. Every customer's closed months are read as
    /// kept, when they are.
    async fn visitor_months(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
        zone: &TimeZone,
    ) -> DbResult<Vec<VisitorMonth>>;
    /// The cohorts whose first month (over every store) is from `from`'s
    /// to `to`'s, and how many of each of `reach` bought in its stores in
    /// each month up to `to`'s, by cohort and month.
    async fn cohorts(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<CohortMonth>>;
    /// Each product's figures from `from` to `to` (both included) in the
    /// stores of `reach`, the best sold first. Narrowed to a segment or a
    /// program, what its customers bought (returns are the products'
    /// alone, and stay out).
    async fn product_figures(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<ProductTotal>>;
    /// How many customers of `reach` bought any of `skus` or of
    /// `categories` from `from` to `to` in its stores, and the first
    /// `limit` of them, who spent most on them first.
    async fn product_buyers(
        &self,
        from: Date,
        to: Date,
        skus: &[String],
        categories: &[String],
        reach: &CustomerReach,
        limit: u32,
    ) -> DbResult<(i64, Vec<ProductBuyer>)>;
    /// Counts the whole chain's visitors (new customers read in `zone`,
    /// the shop's) and cohorts of the earliest month before `before` whose
    /// figures are not kept as they stand, and keeps them, unless a round
    /// changed the month meanwhile (it stays due). The month counted; None
    /// when every month before `before` is kept, or `zone` has no name to
    /// keep them by.
    async fn keep_month_figures(&self, before: Date, zone: &TimeZone) -> DbResult<Option<Date>>;
    /// The whole chain's figures of `from`'s month and every later one no
    /// longer hold as kept (a merge moved a first purchase): each is
    /// counted live until kept again.
    async fn months_changed(&self, from: Date) -> DbResult<()>;
    /// Forgets every figure kept and the mark, for a rebuild.
    async fn clear_figures(&self) -> DbResult<()>;
}
