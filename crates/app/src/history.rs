//! A customer's history in the loyalty engine: purchases, returns, points
//! entries, cards and the totals support answers "what is my balance" with.

use clientele_domain::card::Card;
use clientele_domain::posting::{CustomerLoyalty, LedgerKind};
use clientele_domain::{CustomerId, NamedCustomer, ReceiptKey, Store};
use clientele_store::{CardQuery, LedgerEntry, Purchase, ReceiptDetail, Return};

use crate::audit::ChangedBy;
use crate::{App, AppError, AppResult};

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

/// A receipt of a customer's history opened: its lines and returns, the
/// store and the till that rang it up.
#[derive(Debug, Clone)]
pub struct OpenedReceipt {
    pub receipt: ReceiptDetail,
    pub store: Store,
    /// The till's name; a till since removed is named by its number.
    pub till: String,
}

/// The other customer a merge entry written before the ledger named them
/// still names in its comment: "объединение: 986 → 858" (duplicate →
/// survivor).
fn counterpart_in_comment(entry: &LedgerEntry) -> Option<CustomerId> {
    if entry.kind != LedgerKind::Merge || entry.counterpart.is_some() {
        return None;
    }
    let (from, to) = entry
        .comment
        .as_deref()?
        .strip_prefix("объединение: ")?
        .split_once(" → ")?;
    let (from, to) = (from.parse().ok()?, to.parse().ok()?);
    Some(CustomerId(if from == entry.customer_id.0 {
        to
    } else {
        from
    }))
}

impl App {
    /// Names the other customer of merge entries that only say it in their
    /// comment.
    pub(crate) async fn name_counterparts(&self, entries: &mut [LedgerEntry]) -> AppResult<()> {
        for entry in entries {
            if let Some(id) = counterpart_in_comment(entry)
                && let Some(other) = self.db().customer(id).await?
            {
                entry.counterpart = Some(NamedCustomer {
                    id,
                    name: other.profile.name,
                });
            }
        }
        Ok(())
    }

    pub async fn history(&self, customer: CustomerId, by: &ChangedBy) -> AppResult<History> {
        self.customer_for(customer, by).await?;
        let db = self.db();
        let cards = CardQuery {
            customer_id: Some(customer),
            limit: RECENT,
            ..Default::default()
        };
        let mut entries = db.history().ledger(customer, None, RECENT).await?;
        self.name_counterparts(&mut entries).await?;
        Ok(History {
            loyalty: db.customer_loyalty(customer, self.clock().now()).await?,
            purchases: db.history().purchases(customer, RECENT).await?,
            returns: db.history().returns(customer, RECENT).await?,
            entries,
            cards: db.card_reads().cards(&cards).await?,
            certificates: db.card_reads().certificates_of(customer, RECENT).await?,
            referrals: db.history().referrals_of(customer, RECENT).await?,
        })
    }

    /// One receipt of a customer's history (theirs or a merged duplicate's);
    /// not found for anyone else's.
    pub async fn receipt_of(
        &self,
        customer: CustomerId,
        key: ReceiptKey,
        by: &ChangedBy,
    ) -> AppResult<OpenedReceipt> {
        self.customer_for(customer, by).await?;
        let receipt = self
            .db()
            .history()
            .receipt_of(customer, key)
            .await?
            .ok_or(AppError::NotFound("receipt"))?;
        let store = self.store(receipt.purchase.store_id).await?;
        let till = self
            .db()
            .staff()
            .tills()
            .await?
            .into_iter()
            .find(|t| t.id == receipt.purchase.till_id)
            .map_or_else(|| receipt.purchase.till_id.to_string(), |t| t.name);
        Ok(OpenedReceipt {
            receipt,
            store,
            till,
        })
    }
}

#[cfg(test)]
mod tests {
    use clientele_domain::LedgerEntryId;

    use super::*;

    #[test]
    fn an_old_merge_entry_names_the_other_customer_in_its_comment() {
        let entry = |customer: i64, comment: &str| LedgerEntry {
            id: LedgerEntryId(1),
            customer_id: CustomerId(customer),
            kind: LedgerKind::Merge,
            points: 100,
            receipt_key: None,
            till_id: None,
            user_id: None,
            comment: Some(comment.into()),
            counterpart: None,
            usable_from: None,
            expires_at: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let comment = "объединение: 986 → 858";
        assert_eq!(
            counterpart_in_comment(&entry(858, comment)),
            Some(CustomerId(986))
        );
        assert_eq!(
            counterpart_in_comment(&entry(986, comment)),
            Some(CustomerId(858))
        );
        assert_eq!(counterpart_in_comment(&entry(858, "за отзыв")), None);
    }
}
