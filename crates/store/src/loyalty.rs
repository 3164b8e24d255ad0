//! Programs, cards, receipts, returns and the points ledger as the store
//! keeps them. A receipt, a return and a points adjustment are each one
//! transaction that checks the customer's points and writes the ledger, so
//! the available balance never goes below zero whatever runs in parallel.

use async_trait::async_trait;
use clientele_domain::card::{Barcode, Card, Symbology};
use clientele_domain::certificate::{Certificate, CertificateTemplate, NewCertificateTemplate};
use clientele_domain::points::Shortfall;
use clientele_domain::posting::{CustomerLoyalty, LedgerKind, LotTerms, ReceiptPoints};
use clientele_domain::pricing::{BasketLine, Calculation, PricedLine};
use clientele_domain::returns::{ReturnRequest, ReturnedLine};
use clientele_domain::{
    CardGroupId, CardId, CertificateId, CertificateTemplateId, Customer, CustomerId, LedgerEntryId,
    NamedCustomer, Program, ProgramId, ProgramRules, ReceiptKey, StoreId, Tier, TierId, TillId,
    UserId,
};
use jiff::Timestamp;
use serde::Serialize;

use crate::error::StoreResult;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitDone {
    pub points_available: i64,
    /// Points paid beyond what was left (an offline till), now owed.
    pub points_owed: i64,
}

/// Renders the answer a till gets once the receipt is written; the same
/// bytes answer every replay. An engine may render more than once (when it
/// writes the receipt again after a failed group).
pub type RenderCommit = Box<dyn Fn(CommitDone) -> Vec<u8> + Send + Sync>;

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
    pub render: RenderCommit,
}

impl ReceiptCommit {
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldOutcome {
    Held,
    Insufficient { available: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed(Vec<u8>),
    /// The same receipt again: its first answer.
    Replayed(Vec<u8>),
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
    pub answer: Vec<u8>,
    pub created_at: Timestamp,
}

/// What a return did, for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDone {
    pub lines: Vec<ReturnedLine>,
    /// The refund's part given back to the gift certificates that paid the
    /// receipt: `(code, amount)`; the rest is money.
    pub certificates: Vec<(String, i64)>,
    pub points_available: i64,
    /// Points taken back beyond what was left, now owed.
    pub points_owed: i64,
}

pub type RenderReturn = Box<dyn Fn(&ReturnDone) -> Vec<u8> + Send + Sync>;

pub struct ReturnCommit {
    pub receipt: ReceiptKey,
    pub till_id: TillId,
    pub return_id: String,
    pub request_hash: Vec<u8>,
    pub request: ReturnRequest,
    pub at: Timestamp,
    /// Points paid with and given back form a new lot on these terms.
    pub refund_lot: LotTerms,
    pub render: RenderReturn,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnOutcome {
    Returned(Vec<u8>),
    Replayed(Vec<u8>),
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
    /// Stored for delivery to each customer.
    pub message: Option<String>,
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

/// Loyalty programs, cards, receipts and the ledger.
#[async_trait]
pub trait LoyaltyStore: Send + Sync {
    async fn programs(&self) -> StoreResult<Vec<Program>>;
    async fn program(&self, id: ProgramId) -> StoreResult<Option<Program>>;
    async fn create_program(&self, program: &NewProgram, at: Timestamp) -> StoreResult<Program>;
    /// Replaces a program's name, rules and default flag.
    async fn update_program(
        &self,
        id: ProgramId,
        program: &NewProgram,
        at: Timestamp,
    ) -> StoreResult<Option<Program>>;
    async fn create_tier(
        &self,
        program_id: ProgramId,
        tier: &NewTier,
        at: Timestamp,
    ) -> StoreResult<Tier>;
    /// A tier's name, threshold and rate; `None` for an unknown id.
    async fn update_tier(&self, id: TierId, tier: &NewTier) -> StoreResult<Option<Tier>>;

    async fn create_certificate_template(
        &self,
        template: &NewCertificateTemplate,
        at: Timestamp,
    ) -> StoreResult<CertificateTemplate>;
    async fn certificate_templates(&self) -> StoreResult<Vec<CertificateTemplate>>;
    /// A template's terms for the certificates issued from now on (issued
    /// ones keep theirs); `None` for an unknown id.
    async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        template: &NewCertificateTemplate,
    ) -> StoreResult<Option<CertificateTemplate>>;
    /// Issues certificates of a template in one transaction, each with an
    /// `issue` movement; a taken code fails them all.
    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        certificates: &[NewCertificate],
        at: Timestamp,
    ) -> StoreResult<Vec<Certificate>>;
    async fn certificate_by_code(&self, code: &str) -> StoreResult<Option<Certificate>>;
    /// A customer's certificates, newest first.
    async fn certificates_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<Certificate>>;
    async fn certificate_movements(
        &self,
        id: CertificateId,
    ) -> StoreResult<Vec<CertificateMovement>>;

    async fn card_groups(&self) -> StoreResult<Vec<CardGroup>>;
    async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        at: Timestamp,
    ) -> StoreResult<CardGroup>;
    /// A card group's name and program; `None` for an unknown id.
    async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
    ) -> StoreResult<Option<CardGroup>>;
    /// Writes cards in one transaction; a taken barcode fails them all.
    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> StoreResult<Vec<Card>>;
    async fn card(&self, id: CardId) -> StoreResult<Option<Card>>;
    /// The highest EAN-13 barcode with the in-store prefix 2, for numbering
    /// the next print run.
    async fn last_in_store_ean13(&self) -> StoreResult<Option<String>>;
    async fn card_by_barcode(&self, barcode: &str) -> StoreResult<Option<Card>>;
    /// The cards among these barcodes that exist.
    async fn cards_by_barcodes(&self, barcodes: &[String]) -> StoreResult<Vec<Card>>;
    /// Creates imported cards and credits their opening balances in one
    /// transaction: the id of each card created, `None` where the barcode
    /// was taken meanwhile (nothing credited for it).
    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> StoreResult<Vec<Option<CardId>>>;
    async fn cards(&self, query: &CardQuery) -> StoreResult<Vec<Card>>;
    /// Binds a blank card to a customer and activates it; `None` if the
    /// card is not blank any more.
    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> StoreResult<Option<Card>>;
    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> StoreResult<Option<Card>>;
    /// Withdraws a card with a reason and gives its customer a new one, in
    /// one transaction; answers the new card.
    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<Card>;

    /// A customer's account and figures, with the holds live at `at`.
    /// Moves a merged customer's points (open lots with their dates, and any
    /// debt), purchase totals and cards to the survivor, as `merge` entries
    /// of both ledgers. Moving nothing twice: a second call finds nothing.
    async fn merge_points(
        &self,
        duplicate: CustomerId,
        survivor: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Sets the tier of customers by hand (`None` clears it), until `until`
    /// or for good; all or none.
    async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
    ) -> StoreResult<()>;
    async fn customer_loyalty(
        &self,
        customer_id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<CustomerLoyalty>;
    /// The accounts of these customers at `at`, each with its customer, in
    /// one read (a page of the list); customers that do not exist are left
    /// out.
    async fn customer_loyalties(
        &self,
        customer_ids: &[CustomerId],
        at: Timestamp,
    ) -> StoreResult<Vec<(CustomerId, CustomerLoyalty)>>;
    /// A customer and their account, read together as every step at the
    /// till needs them; `None` if there is no such customer.
    async fn customer_at_till(
        &self,
        id: CustomerId,
        at: Timestamp,
    ) -> StoreResult<Option<(Customer, CustomerLoyalty)>>;
    /// Reserves points if they are available, in the same order as receipts.
    async fn place_hold(&self, hold: NewHold) -> StoreResult<HoldOutcome>;
    /// Frees a live hold of this till; `false` if there was none.
    async fn release_hold(
        &self,
        till_id: TillId,
        hold_id: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// The customer's most recent purchases' SKUs and names, most bought first.
    async fn preferred_products(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(String, String)>>;

    async fn receipt(
        &self,
        till_id: TillId,
        receipt_id: &str,
    ) -> StoreResult<Option<StoredReceipt>>;
    /// Writes a receipt, its lines and its ledger entries in one durable
    /// transaction, unless this till already committed that receipt id.
    async fn commit_receipt(&self, receipt: ReceiptCommit) -> StoreResult<CommitOutcome>;
    /// Writes past receipts (demo data, a history brought over), each as
    /// [`commit_receipt`](Self::commit_receipt) would, in bulk: durable
    /// together once answered rather than one by one.
    async fn load_receipts(&self, receipts: Vec<ReceiptCommit>) -> StoreResult<Vec<CommitOutcome>>;
    async fn return_receipt(&self, request: ReturnCommit) -> StoreResult<ReturnOutcome>;
    /// The first answer of a return already made, with its request's hash.
    async fn stored_return(
        &self,
        receipt: ReceiptKey,
        return_id: &str,
    ) -> StoreResult<Option<(Vec<u8>, Vec<u8>)>>;

    async fn adjust_points(&self, adjustment: &PointsAdjustment) -> StoreResult<AdjustOutcome>;
    /// A customer's purchases with those of the customers merged into
    /// them, newest first; none for a customer merged into another (they
    /// are the survivor's now).
    async fn purchases(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Purchase>>;
    /// The customers this one referred, newest first: `(id, name, registered)`.
    async fn referrals_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> StoreResult<Vec<(CustomerId, String, Timestamp)>>;
    /// A customer's returns with those of the customers merged into them,
    /// newest first; none for a customer merged into another.
    async fn returns(&self, customer_id: CustomerId, limit: u32) -> StoreResult<Vec<Return>>;

    /// Claims one slot of a scheduled job (`expiry`, `2026-11-23T18`): `true`
    /// for the first caller only, whichever server and however often asked.
    async fn claim_slot(&self, job: &str, slot: &str, at: Timestamp) -> StoreResult<bool>;
    /// Customers who have bought and whose referrer was not yet rewarded for
    /// them (no `referral` slot of theirs): `(customer, referrer)`.
    async fn referrals_due(&self, limit: u32) -> StoreResult<Vec<(CustomerId, CustomerId)>>;
    /// Gives customers of ids `from..=to` the tier of `ladder` their spend
    /// since `since` reaches (returns deducted), as
    /// [`recounted_tier`](clientele_domain::posting::recounted_tier)
    /// decides; answers how many it recounted.
    async fn recompute_tiers(
        &self,
        ladder: &[(i64, TierId)],
        since: Timestamp,
        at: Timestamp,
        ids: (CustomerId, CustomerId),
    ) -> StoreResult<u64>;
    /// The highest customer id, for walking them in ranges.
    async fn last_customer_id(&self) -> StoreResult<Option<CustomerId>>;
    /// The points owed, with a page of the customers who owe them, by id
    /// after `after`.
    async fn points_owed(&self, after: CustomerId, limit: u32) -> StoreResult<PointsOwed>;
    /// The home page's figures: a few scans, for a cache to keep.
    async fn business_figures(
        &self,
        query: &crate::FiguresQuery,
    ) -> StoreResult<crate::BusinessFigures>;
    /// Ids of customers not merged into another, ascending, after `after`.
    async fn customer_ids(&self, after: CustomerId, limit: u32) -> StoreResult<Vec<CustomerId>>;
    /// Writes off the points expired by `at` of up to `customers` customers,
    /// one ledger entry per expired lot; answers how many customers it did.
    async fn expire_points(&self, at: Timestamp, customers: u32) -> StoreResult<u32>;

    /// Newest first, before `before` when given.
    async fn ledger(
        &self,
        customer_id: CustomerId,
        before: Option<LedgerEntryId>,
        limit: u32,
    ) -> StoreResult<Vec<LedgerEntry>>;
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
