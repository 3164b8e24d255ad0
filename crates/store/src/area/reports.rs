//! What the reports read beyond the day figures: the base's quality, the
//! points owed and coming due, the RFM matrix and lists of customers. Each
//! reads the customers' kept figures (profile, loyalty row, open lots), a
//! row per customer at most, never the receipts' lines.

use async_trait::async_trait;
use clientele_domain::{CustomerId, ProgramId, SegmentId, StoreId};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::DbResult;

/// Which customers a report counts: registered in one of `stores` (all
/// when None), in the segment, holding a card of the program.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerReach {
    pub stores: Option<Vec<StoreId>>,
    pub segment_id: Option<SegmentId>,
    pub program_id: Option<ProgramId>,
}

impl CustomerReach {
    /// Every customer: no store, segment or program narrows them.
    pub fn is_everyone(&self) -> bool {
        *self == CustomerReach::default()
    }
}

/// The base as it stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BaseFigures {
    /// Customers neither archived nor merged.
    pub customers: i64,
    pub incomplete: i64,
    /// Bought at least once; bought since the active bound.
    pub buyers: i64,
    pub active: i64,
    pub with_phone: i64,
    pub with_email: i64,
    pub with_device: i64,
    pub with_handle: i64,
    /// Has the channel's contact and its consent, in the order of
    /// `Channel::ALL` (e-mail, SMS, Viber, push, messenger).
    pub reachable: [i64; 5],
}

/// Customers registered in a span, by channel and store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registrations {
    pub channel: String,
    pub store_id: Option<StoreId>,
    pub customers: i64,
}

/// The points the shop owes and when they fall due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PointsLiability {
    /// The customers' balances: usable or waiting to become usable (a lot
    /// past its term until the hourly expiry writes it off).
    pub outstanding: i64,
    pub holders: i64,
    /// Of the outstanding, what expires by each of the bounds asked.
    pub expiring: [i64; 3],
    /// Points paid that were no longer there, owed back by customers.
    pub debts: i64,
    pub debtors: i64,
}

/// Points that moved other than by a receipt: expired, given by hand, on
/// a birthday, for a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointMovement {
    pub at: Timestamp,
    /// The ledger entry's kind.
    pub kind: String,
    pub points: i64,
}

/// An RFM cell: the customers scored `recency` × `frequency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmCell {
    pub recency: u8,
    pub frequency: u8,
    pub customers: i64,
    pub spent_minor: i64,
}

/// Which customers a list holds, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerList {
    /// Who spent most, ever.
    Top,
    /// Who last bought before `before`, the most recent first.
    Lapsed { before: Timestamp },
    /// The customers of an RFM cell (or of a row or column, one score
    /// left out), who spent most first.
    Rfm {
        recency: Option<u8>,
        frequency: Option<u8>,
    },
}

/// A customer as a list shows them: enough to reach them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCustomer {
    pub id: CustomerId,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// One bit per granted consent (`ConsentKind::flag`).
    pub consent_flags: i64,
    pub spent_minor: i64,
    pub purchases: i64,
    pub last_purchase_at: Option<Timestamp>,
}

/// What the customers of a segment or program bought in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerSales {
    /// The month's first day.
    pub month: Date,
    pub customers: i64,
    pub receipts: i64,
    pub revenue_minor: i64,
    pub discount_minor: i64,
    pub points_accrued: i64,
    pub points_paid: i64,
}

/// What an offer gave over a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferTotal {
    pub offer_id: i64,
    pub name: String,
    /// Receipts it applied to.
    pub uses: i64,
    pub discount_minor: i64,
    pub points_accrued: i64,
}

#[async_trait]
pub trait Reports: Send + Sync {
    /// The first day any store has figures for.
    async fn history_from(&self) -> DbResult<Option<Date>>;
    /// The base's quality; active: bought at `active_since` or later.
    async fn base_figures(
        &self,
        reach: &CustomerReach,
        active_since: Timestamp,
    ) -> DbResult<BaseFigures>;
    /// Customers registered from `from` up to (not including) `to`.
    async fn registrations(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<Registrations>>;
    /// The points owed at `now`, and what of them expires by each bound.
    async fn points_liability(
        &self,
        reach: &CustomerReach,
        now: Timestamp,
        bounds: [Timestamp; 3],
    ) -> DbResult<PointsLiability>;
    /// Points moved other than by a receipt, from `from` up to `to`.
    async fn point_movements(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<PointMovement>>;
    /// Every scored customer's RFM cell, counted.
    async fn rfm_matrix(&self, reach: &CustomerReach) -> DbResult<Vec<RfmCell>>;
    /// What the customers of `reach` bought each month from `from`'s to
    /// `to`'s, in its stores (where they bought).
    async fn customer_sales(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<CustomerSales>>;
    /// The customers of `ids` as lists show them, in no order.
    async fn listed_customers(&self, ids: &[CustomerId]) -> DbResult<Vec<ListedCustomer>>;
    /// What each offer gave from `from` up to `to`, on receipts of the
    /// customers of `reach` in its stores, the most given first.
    async fn offers_given(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<OfferTotal>>;
    /// How many customers the list holds, and its first `limit`.
    async fn customer_list(
        &self,
        reach: &CustomerReach,
        list: CustomerList,
        limit: u32,
    ) -> DbResult<(i64, Vec<ListedCustomer>)>;
    /// The customers of the segment and program of `reach` (its stores
    /// left aside), in order of id.
    async fn reached_customers(&self, reach: &CustomerReach) -> DbResult<Vec<CustomerId>>;
}
