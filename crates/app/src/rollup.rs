//! The day figures reports read, kept by the scheduled work: each minute
//! the receipts and returns committed since the mark are rolled up (in
//! domain) and added to their store's days, the mark moved with them.

use clientele_domain::report::roll_up;
use clientele_store::KeptDay;
use jiff::SignedDuration;
use jiff::civil::Date;

use crate::{App, AppResult};

/// How long after its time a receipt is rolled up: a commit still under
/// way when the job reads may land with an earlier time than the mark.
const SETTLE: SignedDuration = SignedDuration::from_secs(120);

impl App {
    /// Adds what was committed since the mark (up to two minutes ago) to
    /// the day figures; the store days written. A second server that
    /// rolled the same facts first leaves this one nothing to write.
    #[tracing::instrument(skip(self))]
    pub async fn roll_up_day_figures(&self) -> AppResult<usize> {
        let up_to = self.clock().now() - SETTLE;
        let rollups = self.db().rollups();
        let after = rollups.figures_mark().await?;
        if after.is_some_and(|after| after >= up_to) {
            return Ok(0);
        }
        let facts = rollups.facts(after, up_to).await?;
        let zones = self.store_zones().await?;
        let shop = self.clock().zone().clone();
        let days: Vec<KeptDay> = roll_up(&facts.receipts, &facts.returns, |store| {
            zones.get(&store).cloned().unwrap_or_else(|| shop.clone())
        })
        .into_iter()
        .map(|((day, store_id), figures)| KeptDay {
            day,
            store_id,
            figures,
        })
        .collect();
        // Nothing new: the mark stays, and the next round reads from it
        // (the writer the tills share is left alone).
        if days.is_empty() {
            return Ok(0);
        }
        if !rollups.keep_day_figures(&days, after, up_to).await? {
            return Ok(0);
        }
        Ok(days.len())
    }

    /// Forgets the day figures and rolls every receipt and return up
    /// again: the figures kept, rebuilt from the facts.
    #[tracing::instrument(skip(self))]
    pub async fn rebuild_day_figures(&self) -> AppResult<usize> {
        self.db().rollups().clear_day_figures().await?;
        self.roll_up_day_figures().await
    }

    /// The store days kept from `from` to `to`, both included.
    pub async fn day_figures(&self, from: Date, to: Date) -> AppResult<Vec<KeptDay>> {
        Ok(self.db().rollups().day_figures(from, to).await?)
    }
}
