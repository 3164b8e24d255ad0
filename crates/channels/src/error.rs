//! How a delivery or a channel's settings go wrong.

/// Why a message did not leave, split by what the outbox should do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another try later: a connection refused or cut, a timeout, a 4xx reply.
    #[error("{0}")]
    Passing(String),
    /// The provider refused this message for good: a 5xx reply, a malformed address.
    #[error("{0}")]
    Refused(String),
}

/// A channel's settings that cannot work, named by field so a settings form can
/// point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("The SMTP `host` is empty: give the name or address of the mail server.")]
    EmptyHost,
    #[error("The SMTP `host` {0:?} is not a usable server name: {1}.")]
    BadHost(String, String),
    #[error("The SMTP `port` is 0: give the port the mail server listens on.")]
    ZeroPort,
    #[error("The `from` address {0:?} is not an e-mail address: {1}.")]
    BadFrom(String, String),
    #[error("The SMTP `password` is missing: a `user` logs in with one.")]
    NoPassword,
    #[error("The SMTP `user` is missing: a `password` is given without one.")]
    NoUser,
}

impl SettingsError {
    /// The settings field at fault, as the settings name it.
    pub fn field(&self) -> &'static str {
        match self {
            SettingsError::EmptyHost | SettingsError::BadHost(..) => "host",
            SettingsError::ZeroPort => "port",
            SettingsError::BadFrom(..) => "from",
            SettingsError::NoPassword => "password",
            SettingsError::NoUser => "user",
        }
    }
}
