//! Clientele's channels: each one delivers one message to one address over a
//! real channel and says whether it is worth trying again. Deciding whether a
//! message may leave (consent, quiet hours, caps) is the domain's work, not
//! this crate's.
//!
//! For now the only channel is e-mail over SMTP ([`Smtp`]).

mod envelope;
mod error;
mod smtp;

#[cfg(feature = "sink")]
pub mod sink;

pub use envelope::{Accepted, Courier, Envelope};
pub use error::{SendError, SettingsError};
pub use smtp::{Smtp, SmtpSettings, SmtpTls};
