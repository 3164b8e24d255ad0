//! Campaigns: made, listed, shown with their counts, cancelled.

use clientele_domain::campaign::{CampaignCounts, CampaignInput, CampaignState};
use clientele_domain::{CampaignId, StoreId, ValidationErrors};
use clientele_store::{Actor, KeptCampaign, NewAuditEntry, NewCampaign};
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// A campaign with its messages counted.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub campaign: KeptCampaign,
    pub counts: CampaignCounts,
    pub unsubscribed: i64,
}

impl CampaignView {
    /// Whether its messages may still be withdrawn before any leaves.
    pub fn in_cancel_window(&self, now: jiff::Timestamp) -> bool {
        let c = &self.campaign;
        c.state != CampaignState::Cancelled && now < c.sends_from()
    }
}

/// Whether a user who reaches `scope` (None: every store) reaches the
/// campaign's audience: one limited to stores sees the campaigns made for
/// their stores only.
pub(crate) fn within(campaign: &KeptCampaign, scope: Option<&[StoreId]>) -> bool {
    match (scope, &campaign.stores) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(scope), Some(stores)) => stores.iter().all(|s| scope.contains(s)),
    }
}

impl App {
    /// The campaigns `by` may see, newest first.
    pub async fn campaigns(&self, by: &ChangedBy) -> AppResult<Vec<KeptCampaign>> {
        let mut campaigns = self.db().campaigns().campaigns().await?;
        campaigns.retain(|c| within(c, by.scope.as_deref()));
        Ok(campaigns)
    }

    /// The campaigns `by` may see with their messages counted, newest
    /// first, in one read of the counts.
    pub async fn campaign_views(&self, by: &ChangedBy) -> AppResult<Vec<CampaignView>> {
        let campaigns = self.campaigns(by).await?;
        self.counted(campaigns).await
    }

    pub async fn campaign(&self, id: CampaignId, by: &ChangedBy) -> AppResult<CampaignView> {
        let campaign = self
            .db()
            .campaigns()
            .campaign(id)
            .await?
            .filter(|c| within(c, by.scope.as_deref()))
            .ok_or(AppError::NotFound("campaign"))?;
        let mut views = self.counted(vec![campaign]).await?;
        views.pop().ok_or(AppError::NotFound("campaign"))
    }

    async fn counted(&self, campaigns: Vec<KeptCampaign>) -> AppResult<Vec<CampaignView>> {
        let ids: Vec<CampaignId> = campaigns.iter().map(|c| c.id).collect();
        let tallies = self.db().campaigns().campaign_counts(&ids).await?;
        Ok(campaigns
            .into_iter()
            .map(|campaign| {
                let own = tallies.iter().filter(|t| t.campaign_id == campaign.id);
                let rows: Vec<_> = own
                    .clone()
                    .map(|t| (t.state, t.reason.clone(), t.messages))
                    .collect();
                CampaignView {
                    counts: CampaignCounts::of(&rows),
                    unsubscribed: own.map(|t| t.unsubscribed).sum(),
                    campaign,
                }
            })
            .collect())
    }

    /// Makes a campaign from a template; it starts at its time (now when
    /// none) and reaches, for a user limited to stores, only their stores'
    /// customers. A campaign whose audience is empty is refused.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn create_campaign(
        &self,
        input: CampaignInput,
        by: &ChangedBy,
    ) -> AppResult<KeptCampaign> {
        let now = self.clock().now();
        let terms = input.validate(now)?;
        let template = self
            .db()
            .campaigns()
            .template(terms.template)
            .await?
            .ok_or(AppError::NotFound("template"))?;
        if let Some(segment) = terms.segment {
            self.db()
                .segments()
                .segment(segment)
                .await?
                .ok_or(AppError::NotFound("segment"))?;
        }
        if let Some(offer) = terms.offer {
            self.db()
                .offers()
                .offer(offer)
                .await?
                .ok_or(AppError::NotFound("offer"))?;
        }
        let audience = self
            .db()
            .campaigns()
            .campaign_audience(terms.segment, by.scope.as_deref())
            .await?;
        if audience.is_empty() {
            return Err(missing(
                "segment_id",
                "no_recipients",
                "nobody is in this campaign's audience: it would send nothing",
            ));
        }
        let kept = self
            .db()
            .campaigns()
            .create_campaign(&NewCampaign {
                terms,
                words: template.record,
                stores: by.scope.clone(),
                author: match &by.actor {
                    Actor::User { id, .. } => Some(*id),
                    _ => None,
                },
                at: now,
            })
            .await?;
        self.record(NewAuditEntry {
            after: Some(json!({
                "name": kept.name,
                "template_id": kept.template_id.0,
                "segment_id": kept.segment_id.map(|s| s.0),
                "starts_at": kept.starts_at.to_string(),
                "audience": audience.len(),
            })),
            ..entry(by, now, "campaign.create", "campaign", kept.id.0)
        })
        .await?;
        Ok(kept)
    }

    /// Stops a campaign: what has not left is withdrawn (in its cancel
    /// window, everything). Answers how many messages were withdrawn.
    #[tracing::instrument(skip(self, by))]
    pub async fn cancel_campaign(&self, id: CampaignId, by: &ChangedBy) -> AppResult<u64> {
        self.campaign(id, by).await?;
        let now = self.clock().now();
        let withdrawn = self
            .db()
            .campaigns()
            .cancel_campaign(id, now)
            .await?
            .ok_or_else(|| AppError::Conflict {
                message: "the campaign is cancelled already".into(),
                field: None,
                existing_customer: None,
            })?;
        self.record(NewAuditEntry {
            after: Some(json!({"withdrawn": withdrawn})),
            ..entry(by, now, "campaign.cancel", "campaign", id.0)
        })
        .await?;
        Ok(withdrawn)
    }
}

fn missing(field: &str, code: &'static str, message: &str) -> AppError {
    AppError::Validation(ValidationErrors::one(field, code, message))
}
