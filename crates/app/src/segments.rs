//! Segments: kept with their rules, counted live as the marketer edits,
//! recomputed on their schedule or on demand, each recompute's size, who
//! entered and who left kept as its history.

use std::collections::BTreeMap;
use std::time::Instant;

use clientele_domain::segment::{
    NewSegment, RawRule, Rule, Segment, SegmentInput, SegmentKind, SegmentSize,
};
use clientele_domain::{CustomerId, SegmentId, StoreId};
use clientele_store::{RuleContext, SegmentFigures};
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// Size history kept on a segment's page.
pub const HISTORY: u32 = 60;

impl App {
    pub async fn segments(&self) -> AppResult<Vec<Segment>> {
        Ok(self.db().segments().segments().await?)
    }

    pub async fn segment(&self, id: SegmentId) -> AppResult<Segment> {
        self.db()
            .segments()
            .segment(id)
            .await?
            .ok_or(AppError::NotFound("segment"))
    }

    /// The latest recomputes, newest first.
    pub async fn segment_sizes(&self, id: SegmentId) -> AppResult<Vec<SegmentSize>> {
        self.segment(id).await?;
        Ok(self.db().segments().size_history(id, HISTORY).await?)
    }

    /// The segment's members beside the whole base.
    pub async fn segment_figures(&self, id: SegmentId) -> AppResult<SegmentFigures> {
        self.segment(id).await?;
        Ok(self.db().segments().segment_figures(id).await?)
    }

    /// Checks a segment as sent against the custom properties its rules may name.
    pub(crate) async fn checked(&self, input: SegmentInput) -> AppResult<NewSegment> {
        let properties = self.property_definitions().await?;
        Ok(input.validate(&properties)?)
    }

    /// Saves a segment and computes it at once: a dynamic or ruled static
    /// one from its rules, a static list from `customer_ids`.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn create_segment(
        &self,
        input: SegmentInput,
        customer_ids: Option<Vec<CustomerId>>,
        by: &ChangedBy,
    ) -> AppResult<Segment> {
        let new = self.checked(input).await?;
        if new.kind == SegmentKind::Static && new.rules.is_some() && customer_ids.is_some() {
            return Err(AppError::from_field(clientele_domain::FieldError::new(
                "customer_ids",
                "not_allowed",
                "a static segment is made from rules or from a list of customers, not both",
            )));
        }
        if new.kind == SegmentKind::Dynamic && customer_ids.is_some() {
            return Err(AppError::from_field(clientele_domain::FieldError::new(
                "customer_ids",
                "not_allowed",
                "a dynamic segment's members follow its rules; a list of customers makes a static one",
            )));
        }
        let author = match &by.actor {
            clientele_store::Actor::User { id, .. } => Some(*id),
            _ => None,
        };
        let segment = self
            .db()
            .segments()
            .create_segment(&new, author, self.clock().now())
            .await?;
        self.record(clientele_store::NewAuditEntry {
            after: Some(json!({"name": segment.name, "kind": segment.kind.as_str()})),
            ..entry(
                by,
                self.clock().now(),
                "segment.create",
                "segment",
                segment.id.0,
            )
        })
        .await?;
        match (&segment.rules, customer_ids) {
            (_, Some(ids)) => {
                self.fill(&segment, ids).await?;
            }
            (Some(_), None) => {
                self.recompute(&segment).await?;
            }
            (None, None) => {}
        }
        self.segment(segment.id).await
    }

    /// Replaces a segment's definition if it is still at `version`, and
    /// recomputes it when its rules changed.
    pub async fn update_segment(
        &self,
        id: SegmentId,
        input: SegmentInput,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<Segment> {
        let before = self.segment(id).await?;
        let new = self.checked(input).await?;
        if before.kind != new.kind {
            return Err(AppError::from_field(clientele_domain::FieldError::new(
                "kind",
                "not_allowed",
                "a segment stays dynamic or static: make a new one",
            )));
        }
        let segment = self
            .db()
            .segments()
            .update_segment(id, &new, version, self.clock().now())
            .await?
            .ok_or(AppError::NotFound("segment"))?;
        self.record(clientele_store::NewAuditEntry {
            before: Some(json!({"name": before.name})),
            after: Some(json!({"name": segment.name})),
            ..entry(by, self.clock().now(), "segment.update", "segment", id.0)
        })
        .await?;
        if segment.kind == SegmentKind::Dynamic && segment.rules != before.rules {
            self.recompute(&segment).await?;
        }
        self.segment(id).await
    }

    pub async fn delete_segment(&self, id: SegmentId, by: &ChangedBy) -> AppResult<()> {
        let segment = self.segment(id).await?;
        if !self.db().offers().offers_for_segment(id).await?.is_empty() {
            return Err(AppError::Conflict {
                message: "an offer is aimed at this segment: change or remove it first".into(),
                field: None,
                existing_customer: None,
            });
        }
        if !self.db().segments().delete_segment(id).await? {
            return Err(AppError::NotFound("segment"));
        }
        self.record(clientele_store::NewAuditEntry {
            before: Some(json!({"name": segment.name})),
            ..entry(by, self.clock().now(), "segment.delete", "segment", id.0)
        })
        .await
    }

    /// How many customers the rules hold for now, saving nothing: the
    /// editor's live count. A store-scoped user counts their stores' only.
    pub async fn count_segment(&self, rules: RawRule, by: &ChangedBy) -> AppResult<i64> {
        let properties = self.property_definitions().await?;
        let rule = Rule::parse(&rules, &properties)?;
        let mut context = self.segment_context().await?;
        context.within = by.scope.clone();
        Ok(self.db().segments().count_matching(&rule, &context).await?)
    }

    /// Up to `limit` of the customers the rules hold for now, saving
    /// nothing: the editor's sample beside its live count, within the
    /// caller's stores as the count is.
    pub async fn sample_segment(
        &self,
        rules: RawRule,
        by: &ChangedBy,
        limit: usize,
    ) -> AppResult<Vec<clientele_domain::Customer>> {
        let properties = self.property_definitions().await?;
        let rule = Rule::parse(&rules, &properties)?;
        let mut context = self.segment_context().await?;
        context.within = by.scope.clone();
        let ids = self.db().segments().matching(&rule, &context).await?;
        let mut sample = Vec::with_capacity(limit.min(ids.len()));
        for id in ids.into_iter().take(limit) {
            if let Some(customer) = self.db().customer(id).await? {
                sample.push(customer);
            }
        }
        Ok(sample)
    }

    /// Recomputes a segment from its rules now.
    pub async fn recompute_segment(&self, id: SegmentId) -> AppResult<SegmentSize> {
        let segment = self.segment(id).await?;
        if segment.kind == SegmentKind::Static {
            return Err(AppError::Conflict {
                message: "a static segment keeps the members it was made with".into(),
                field: Some("kind"),
                existing_customer: None,
            });
        }
        self.recompute(&segment).await
    }

    /// Recomputes every dynamic segment whose scheduled slot has come and
    /// was not yet taken (by this server or another); answers how many.
    pub async fn recompute_due_segments(&self) -> AppResult<u32> {
        let local = self
            .clock()
            .now()
            .to_zoned(self.clock().zone().clone())
            .datetime();
        let mut done = 0;
        for segment in self.segments().await? {
            let Some(slot) = segment.schedule.and_then(|s| s.slot(local)) else {
                continue;
            };
            let job = format!("segment:{}", segment.id.0);
            if self
                .db()
                .jobs()
                .claim_slot(&job, &slot, self.clock().now())
                .await?
            {
                self.recompute(&segment).await?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// What a rule needs to be read in SQL today.
    async fn segment_context(&self) -> AppResult<RuleContext> {
        let stores = self.db().directory().stores().await?;
        let mut subtrees: BTreeMap<StoreId, Vec<StoreId>> = BTreeMap::new();
        for store in &stores {
            let mut node = Some(store.id);
            while let Some(at) = node {
                subtrees.entry(at).or_default().push(store.id);
                node = stores.iter().find(|s| s.id == at).and_then(|s| s.parent_id);
            }
        }
        Ok(RuleContext {
            today: self.clock().today(),
            zone: self.clock().zone().clone(),
            subtrees,
            properties: self.property_definitions().await?,
            within: None,
        })
    }

    /// Computes the members from the rules and records who entered and left.
    #[tracing::instrument(skip(self, segment), fields(segment = segment.id.0))]
    async fn recompute(&self, segment: &Segment) -> AppResult<SegmentSize> {
        let Some(rule) = &segment.rules else {
            return Err(AppError::Conflict {
                message: "the segment has no rules to compute".into(),
                field: Some("rules"),
                existing_customer: None,
            });
        };
        let started = Instant::now();
        let context = self.segment_context().await?;
        let fresh = self.db().segments().matching(rule, &context).await?;
        let size = self.write_members(segment, fresh, started).await?;
        tracing::info!(
            size = size.size,
            entered = size.entered,
            left = size.left,
            took_ms = size.took_ms,
            "segment recomputed"
        );
        Ok(size)
    }

    /// A static segment's members from a list: the customers of it who exist.
    async fn fill(&self, segment: &Segment, ids: Vec<CustomerId>) -> AppResult<SegmentSize> {
        let started = Instant::now();
        let mut known = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            let found = self
                .db()
                .customer_loyalties(chunk, self.clock().now())
                .await?;
            known.extend(found.into_iter().map(|(id, _)| id));
        }
        known.sort_unstable();
        known.dedup();
        self.write_members(segment, known, started).await
    }

    /// Writes `fresh` (ascending) as the members: the difference with the
    /// members kept, and the size in the history.
    async fn write_members(
        &self,
        segment: &Segment,
        fresh: Vec<CustomerId>,
        started: Instant,
    ) -> AppResult<SegmentSize> {
        let kept = self.db().segments().members(segment.id).await?;
        let (entered, left) = difference(&kept, &fresh);
        let size = SegmentSize {
            computed_at: self.clock().now(),
            size: i64::try_from(fresh.len()).unwrap_or(i64::MAX),
            entered: i64::try_from(entered.len()).unwrap_or(i64::MAX),
            left: i64::try_from(left.len()).unwrap_or(i64::MAX),
            took_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        };
        self.db()
            .segments()
            .record_recompute(segment.id, &entered, &left, &size)
            .await?;
        Ok(size)
    }
}

/// Who is in `fresh` and not in `kept`, and who is in `kept` and not in
/// `fresh`; both ascending.
fn difference(kept: &[CustomerId], fresh: &[CustomerId]) -> (Vec<CustomerId>, Vec<CustomerId>) {
    let (mut entered, mut left) = (Vec::new(), Vec::new());
    let (mut k, mut f) = (0, 0);
    while k < kept.len() || f < fresh.len() {
        match (kept.get(k), fresh.get(f)) {
            (Some(a), Some(b)) if a == b => {
                k += 1;
                f += 1;
            }
            (Some(a), Some(b)) if a < b => {
                left.push(*a);
                k += 1;
            }
            (Some(_), Some(b)) | (None, Some(b)) => {
                entered.push(*b);
                f += 1;
            }
            (Some(a), None) => {
                left.push(*a);
                k += 1;
            }
            (None, None) => break,
        }
    }
    (entered, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_difference_names_who_entered_and_who_left() {
        let ids = |list: &[i64]| list.iter().map(|&n| CustomerId(n)).collect::<Vec<_>>();
        let (entered, left) = difference(&ids(&[1, 3, 5, 7]), &ids(&[2, 3, 7, 8, 9]));
        assert_eq!(entered, ids(&[2, 8, 9]));
        assert_eq!(left, ids(&[1, 5]));
        assert_eq!(difference(&[], &ids(&[4])), (ids(&[4]), vec![]));
        assert_eq!(difference(&ids(&[4]), &[]), (vec![], ids(&[4])));
    }
}
