//! Identify: who is at the till, what they have, and what they usually buy.

use clientele_domain::card::Card;
use clientele_domain::points::NextExpiry;
use clientele_domain::{Customer, CustomerInput, FieldError, Program, Tier};
use clientele_store::area::CustomerAtTill;

use super::TillRef;
use super::offers::PersonalOffer;
use crate::audit::ChangedBy;
use crate::{App, AppError, AppResult};

/// What a till sends: a card, a phone, or both (a blank card is activated
/// by binding it to the phone's customer).
#[derive(Debug, Clone, Default)]
pub struct IdentifyRequest {
    pub card: Option<String>,
    pub phone: Option<String>,
    /// Register an unknown phone at the till, with this name.
    pub register: Option<String>,
    /// SKUs already in the basket: not offered again.
    pub basket_skus: Vec<String>,
}

/// Who was identified.
#[derive(Debug, Clone)]
pub struct Identified {
    pub customer: Customer,
    pub card: Option<Card>,
    pub program: Option<Program>,
    pub tier: Option<Tier>,
    pub points_available: i64,
    pub next_expiry: Option<NextExpiry>,
    pub preferred_products: Vec<(String, String)>,
    /// The customer's certificates that can pay now.
    pub certificates: Vec<clientele_domain::certificate::Certificate>,
    /// The offers the customer has now, with their unused coupons.
    pub personal_offers: Vec<PersonalOffer>,
    pub registered: bool,
    pub warnings: Vec<&'static str>,
}

/// How many preferred products a till is shown.
const PREFERRED: u32 = 5;

impl App {
    pub async fn identify(
        &self,
        till: Option<TillRef>,
        request: &IdentifyRequest,
        by: &ChangedBy,
    ) -> AppResult<Identified> {
        let now = self.clock().now();
        let mut warnings = Vec::new();
        let mut registered = false;
        let card = match &request.card {
            Some(raw) => Some(self.card_by_scan(raw).await?),
            None => None,
        };
        let by_phone = match &request.phone {
            Some(raw) => match self.customer_at_till_by_phone(raw, now).await? {
                Some(found) => Some(found),
                None => match &request.register {
                    Some(name) => {
                        registered = true;
                        let customer = self.register_at_till(till, raw, name, by).await?;
                        let loyalty = self.db().customer_loyalty(customer.id, now).await?;
                        Some(CustomerAtTill {
                            customer,
                            loyalty,
                            standing: None,
                        })
                    }
                    None => return Err(AppError::NotFound("customer")),
                },
            },
            None => None,
        };
        let (found, card) = match (card, by_phone) {
            (None, None) => {
                return Err(AppError::from_field(FieldError::new(
                    "card",
                    "required",
                    "send the card's barcode or the customer's phone",
                )));
            }
            (None, Some(found)) => (found, None),
            (Some(card), by_phone) => match (card.customer_id, by_phone) {
                (None, Some(found)) if card.withdrawn_at.is_none() => {
                    let bound = self.bind_card(card.id, found.customer.id, by).await?;
                    warnings.push("card_activated");
                    (found, Some(bound))
                }
                (None, _) => {
                    return Err(AppError::from_field(FieldError::new(
                        "card",
                        "card_refused",
                        "the card is blank: send the customer's phone with it to activate it",
                    )));
                }
                (Some(owner), _) => (self.live_customer_at_till(owner, now).await?, Some(card)),
            },
        };
        if let Some(refusal) = card.as_ref().and_then(|c| c.refusal(now)) {
            warnings.push(match refusal {
                clientele_domain::CardRefusal::Blocked => "card_blocked",
                clientele_domain::CardRefusal::Withdrawn => "card_withdrawn",
                clientele_domain::CardRefusal::NotYetValid => "card_not_yet_valid",
                clientele_domain::CardRefusal::Expired => "card_expired",
                clientele_domain::CardRefusal::Blank => "card_blank",
            });
        }
        if found.customer.profile.blocked {
            warnings.push("customer_blocked");
        }
        let shopper = self.priced_at_till(found, card, now).await?;
        let mut preferred = self
            .db()
            .preferred_products(shopper.customer.id, PREFERRED * 4)
            .await?;
        preferred.retain(|(sku, _)| !request.basket_skus.contains(sku));
        preferred.truncate(PREFERRED as usize);
        let mut certificates = self
            .db()
            .card_reads()
            .certificates_of(shopper.customer.id, 20)
            .await?;
        certificates.retain(|c| c.refusal(now).is_none());
        let personal_offers = self.personal_offers_of(&shopper, now).await?;
        Ok(Identified {
            personal_offers,
            certificates,
            points_available: shopper.loyalty.account.available(now),
            next_expiry: shopper.loyalty.account.next_expiry(now),
            customer: shopper.customer,
            card: shopper.card,
            program: shopper.program,
            tier: shopper.tier,
            preferred_products: preferred,
            registered,
            warnings,
        })
    }

    async fn register_at_till(
        &self,
        till: Option<TillRef>,
        phone: &str,
        name: &str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        let input = CustomerInput {
            name: Some(name.to_owned()),
            phone: Some(Some(phone.to_owned())),
            channel: Some("pos".into()),
            store_id: Some(till.map(|t| t.store_id)),
            ..Default::default()
        };
        self.register_customer(input, "pos", by).await
    }
}
