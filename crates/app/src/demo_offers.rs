//! The demo shop's marketing: segments a marketer of a grocery would keep,
//! and offers for them, so the segments and offers pages open on something
//! real. Made after the receipts, so the segments are computed on them.

use clientele_domain::offer::{Budget, Caps, OfferInput};
use clientele_domain::segment::{RawRule, SegmentInput, SegmentKind};
use serde_json::json;

use crate::audit::ChangedBy;
use crate::progress::Progress;
use crate::{App, AppError, AppResult};

/// Segments and offers made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarketingReport {
    pub segments: u64,
    pub offers: u64,
    pub coupons: u64,
}

/// Single-use codes made for the demo's coupon offer.
const DEMO_COUPONS: usize = 100;

fn rule(value: serde_json::Value) -> AppResult<RawRule> {
    serde_json::from_value(value).map_err(|e| AppError::Unavailable(e.to_string()))
}

impl App {
    pub(crate) async fn seed_demo_marketing(
        &self,
        progress: &dyn Progress,
    ) -> AppResult<MarketingReport> {
        let by = ChangedBy::system("demo");
        progress.start("demo segments and offers", 6);
        let segment = |name: &str, schedule: &str, rules: RawRule| SegmentInput {
            name: Some(name.into()),
            kind: Some(SegmentKind::Dynamic.as_str().into()),
            rules: Some(rules),
            schedule: Some(schedule.into()),
            ..SegmentInput::default()
        };
        let dairy = self
            .create_segment(
                segment(
                    "Любители молочного",
                    "daily",
                    rule(json!({"field": "bought", "op": "gte", "value": 3,
                                "categories": ["dairy"], "period_days": 90}))?,
                ),
                None,
                &by,
            )
            .await?;
        let sleeping = self
            .create_segment(
                segment(
                    "Давно не заходили",
                    "weekly",
                    rule(json!({"all": [
                        {"field": "purchases_count", "op": "gte", "value": 2},
                        {"field": "last_purchase_days_ago", "op": "gt", "value": 60}]}))?,
                ),
                None,
                &by,
            )
            .await?;
        self.create_segment(
            segment(
                "Крупные чеки",
                "daily",
                rule(
                    json!({"field": "average_receipt_minor", "op": "gte", "value": 250_000,
                            "period_days": 180}),
                )?,
            ),
            None,
            &by,
        )
        .await?;
        progress.advance(3);
        let offer = |name: &str, reward: &str, value: i64| OfferInput {
            name: name.into(),
            active: true,
            reward: reward.into(),
            reward_value: value,
            ..OfferInput::default()
        };
        // Running since a season back, so its effect has receipts to count.
        let season = self.clock().today().checked_sub(jiff::ToSpan::days(90));
        self.create_offer(
            OfferInput {
                segment_id: Some(dairy.id),
                categories: vec!["dairy".into()],
                valid_from: season.ok().map(|day| day.to_string()),
                holdout_bp: 1_000,
                budget: Budget {
                    points: Caps {
                        per_customer: Some(50_000),
                        ..Caps::default()
                    },
                    ..Budget::default()
                },
                ..offer("Двойные баллы на молочное", "extra_points", 20_000)
            },
            &by,
        )
        .await?;
        let back = self
            .create_offer(
                OfferInput {
                    segment_id: Some(sleeping.id),
                    coupon: Some("unique".into()),
                    min_total_minor: Some(100_000),
                    ..offer("Возвращайтесь: 10 % по купону", "percent_off", 1_000)
                },
                &by,
            )
            .await?;
        self.create_offer(
            OfferInput {
                nth_purchase: Some(5),
                every_nth: true,
                ..offer("Каждая пятая покупка: 300 баллов", "bonus_points", 30_000)
            },
            &by,
        )
        .await?;
        let coupons = self
            .issue_coupons(back.offer.id, DEMO_COUPONS, Vec::new(), &by)
            .await?
            .len() as u64;
        progress.advance(3);
        Ok(MarketingReport {
            segments: 3,
            offers: 3,
            coupons,
        })
    }
}
