//! Personal offers: kept with their terms, paused and resumed, their
//! single-use coupons generated in bulk or issued to customers.

use std::collections::HashMap;

use clientele_domain::offer::{
    Audience, CouponCode, CouponRule, OfferInput, OfferTerms, generate_codes,
};
use clientele_domain::{CustomerId, FieldError, OfferId, ValidationErrors};
use clientele_store::{Coupon, CouponHolder, CustomerReach, KeptOffer, NewAuditEntry};
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// The most coupons one call makes.
pub const MOST_COUPONS: usize = 100_000;
const COUPONS_PER_WRITE: usize = 5_000;

/// What a change to an offer may touch: the marketer's everyday edits.
#[derive(Debug, Clone, Default)]
pub struct OfferChanges {
    pub name: Option<String>,
    /// Pause (`false`) or resume (`true`).
    pub active: Option<bool>,
    pub priority: Option<i64>,
}

fn random() -> u64 {
    let mut bytes = [0; 8];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    u64::from_le_bytes(bytes)
}

impl App {
    pub async fn offers(&self) -> AppResult<Vec<KeptOffer>> {
        Ok(self.db().offers().offers().await?)
    }

    pub async fn offer(&self, id: OfferId) -> AppResult<KeptOffer> {
        self.db()
            .offers()
            .offer(id)
            .await?
            .ok_or(AppError::NotFound("offer"))
    }

    #[tracing::instrument(skip(self, input, by))]
    pub async fn create_offer(&self, input: OfferInput, by: &ChangedBy) -> AppResult<KeptOffer> {
        let terms = input.validate()?;
        self.check_audience(&terms).await?;
        let kept = self
            .db()
            .offers()
            .create_offer(&terms, self.clock().now())
            .await?;
        self.forget_running_offers();
        self.record(NewAuditEntry {
            after: Some(json!({"name": kept.offer.terms.name})),
            ..entry(
                by,
                self.clock().now(),
                "offer.create",
                "offer",
                kept.offer.id.0,
            )
        })
        .await?;
        Ok(kept)
    }

    /// Renames, pauses, resumes or reorders an offer still at `version`.
    pub async fn change_offer(
        &self,
        id: OfferId,
        changes: OfferChanges,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<KeptOffer> {
        let kept = self.offer(id).await?;
        let mut terms = kept.offer.terms.clone();
        let mut errors = ValidationErrors::default();
        if let Some(name) = changes.name {
            match clientele_domain::text::clean_name(&name, 200) {
                Some(name) => terms.name = name,
                None => errors.push(FieldError::new(
                    "name",
                    "required",
                    "a name is required (up to 200 characters)",
                )),
            }
        }
        if let Some(active) = changes.active {
            terms.active = active;
        }
        if let Some(priority) = changes.priority {
            match i32::try_from(priority) {
                Ok(priority) if priority.unsigned_abs() <= 1_000_000 => terms.priority = priority,
                _ => errors.push(FieldError::new(
                    "priority",
                    "out_of_range",
                    "the priority is from -1000000 to 1000000",
                )),
            }
        }
        errors.finish(|| ())?;
        self.replace_terms(&kept, &terms, version, by).await
    }

    /// The segment an offer aims at exists.
    async fn check_audience(&self, terms: &OfferTerms) -> AppResult<()> {
        if let Audience::Segment(segment) = terms.audience
            && self.db().segments().segment(segment).await?.is_none()
        {
            return Err(ValidationErrors::one(
                "segment_id",
                "unknown_segment",
                "there is no such segment",
            )
            .into());
        }
        Ok(())
    }

    /// Keeps an offer's new terms if it is still at `version`, in the
    /// audit log, and at this process's tills at once.
    async fn replace_terms(
        &self,
        kept: &KeptOffer,
        terms: &OfferTerms,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<KeptOffer> {
        let id = kept.offer.id;
        let changed = self
            .db()
            .offers()
            .update_offer(id, terms, version, self.clock().now())
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        self.forget_running_offers();
        self.record(NewAuditEntry {
            before: Some(json!({"name": kept.offer.terms.name, "active": kept.offer.terms.active})),
            after: Some(json!({"name": terms.name, "active": terms.active})),
            ..entry(by, self.clock().now(), "offer.update", "offer", id.0)
        })
        .await?;
        Ok(changed)
    }

    /// Makes single-use coupons for an offer that asks for them: `count`
    /// to hand out, and one for each of `customers`. Answers the codes.
    #[tracing::instrument(skip(self, customers, by))]
    pub async fn issue_coupons(
        &self,
        id: OfferId,
        count: usize,
        customers: Vec<CustomerId>,
        by: &ChangedBy,
    ) -> AppResult<Vec<CouponCode>> {
        let kept = self.offer(id).await?;
        if kept.offer.terms.coupon != Some(CouponRule::Unique) {
            return Err(AppError::Conflict {
                message: "the offer does not ask for single-use coupons".into(),
                field: Some("coupon"),
                existing_customer: None,
            });
        }
        if count + customers.len() > MOST_COUPONS || count + customers.len() == 0 {
            return Err(ValidationErrors::one(
                "count",
                "out_of_range",
                format!("1 to {MOST_COUPONS} coupons at once"),
            )
            .into());
        }
        let mut wanted: Vec<Option<CustomerId>> = customers.into_iter().map(Some).collect();
        wanted.extend(std::iter::repeat_n(None, count));
        let made = self.make_coupons(id, wanted).await?;
        self.record(NewAuditEntry {
            after: Some(json!({"coupons": made.len()})),
            ..entry(by, self.clock().now(), "offer.coupons", "offer", id.0)
        })
        .await?;
        Ok(made)
    }

    /// Issues a coupon of a single-use coupon offer to each of `customers`
    /// who holds no unused one of it: a campaign's recipients, so that a
    /// queueing resumed after a crash issues none twice. Answers how many.
    pub(crate) async fn issue_coupons_to(
        &self,
        id: OfferId,
        customers: &[CustomerId],
    ) -> AppResult<usize> {
        let holding: std::collections::HashSet<CustomerId> = self
            .db()
            .offers()
            .unused_coupon_holders(id, customers)
            .await?
            .into_iter()
            .collect();
        let wanted = customers
            .iter()
            .filter(|c| !holding.contains(c))
            .map(|&c| Some(c))
            .collect();
        Ok(self.make_coupons(id, wanted).await?.len())
    }

    /// Draws and keeps a code for each of `wanted` (a customer's, or one to
    /// hand out); answers the codes kept.
    async fn make_coupons(
        &self,
        id: OfferId,
        mut wanted: Vec<Option<CustomerId>>,
    ) -> AppResult<Vec<CouponCode>> {
        let mut made = Vec::with_capacity(wanted.len());
        // A code taken by an earlier call (about once in 10^12) is drawn again.
        for _ in 0..8 {
            if wanted.is_empty() {
                break;
            }
            let codes = generate_codes(wanted.len(), &mut random).map_err(AppError::from_field)?;
            let batch: Vec<_> = codes.into_iter().zip(wanted.iter().copied()).collect();
            let mut kept_codes = std::collections::HashSet::with_capacity(batch.len());
            // A transaction per chunk: the writer is never held long.
            for chunk in batch.chunks(COUPONS_PER_WRITE) {
                let kept = self
                    .db()
                    .offers()
                    .add_coupons(id, chunk, self.clock().now())
                    .await?;
                kept_codes.extend(kept);
            }
            wanted = batch
                .iter()
                .filter(|(code, _)| !kept_codes.contains(code))
                .map(|(_, customer)| *customer)
                .collect();
            made.extend(
                batch
                    .into_iter()
                    .map(|(code, _)| code)
                    .filter(|code| kept_codes.contains(code)),
            );
        }
        Ok(made)
    }

    pub async fn coupon(&self, code: &str) -> AppResult<Coupon> {
        let code = CouponCode::parse(code).map_err(|_| AppError::NotFound("coupon"))?;
        self.db()
            .offers()
            .coupon(&code)
            .await?
            .ok_or(AppError::NotFound("coupon"))
    }
}

/// How an offer's audience did over its period, split by its control
/// group: the dates are the shop's, both inclusive.
#[derive(Debug, Clone)]
pub struct OfferResults {
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    pub holdout_bp: i64,
    pub comparison: clientele_domain::offer::HoldoutComparison,
}

impl App {
    /// Those who got the offer beside its control group, over the offer's
    /// period so far (from its first day, or the day it was made).
    #[tracing::instrument(skip(self))]
    pub async fn offer_results(&self, id: OfferId) -> AppResult<OfferResults> {
        let kept = self.offer(id).await?;
        let terms = &kept.offer.terms;
        let zone = self.clock().zone().clone();
        let today = self.clock().now().to_zoned(zone.clone()).date();
        let from = terms
            .schedule
            .valid_from
            .unwrap_or_else(|| kept.created_at.to_zoned(zone.clone()).date());
        let to = terms
            .schedule
            .valid_to
            .map_or(today, |last| last.min(today));
        let start = |date: jiff::civil::Date| {
            date.to_zoned(zone.clone())
                .map(|z| z.timestamp())
                .map_err(|e| AppError::Unavailable(e.to_string()))
        };
        let after = to
            .tomorrow()
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        let audience = self
            .db()
            .offers()
            .audience(terms.audience.segment())
            .await?;
        let purchases = self
            .db()
            .offers()
            .purchases_between(&CustomerReach::default(), start(from)?, start(after)?)
            .await?;
        Ok(OfferResults {
            from,
            to,
            holdout_bp: terms.holdout_bp,
            comparison: clientele_domain::offer::compare_groups(
                id,
                terms.holdout_bp,
                &audience,
                &purchases,
            ),
        })
    }
}

impl App {
    /// Replaces an offer's terms, as the console's form sends them whole,
    /// if the offer is still at `version`.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn edit_offer(
        &self,
        id: OfferId,
        input: OfferInput,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<KeptOffer> {
        let kept = self.offer(id).await?;
        let terms = input.validate()?;
        self.check_audience(&terms).await?;
        self.replace_terms(&kept, &terms, version, by).await
    }

    /// An offer's coupons by code, `limit` of them after `after`.
    pub async fn coupons_of(
        &self,
        id: OfferId,
        after: Option<&CouponCode>,
        limit: u32,
    ) -> AppResult<Vec<Coupon>> {
        Ok(self.db().offers().coupons_of(id, after, limit).await?)
    }

    /// Whom these coupons were issued to, as a clerk knows them, read at
    /// once: those `by` may see, all or for a user limited to stores those
    /// registered in them.
    pub async fn coupon_holders(
        &self,
        coupons: &[Coupon],
        by: &ChangedBy,
    ) -> AppResult<HashMap<CustomerId, CouponHolder>> {
        let mut ids: Vec<CustomerId> = coupons.iter().filter_map(|c| c.customer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let holders = self.db().offers().coupon_holders(&ids).await?;
        let within = |holder: &CouponHolder| match &by.scope {
            None => true,
            Some(scope) => holder.store_id.is_some_and(|store| scope.contains(&store)),
        };
        Ok(holders
            .into_iter()
            .filter(within)
            .map(|holder| (holder.id, holder))
            .collect())
    }
}
