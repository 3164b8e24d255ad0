//! Programs, cards, receipts, returns and the points ledger as the store
//! keeps them. A receipt, a return and a points adjustment are each one
//! transaction that checks the customer's points and writes the ledger, so
//! the available balance never goes below zero whatever runs in parallel.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::offer::{Budget, CouponCode, UsedCoupon};
use clientele_domain::points::Shortfall;
use clientele_domain::posting::{LedgerKind, LotTerms, Posting, ReceiptPoints};
use clientele_domain::pricing::{BasketLine, Calculation, PricedLine};
use clientele_domain::returns::{ReturnRequest, ReturnedLine};
use clientele_domain::{
    CardGroupId, CardId, CertificateId, CustomerId, LedgerEntryId, NamedCustomer, OfferId,
    ProgramId, ProgramRules, ReceiptKey, StoreId, TierId, TillId, UserId,
};
use jiff::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct NewProgram {
    pub name: String,
    pub rules: ProgramRules,
    pub is_default: bool,
}

#[derive(Debug, Clone)]
pub struct NewTier {
    pub name: String,
    pub threshold_minor: i64,
    pub earn_rate_bp: Option<i64>,
    pub discount_bp: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardGroup {
    pub id: CardGroupId,
    pub name: String,
    pub program_id: ProgramId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewCard {
    pub barcode: Barcode,
    pub symbology: Symbology,
    pub group_id: CardGroupId,
    pub customer_id: Option<CustomerId>,
    pub valid_from: Option<Timestamp>,
    pub valid_to: Option<Timestamp>,
}

/// A card brought from another system, with the points its owner had there.
#[derive(Debug, Clone)]
pub struct ImportedCard {
    pub card: NewCard,
    pub blocked: bool,
    /// Credited to the card's owner as an `opening_balance` entry, only when
    /// the card is created: importing the same file again credits nothing.
    pub opening_points: i64,
    pub lot: LotTerms,
}

#[derive(Debug, Clone, Default)]
pub struct CardQuery {
    pub customer_id: Option<CustomerId>,
    pub barcode: Option<String>,
    pub active: Option<bool>,
    pub after: Option<CardId>,
    pub limit: u32,
}

/// The customer side of a receipt.
#[derive(Debug, Clone)]
pub struct ReceiptCustomer {
    pub customer_id: CustomerId,
    pub card_id: Option<CardId>,
    pub accrual: LotTerms,
    /// The program's tiers by threshold: a purchase whose spend reaches a
    /// higher one raises the customer at once.
    pub tier_ladder: Vec<(i64, TierId)>,
    /// The spend that counts starts here (a rolling period); `None`: the
    /// customer's lifetime.
    pub tier_since: Option<Timestamp>,
}

/// What the receipt did to the customer's points, for its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitDone {
    pub points_available: i64,
    /// Points paid beyond what was left (an offline till), now owed.
    pub points_owed: i64,
}

/// A receipt's answer as kept: what the app rendered before the posting
/// (`frame`), and the posting's figures, which the app adds to it. A
/// receipt kept before its figures were has none: its frame is the whole
/// answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAnswer {
    pub frame: Vec<u8>,
    pub done: Option<CommitDone>,
}

impl KeptAnswer {
    /// As a receipt's row keeps it: its figures, or none (`points_available`
    /// is NULL) for a receipt kept before they were.
    pub fn from_row(frame: Vec<u8>, points_available: Option<i64>, points_owed: i64) -> Self {
        KeptAnswer {
            frame,
            done: points_available.map(|points_available| CommitDone {
                points_available,
                points_owed,
            }),
        }
    }
}

impl CommitDone {
    /// What a customer's receipt posting did, for its answer.
    pub fn of(posting: &Posting) -> CommitDone {
        CommitDone {
            points_available: posting.points_available,
            points_owed: posting.points_owed,
        }
    }
}

pub struct ReceiptCommit {
    pub till_id: TillId,
    pub store_id: StoreId,
    pub receipt_id: String,
    /// SHA-256 of the request as parsed: a replay must carry the same.
    pub request_hash: Vec<u8>,
    /// The till's time of the sale.
    pub created_at: Timestamp,
    pub committed_at: Timestamp,
    pub customer: Option<ReceiptCustomer>,
    pub lines: Vec<BasketLine>,
    pub calculation: Calculation,
    /// An online till is told when points no longer cover the payment; an
    /// offline receipt already happened and leaves a debt.
    pub shortfall: Shortfall,
    /// The till's hold for this payment: its points are the payment's.
    pub hold_id: Option<String>,
    /// Gift certificates paying part of the receipt.
    pub certificates: Vec<CertificateDebit>,
    /// The answer without the posting's figures, kept for replays.
    pub frame: Vec<u8>,
    /// What each offer gave the receipt's customer, in the order applied.
    pub offers: Vec<OfferGiven>,
    /// The shop's local date of the sale: the day an offer's daily budget
    /// counts it in.
    pub local_date: jiff::civil::Date,
}

/// One offer's part of a receipt, checked again and counted as it is
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferGiven {
    pub offer_id: OfferId,
    pub discount_minor: i64,
    pub points_accrued: i64,
    /// The code the offer asked for; `coupon_id` set: a single-use coupon,
    /// marked used by this receipt.
    pub coupon: Option<UsedCoupon>,
    /// The offer's caps, as the till was priced by.
    pub budget: Budget,
}

impl ReceiptCommit {
    /// The customer whose offers gave this receipt something, if any did.
    pub fn offered_to(&self) -> Option<CustomerId> {
        self.customer
            .as_ref()
            .filter(|_| !self.offers.is_empty())
            .map(|c| c.customer_id)
    }

    /// What the receipt does to its customer's points, for the posting:
    /// with the points of the till's hold it uses and what the customer
    /// spent within the tier's period before it.
    pub fn points<'a>(
        &self,
        customer: &'a ReceiptCustomer,
        held: Option<i64>,
        spent_in_period: Option<i64>,
    ) -> ReceiptPoints<'a> {
        let calc = &self.calculation;
        ReceiptPoints {
            points_paid: calc.points_paid,
            points_accrued: calc.points_accrued,
            accrual: customer.accrual,
            spent_minor: calc.total_minor - calc.discount_minor,
            created_at: self.created_at,
            shortfall: self.shortfall,
            held,
            tier_ladder: &customer.tier_ladder,
            spent_in_period,
        }
    }
}

/// What a receipt takes from one gift certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDebit {
    pub id: CertificateId,
    pub code: String,
    pub taken_minor: i64,
}

/// Points a till reserves between "pay with points" and the payment.
#[derive(Debug, Clone)]
pub struct NewHold {
    pub hold_id: String,
    pub till_id: TillId,
    pub customer_id: CustomerId,
    pub points: i64,
    pub at: Timestamp,
    /// Unused by then, the points are free again by themselves.
    pub expires_at: Timestamp,
    /// What the customer's offers give the held basket: their budgets keep
    /// it for the hold while it lives.
    pub offers: Vec<OfferGiven>,
    /// The shop's local date of the hold: the day and month its offers'
    /// budgets count it in.
    pub local_date: jiff::civil::Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldOutcome {
    Held,
    Insufficient {
        available: i64,
    },
    /// An offer's budget has no room left for what the basket was priced with.
    OfferRefused {
        offer_id: OfferId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed(CommitDone),
    /// The same receipt again: its first answer.
    Replayed(KeptAnswer),
    /// Another body under a receipt id already used by this till.
    Conflict,
    Insufficient {
        available: i64,
    },
    /// A certificate no longer holds what the receipt takes from it (used
    /// meanwhile at another till, or expired).
    CertificateRefused {
        code: String,
    },
    /// An offer can no longer give what the receipt was priced with: its
    /// single-use coupon was used meanwhile (`coupon`), or its budget ran
    /// out.
    OfferRefused {
        offer_id: OfferId,
        coupon: Option<CouponCode>,
    },
}

/// A committed receipt as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub key: ReceiptKey,
    pub till_id: TillId,
    pub store_id: StoreId,
    pub receipt_id: String,
    pub customer_id: Option<CustomerId>,
    pub request_hash: Vec<u8>,
    pub answer: KeptAnswer,
    pub created_at: Timestamp,
}

impl StoredReceipt {
    pub fn reference(&self) -> ReceiptRef {
        ReceiptRef {
            key: self.key,
            till_id: self.till_id,
            customer_id: self.customer_id,
        }
    }
}

/// A receipt as an engine finds it again: its key, and whose it is. An
/// engine that spreads data by customer keeps a customer's receipt with
/// them and an anonymous one with the till that sold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptRef {
    pub key: ReceiptKey,
    /// The till that sold it.
    pub till_id: TillId,
    pub customer_id: Option<CustomerId>,
}

/// What a return did, for its answer; kept as JSON, so that a replay
/// answers the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReturnDone {
    pub lines: Vec<ReturnedLine>,
    /// The refund's part given back to the gift certificates that paid the
    /// receipt: `(code, amount)`; the rest is money.
    pub certificates: Vec<(String, i64)>,
    pub points_available: i64,
    /// Points taken back beyond what was left, now owed.
    pub points_owed: i64,
}

impl ReturnDone {
    /// What a return did: its lines, what it gives back to each certificate
    /// (`(certificate, code, amount)`), and its posting's figures when the
    /// receipt had a customer.
    pub fn new(
        lines: Vec<ReturnedLine>,
        certificates: &[(i64, String, i64)],
        posting: Option<&Posting>,
    ) -> ReturnDone {
        ReturnDone {
            lines,
            certificates: certificates
                .iter()
                .map(|(_, code, amount)| (code.clone(), *amount))
                .collect(),
            points_available: posting.map_or(0, |p| p.points_available),
            points_owed: posting.map_or(0, |p| p.points_owed),
        }
    }
}

/// A return as kept, for a replay: what it did, or the whole answer of a
/// return kept before that was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptReturn {
    Done(ReturnDone),
    Answer(Vec<u8>),
}

pub struct ReturnCommit {
    pub receipt: ReceiptRef,
    /// Whose points the return moves: the receipt's customer, or the one
    /// they were merged into, who holds their points now; none for an
    /// anonymous receipt.
    pub account: Option<CustomerId>,
    pub till_id: TillId,
    pub return_id: String,
    pub request_hash: Vec<u8>,
    pub request: ReturnRequest,
    pub at: Timestamp,
    /// Points paid with and given back form a new lot on these terms.
    pub refund_lot: LotTerms,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnOutcome {
    Returned(ReturnDone),
    Replayed(KeptReturn),
    Conflict,
    Refused(clientele_domain::returns::ReturnError),
}

/// Points by hand for one or many customers, all or nothing.
#[derive(Debug, Clone)]
pub struct PointsAdjustment {
    pub customer_ids: Vec<CustomerId>,
    /// Positive: accrual; negative: write-off.
    pub points: i64,
    pub comment: String,
    /// Queued in the outbox for each customer, with the points.
    pub message: Option<crate::MessageDraft>,
    /// `Manual`, or what a scheduled job gives (`Birthday`, `Referral`).
    pub kind: LedgerKind,
    /// The staff user, for points by hand.
    pub author: Option<UserId>,
    pub lot: LotTerms,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustOutcome {
    /// Each customer's usable points afterwards.
    Done(Vec<(CustomerId, i64)>),
    Insufficient {
        customer_id: CustomerId,
        available: i64,
    },
    MissingCustomer(CustomerId),
}

/// One entry of the points ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerEntry {
    pub id: LedgerEntryId,
    pub customer_id: CustomerId,
    pub kind: LedgerKind,
    pub points: i64,
    pub receipt_key: Option<ReceiptKey>,
    pub till_id: Option<TillId>,
    pub user_id: Option<UserId>,
    pub comment: Option<String>,
    /// The other customer of a merge: whom the points came from or went to.
    pub counterpart: Option<NamedCustomer>,
    pub usable_from: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A purchase as the customer's history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purchase {
    pub key: ReceiptKey,
    /// Whose receipt it was: the customer, or one merged into them.
    pub customer_id: CustomerId,
    pub till_id: TillId,
    pub store_id: StoreId,
    pub receipt_id: String,
    pub created_at: Timestamp,
    pub total_minor: i64,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    pub lines: i64,
}

/// A return as the customer's history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Return {
    pub receipt_key: ReceiptKey,
    /// Whose return it was: the customer, or one merged into them.
    pub customer_id: CustomerId,
    pub return_id: String,
    pub created_at: Timestamp,
    pub refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
}

/// Who owes points: a return or an offline receipt took more than they had,
/// and their next accruals settle it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointsOwed {
    /// Owed by everyone, in hundredths of a point.
    pub total: i64,
    /// How many customers owe.
    pub customers: i64,
    /// A page of them, by id: `(customer, name, points owed)`.
    pub items: Vec<(CustomerId, String, i64)>,
}

/// A certificate to issue: its code and to whom.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub code: String,
    pub customer_id: Option<CustomerId>,
}

/// One movement of a certificate's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateMovement {
    /// `issue`, `redeem` or `refund`.
    pub kind: String,
    pub amount_minor: i64,
    pub receipt_key: Option<ReceiptKey>,
    pub created_at: Timestamp,
}

/// The rows of a receipt line, as an engine writes them.
pub fn receipt_rows<'a>(
    lines: &'a [BasketLine],
    calculation: &'a Calculation,
) -> impl Iterator<Item = (u32, &'a BasketLine, &'a PricedLine)> {
    lines
        .iter()
        .zip(&calculation.lines)
        .enumerate()
        .map(|(i, (line, priced))| (i as u32 + 1, line, priced))
}

/// What a posting's entries record beside the points: the event that made
/// them.
#[derive(Debug, Clone, Copy)]
pub struct PostingSource<'a> {
    /// `None` for a receipt's sale an engine writes in the same statement
    /// as the receipt, which gives the entries its key.
    pub receipt_key: Option<ReceiptKey>,
    pub till_id: Option<TillId>,
    pub user_id: Option<UserId>,
    pub comment: Option<&'a str>,
    /// The other customer of a merge.
    pub counterpart: Option<CustomerId>,
    pub at: Timestamp,
}

impl<'a> PostingSource<'a> {
    /// An event of no receipt, person or other customer (an expiry).
    pub fn at(at: Timestamp) -> PostingSource<'static> {
        PostingSource {
            receipt_key: None,
            till_id: None,
            user_id: None,
            comment: None,
            counterpart: None,
            at,
        }
    }

    /// A receipt's event (its sale or a return), at its till.
    pub fn receipt(
        receipt_key: Option<ReceiptKey>,
        till_id: TillId,
        at: Timestamp,
    ) -> PostingSource<'static> {
        PostingSource {
            receipt_key,
            till_id: Some(till_id),
            ..PostingSource::at(at)
        }
    }

    /// Points by hand: who gave them, if a person did, and why.
    pub fn by_hand(author: Option<UserId>, comment: &'a str, at: Timestamp) -> PostingSource<'a> {
        PostingSource {
            user_id: author,
            comment: Some(comment),
            ..PostingSource::at(at)
        }
    }

    /// One side of a merge, naming the other customer.
    pub fn merge(counterpart: CustomerId, at: Timestamp) -> PostingSource<'static> {
        PostingSource {
            counterpart: Some(counterpart),
            ..PostingSource::at(at)
        }
    }
}
