//! The database's traits, one per area; every engine implements each in
//! the module that holds that area's SQL.

mod addresses;
mod campaigns;
mod channels;
mod chats;
mod customers;
mod directory;
mod figures;
mod jobs;
mod offers;
mod outbox;
mod programs;
mod receipts;
mod reports;
mod rollups;
mod segments;
mod staff;
mod triggers;

pub use addresses::{AddressAdded, Addresses, CustomerAddress};
pub use campaigns::{
    CampaignSlice, CampaignTally, Campaigns, KeptCampaign, KeptTemplate, NewCampaign,
    PersonalFacts, TemplateRecord,
};
pub use channels::{Channels, Delivery, KeptChannel};
pub use chats::{ChatMessage, ChatThread, Chats};
pub use customers::Customers;
pub use directory::Directory;
pub use figures::Figures;
pub use jobs::Jobs;
pub use offers::{Coupon, CouponHolder, CustomerAtTill, KeptOffer, OfferStanding, Offers, TillKey};
pub use outbox::{Claimed, Message, MessageDraft, MessageQuery, NewMessage, Outbox, Settlement};
pub use programs::{CardReads, Cards, Programs};
pub use receipts::{History, Receipts};
pub use reports::{
    BaseFigures, CustomerList, CustomerReach, CustomerSales, ListedCustomer, OfferTotal,
    PointMovement, PointsLiability, Registrations, Reports, RfmCell,
};
pub use rollups::{CohortMonth, KeptDay, ProductBuyer, ProductTotal, Rollups, VisitorMonth};
pub use segments::{RfmBounds, RuleContext, SegmentFigures, Segments};
pub use staff::Staff;
pub use triggers::{KeptTrigger, TierMove, TriggerTally, Triggers};
