//! Clientele's domain: the customer base and its rules as plain types and pure
//! functions. Nothing here does I/O or knows about the web or a database.

pub mod access;
pub mod campaign;
pub mod card;
pub mod certificate;
pub mod chat;
pub mod consent;
pub mod customer;
pub mod email;
pub mod filter;
pub mod group;
pub mod ids;
pub mod merge;
pub mod message;
pub mod note;
pub mod offer;
pub mod phone;
pub mod points;
pub mod posting;
pub mod pricing;
pub mod program;
pub mod property;
pub mod quantity;
pub mod report;
pub mod returns;
pub mod segment;
pub mod store;
pub mod template;
pub mod text;
pub mod trigger;
pub mod validation;

pub use access::{BuiltInRole, Login, Module, Permissions, Right};
pub use card::{Barcode, Card, CardRefusal, Symbology};
pub use consent::{Consent, ConsentChange, ConsentKind, Consents};
pub use customer::{
    Customer, CustomerChanges, CustomerInput, CustomerProfile, CustomerRules, CustomerStatus,
    Document, Gender, NamedCustomer, NewCustomer, RegistrationChannel,
};
pub use email::Email;
pub use filter::{
    BirthdayRange, Bounds, CustomerFilter, FILTER_FAMILIES, FILTER_KEYS, FilterFamily, FilterField,
    FilterKey, FilterKind, MonthDay, SearchQuery, SearchTerm, SortField, SortOrder, Unit,
};
pub use group::{CustomerGroup, CustomerGroupInput};
pub use ids::{
    CampaignId, CardGroupId, CardId, CertificateId, CertificateTemplateId, CouponId,
    CustomerGroupId, CustomerId, LedgerEntryId, MessageId, OfferId, ProgramId, PropertyId,
    ReceiptKey, RoleId, SegmentId, StoreId, TemplateId, TierId, TillId, TokenId, TriggerId, UserId,
};
pub use note::{NOTE_MAX_CHARS, Note, NoteText};
pub use offer::{CouponCode, Offer, OfferInput, OfferTerms};
pub use phone::Phone;
pub use program::{NamedTier, Program, ProgramKind, ProgramRules, Tier};
pub use property::{PropertyDefinition, PropertyInput, PropertyKind, PropertyName};
pub use quantity::Quantity;
pub use store::{Store, StoreInput, StoreKind};
pub use validation::{FieldError, ValidationErrors};
