//! Clientele's channels: each one delivers one message to one address over a
//! real channel and says whether it is worth trying again. Deciding whether a
//! message may leave (consent, quiet hours, caps) is the domain's work, not
//! this crate's.
//!
//! The channels: e-mail over SMTP ([`Smtp`]); SMS, Viber and push through a
//! provider's HTTP API ([`HttpProvider`] from a template or a preset, [`Fcm`]
//! for Firebase), whose delivery reports [`http::report`] reads.

mod envelope;
mod error;
pub mod http;
mod settings;
mod smtp;

#[cfg(feature = "sink")]
pub mod sink;

pub use envelope::{Accepted, Courier, Envelope};
pub use error::{SendError, SettingsError};
pub use http::{Fcm, HttpProvider, HttpTemplate};
pub use settings::{MASK, ProviderSettings};
pub use smtp::{Smtp, SmtpSettings, SmtpTls};
