//! Who a campaign reaches and what became of its messages.

use std::collections::BTreeMap;

use crate::ids::{CampaignId, CustomerId};
use crate::message::MessageState;
use crate::offer::in_control;

/// Campaigns draw their control groups apart from offers': the same
/// customers are not held out of an offer and a campaign of the same id.
const CAMPAIGN_DRAW: u64 = 1 << 63;

/// Splits an audience into those the campaign messages and its control
/// group, by a draw that never changes for the campaign.
pub fn split_audience(
    campaign: CampaignId,
    holdout_bp: i64,
    audience: &[CustomerId],
) -> (Vec<CustomerId>, Vec<CustomerId>) {
    let draw = CAMPAIGN_DRAW | campaign.0 as u64;
    audience
        .iter()
        .partition(|&&customer| !in_control(draw, customer, holdout_bp))
}

/// A campaign's messages counted by state and by reason, its control group
/// apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignCounts {
    pub by_state: BTreeMap<&'static str, i64>,
    /// Reasons of the messages that did not leave (or left and failed).
    pub by_reason: BTreeMap<String, i64>,
    /// Messages in the queue or on their way.
    pub waiting: i64,
    /// Sent or delivered.
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
}

impl CampaignCounts {
    /// Sums `(state, reason, count)` rows; the control group's rows (kept
    /// as cancelled, reason `holdout`) are left out: they were never meant
    /// to leave.
    pub fn of(rows: &[(MessageState, Option<String>, i64)]) -> CampaignCounts {
        let mut counts = CampaignCounts::default();
        for (state, reason, count) in rows {
            if reason.as_deref() == Some(super::HOLDOUT_REASON) {
                continue;
            }
            *counts.by_state.entry(state.as_str()).or_default() += count;
            match state {
                MessageState::Queued | MessageState::Held | MessageState::Sending => {
                    counts.waiting += count
                }
                MessageState::Sent => counts.sent += count,
                MessageState::Delivered => {
                    counts.sent += count;
                    counts.delivered += count;
                }
                MessageState::Failed => counts.failed += count,
                _ => {}
            }
            if let Some(reason) = reason
                && !state.is_waiting()
                && !matches!(state, MessageState::Sent | MessageState::Delivered)
            {
                *counts.by_reason.entry(reason.clone()).or_default() += count;
            }
        }
        counts
    }
}
