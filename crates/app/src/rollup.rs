//! The figures reports read, kept by the scheduled work: each minute the
//! receipts and returns committed since the mark are rolled up (in domain)
//! and added to their store's days, their customers' months and their
//! products' days, the mark moved with them, a bounded batch at a time;
//! then the whole chain's figures of a closed month changed since are
//! counted again and kept.

use clientele_domain::StoreId;
use clientele_domain::report::RolledUp;
use clientele_store::KeptDay;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::progress::{Progress, Silent};
use crate::{App, AppResult};

/// How long after its time a receipt is rolled up: a commit still under
/// way when the job reads may land with an earlier time than the mark.
const SETTLE: SignedDuration = SignedDuration::from_secs(120);

/// About how many receipts a round reads (with their lines, some ten
/// each), however far behind the figures are: what a round holds in
/// memory, and how long its transaction keeps SQLite's other writers (the
/// tills) waiting, some tenths of a second.
const BATCH: u64 = 2_000;

/// What rounds of the figures added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rolled {
    /// Receipts rolled up.
    pub receipts: u64,
    /// Store days written (a day written in two rounds counts twice).
    pub store_days: usize,
}

/// What one round did.
enum Round {
    /// The figures reach `settled`: nothing is left to read.
    CaughtUp,
    /// Receipts and store days added; more may follow.
    Kept(Rolled),
}

impl App {
    /// Adds what was committed since the mark (up to two minutes ago) to
    /// the figures, a batch at a time. A round another server kept first
    /// leaves this one the next to read.
    #[tracing::instrument(skip(self))]
    pub async fn roll_up_day_figures(&self) -> AppResult<Rolled> {
        self.roll_up_rounds(BATCH, SETTLE, &Silent).await
    }

    /// Rolls up everything committed until now at once, not waiting for
    /// commits to settle, and keeps every closed month: for a database no
    /// till writes to (a demo shop just filled, a benchmark's base).
    #[tracing::instrument(skip(self, progress))]
    pub async fn roll_up_quiet_database(&self, progress: &dyn Progress) -> AppResult<Rolled> {
        let rolled = self
            .roll_up_rounds(BATCH, SignedDuration::ZERO, progress)
            .await?;
        self.keep_every_month_figures().await?;
        Ok(rolled)
    }

    /// Keeps the whole chain's visitors and cohorts of one closed month
    /// (before the mark's, in the shop's zone) whose figures no longer
    /// hold, the earliest first: counted on a reader, then written in a
    /// short transaction of its own. The month, if one was due (it stays
    /// due when a round changed it meanwhile).
    #[tracing::instrument(skip(self))]
    pub async fn keep_month_figures(&self) -> AppResult<Option<Date>> {
        let rollups = self.db().rollups();
        let Some(mark) = rollups.figures_mark().await? else {
            return Ok(None);
        };
        let zone = self.clock().zone();
        let before = mark.to_zoned(zone.clone()).date().first_of_month();
        Ok(rollups.keep_month_figures(before, zone).await?)
    }

    /// Keeps every closed month due, one after another.
    async fn keep_every_month_figures(&self) -> AppResult<()> {
        while self.keep_month_figures().await?.is_some() {}
        Ok(())
    }

    /// Forgets the figures and rolls every receipt and return up again,
    /// a batch of about `BATCH` receipts at a time, then keeps every
    /// closed month.
    pub async fn rebuild_day_figures(&self, progress: &dyn Progress) -> AppResult<Rolled> {
        self.rebuild_figures_in_batches(BATCH, progress).await
    }

    /// The same, `batch` receipts a round (a test sees that the size of a
    /// batch changes nothing).
    #[tracing::instrument(skip(self, progress))]
    pub async fn rebuild_figures_in_batches(
        &self,
        batch: u64,
        progress: &dyn Progress,
    ) -> AppResult<Rolled> {
        self.db().rollups().clear_figures().await?;
        let rolled = self.roll_up_rounds(batch, SETTLE, progress).await?;
        self.keep_every_month_figures().await?;
        Ok(rolled)
    }

    /// The store days kept from `from` to `to`, both included.
    pub async fn day_figures(&self, from: Date, to: Date) -> AppResult<Vec<KeptDay>> {
        Ok(self.db().rollups().day_figures(from, to).await?)
    }

    /// Rounds until the figures reach what has settled (`settle` ago),
    /// each counted to `progress` by its receipts.
    async fn roll_up_rounds(
        &self,
        batch: u64,
        settle: SignedDuration,
        progress: &dyn Progress,
    ) -> AppResult<Rolled> {
        let settled = self.clock().now() - settle;
        let after = self.db().rollups().figures_mark().await?;
        let waiting = match after {
            Some(after) if after >= settled => 0,
            _ => self.db().rollups().commits_between(after, settled).await?,
        };
        let zones = self.store_zones().await?;
        let shop = self.clock().zone().clone();
        let zone_of = |store| zones.get(&store).cloned().unwrap_or_else(|| shop.clone());
        progress.start("rolling up the figures", waiting);
        let mut done = Rolled::default();
        while let Round::Kept(round) = self.roll_up_round(batch, settled, &zone_of, &shop).await? {
            progress.advance(round.receipts);
            done.receipts += round.receipts;
            done.store_days += round.store_days;
        }
        progress.finish();
        Ok(done)
    }

    /// Reads what was committed after the mark up to the time the
    /// `batch`-th receipt after it was committed (every receipt of that
    /// time, so that the next round starts past them all), or up to
    /// `settled` when that is earlier, and keeps its figures; each day and
    /// month read in its store's zone (`zone_of`), a first purchase's
    /// month in the shop's as well.
    async fn roll_up_round(
        &self,
        batch: u64,
        settled: Timestamp,
        zone_of: &impl Fn(StoreId) -> TimeZone,
        shop: &TimeZone,
    ) -> AppResult<Round> {
        let rollups = self.db().rollups();
        let after = rollups.figures_mark().await?;
        if after.is_some_and(|after| after >= settled) {
            return Ok(Round::CaughtUp);
        }
        let up_to = match rollups.nth_commit_after(after, batch.max(1)).await? {
            Some(nth) if nth < settled => nth,
            _ => settled,
        };
        let facts = rollups.facts(after, up_to).await?;
        let figures = RolledUp::of(&facts, zone_of, shop);
        // Nothing new: the mark stays, and the next round reads from it
        // (the writer the tills share is left alone).
        if figures.is_empty() {
            return Ok(Round::CaughtUp);
        }
        let kept = rollups.keep_figures(&figures, after, up_to).await?;
        Ok(Round::Kept(Rolled {
            receipts: if kept { facts.receipts.len() as u64 } else { 0 },
            store_days: if kept { figures.store_days.len() } else { 0 },
        }))
    }
}
