//! How a delivery or a channel's settings go wrong.

/// Why a message did not leave, split by what the outbox should do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another try later: a connection refused or cut, a timeout, an
    /// SMTP 4xx reply, an HTTP 5xx or 429, credentials the provider turned away.
    #[error("{0}")]
    Passing(String),
    /// The provider refused this message for good, or may have sent it without
    /// saying so clearly (a repeat could send it twice): an SMTP 5xx reply, an
    /// HTTP 4xx, a malformed address.
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
    #[error(
        "The `{field}` names the placeholder {name:?}, which does not exist: use to, to_digits, text, subject, id or secret.NAME."
    )]
    UnknownPlaceholder { field: &'static str, name: String },
    #[error("The `{field}` opens a placeholder with two braces and never closes it.")]
    UnclosedPlaceholder { field: &'static str },
    #[error("The `{field}` uses the secret {name:?}, which the settings do not give.")]
    MissingSecret { field: &'static str, name: String },
    #[error("The `url` is not a usable address: {0}.")]
    BadUrl(String),
    #[error("The header {0:?} cannot be sent: {1}.")]
    BadHeader(String, String),
    #[error("The request `body` does not fit: {0}.")]
    BadBody(String),
    #[error(
        "The `{field}` {pointer:?} is not a JSON pointer: it must start with `/`, as in /sms/0/id."
    )]
    BadPointer {
        field: &'static str,
        pointer: String,
    },
    #[error(
        "The Telegram `bot_token` is not a bot's token: @BotFather gives one as digits, a colon and letters, e.g. 123456:ABC-DEF1234ghIkl."
    )]
    BadBotToken,
    #[error("The service account is not usable: {0}.")]
    BadServiceAccount(String),
    #[error("No HTTP client could be made: {0}.")]
    HttpClient(String),
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
            SettingsError::UnknownPlaceholder { field, .. }
            | SettingsError::UnclosedPlaceholder { field }
            | SettingsError::MissingSecret { field, .. }
            | SettingsError::BadPointer { field, .. } => field,
            SettingsError::BadUrl(_) | SettingsError::HttpClient(_) => "url",
            SettingsError::BadHeader(..) => "headers",
            SettingsError::BadBody(_) => "body",
            SettingsError::BadServiceAccount(_) => "service_account",
            SettingsError::BadBotToken => "bot_token",
        }
    }
}
