//! What a customer's page keeps and reads beyond the profile and the
//! loyalty history: dated notes, one receipt opened with its lines and
//! returns, and a card given at the desk.

use clientele_domain::{CardGroupId, CardId, CustomerId, NoteText, Quantity};
use jiff::Timestamp;

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
