//! Segments: their definitions, the customers their rules hold for, their
//! members and the size of each recompute.

use std::collections::BTreeMap;

use async_trait::async_trait;
use clientele_domain::segment::{NewSegment, Rule, Segment, SegmentSize};
use clientele_domain::{CustomerId, PropertyDefinition, SegmentId, StoreId, UserId};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::DbResult;

/// What a rule needs beside itself to be read in SQL: the day it is read
/// on in the shop's zone, each store it names with the stores under it,
/// the custom properties by name, and whose customers count.
#[derive(Debug, Clone)]
pub struct RuleContext {
    pub today: Date,
    pub zone: TimeZone,
    pub subtrees: BTreeMap<StoreId, Vec<StoreId>>,
    pub properties: Vec<PropertyDefinition>,
    /// Only customers registered in these stores (a store-scoped user's
    /// reach); `None`: everyone.
    pub within: Option<Vec<StoreId>>,
}

/// RFM scores by boundaries: a customer who bought scores 1 plus one for
/// each boundary passed: a last purchase at or after each of `recency`, a
/// count and a spend above each of `frequency` and `monetary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmBounds {
    pub recency: Vec<Timestamp>,
    pub frequency: Vec<i64>,
    pub monetary: Vec<i64>,
}

/// A segment's members beside the whole base: how many, what they spent
/// and how often they bought, all time, returns deducted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SegmentFigures {
    pub members: i64,
    /// Customers not merged into another.
    pub customers: i64,
    pub members_spent_minor: i64,
    pub spent_minor: i64,
    pub members_purchases: i64,
}

#[async_trait]
pub trait Segments: Send + Sync {
    async fn segments(&self) -> DbResult<Vec<Segment>>;
    async fn segment(&self, id: SegmentId) -> DbResult<Option<Segment>>;
    /// A name already used is a conflict on `name`.
    async fn create_segment(
        &self,
        segment: &NewSegment,
        by: Option<UserId>,
        at: Timestamp,
    ) -> DbResult<Segment>;
    /// Replaces the definition if it is still at `version`.
    async fn update_segment(
        &self,
        id: SegmentId,
        segment: &NewSegment,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<Segment>>;
    /// Removes a segment with its members and history; `false` if there was none.
    async fn delete_segment(&self, id: SegmentId) -> DbResult<bool>;
    /// How many customers (not merged into another) the rule holds for.
    async fn count_matching(&self, rule: &Rule, context: &RuleContext) -> DbResult<i64>;
    /// The customers the rule holds for, ascending.
    async fn matching(&self, rule: &Rule, context: &RuleContext) -> DbResult<Vec<CustomerId>>;
    /// The segment's members, ascending.
    async fn members(&self, id: SegmentId) -> DbResult<Vec<CustomerId>>;
    /// Writes a recompute: who entered (since `size.computed_at`), who left,
    /// and the size in the segment and its history.
    async fn record_recompute(
        &self,
        id: SegmentId,
        entered: &[CustomerId],
        left: &[CustomerId],
        size: &SegmentSize,
    ) -> DbResult<()>;
    /// The latest recomputes, newest first.
    async fn size_history(&self, id: SegmentId, limit: u32) -> DbResult<Vec<SegmentSize>>;
    async fn segment_figures(&self, id: SegmentId) -> DbResult<SegmentFigures>;
    /// What every customer who bought is scored by: the last purchase, the
    /// purchases and the spend.
    async fn rfm_figures(&self) -> DbResult<Vec<(Timestamp, i64, i64)>>;
    /// Scores the customers with ids from `from` to `to` by `bounds` (those
    /// who never bought have none), writing only the scores that change;
    /// answers how many customers' scores changed.
    async fn score_rfm(
        &self,
        bounds: &RfmBounds,
        from: CustomerId,
        to: CustomerId,
    ) -> DbResult<u64>;
}
