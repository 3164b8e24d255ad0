//! The POS protocol: identify, calculate, commit, return, and the offline
//! batch. Tills call these with their key; everything a till relies on is
//! in the messages of [`messages`].

mod customer;
mod holds;
mod identify;
pub mod messages;
pub(crate) mod offers;
mod receipts;
mod returns;

use clientele_domain::{StoreId, TillId};

pub use customer::CustomerRef;
pub use holds::{HOLD_FOR, Hold};
pub use identify::{Identified, IdentifyRequest};
pub use offers::PersonalOffer;
pub(crate) use receipts::request_hash;
pub use receipts::{BasketRequest, CommitAnswer, ReceiptRequest};
pub use returns::ReturnRequestBody;

/// The till a request comes from: its key says which, and its store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TillRef {
    pub id: TillId,
    pub store_id: StoreId,
}

/// The most receipts one offline upload may carry.
pub const MAX_BATCH: usize = 1000;
