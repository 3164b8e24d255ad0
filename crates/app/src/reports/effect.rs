//! Offers and campaigns against their control groups: what the customers
//! who got each bought over the part of its run inside the period, beside
//! those held out of it.

use std::collections::HashMap;

use clientele_domain::campaign::CampaignState;
use clientele_domain::offer::{HoldoutComparison, compare_groups, compare_members};
use clientele_domain::program::WHOLE;
use clientele_domain::report::{Cell, Chart, Column, Measure, Section};
use clientele_domain::{CampaignId, CustomerId, OfferId, SegmentId};
use futures_util::future::try_join_all;
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

/// A row to be: its name, span, control group's share and whose groups it
/// compares (an offer's audience with its segment, a campaign's members).
struct Planned<Drawn> {
    name: String,
    span: Span,
    holdout_bp: i64,
    drawn: Drawn,
}

type PlannedOffer = Planned<(OfferId, Option<SegmentId>)>;
type PlannedCampaign = Planned<CampaignId>;

impl App {
    pub(super) async fn effect_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let zone = self.clock().zone().clone();
        let Some(period) = asked.times(&zone) else {
            return Ok(Vec::new());
        };
        let (offers, campaigns) = self.planned(asked, period, &zone).await?;
        let reach = &asked.reach;
        let db = self.db();

        // Every audience, campaign's members and span's purchases read at
        // once, each once: offers often share a run or a segment.
        let mut segments: Vec<Option<SegmentId>> = offers.iter().map(|p| p.drawn.1).collect();
        segments.sort_unstable();
        segments.dedup();
        let mut spans: Vec<Span> = offers
            .iter()
            .map(|p| p.span)
            .chain(campaigns.iter().map(|p| p.span))
            .collect();
        spans.sort_unstable();
        spans.dedup();
        // Narrowed to a segment or program, each audience keeps only its
        // customers; narrowed to stores, only those stores' receipts count.
        let narrowed = reach.segment_id.is_some() || reach.program_id.is_some();
        let (reached, audiences, members, bought) = tokio::try_join!(
            async {
                AppResult::Ok(if narrowed {
                    Some(db.reports().reached_customers(reach).await?)
                } else {
                    None
                })
            },
            try_join_all(segments.iter().map(async |segment| {
                AppResult::Ok((*segment, db.offers().audience(*segment).await?))
            })),
            try_join_all(campaigns.iter().map(async |planned| {
                AppResult::Ok(db.campaigns().campaign_members(planned.drawn).await?)
            })),
            try_join_all(spans.iter().map(async |span| {
                AppResult::Ok((
                    *span,
                    db.offers().purchases_between(reach, span.0, span.1).await?,
                ))
            })),
        )?;
        let in_reach = |c: &CustomerId| reached.as_ref().is_none_or(|r| r.binary_search(c).is_ok());
        let audiences: HashMap<_, Vec<CustomerId>> = audiences
            .into_iter()
            .map(|(segment, mut audience)| {
                audience.retain(in_reach);
                (segment, audience)
            })
            .collect();
        let bought: HashMap<_, _> = bought.into_iter().collect();

        let mut offer_rows = section("offer_effect", "offer");
        for planned in &offers {
            let (offer, segment) = planned.drawn;
            let comparison = compare_groups(
                offer,
                planned.holdout_bp,
                &audiences[&segment],
                &bought[&planned.span],
            );
            offer_rows.push(row(planned, &zone, &comparison));
        }
        let mut campaign_rows = section("campaign_effect", "campaign");
        for (planned, mut members) in campaigns.iter().zip(members) {
            members.retain(|(c, _)| in_reach(c));
            let comparison = compare_members(&members, &bought[&planned.span]);
            campaign_rows.push(row(planned, &zone, &comparison));
        }
        Ok(vec![offer_rows, campaign_rows])
    }

    /// The offers with a control group whose run meets the period, and the
    /// sent campaigns with held-out customers whose report days meet it
    /// (of the manager's stores, for a manager), each cut to the period.
    async fn planned(
        &self,
        asked: &Asked,
        period: Span,
        zone: &TimeZone,
    ) -> AppResult<(Vec<PlannedOffer>, Vec<PlannedCampaign>)> {
        let start = |day: jiff::civil::Date| day.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
        let mut offers = Vec::new();
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
            offers.push(Planned {
                name: terms.name.clone(),
                span,
                holdout_bp: terms.holdout_bp,
                drawn: (kept.offer.id, terms.audience.segment()),
            });
        }
        let mut campaigns = Vec::new();
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
            campaigns.push(Planned {
                name: campaign.name.clone(),
                span,
                holdout_bp: campaign.holdout_bp,
                drawn: campaign.id,
            });
        }
        Ok((offers, campaigns))
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

fn row<Drawn>(
    planned: &Planned<Drawn>,
    zone: &TimeZone,
    comparison: &HoldoutComparison,
) -> Vec<Cell> {
    let (from, to) = planned.span;
    let day = |at: Timestamp| Cell::Date(at.to_zoned(zone.clone()).date());
    let last = to.checked_sub(SignedDuration::from_secs(1)).unwrap_or(to);
    let (offered, control) = (&comparison.offered, &comparison.control);
    vec![
        Cell::Text(planned.name.clone()),
        day(from),
        day(last),
        Cell::share(planned.holdout_bp, WHOLE),
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
