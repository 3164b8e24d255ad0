//! Finding the customer a till names, and the program and tier their
//! receipt is priced by.

use clientele_domain::card::{Barcode, Card};
use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{Customer, CustomerId, FieldError, Phone, Program, Tier};

use clientele_store::area::{CustomerAtTill, OfferStanding, TillKey};
use jiff::Timestamp;

use crate::{App, AppError, AppResult};

/// How a till names the customer of a basket.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerRef {
    Card(String),
    Phone(String),
    Id(CustomerId),
    /// No card shown: the receipt is kept for the analytics only.
    Anonymous,
}

/// A customer found for a basket, with what prices their receipt.
pub(crate) struct Shopper {
    pub customer: Customer,
    pub card: Option<Card>,
    pub program: Option<Program>,
    pub tier: Option<Tier>,
    pub loyalty: CustomerLoyalty,
    /// Their segments and what capped offers gave them, when the read of
    /// them brought it.
    pub standing: Option<OfferStanding>,
}

fn refused(field: &str, code: &'static str, message: impl Into<String>) -> AppError {
    AppError::from_field(FieldError::new(field, code, message))
}

impl App {
    pub(crate) async fn card_by_scan(&self, raw: &str) -> AppResult<Card> {
        let barcode = Barcode::scanned(raw).map_err(AppError::from_field)?;
        self.db()
            .card_reads()
            .card_by_barcode(barcode.as_str())
            .await?
            .ok_or(AppError::NotFound("card"))
    }

    /// The phone's holder with their account (and, while offers run, their
    /// standing), in one read.
    pub(crate) async fn customer_at_till_by_phone(
        &self,
        raw: &str,
        now: Timestamp,
    ) -> AppResult<Option<CustomerAtTill>> {
        let phone = Phone::parse(raw).map_err(|e| AppError::from_field(e.at("phone")))?;
        let offers = self.standing_wanted().await?;
        let key = TillKey::Phone(&phone);
        Ok(self
            .db()
            .customer_at_till(key, now, offers.as_deref())
            .await?)
    }

    /// The customer themselves, or whom they were merged into, with their
    /// account (and, while offers run, their standing): one read where the
    /// customer was not merged.
    pub(crate) async fn live_customer_at_till(
        &self,
        id: CustomerId,
        now: Timestamp,
    ) -> AppResult<CustomerAtTill> {
        let offers = self.standing_wanted().await?;
        let offers = offers.as_deref();
        let found = self
            .db()
            .customer_at_till(TillKey::Id(id), now, offers)
            .await?;
        let found = found.ok_or(AppError::NotFound("customer"))?;
        match found.customer.merged_into {
            Some(survivor) => self
                .db()
                .customer_at_till(TillKey::Id(survivor.id), now, offers)
                .await?
                .ok_or(AppError::NotFound("customer")),
            None => Ok(found),
        }
    }

    /// The customer of a basket, refused when their card or they themselves
    /// cannot take part now.
    pub(crate) async fn shopper(
        &self,
        who: &CustomerRef,
        now: Timestamp,
    ) -> AppResult<Option<Shopper>> {
        let (found, card) = match who {
            CustomerRef::Anonymous => return Ok(None),
            CustomerRef::Card(raw) => {
                let card = self.card_by_scan(raw).await?;
                if let Some(refusal) = card.refusal(now) {
                    return Err(refused("card", "card_refused", refusal.message()));
                }
                let owner = card.customer_id.ok_or(AppError::NotFound("card"))?;
                (self.live_customer_at_till(owner, now).await?, Some(card))
            }
            CustomerRef::Phone(raw) => {
                let found = self.customer_at_till_by_phone(raw, now).await?;
                (found.ok_or(AppError::NotFound("customer"))?, None)
            }
            CustomerRef::Id(id) => (self.live_customer_at_till(*id, now).await?, None),
        };
        if found.customer.profile.blocked {
            return Err(refused(
                "customer",
                "customer_blocked",
                "the customer is blocked",
            ));
        }
        Ok(Some(self.priced_at_till(found, card, now).await?))
    }

    /// The customer found, priced by their card's program (else the
    /// default one) and their tier.
    pub(crate) async fn priced_at_till(
        &self,
        found: CustomerAtTill,
        card: Option<Card>,
        now: Timestamp,
    ) -> AppResult<Shopper> {
        let mut shopper = self
            .price_with(found.customer, found.loyalty, card, now)
            .await?;
        shopper.standing = found.standing;
        Ok(shopper)
    }

    async fn price_with(
        &self,
        customer: Customer,
        loyalty: CustomerLoyalty,
        card: Option<Card>,
        now: Timestamp,
    ) -> AppResult<Shopper> {
        let programs = self.cached_programs().await?;
        let program = match &card {
            Some(card) => programs.iter().find(|p| p.id == card.program_id),
            None => programs.iter().find(|p| p.is_default),
        }
        .cloned();
        let tier = program
            .as_ref()
            .and_then(|p| tier_of(p, &loyalty, now))
            .cloned();
        Ok(Shopper {
            customer,
            card,
            program,
            tier,
            loyalty,
            standing: None,
        })
    }
}

/// The tier that prices a receipt: one set by hand while it holds, else the
/// one the spend reached (lifetime programs; rolling ones keep the tier
/// their last recomputation gave).
pub(crate) fn tier_of<'a>(
    program: &'a Program,
    loyalty: &CustomerLoyalty,
    now: Timestamp,
) -> Option<&'a Tier> {
    let stored = loyalty.tier_id.and_then(|id| program.tier(id));
    let holds = !loyalty.tier_manual || loyalty.tier_until.is_none_or(|until| until > now);
    let by_spend = (program.rules.tier_period_days == 0)
        .then(|| program.tier_for_spend(loyalty.spent_minor))
        .flatten();
    match (stored.filter(|_| holds), by_spend) {
        (Some(stored), Some(reached)) => {
            Some(if reached.threshold_minor > stored.threshold_minor {
                reached
            } else {
                stored
            })
        }
        (stored, reached) => stored.or(reached),
    }
}
