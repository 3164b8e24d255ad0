//! Queueing a campaign when it starts: its audience read once, split by
//! its control group, and written to the outbox in slices, so the tills'
//! writes pass between them and a crash resumes where the slices stopped.
//! An attached offer that asks for single-use coupons gets one issued to
//! each recipient.

use clientele_domain::OfferId;
use clientele_domain::campaign::split_audience;
use clientele_domain::message::MessageSource;
use clientele_domain::offer::CouponRule;
use clientele_store::{CampaignSlice, KeptCampaign};

use crate::progress::Progress;
use crate::{App, AppResult};

/// Customers queued in one write.
pub const QUEUE_SLICE: usize = 5_000;

impl App {
    /// Queues the messages of every campaign whose start has come (and of
    /// any whose queueing was cut off); answers the messages added.
    #[tracing::instrument(skip(self, progress))]
    pub async fn queue_due_campaigns(&self, progress: &dyn Progress) -> AppResult<u64> {
        let now = self.clock().now();
        let due = self.db().campaigns().campaigns_to_queue(now).await?;
        let mut added = 0;
        for campaign in &due {
            added += self.queue_campaign(campaign, progress).await?;
        }
        Ok(added)
    }

    async fn queue_campaign(
        &self,
        campaign: &KeptCampaign,
        progress: &dyn Progress,
    ) -> AppResult<u64> {
        let audience = self
            .db()
            .campaigns()
            .campaign_audience(campaign.segment_id, campaign.stores.as_deref())
            .await?;
        let (recipients, held_out) = split_audience(campaign.id, campaign.holdout_bp, &audience);
        let at = self.clock().now();
        // The window counts from the start, not from a resumed queueing.
        let due_at = campaign.sends_from().max(at);
        let expires_at = due_at
            .checked_add(MessageSource::Campaign.lifetime())
            .unwrap_or(due_at);
        let coupons_of = self.coupons_to_issue(campaign).await?;
        progress.start(&campaign.name, audience.len() as u64);
        let mut added = 0;
        let mut held = held_out.chunks(QUEUE_SLICE);
        for slice in recipients.chunks(QUEUE_SLICE) {
            let held_out = held.next().unwrap_or(&[]);
            // Before their messages: a message never leaves without its coupon.
            if let Some(offer) = coupons_of {
                self.issue_coupons_to(offer, slice).await?;
            }
            added += self
                .db()
                .campaigns()
                .queue_campaign(CampaignSlice {
                    campaign,
                    recipients: slice,
                    held_out,
                    due_at,
                    expires_at,
                    at,
                })
                .await?;
            progress.advance((slice.len() + held_out.len()) as u64);
        }
        for held_out in held {
            added += self
                .db()
                .campaigns()
                .queue_campaign(CampaignSlice {
                    campaign,
                    recipients: &[],
                    held_out,
                    due_at,
                    expires_at,
                    at,
                })
                .await?;
            progress.advance(held_out.len() as u64);
        }
        self.db()
            .campaigns()
            .finish_queueing(campaign.id, at)
            .await?;
        // A large campaign changes the outbox's size by orders of magnitude:
        // planned on the old statistics, every claim would read it whole.
        if added >= QUEUE_SLICE as u64 {
            self.db().refresh_statistics().await?;
        }
        progress.finish();
        tracing::info!(campaign = campaign.id.0, added, "campaign queued");
        Ok(added)
    }

    /// The campaign's offer, when it asks for single-use coupons: each
    /// recipient is issued one (the control group none).
    async fn coupons_to_issue(&self, campaign: &KeptCampaign) -> AppResult<Option<OfferId>> {
        let Some(id) = campaign.offer_id else {
            return Ok(None);
        };
        let offer = self.db().offers().offer(id).await?;
        Ok(offer
            .filter(|kept| kept.offer.terms.coupon == Some(CouponRule::Unique))
            .map(|_| id))
    }
}
