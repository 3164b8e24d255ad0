//! Offers and campaigns against their control groups: what the customers
//! who got each bought over the part of its run inside the period, beside
//! those held out of it.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use clientele_domain::CustomerId;
use clientele_domain::campaign::CampaignState;
use clientele_domain::offer::{Audience, HoldoutComparison, compare_groups, compare_members};
use clientele_domain::program::WHOLE;
use clientele_domain::report::{Cell, Chart, Column, Measure, Section};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::Asked;
use crate::campaigns::within;
use crate::{App, AppResult};

/// The columns after the first, which names the offer or campaign.
const FIGURES: [Column; 10] = [
    Column::new("from", Measure::Date),
    Column::new("to", Measure::Date),
    Column::new("holdout_share", Measure::Share),
    Column::new("customers", Measure::Count),
    Column::new("control_customers", Measure::Count),
    Column::new("buyers_share", Measure::Share),
    Column::new("control_buyers_share", Measure::Share),
    Column::new("revenue_per_customer_minor", Measure::Money),
    Column::new("control_revenue_per_customer_minor", Measure::Money),
    Column::new("extra_revenue_minor", Measure::Money),
];

/// A run's part inside the period: from, up to (not including).
type Span = (Timestamp, Timestamp);

/// The part of `run` (its end open when none) inside `period`, if any.
fn inside(period: Span, from: Timestamp, to: Option<Timestamp>) -> Option<Span> {
    let from = from.max(period.0);
    let to = to.map_or(period.1, |to| to.min(period.1));
    (from < to).then_some((from, to))
}

impl App {
    pub(super) async fn effect_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let zone = self.clock().zone().clone();
        let Some(period) = asked.times(&zone) else {
            return Ok(Vec::new());
        };
        let reach = &asked.reach;
        // Narrowed to a segment or program, each audience keeps only its
        // customers; narrowed to stores, only those stores' receipts count.
        let reached = if reach.segment_id.is_some() || reach.program_id.is_some() {
            Some(self.db().reports().reached_customers(reach).await?)
        } else {
            None
        };
        let in_reach = |c: &CustomerId| reached.as_ref().is_none_or(|r| r.binary_search(c).is_ok());
        let mut bought = Bought::default();
        let start = |day: jiff::civil::Date| day.to_zoned(zone.clone()).ok().map(|z| z.timestamp());

        let mut offers = section("offer_effect", "offer");
        let mut audiences = HashMap::new();
        for kept in self.db().offers().offers().await? {
            let terms = &kept.offer.terms;
            let runs_from = terms
                .schedule
                .valid_from
                .and_then(start)
                .unwrap_or(kept.created_at);
            let runs_to = terms
                .schedule
                .valid_to
                .and_then(|last| last.tomorrow().ok())
                .and_then(start);
            let Some(span) = inside(period, runs_from, runs_to).filter(|_| terms.holdout_bp > 0)
            else {
                continue;
            };
            let segment = match terms.audience {
                Audience::Everyone => None,
                Audience::Segment(segment) => Some(segment),
            };
            let audience = match audiences.entry(segment) {
                Entry::Occupied(kept) => kept.into_mut(),
                Entry::Vacant(empty) => {
                    let mut audience = self.db().offers().audience(segment).await?;
                    audience.retain(in_reach);
                    empty.insert(audience)
                }
            };
            let purchases = bought.between(self, asked, span).await?;
            let comparison = compare_groups(kept.offer.id, terms.holdout_bp, audience, purchases);
            offers.push(row(&terms.name, span, &zone, terms.holdout_bp, &comparison));
        }

        let mut campaigns = section("campaign_effect", "campaign");
        for campaign in self.db().campaigns().campaigns().await? {
            let sent = campaign.queued_at.is_some()
                && campaign.state != CampaignState::Cancelled
                && campaign.held_out > 0;
            if !sent || !within(&campaign, asked.scope.as_deref()) {
                continue;
            }
            let from = campaign.sends_from();
            let to = from.checked_add(SignedDuration::from_hours(24 * campaign.report_days));
            let Some(span) = inside(period, from, to.ok()) else {
                continue;
            };
            let mut members = self.db().campaigns().campaign_members(campaign.id).await?;
            members.retain(|(c, _)| in_reach(c));
            let purchases = bought.between(self, asked, span).await?;
            let comparison = compare_members(&members, purchases);
            campaigns.push(row(
                &campaign.name,
                span,
                &zone,
                campaign.holdout_bp,
                &comparison,
            ));
        }
        Ok(vec![offers, campaigns])
    }
}

/// Purchases over each span asked, read once: offers often share a run.
#[derive(Default)]
struct Bought(HashMap<Span, Vec<(CustomerId, i64, i64)>>);

impl Bought {
    async fn between(
        &mut self,
        app: &App,
        asked: &Asked,
        span: Span,
    ) -> AppResult<&[(CustomerId, i64, i64)]> {
        Ok(match self.0.entry(span) {
            Entry::Occupied(kept) => kept.into_mut(),
            Entry::Vacant(empty) => {
                let offers = app.db().offers();
                empty.insert(
                    offers
                        .purchases_between(&asked.reach, span.0, span.1)
                        .await?,
                )
            }
        })
    }
}

/// A section of offers or of campaigns, each named in `first`.
fn section(key: &'static str, first: &'static str) -> Section {
    let mut columns = vec![Column::new(first, Measure::Text)];
    columns.extend(FIGURES);
    Section::new(key, &columns).drawn(Chart {
        bars: vec![
            "revenue_per_customer_minor",
            "control_revenue_per_customer_minor",
        ],
        ..Chart::default()
    })
}

fn row(
    name: &str,
    (from, to): Span,
    zone: &TimeZone,
    holdout_bp: i64,
    comparison: &HoldoutComparison,
) -> Vec<Cell> {
    let day = |at: Timestamp| Cell::Date(at.to_zoned(zone.clone()).date());
    let last = to.checked_sub(SignedDuration::from_secs(1)).unwrap_or(to);
    let (offered, control) = (&comparison.offered, &comparison.control);
    vec![
        Cell::Text(name.to_owned()),
        day(from),
        day(last),
        Cell::share(holdout_bp, WHOLE),
        Cell::Int(offered.customers),
        Cell::Int(control.customers),
        Cell::share(offered.buyers, offered.customers),
        Cell::share(control.buyers, control.customers),
        Cell::average(offered.revenue_minor, offered.customers),
        Cell::average(control.revenue_minor, control.customers),
        comparison
            .extra_revenue_minor()
            .map_or(Cell::Blank, Cell::Int),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_cut_to_the_period() {
        let at = |s: i64| Timestamp::from_second(s).unwrap();
        let period = (at(100), at(200));
        assert_eq!(inside(period, at(50), None), Some(period));
        assert_eq!(
            inside(period, at(150), Some(at(300))),
            Some((at(150), at(200)))
        );
        assert_eq!(inside(period, at(10), Some(at(100))), None);
        assert_eq!(inside(period, at(200), None), None);
    }
}
