//! What every channel takes and gives back, whatever the wire.

use crate::error::SendError;

/// One message ready to leave: who it goes to and what it says.
///
/// Shaped for e-mail; SMS, Viber and push use `id`, `to`, `subject` and `text`
/// and ignore the rest. A marketing SMS must say how to stop such messages: the
/// caller writes that into `text`; this crate adds nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Our id of the message, unique in the shop: becomes the e-mail's Message-ID
    /// (`<{id}@{domain of the sender}>`) so a receiver can tell a repeat; over
    /// HTTP it is `{{id}}`, sent where the provider can dedupe or report by it.
    pub id: String,
    /// Where it goes: an e-mail address; for SMS and Viber the phone in E.164
    /// (`+79123456789`); for push the device's registration token.
    pub to: String,
    /// The e-mail's subject; the push notification's title; unused by SMS and Viber.
    pub subject: String,
    /// The plain-text body, always sent: every e-mail client can show it; the
    /// whole SMS or Viber message; the push notification's body.
    pub text: String,
    /// When given, the message is multipart/alternative with the text and this HTML.
    pub html: Option<String>,
    /// Where the customer unsubscribes with one click; sets `List-Unsubscribe: <url>` and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) and nothing when None.
    pub unsubscribe: Option<String>,
}

/// What the provider said when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The provider's own word for the message, kept to trace it in their logs.
    /// For SMTP: the text of the final 250 reply (e.g. "2.0.0 Ok: queued as ABC"),
    /// trimmed, at most 200 characters; None when the server said nothing.
    /// Over HTTP: the message id read from the provider's answer, which its
    /// delivery reports name again; None when the template reads none.
    pub provider_id: Option<String>,
}

/// Something that delivers an [`Envelope`]: one per channel and provider, shared
/// by every sender of the shop.
#[async_trait::async_trait]
pub trait Courier: Send + Sync {
    async fn send(&self, envelope: &Envelope) -> Result<Accepted, SendError>;
}
