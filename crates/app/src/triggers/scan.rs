//! The scan for triggers' occasions: who joined, bought for the first
//! time, stayed away, has points about to expire or moved tier. Each
//! occasion is queued once per customer, however often the scan runs.

use clientele_domain::CustomerId;
use clientele_domain::message::MessageSource;
use clientele_domain::trigger::{Occasion, TriggerKind, tier_move};
use clientele_store::{KeptTrigger, NewMessage};
use jiff::{SignedDuration, Timestamp};

use crate::{App, AppResult};

/// How far back a scan looks for joins and first purchases: a server that
/// was down for less still sends them.
const LOOK_BACK: SignedDuration = SignedDuration::from_hours(24);
/// How long after a win-back's day it is still sent.
const WIN_BACK_LATE: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Tier moves read per scan.
const TIER_MOVES: u32 = 10_000;
const QUEUE_BATCH: usize = 1_000;

/// What one scan queued, by trigger kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub queued: Vec<(TriggerKind, usize)>,
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

impl App {
    /// Queues the messages of every active trigger whose occasion came
    /// (the birthday greeting goes with the birthday points instead).
    #[tracing::instrument(skip(self))]
    pub async fn run_triggers(&self) -> AppResult<ScanReport> {
        let now = self.clock().now();
        let triggers: Vec<KeptTrigger> = self
            .triggers()
            .await?
            .into_iter()
            .filter(|t| t.active)
            .collect();
        let mut report = ScanReport::default();
        for trigger in &triggers {
            let since = trigger.activated_at.unwrap_or(now);
            let occasions: Vec<(CustomerId, Occasion)> = match trigger.kind {
                TriggerKind::Welcome => self
                    .db()
                    .triggers()
                    .joined_since(since.max(now - LOOK_BACK))
                    .await?
                    .into_iter()
                    .map(|c| (c, Occasion::Welcome))
                    .collect(),
                TriggerKind::FirstPurchase => self
                    .db()
                    .triggers()
                    .first_bought_since(since.max(now - LOOK_BACK))
                    .await?
                    .into_iter()
                    .map(|c| (c, Occasion::FirstPurchase))
                    .collect(),
                TriggerKind::WinBack => {
                    let away = days(trigger.days.unwrap_or(1));
                    let to = now - away;
                    // Only those whose day came after the trigger was on.
                    let from = (to - WIN_BACK_LATE).max(since - away);
                    self.db()
                        .triggers()
                        .last_bought_between(from, to)
                        .await?
                        .into_iter()
                        .map(|(c, last_purchase)| (c, Occasion::WinBack { last_purchase }))
                        .collect()
                }
                TriggerKind::PointsExpiring => {
                    let zone = self.clock().zone().clone();
                    self.db()
                        .triggers()
                        .expiring_between(now, now + days(trigger.days.unwrap_or(1)))
                        .await?
                        .into_iter()
                        .map(|(c, at)| {
                            let on = at.to_zoned(zone.clone()).date();
                            (c, Occasion::PointsExpiring { on })
                        })
                        .collect()
                }
                TriggerKind::Birthday | TriggerKind::TierRaised | TriggerKind::TierLowered => {
                    continue;
                }
            };
            let queued = self.queue_occasions(trigger, &occasions, now).await?;
            report.queued.push((trigger.kind, queued));
        }
        let tiers: Vec<&KeptTrigger> = triggers
            .iter()
            .filter(|t| matches!(t.kind, TriggerKind::TierRaised | TriggerKind::TierLowered))
            .collect();
        if !tiers.is_empty() {
            report
                .queued
                .extend(self.tier_occasions(&tiers, now).await?);
        }
        Ok(report)
    }

    /// Tells customers whose tier moved, by the trigger of the move's kind
    /// if it is on, and notes the tier they have now either way.
    async fn tier_occasions(
        &self,
        tiers: &[&KeptTrigger],
        now: Timestamp,
    ) -> AppResult<Vec<(TriggerKind, usize)>> {
        let moves = self.db().triggers().tier_moves(TIER_MOVES).await?;
        let at = now.to_zoned(self.clock().zone().clone()).date();
        let mut queued = Vec::new();
        for trigger in tiers {
            let occasions: Vec<(CustomerId, Occasion)> = moves
                .iter()
                .filter(|m| {
                    tier_move(m.seen.map(|s| s.1), m.now.map(|n| n.1)) == Some(trigger.kind)
                })
                .map(|m| {
                    let to = m.now.map(|n| n.0);
                    (m.customer_id, Occasion::Tier { to, at })
                })
                .collect();
            queued.push((
                trigger.kind,
                self.queue_occasions(trigger, &occasions, now).await?,
            ));
        }
        let seen: Vec<_> = moves
            .iter()
            .map(|m| (m.customer_id, m.now.map(|n| n.0)))
            .collect();
        if !seen.is_empty() {
            self.db().triggers().see_tiers(Some(&seen)).await?;
        }
        Ok(queued)
    }

    async fn queue_occasions(
        &self,
        trigger: &KeptTrigger,
        occasions: &[(CustomerId, Occasion)],
        now: Timestamp,
    ) -> AppResult<usize> {
        let expires_at = now + MessageSource::Trigger.lifetime();
        let mut queued = 0;
        for batch in occasions.chunks(QUEUE_BATCH) {
            let messages: Vec<NewMessage> = batch
                .iter()
                .map(|(customer, occasion)| NewMessage {
                    customer_id: *customer,
                    source: MessageSource::Trigger,
                    channels: trigger.channels.clone(),
                    subject: None,
                    body: String::new(),
                    at: now,
                    expires_at,
                    author: None,
                    trigger_id: Some(trigger.id),
                    occasion: Some(occasion.key()),
                })
                .collect();
            queued += self.db().outbox().queue_messages(&messages).await?.len();
        }
        Ok(queued)
    }
}
