//! Personal offers and their coupons.

use async_trait::async_trait;
use clientele_domain::offer::{BudgetUsed, CouponCode, Offer, OfferTerms};
use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{Customer, CustomerId, OfferId, Phone, SegmentId, StoreId};
use jiff::Timestamp;
use jiff::civil::Date;

use super::CustomerReach;
use crate::DbResult;

/// An offer as kept: its terms, and when and how often it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptOffer {
    pub offer: Offer,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// A customer as offers see them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferStanding {
    pub segments: Vec<SegmentId>,
    /// `(offer, points, money)` given to the customer, offers that gave
    /// nothing left out.
    pub given: Vec<(OfferId, i64, i64)>,
}

impl OfferStanding {
    /// The standing of a customer in `segments`, from what each use of a
    /// capped offer gave them: `(offer, points, money)`, summed per offer.
    pub fn of(segments: Vec<i64>, uses: &[(i64, i64, i64)]) -> OfferStanding {
        let mut given: Vec<(OfferId, i64, i64)> = Vec::new();
        for &(offer, points, money) in uses {
            match given.iter_mut().find(|g| g.0.0 == offer) {
                Some(sum) => (sum.1, sum.2) = (sum.1 + points, sum.2 + money),
                None => given.push((OfferId(offer), points, money)),
            }
        }
        OfferStanding {
            segments: segments.into_iter().map(SegmentId).collect(),
            given,
        }
    }
}

/// How a till's read names its customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TillKey<'a> {
    Id(CustomerId),
    /// The phone's holder, found through the phone in the same read (a
    /// till identifies by phone on every receipt).
    Phone(&'a Phone),
}

/// A customer as the till reads them: the record, the account and, when
/// offers run, their standing with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAtTill {
    pub customer: Customer,
    pub loyalty: CustomerLoyalty,
    pub standing: Option<OfferStanding>,
}

/// A coupon: its code, its offer, who it was issued to, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub code: CouponCode,
    pub offer_id: OfferId,
    pub customer_id: Option<CustomerId>,
    pub issued_at: Timestamp,
    /// When a receipt redeemed it; a return of that whole receipt frees it.
    pub used_at: Option<Timestamp>,
}

/// A customer a coupon went to, as a clerk knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponHolder {
    pub id: CustomerId,
    pub name: String,
    pub phone: Option<Phone>,
    /// The barcode of their newest card not withdrawn.
    pub card: Option<String>,
    /// Where they registered: whether a user limited to stores may see them.
    pub store_id: Option<StoreId>,
}

#[async_trait]
pub trait Offers: Send + Sync {
    async fn offers(&self) -> DbResult<Vec<KeptOffer>>;
    async fn offer(&self, id: OfferId) -> DbResult<Option<KeptOffer>>;
    /// A name already used is a conflict on `name`; a segment that does not
    /// exist is a missing `segment_id`.
    async fn create_offer(&self, terms: &OfferTerms, at: Timestamp) -> DbResult<KeptOffer>;
    /// Replaces the terms if the offer is still at `version`.
    async fn update_offer(
        &self,
        id: OfferId,
        terms: &OfferTerms,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptOffer>>;
    /// The offers aimed at a segment.
    async fn offers_for_segment(&self, segment: SegmentId) -> DbResult<Vec<KeptOffer>>;
    /// Keeps the coupons whose codes are free, each issued to its customer
    /// if any; answers the codes kept (a code taken already is left out).
    async fn add_coupons(
        &self,
        offer: OfferId,
        coupons: &[(CouponCode, Option<CustomerId>)],
        at: Timestamp,
    ) -> DbResult<Vec<CouponCode>>;
    async fn coupon(&self, code: &CouponCode) -> DbResult<Option<Coupon>>;
    /// The customers among `ids` who hold an unused coupon of `offer`.
    async fn unused_coupon_holders(
        &self,
        offer: OfferId,
        ids: &[CustomerId],
    ) -> DbResult<Vec<CustomerId>>;
    /// An offer's coupons by code, after `after`.
    async fn coupons_of(
        &self,
        offer: OfferId,
        after: Option<&CouponCode>,
        limit: u32,
    ) -> DbResult<Vec<Coupon>>;
    /// The customers among `ids` who exist, as [`CouponHolder`]s, in one
    /// read of them and one of their cards.
    async fn coupon_holders(&self, ids: &[CustomerId]) -> DbResult<Vec<CouponHolder>>;
    /// An offer's audience: a segment's members, or every customer not
    /// merged into another.
    async fn audience(&self, segment: Option<SegmentId>) -> DbResult<Vec<CustomerId>>;
    /// Each customer of `reach` who bought from `from` to before `to` in
    /// its stores: `(customer, receipts, paid after discounts)`.
    async fn purchases_between(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, i64, i64)>>;
    /// The unused coupons issued to a customer, by code.
    async fn coupons_for(&self, customer: CustomerId, limit: u32) -> DbResult<Vec<Coupon>>;
    /// What each of `offers` gave so far, every customer together: in all,
    /// on `date` and in its month (the per-customer figures left at zero).
    async fn budgets_given(
        &self,
        offers: &[OfferId],
        date: Date,
    ) -> DbResult<Vec<(OfferId, BudgetUsed)>>;
    /// A customer as offers see them, in one read: the segments they are
    /// in, and what each of `offers` gave them so far (points, money).
    async fn offer_standing(
        &self,
        customer: CustomerId,
        offers: &[OfferId],
    ) -> DbResult<OfferStanding>;
}
