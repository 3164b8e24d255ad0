//! Templates and campaigns: the marketer writes a message once, with
//! placeholders, and sends it to an audience. A campaign's messages are
//! queued when it starts, wait out its cancel window, and are filled in
//! for each customer only when they leave.

mod campaign;
mod personal;
mod queue;
mod report;
mod templates;

pub use campaign::CampaignView;
pub use queue::QUEUE_SLICE;
pub use report::CampaignReport;
pub use templates::Preview;

pub(crate) use campaign::within;
pub(crate) use templates::terms_of;
