//! Loyalty programs and what they are carried on: programs, tiers, card
//! groups and certificate templates ([`Programs`], the same SQL on every
//! engine); cards and gift certificates ([`Cards`], each kept unique across
//! the whole base, which an engine does its way).

use async_trait::async_trait;
use clientele_domain::card::Card;
use clientele_domain::certificate::{Certificate, CertificateTemplate, NewCertificateTemplate};
use clientele_domain::{
    CardGroupId, CardId, CertificateId, CertificateTemplateId, CustomerId, Program, ProgramId,
    Tier, TierId,
};
use jiff::Timestamp;

use crate::{
    CardGroup, CardPick, CardQuery, CertificateMovement, DbResult, ImportedCard, NewCard,
    NewCertificate, NewProgram, NewTier,
};

#[async_trait]
pub trait Programs: Send + Sync {
    async fn list_programs(&self) -> DbResult<Vec<Program>>;
    async fn program(&self, id: ProgramId) -> DbResult<Option<Program>>;
    async fn create_program(&self, program: &NewProgram, at: Timestamp) -> DbResult<Program>;
    /// Replaces a program's name, rules and default flag.
    async fn update_program(
        &self,
        id: ProgramId,
        program: &NewProgram,
        at: Timestamp,
    ) -> DbResult<Option<Program>>;
    async fn create_tier(
        &self,
        program_id: ProgramId,
        tier: &NewTier,
        at: Timestamp,
    ) -> DbResult<Tier>;
    /// A tier's name, threshold and rate; `None` for an unknown id.
    async fn update_tier(&self, id: TierId, tier: &NewTier) -> DbResult<Option<Tier>>;
    async fn create_certificate_template(
        &self,
        template: &NewCertificateTemplate,
        at: Timestamp,
    ) -> DbResult<CertificateTemplate>;
    async fn certificate_templates(&self) -> DbResult<Vec<CertificateTemplate>>;
    /// A template's terms for the certificates issued from now on (issued
    /// ones keep theirs); `None` for an unknown id.
    async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        template: &NewCertificateTemplate,
    ) -> DbResult<Option<CertificateTemplate>>;
    async fn card_groups(&self) -> DbResult<Vec<CardGroup>>;
    async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        at: Timestamp,
    ) -> DbResult<CardGroup>;
    /// A card group's name and program; `None` for an unknown id.
    async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
    ) -> DbResult<Option<CardGroup>>;
}

/// Cards and certificates as the console and the till read them: by id,
/// by barcode or code (looked up where each engine keeps it unique), a
/// customer's, a page of them.
#[async_trait]
pub trait CardReads: Send + Sync {
    async fn card(&self, id: CardId) -> DbResult<Option<Card>>;
    /// The highest EAN-13 barcode with the in-store prefix 2, for numbering
    /// the next print run.
    async fn last_in_store_ean13(&self) -> DbResult<Option<String>>;
    async fn card_by_barcode(&self, barcode: &str) -> DbResult<Option<Card>>;
    async fn certificate_by_code(&self, code: &str) -> DbResult<Option<Certificate>>;
    /// A customer's certificates, newest first.
    async fn certificates_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<Certificate>>;
    async fn certificate_movements(&self, id: CertificateId) -> DbResult<Vec<CertificateMovement>>;
    async fn cards(&self, query: &CardQuery) -> DbResult<Vec<Card>>;
}

/// Cards and certificates issued, bound, blocked, replaced and imported.
#[async_trait]
pub trait Cards: Send + Sync {
    /// Issues certificates of a template in one transaction, each with an
    /// `issue` movement; a taken code fails them all.
    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        certificates: &[NewCertificate],
        at: Timestamp,
    ) -> DbResult<Vec<Certificate>>;
    /// Writes cards in one transaction; a taken barcode fails them all.
    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> DbResult<Vec<Card>>;
    /// The cards among these barcodes that exist.
    async fn cards_by_barcodes(&self, barcodes: &[String]) -> DbResult<Vec<Card>>;
    /// Creates imported cards and credits their opening balances in one
    /// transaction: the id of each card created, `None` where the barcode
    /// was taken meanwhile (nothing credited for it).
    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> DbResult<Vec<Option<CardId>>>;
    /// Binds a blank card to a customer and activates it; `None` if the
    /// card is not blank any more.
    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> DbResult<Option<Card>>;
    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> DbResult<Option<Card>>;
    /// Withdraws a card with a reason and gives its customer a new one, in
    /// one transaction; answers the new card.
    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> DbResult<Card>;
    /// Binds a blank card (not bound, not withdrawn, not blocked) to the
    /// customer and activates it, with the validity given (`None` keeps the
    /// card's own); `None` when there is no such blank card.
    async fn give_card(
        &self,
        pick: CardPick,
        customer_id: CustomerId,
        valid_from: Option<Timestamp>,
        valid_to: Option<Timestamp>,
    ) -> DbResult<Option<Card>>;
}
