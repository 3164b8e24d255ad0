//! Campaigns: one message, written once, to an audience (a segment or
//! everyone), queued when the campaign starts and held back for a cancel
//! window; a share of the audience may be kept as a control group to
//! measure what the message did.

mod input;
mod report;
#[cfg(test)]
mod tests;

pub use input::{
    CampaignInput, CampaignTerms, DEFAULT_CANCEL_WINDOW_MINS, DEFAULT_REPORT_DAYS,
    MAX_CANCEL_WINDOW_MINS, MAX_REPORT_DAYS, sends_from,
};
pub use report::{CampaignCounts, split_audience};

use crate::validation::FieldError;

/// Where a campaign is, as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignState {
    /// Waits for its start.
    Scheduled,
    /// Its messages are being queued.
    Queueing,
    /// Every message is queued; the outbox takes it from there.
    Queued,
    /// Stopped by staff: what had not left was withdrawn.
    Cancelled,
}

impl CampaignState {
    pub const ALL: [CampaignState; 4] = [
        CampaignState::Scheduled,
        CampaignState::Queueing,
        CampaignState::Queued,
        CampaignState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Scheduled => "scheduled",
            CampaignState::Queueing => "queueing",
            CampaignState::Queued => "queued",
            CampaignState::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<CampaignState, FieldError> {
        CampaignState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "state",
                    "unknown_state",
                    format!("unknown campaign state «{raw}»; known: scheduled, queueing, queued, cancelled"),
                )
            })
    }

    /// Whether cancelling still withdraws anything.
    pub fn can_cancel(self) -> bool {
        !matches!(self, CampaignState::Cancelled)
    }
}

/// The reason a campaign's withdrawn messages give.
pub const CANCELLED_REASON: &str = "campaign_cancelled";
/// The reason the control group's messages give: kept, never sent.
pub const HOLDOUT_REASON: &str = "holdout";
