//! The day figures reports read, kept by a job: the receipts and returns
//! committed since a mark, rolled up (in domain) and added to their days.

use async_trait::async_trait;
use clientele_domain::StoreId;
use clientele_domain::report::{DayFigures, ReceiptFact, ReturnFact};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::DbResult;

/// A store's day as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptDay {
    pub day: Date,
    pub store_id: StoreId,
    pub figures: DayFigures,
}

/// What was committed within a span of time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub receipts: Vec<ReceiptFact>,
    pub returns: Vec<ReturnFact>,
}

#[async_trait]
pub trait Rollups: Send + Sync {
    /// How far the day figures are kept: what was committed up to it is
    /// in them, what came after is not yet. None: nothing kept yet.
    async fn figures_mark(&self) -> DbResult<Option<Timestamp>>;
    /// The receipts and returns committed after `after` (all, when None)
    /// up to `up_to`.
    async fn facts(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<Facts>;
    /// Adds `days` to the figures kept and moves the mark from `after` to
    /// `up_to`, in one transaction. False: the mark had moved meanwhile
    /// (another server kept these facts), and nothing is written.
    async fn keep_day_figures(
        &self,
        days: &[KeptDay],
        after: Option<Timestamp>,
        up_to: Timestamp,
    ) -> DbResult<bool>;
    /// The days kept from `from` to `to`, both included, by day and store.
    async fn day_figures(&self, from: Date, to: Date) -> DbResult<Vec<KeptDay>>;
    /// Forgets every day figure and the mark, for a rebuild.
    async fn clear_day_figures(&self) -> DbResult<()>;
}
