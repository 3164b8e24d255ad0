//! Offers at the till: the shop's running offers a customer may get on a
//! basket, the coupons presented with it, and the offers `identify` lists.

use std::sync::Arc;

use clientele_domain::offer::{
    Audience, BudgetUsed, CouponCode, CouponRule, IssuedCoupon, Offer, OfferContext,
    PresentedCoupon, personal_offers, price_with_offers,
};
use clientele_domain::pricing::{Calculation, Pricing};
use clientele_domain::store::Store;
use clientele_domain::{CouponId, FieldError, OfferId, StoreId, ValidationErrors};
use clientele_store::Coupon;
use clientele_store::area::OfferStanding;
use jiff::Timestamp;
use jiff::civil::Date;

use super::customer::Shopper;
use super::receipts::{Sale, points_problem};
use crate::{App, AppResult};

/// What pricing with offers reads on every basket, kept for a few seconds:
/// the running offers and the store hierarchy their stores are nodes of.
pub(crate) struct Running {
    offers: Vec<Offer>,
    stores: Vec<Store>,
    /// Some offer is for a segment: the customer's segments are read.
    for_segments: bool,
    /// The offers capped per customer: what they gave the customer is read.
    capped_each: Vec<OfferId>,
}

/// What the running offers with caps on everyone gave, on a day. Kept for
/// a few seconds: a basket is priced by it, and the commit checks again
/// under lock.
pub(crate) struct Given {
    date: Date,
    used: Vec<(OfferId, BudgetUsed)>,
}

/// A basket priced with the customer's offers.
pub(crate) struct Offered {
    pub calculation: Calculation,
    pub applied: clientele_domain::offer::Applied,
}

/// The most coupons one basket may carry.
const MOST_COUPONS: usize = 20;

/// A personal offer as `identify` lists it, with the customer's own
/// unused coupons for it.
#[derive(Debug, Clone)]
pub struct PersonalOffer {
    pub offer: Offer,
    pub coupons: Vec<CouponCode>,
}

impl Running {
    fn needs_standing(&self) -> bool {
        self.for_segments || !self.capped_each.is_empty()
    }

    /// The till's store and every node above it.
    fn store_path(&self, store: Option<StoreId>) -> Vec<StoreId> {
        let mut path = Vec::new();
        let mut next = store;
        while let Some(id) = next.filter(|id| !path.contains(id)) {
            path.push(id);
            next = self
                .stores
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.parent_id);
        }
        path
    }
}

impl App {
    async fn running_offers(&self) -> AppResult<Arc<Running>> {
        if let Some(running) = self.running.get() {
            return Ok(running);
        }
        let mut offers: Vec<Offer> = self
            .db()
            .offers()
            .offers()
            .await?
            .into_iter()
            .map(|kept| kept.offer)
            .collect();
        offers.retain(|offer| offer.terms.active);
        let stores = if offers.iter().any(|o| !o.terms.stores.is_empty()) {
            self.db().directory().stores().await?
        } else {
            Vec::new()
        };
        let for_segments = offers
            .iter()
            .any(|o| matches!(o.terms.audience, Audience::Segment(_)));
        let capped_each = offers
            .iter()
            .filter(|o| o.terms.budget.caps_each_customer())
            .map(|o| o.id)
            .collect();
        let running = Arc::new(Running {
            offers,
            stores,
            for_segments,
            capped_each,
        });
        self.running.keep(running.clone());
        Ok(running)
    }

    /// The offers capped per customer, when the running offers need a
    /// customer's standing (their segments, what capped offers gave them):
    /// the till's read of the customer brings it.
    pub(crate) async fn standing_wanted(&self) -> AppResult<Option<Vec<OfferId>>> {
        let running = self.running_offers().await?;
        Ok(running
            .needs_standing()
            .then(|| running.capped_each.clone()))
    }

    /// An offer created or changed here counts at this process's tills at once.
    pub(crate) fn forget_running_offers(&self) {
        self.running.forget();
        self.forget_budgets_given();
    }

    /// A receipt that counted against a budget was written here: the next
    /// basket reads what is left afresh.
    pub(crate) fn forget_budgets_given(&self) {
        self.given.forget();
    }

    async fn budgets_given(
        &self,
        running: &Running,
        date: Date,
    ) -> AppResult<Vec<(OfferId, BudgetUsed)>> {
        if let Some(given) = self.given.get().filter(|g| g.date == date) {
            return Ok(given.used.clone());
        }
        let capped: Vec<OfferId> = running
            .offers
            .iter()
            .filter(|o| o.terms.budget.caps_everyone())
            .map(|o| o.id)
            .collect();
        let used = if capped.is_empty() {
            Vec::new()
        } else {
            self.db().offers().budgets_given(&capped, date).await?
        };
        self.given.keep(Arc::new(Given {
            date,
            used: used.clone(),
        }));
        Ok(used)
    }

    /// Prices a basket for a customer in a program with the offers that may
    /// apply to them where and when it is sold, and the coupons presented.
    pub(crate) async fn price_offered(
        &self,
        sale: &Sale<'_>,
        shopper: &Shopper,
        pricing: Pricing<'_>,
        at: Timestamp,
    ) -> AppResult<Offered> {
        let running = self.running_offers().await?;
        let customer = shopper.customer.id;
        let presented = self
            .presented(sale.coupons, &running.offers, shopper)
            .await?;
        let local = at.to_zoned(self.clock().zone().clone()).datetime();
        let read;
        let standing = match &shopper.standing {
            Some(standing) => standing,
            None => {
                read = if running.needs_standing() {
                    self.db()
                        .offers()
                        .offer_standing(customer, &running.capped_each)
                        .await?
                } else {
                    OfferStanding::default()
                };
                &read
            }
        };
        let given = self.budgets_given(&running, local.date()).await?;
        let budgets_used: Vec<(OfferId, BudgetUsed)> = running
            .offers
            .iter()
            .filter(|o| !o.terms.budget.is_unlimited())
            .map(|o| {
                let mut used = given
                    .iter()
                    .find(|(id, _)| *id == o.id)
                    .map(|(_, used)| *used)
                    .unwrap_or_default();
                if let Some(&(_, points, money)) = standing.given.iter().find(|g| g.0 == o.id) {
                    (used.points.customer, used.money.customer) = (points, money);
                }
                (o.id, used)
            })
            .collect();
        let segments = &standing.segments;
        let store_path = running.store_path(sale.store);
        let ctx = OfferContext {
            program: pricing.program,
            customer_id: customer,
            segments,
            purchases_before: shopper.loyalty.purchases,
            now: local,
            store_path: &store_path,
            coupons: &presented,
            budgets_used: &budgets_used,
        };
        let offers: Vec<&Offer> = running.offers.iter().collect();
        let (calculation, applied) =
            price_with_offers(sale.basket, pricing, sale.points_to_pay, &offers, &ctx)
                .map_err(points_problem)?;
        Ok(Offered {
            calculation,
            applied,
        })
    }

    /// The coupons a basket names, each a code of a running offer: a
    /// single-use coupon unused and not issued to someone else, or an
    /// offer's shared code.
    async fn presented(
        &self,
        codes: &[String],
        offers: &[Offer],
        shopper: &Shopper,
    ) -> AppResult<Vec<PresentedCoupon>> {
        let mut errors = ValidationErrors::default();
        if codes.len() > MOST_COUPONS {
            errors.push(FieldError::new(
                "coupons",
                "too_many",
                format!("at most {MOST_COUPONS} coupons on one receipt"),
            ));
            return Err(errors.into());
        }
        let mut presented: Vec<PresentedCoupon> = Vec::with_capacity(codes.len());
        for (i, raw) in codes.iter().enumerate() {
            let field = format!("coupons[{i}]");
            let code = match CouponCode::parse(raw) {
                Ok(code) => code,
                Err(error) => {
                    errors.push(error.at(field));
                    continue;
                }
            };
            if presented.iter().any(|p| p.code == code) {
                errors.push(FieldError::new(
                    field,
                    "repeated",
                    "the coupon is named twice",
                ));
                continue;
            }
            let shared = offers.iter().any(
                |o| matches!(&o.terms.coupon, Some(CouponRule::Shared(shared)) if *shared == code),
            );
            let issued = self.db().offers().coupon(&code).await?;
            match issued.map(|c| coupon_refusal(&c, shopper).map(|()| c)) {
                Some(Err(refusal)) => errors.push(FieldError::new(field, refusal.0, refusal.1)),
                Some(Ok(coupon)) if !offers.iter().any(|o| o.id == coupon.offer_id) => errors.push(
                    FieldError::new(field, "not_running", "the coupon's offer is paused or gone"),
                ),
                Some(Ok(coupon)) => presented.push(PresentedCoupon {
                    issued: Some(IssuedCoupon {
                        // The order presented: the first coupon of an offer is the one it uses.
                        id: CouponId(i as i64),
                        offer_id: coupon.offer_id,
                    }),
                    code,
                }),
                None if shared => presented.push(PresentedCoupon { code, issued: None }),
                None => errors.push(FieldError::new(
                    field,
                    "unknown",
                    format!("no running offer takes the coupon «{raw}»"),
                )),
            }
        }
        errors.finish(|| presented).map_err(Into::into)
    }

    /// The offers a customer has now, each with their unused coupons.
    pub(crate) async fn personal_offers_of(
        &self,
        shopper: &Shopper,
        now: Timestamp,
    ) -> AppResult<Vec<PersonalOffer>> {
        let running = self.running_offers().await?;
        if running.offers.is_empty() {
            return Ok(Vec::new());
        }
        let customer = shopper.customer.id;
        let segments = match &shopper.standing {
            Some(standing) => standing.segments.clone(),
            None => {
                self.db()
                    .offers()
                    .offer_standing(customer, &[])
                    .await?
                    .segments
            }
        };
        let today = now.to_zoned(self.clock().zone().clone()).date();
        let coupons = self.db().offers().coupons_for(customer, 100).await?;
        Ok(personal_offers(&running.offers, customer, &segments, today)
            .into_iter()
            .map(|offer| PersonalOffer {
                offer: offer.clone(),
                coupons: coupons
                    .iter()
                    .filter(|c| c.offer_id == offer.id)
                    .map(|c| c.code.clone())
                    .collect(),
            })
            .collect())
    }
}

/// Why a single-use coupon cannot be taken from this customer, if it cannot.
fn coupon_refusal(coupon: &Coupon, shopper: &Shopper) -> Result<(), (&'static str, String)> {
    if coupon.used_at.is_some() {
        return Err(("used", "the coupon was already used".into()));
    }
    if coupon
        .customer_id
        .is_some_and(|owner| owner != shopper.customer.id)
    {
        return Err((
            "other_customer",
            "the coupon was issued to another customer".into(),
        ));
    }
    Ok(())
}
