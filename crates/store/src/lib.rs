//! The database layer: the traits every engine implements, one per area
//! and [`Database`] over them all, with the types they speak and their
//! error. Engines live in their own crates with their own SQL and
//! migrations; the app only ever sees `dyn Database`, and brings the area
//! traits into scope with [`prelude`].

pub mod area;
pub mod backup;
mod customer_page;
mod database;
mod error;
mod figures;
mod loyalty;
mod page;
pub mod schema;
mod staff;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use area::{
    AddressAdded, Addresses, BaseFigures, CampaignSlice, CampaignTally, Campaigns, Cards, Channels,
    ChatMessage, ChatThread, Chats, Claimed, CohortMonth, Coupon, CouponHolder, CustomerAddress,
    CustomerList, CustomerReach, CustomerSales, Customers, Delivery, Directory, Figures, History,
    Jobs, KeptCampaign, KeptChannel, KeptDay, KeptOffer, KeptTemplate, KeptTrigger, ListedCustomer,
    Message, MessageDraft, MessageQuery, NewCampaign, NewMessage, OfferTotal, Offers, Outbox,
    PersonalFacts, PointMovement, PointsLiability, ProductBuyer, ProductTotal, Programs, Receipts,
    Registrations, Reports, RfmBounds, RfmCell, Rollups, RuleContext, SegmentFigures, Segments,
    Settlement, Staff, TemplateRecord, TierMove, TriggerTally, Triggers, VisitorMonth,
};
pub use customer_page::{CardPick, NewNote, ReceiptDetail, ReceiptLine};
pub use database::{
    CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches, Database, GroupChanges,
    NewCustomerRecord, Portable, PropertyChanges, StoreChanges, WriteOutcome,
};
pub use error::{DbError, DbResult};
pub use figures::{BusinessFigures, DaySales, FiguresQuery};
pub use loyalty::{
    AdjustOutcome, CardGroup, CardQuery, CertificateDebit, CertificateMovement, CommitDone,
    CommitOutcome, HoldOutcome, ImportedCard, KeptAnswer, KeptReturn, LedgerEntry, NewCard,
    NewCertificate, NewHold, NewProgram, NewTier, OfferGiven, PointsAdjustment, PointsOwed,
    PostingSource, Purchase, ReceiptCommit, ReceiptCustomer, ReceiptRef, Return, ReturnCommit,
    ReturnDone, ReturnOutcome, StoredReceipt, receipt_rows,
};
pub use page::{Cursor, CustomerQuery, NEVER_BOUGHT, Page, RowKey};
pub use staff::{
    Actor, ApiToken, AuditEntry, AuditQuery, FormClaim, NewAuditEntry, NewStaffUser, Principal,
    Role, Session, StaffChanges, StaffUser, Till,
};

/// The traits to have in scope to call a [`Database`]'s methods.
pub mod prelude {
    pub use crate::Database;
    pub use crate::area::{
        Cards, Channels, Customers, Directory, Figures, History, Jobs, Offers, Programs, Receipts,
        Segments, Staff,
    };
}
