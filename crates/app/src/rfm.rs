//! RFM: every customer who bought, scored 1-5 on recency, frequency and
//! money against everyone else who bought, once a day. The boundaries come
//! from the domain's quintiles; the store scores the customers by them, a
//! range of ids at a time, so the writer is never held long.

use clientele_domain::CustomerId;
use clientele_domain::segment::{RfmFigures, RfmScales};
use clientele_store::RfmBounds;
use jiff::Span;

use crate::progress::Progress;
use crate::{App, AppResult};

/// Customer ids scored per statement.
const RANGE: i64 = 50_000;

impl App {
    /// Scores every customer who bought; answers how many were scored.
    #[tracing::instrument(skip(self, progress))]
    pub async fn recompute_rfm(&self, progress: &dyn Progress) -> AppResult<usize> {
        let today = self.clock().today();
        let zone = self.clock().zone().clone();
        let figures: Vec<RfmFigures> = self
            .db()
            .segments()
            .rfm_figures()
            .await?
            .into_iter()
            .map(|(last, purchases, spent_minor)| RfmFigures {
                last_purchase_days_ago: last
                    .to_zoned(zone.clone())
                    .date()
                    .until(today)
                    .map_or(0, |span| i64::from(span.get_days())),
                purchases,
                spent_minor,
            })
            .collect();
        if figures.is_empty() {
            return Ok(0);
        }
        let scales = RfmScales::of(&figures);
        // A customer beats recency boundary b (over negated days) when
        // their last purchase is fewer than -b days ago: on or after the
        // start of today + b + 1.
        let since = |bound: i64| {
            let day = Span::new()
                .try_days(bound.saturating_add(1))
                .ok()
                .and_then(|span| today.checked_add(span).ok())
                .unwrap_or(jiff::civil::date(1900, 1, 1));
            day.to_zoned(zone.clone())
                .and_then(|z| z.start_of_day())
                .map(|z| z.timestamp())
                .unwrap_or_else(|_| self.clock().now())
        };
        let bounds = RfmBounds {
            recency: scales.recency.bounds().iter().map(|b| since(*b)).collect(),
            frequency: scales.frequency.bounds().to_vec(),
            monetary: scales.monetary.bounds().to_vec(),
        };
        let last = self
            .db()
            .jobs()
            .last_customer_id()
            .await?
            .map_or(0, |c| c.0);
        progress.start("RFM scores", u64::try_from(last).unwrap_or(0));
        let mut from = 1;
        while from <= last {
            let to = from.saturating_add(RANGE - 1).min(last);
            self.db()
                .segments()
                .score_rfm(&bounds, CustomerId(from), CustomerId(to))
                .await?;
            progress.advance(u64::try_from(to - from + 1).unwrap_or(0));
            from = to + 1;
        }
        progress.finish();
        tracing::info!(customers = figures.len(), "RFM scores recomputed");
        Ok(figures.len())
    }
}
