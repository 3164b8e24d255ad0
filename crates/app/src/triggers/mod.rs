//! Triggers: the marketer's automatic messages, one per kind, each on
//! its occasion once per customer. The worker scans for occasions; the
//! birthday greeting goes with the birthday points (see the jobs).

mod scan;

use std::collections::HashMap;

use clientele_domain::TriggerId;
use clientele_domain::trigger::{TriggerInput, TriggerKind, TriggerTerms};
use clientele_store::{KeptTrigger, NewAuditEntry, TriggerTally};
use serde_json::json;

pub use scan::ScanReport;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

impl App {
    pub async fn triggers(&self) -> AppResult<Vec<KeptTrigger>> {
        Ok(self.db().triggers().triggers().await?)
    }

    /// What each trigger's messages made over the last `days` days.
    pub async fn trigger_tallies(&self, days: i64) -> AppResult<HashMap<TriggerId, TriggerTally>> {
        let since = self
            .clock()
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(24 * days))
            .unwrap_or_else(|_| self.clock().now());
        let tallies = self.db().triggers().trigger_tallies(since).await?;
        Ok(tallies.into_iter().map(|t| (t.trigger_id, t)).collect())
    }

    pub async fn trigger(&self, id: TriggerId) -> AppResult<KeptTrigger> {
        self.db()
            .triggers()
            .trigger(id)
            .await?
            .ok_or(AppError::NotFound("trigger"))
    }

    /// The active trigger of `kind`, if any.
    pub(crate) async fn active_trigger(&self, kind: TriggerKind) -> AppResult<Option<KeptTrigger>> {
        Ok(self
            .triggers()
            .await?
            .into_iter()
            .find(|t| t.kind == kind && t.active))
    }

    async fn checked_trigger(&self, input: TriggerInput) -> AppResult<TriggerTerms> {
        let terms = input.validate()?;
        if self
            .db()
            .campaigns()
            .template(terms.template)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound("template"));
        }
        Ok(terms)
    }

    /// Sets up the trigger of a kind; one of each kind may exist.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn create_trigger(
        &self,
        input: TriggerInput,
        by: &ChangedBy,
    ) -> AppResult<KeptTrigger> {
        let terms = self.checked_trigger(input).await?;
        let now = self.clock().now();
        let kept = self.db().triggers().create_trigger(&terms, now).await?;
        self.switched(&kept, false).await?;
        self.record(NewAuditEntry {
            after: Some(json!({"kind": kept.kind.as_str(), "active": kept.active})),
            ..entry(by, now, "trigger.create", "trigger", kept.id.0)
        })
        .await?;
        Ok(kept)
    }

    /// Changes a trigger still at `version`; switching it on sends only
    /// on occasions from then on.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn edit_trigger(
        &self,
        id: TriggerId,
        input: TriggerInput,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<KeptTrigger> {
        let before = self.trigger(id).await?;
        let mut terms = self.checked_trigger(input).await?;
        // A trigger's kind is what it is: another kind is another trigger.
        terms.kind = before.kind;
        let now = self.clock().now();
        let kept = self
            .db()
            .triggers()
            .update_trigger(id, &terms, version, now)
            .await?
            .ok_or_else(|| AppError::Conflict {
                message: "the trigger was changed by someone else meanwhile; reload it".into(),
                field: None,
                existing_customer: None,
            })?;
        self.switched(&kept, before.active).await?;
        self.record(NewAuditEntry {
            before: Some(json!({"active": before.active, "days": before.days})),
            after: Some(json!({"active": kept.active, "days": kept.days})),
            ..entry(by, now, "trigger.update", "trigger", id.0)
        })
        .await?;
        Ok(kept)
    }

    /// A tier trigger switched on starts from the tiers customers have
    /// now: it tells of moves from then on, not of every tier ever given.
    async fn switched(&self, kept: &KeptTrigger, was_active: bool) -> AppResult<()> {
        let tiers = matches!(
            kept.kind,
            TriggerKind::TierRaised | TriggerKind::TierLowered
        );
        if tiers && kept.active && !was_active {
            let other = self.triggers().await?.into_iter().any(|t| {
                t.id != kept.id
                    && t.active
                    && matches!(t.kind, TriggerKind::TierRaised | TriggerKind::TierLowered)
            });
            if !other {
                self.db().triggers().see_tiers(None).await?;
            }
        }
        Ok(())
    }
}
