//! Clientele's channels: each one delivers one message to one address over a
//! real channel and says whether it is worth trying again. Deciding whether a
//! message may leave (consent, quiet hours, caps) is the domain's work, not
//! this crate's.
//!
//! The channels: e-mail over SMTP ([`Smtp`]); SMS, Viber, push and the
//! messenger through a provider's HTTP API ([`HttpProvider`] from a template
//! or a preset, a Telegram bot's among them; [`Fcm`] for Firebase), whose
//! delivery reports [`http::report`] reads. What customers write back, as
//! providers post it, [`read_inbound`] reads.

mod envelope;
mod error;
pub mod http;
pub mod inbound;
mod settings;
mod smtp;

#[cfg(feature = "sink")]
pub mod sink;

pub use envelope::{Accepted, Courier, Envelope};
pub use error::{SendError, SettingsError};
pub use http::{Fcm, HttpProvider, HttpTemplate};
pub use inbound::{InboundError, InboundMessage, Sender, read_inbound};
pub use settings::{MASK, ProviderSettings};
pub use smtp::{Smtp, SmtpSettings, SmtpTls};
