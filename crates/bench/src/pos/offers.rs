//! Fifty running offers of every kind, for the calculate phase that prices
//! each basket with them: for everyone and for a segment of half the tills'
//! customers, on a category, on SKUs and on the whole basket, stacking,
//! exclusive and best, some with budgets.

use clientele_app::App;
use clientele_app::audit::ChangedBy;
use clientele_domain::offer::{Budget, Caps, OfferInput};
use clientele_domain::segment::{SegmentInput, SegmentKind};
use clientele_domain::{Customer, CustomerId};

pub const OFFERS: usize = 50;

/// Makes [`OFFERS`] running offers; half the sampled customers are in the
/// segment some of them aim at.
pub async fn make(app: &App, customers: &[Customer]) -> anyhow::Result<()> {
    let by = ChangedBy::system("bench");
    let members: Vec<CustomerId> = customers.iter().step_by(2).map(|c| c.id).collect();
    let segment = app
        .create_segment(
            SegmentInput {
                name: Some("Половина покупателей".into()),
                kind: Some(SegmentKind::Static.as_str().into()),
                ..SegmentInput::default()
            },
            Some(members),
            &by,
        )
        .await?;
    for n in 0..OFFERS {
        let (reward, reward_value) = match n % 4 {
            0 => ("percent_off", 100 + (n as i64 % 5) * 100),
            1 => ("extra_points", 15_000),
            2 => ("bonus_points", 1_000),
            _ => ("amount_off", 500),
        };
        let input = OfferInput {
            name: format!("Предложение {n}"),
            segment_id: (n % 3 == 0).then_some(segment.id),
            active: true,
            priority: (n % 7) as i64,
            stacking: Some(["stack", "exclusive", "best"][n % 3].into()),
            reward: reward.into(),
            reward_value,
            skus: if n % 5 == 1 {
                (0..20)
                    .map(|k| format!("sku-{}", (n * 20 + k) % 500))
                    .collect()
            } else {
                vec![]
            },
            categories: if n % 5 == 2 {
                vec!["food".into()]
            } else {
                vec![]
            },
            min_total_minor: (n % 6 == 3).then_some(10_000),
            // Capped far above what the bench gives: the caps are read and
            // checked on every basket, never reached.
            budget: match (n % 10 == 4, reward) {
                (false, _) => Budget::default(),
                (true, "extra_points" | "bonus_points") => Budget {
                    points: Caps {
                        per_customer: Some(1_000_000_000),
                        ..Caps::default()
                    },
                    ..Budget::default()
                },
                (true, _) => Budget {
                    money: Caps {
                        total: Some(1_000_000_000_000),
                        per_day: Some(1_000_000_000_000),
                        ..Caps::default()
                    },
                    ..Budget::default()
                },
            },
            holdout_bp: if n % 8 == 0 { 1_000 } else { 0 },
            ..OfferInput::default()
        };
        app.create_offer(input, &by).await?;
    }
    Ok(())
}
