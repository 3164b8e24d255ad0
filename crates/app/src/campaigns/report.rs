//! What a campaign did: its messages by state and reason, and what its
//! recipients bought in the days after it against its control group.

use clientele_domain::CampaignId;
use clientele_domain::offer::{HoldoutComparison, compare_members};
use clientele_store::CustomerReach;
use jiff::{SignedDuration, Timestamp};

use super::CampaignView;
use crate::audit::ChangedBy;
use crate::{App, AppResult};

#[derive(Debug, Clone)]
pub struct CampaignReport {
    pub view: CampaignView,
    /// The purchases counted: from the campaign's first send to `to` (the
    /// end of its report days, or now if sooner).
    pub from: Timestamp,
    pub to: Timestamp,
    pub comparison: HoldoutComparison,
}

impl App {
    #[tracing::instrument(skip(self, by))]
    pub async fn campaign_report(
        &self,
        id: CampaignId,
        by: &ChangedBy,
    ) -> AppResult<CampaignReport> {
        let view = self.campaign(id, by).await?;
        let campaign = &view.campaign;
        let from = campaign.sends_from();
        let to = from
            .checked_add(SignedDuration::from_hours(24 * campaign.report_days))
            .unwrap_or(from)
            .min(self.clock().now().max(from));
        let members = self.db().campaigns().campaign_members(id).await?;
        let purchases = if members.is_empty() {
            Vec::new()
        } else {
            let everyone = CustomerReach::default();
            self.db()
                .offers()
                .purchases_between(&everyone, from, to)
                .await?
        };
        let comparison = compare_members(&members, &purchases);
        Ok(CampaignReport {
            view,
            from,
            to,
            comparison,
        })
    }
}
