//! A customer's history in the loyalty engine: purchases, returns, points
//! entries, cards and the totals support answers "what is my balance" with.

use clientele_domain::CustomerId;
use clientele_domain::card::Card;
use clientele_store::{CardQuery, CustomerLoyalty, LedgerEntry, Purchase, Return};

use crate::audit::ChangedBy;
use crate::{App, AppResult};

/// How many of each kind of record the history shows; the ledger and the
/// receipts have their own pages beyond that.
const RECENT: u32 = 50;

#[derive(Debug, Clone)]
pub struct History {
    pub loyalty: CustomerLoyalty,
    pub purchases: Vec<Purchase>,
    pub returns: Vec<Return>,
    pub entries: Vec<LedgerEntry>,
    /// Current and withdrawn cards.
    pub cards: Vec<Card>,
    pub certificates: Vec<clientele_domain::certificate::Certificate>,
    /// Whom the customer referred: id, name, when registered.
    pub referrals: Vec<(CustomerId, String, jiff::Timestamp)>,
}

impl App {
    pub async fn history(&self, customer: CustomerId, by: &ChangedBy) -> AppResult<History> {
        self.customer_for(customer, by).await?;
        let db = self.db();
        let cards = CardQuery {
            customer_id: Some(customer),
            limit: RECENT,
            ..Default::default()
        };
        Ok(History {
            loyalty: db.customer_loyalty(customer, self.clock().now()).await?,
            purchases: db.purchases(customer, RECENT).await?,
            returns: db.returns(customer, RECENT).await?,
            entries: db.ledger(customer, None, RECENT).await?,
            cards: db.cards(&cards).await?,
            certificates: db.certificates_of(customer, RECENT).await?,
            referrals: db.referrals_of(customer, RECENT).await?,
        })
    }
}
