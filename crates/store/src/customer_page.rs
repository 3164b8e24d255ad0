//! What a customer's page keeps and reads beyond the profile and the
//! loyalty history: dated notes, one receipt opened with its lines and
//! returns, and a card given at the desk.

use async_trait::async_trait;
use clientele_domain::card::Card;
use clientele_domain::{CardGroupId, CardId, CustomerId, Note, NoteText, Quantity, ReceiptKey};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::loyalty::{Purchase, Return};

#[derive(Debug, Clone)]
pub struct NewNote {
    pub customer_id: CustomerId,
    /// The login of the staff user writing it.
    pub author: String,
    pub text: NoteText,
    pub at: Timestamp,
}

/// A line of a receipt as committed, priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    /// Counted from 1, as returns name it.
    pub line: u32,
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub quantity: Quantity,
    pub price_minor: i64,
    pub amount_minor: i64,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
}

/// A receipt opened from a customer's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDetail {
    pub purchase: Purchase,
    pub lines: Vec<ReceiptLine>,
    /// Returns against it, oldest first.
    pub returns: Vec<Return>,
}

/// Which blank card to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardPick {
    /// This card, if it is still blank.
    Card(CardId),
    /// The group's blank card with the lowest number, as print runs are
    /// handed out in order.
    FreeOf(CardGroupId),
}

#[async_trait]
pub trait CustomerPageStore: Send + Sync {
    async fn add_note(&self, note: &NewNote) -> StoreResult<Note>;
    /// A customer's notes with those of the customers merged into them,
    /// newest first; none for a customer merged into another.
    async fn notes(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Note>>;
    /// A receipt of the customer's history (theirs, or of a customer merged
    /// into them); `None` for anyone else's.
    async fn receipt_of(
        &self,
        customer_id: CustomerId,
        key: ReceiptKey,
    ) -> StoreResult<Option<ReceiptDetail>>;
    /// Binds a blank card (not bound, not withdrawn, not blocked) to the
    /// customer and activates it, with the validity given (`None` keeps the
    /// card's own); `None` when there is no such blank card.
    async fn give_card(
        &self,
        pick: CardPick,
        customer_id: CustomerId,
        valid_from: Option<Timestamp>,
        valid_to: Option<Timestamp>,
    ) -> StoreResult<Option<Card>>;
}
