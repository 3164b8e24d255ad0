//! The one store trait every database engine implements, with the types it
//! speaks and its error. Engines live in their own crates with their own SQL
//! and migrations; the app only ever sees `dyn Database`.

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

pub use customer_page::{CardPick, CustomerPageStore, NewNote, ReceiptDetail, ReceiptLine};
pub use database::{
    CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches, Database, GroupChanges,
    NewCustomerRecord, PropertyChanges, StoreChanges, WriteOutcome,
};
pub use error::{StoreError, StoreResult};
pub use figures::{BusinessFigures, DaySales, FiguresQuery};
pub use loyalty::{
    AdjustOutcome, CardGroup, CardQuery, CertificateDebit, CertificateMovement, CommitDone,
    CommitOutcome, HoldOutcome, ImportedCard, LedgerEntry, LoyaltyStore, NewCard, NewCertificate,
    NewHold, NewProgram, NewTier, PointsAdjustment, PointsOwed, Purchase, ReceiptCommit,
    ReceiptCustomer, RenderCommit, RenderReturn, Return, ReturnCommit, ReturnDone, ReturnOutcome,
    StoredReceipt, receipt_rows,
};
pub use page::{Cursor, CustomerQuery, NEVER_BOUGHT, Page, RowKey};
pub use staff::{
    Actor, ApiToken, AuditEntry, AuditQuery, FormClaim, NewAuditEntry, NewStaffUser, Principal,
    Role, Session, StaffChanges, StaffUser, Till,
};
