//! What a message's placeholders are filled from: the customer as they
//! are when it leaves.

use std::collections::HashMap;

use clientele_domain::template::Personal;
use clientele_domain::text::first_name;
use clientele_domain::{CustomerId, OfferId};

use crate::{App, AppResult};

/// Customers' placeholder values by id.
type Personalised = HashMap<CustomerId, Personal>;

impl App {
    /// The placeholder values of `customers`, read at once, with `offer`'s
    /// name and each one's unused coupon of it.
    pub(crate) async fn personalised(
        &self,
        customers: &[CustomerId],
        offer: Option<OfferId>,
    ) -> AppResult<Personalised> {
        let facts = self
            .db()
            .campaigns()
            .personal_facts(customers, offer)
            .await?;
        let offer_name = match offer {
            Some(id) => self
                .db()
                .offers()
                .offer(id)
                .await?
                .map(|kept| kept.offer.terms.name),
            None => None,
        };
        let now = self.clock().now();
        let zone = self.clock().zone().clone();
        Ok(facts
            .into_iter()
            .map(|facts| {
                let next_expiry = facts
                    .account
                    .next_expiry(now)
                    .map(|e| (e.points, e.at.to_zoned(zone.clone()).date()));
                let personal = Personal {
                    first_name: first_name(&facts.name),
                    name: facts.name,
                    balance: facts.account.balance(),
                    next_expiry,
                    tier: facts.tier,
                    coupon: facts.coupon,
                    offer: offer_name.clone(),
                };
                (facts.customer_id, personal)
            })
            .collect())
    }
}
