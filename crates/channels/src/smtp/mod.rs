//! E-mail over SMTP, through lettre's SMTP client on a small pool of our own.
//!
//! Why not lettre's pooled transport: it never sets TCP_NODELAY, and its
//! client writes a message's end (`\r\n.\r\n`) apart from the body, so
//! Nagle's algorithm holds that last write until the server's delayed ACK,
//! some 40 ms a message. We open the connections ourselves to set it (lettre
//! PR #1159 does so upstream; 0.11.23, the newest here, lacks it).

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use crate::envelope::{Accepted, Courier, Envelope};
use crate::error::{SendError, SettingsError};

mod connection;
mod letter;

use letter::ascii_domain;

/// How long connecting may take; one message's whole exchange gets
/// [`EXCHANGE_FACTOR`] times as long, since lettre's async client puts no
/// limit on a single command.
const TIMEOUT: Duration = Duration::from_secs(20);
const EXCHANGE_FACTOR: u32 = 3;
/// At most this many connections wait between messages, each at most
/// [`IDLE_FOR`]: servers hang up on idle clients sooner or later.
const IDLE_MAX: usize = 10;
const IDLE_FOR: Duration = Duration::from_secs(60);
/// The most of the server's reply kept as [`Accepted::provider_id`].
const PROVIDER_ID_MAX: usize = 200;
/// Lines of a message may not pass 998 octets (RFC 5322); a URL is one word
/// that is never folded, so it must leave room for its header's name.
const UNSUBSCRIBE_MAX: usize = 900;
const MESSAGE_ID_MAX: usize = 200;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same machine or network.
    None,
    /// Plain connection upgraded with STARTTLS, which is required: a server
    /// that does not offer it is not talked to (no silent downgrade).
    Starttls,
    /// TLS from the first byte ("SMTPS", usually port 465).
    Tls,
}

impl SmtpTls {
    /// Reads the name used in settings: "none", "starttls" or "tls".
    pub fn parse(s: &str) -> Option<SmtpTls> {
        match s {
            "none" => Some(SmtpTls::None),
            "starttls" => Some(SmtpTls::Starttls),
            "tls" => Some(SmtpTls::Tls),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpTls::None => "none",
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
        }
    }

    /// The port servers usually listen on for this mode, to prefill a form.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

impl fmt::Display for SmtpTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where and as whom the shop's e-mail leaves.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// Logs in only when given, together with `password`.
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender: "shop@example.com" or "Shop <shop@example.com>". Its domain
    /// also names our messages (Message-ID).
    pub from: String,
}

/// Never prints the password, so settings can be logged.
impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

/// E-mail over SMTP. Connections are pooled, so a campaign reuses them; make
/// one `Smtp` per settings and share it.
pub struct Smtp {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    from: Mailbox,
    timeout: Duration,
    where_: String,
    /// Connections between two messages, with when each was put back. No
    /// task of ours looks after them: a stale one is dropped when met.
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

enum Security {
    None,
    Starttls(TlsParameters),
    Tls(TlsParameters),
}

impl fmt::Debug for Smtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Smtp")
            .field("server", &self.where_)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Smtp {
    /// Checks the settings and prepares the transport; connects to nothing yet.
    pub fn new(settings: &SmtpSettings) -> Result<Smtp, SettingsError> {
        let host = settings.host.as_str();
        if host.trim().is_empty() {
            return Err(SettingsError::EmptyHost);
        }
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_:".contains(c))
        {
            return Err(SettingsError::BadHost(
                host.to_owned(),
                "only letters, digits, dots and dashes may name a server".to_owned(),
            ));
        }
        if settings.port == 0 {
            return Err(SettingsError::ZeroPort);
        }
        let bad_from = |e: String| SettingsError::BadFrom(settings.from.clone(), e);
        let mut from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| bad_from(format!("{e}")))?;
        from.email = ascii_domain(from.email).map_err(bad_from)?;

        let security = match settings.tls {
            SmtpTls::None => Security::None,
            SmtpTls::Starttls => Security::Starttls(tls_parameters(host)?),
            SmtpTls::Tls => Security::Tls(tls_parameters(host)?),
        };
        // A form's empty field means "not given".
        let given = |field: &Option<String>| field.clone().filter(|value| !value.is_empty());
        let credentials = match (given(&settings.user), given(&settings.password)) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password)),
            (None, None) => None,
            (Some(_), None) => return Err(SettingsError::NoPassword),
            (None, Some(_)) => return Err(SettingsError::NoUser),
        };

        Ok(Smtp {
            host: host.to_owned(),
            port: settings.port,
            security,
            credentials,
            // This machine's name, as lettre's transport says it.
            hello: ClientId::default(),
            from,
            timeout: TIMEOUT,
            where_: format!("{host}:{} ({})", settings.port, settings.tls),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Another limit than 20 s for connecting (and three times it for one
    /// message's whole exchange).
    pub fn with_timeout(mut self, timeout: Duration) -> Smtp {
        self.timeout = timeout;
        self
    }

    /// Opens a connection (or takes a pooled one) and says whether the server
    /// answers, logging in if the settings say so: for "send a test".
    pub async fn check(&self) -> Result<(), SendError> {
        self.bounded(async {
            let mut connection = self.connection().await?;
            if !connection.test_connected().await {
                return Err(SendError::Passing(format!(
                    "the SMTP server at {} did not answer NOOP",
                    self.where_
                )));
            }
            self.put_back(connection);
            Ok(())
        })
        .await
    }

    /// Runs one exchange under the overall deadline; past it, the exchange
    /// and the connection it holds are dropped, never pooled mid-command.
    async fn bounded<T>(
        &self,
        exchange: impl Future<Output = Result<T, SendError>>,
    ) -> Result<T, SendError> {
        let deadline = self.timeout * EXCHANGE_FACTOR;
        tokio::time::timeout(deadline, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(SendError::Passing(format!(
                    "the SMTP server at {} did not finish within {} s",
                    self.where_,
                    deadline.as_secs_f32()
                )))
            })
    }
}

#[async_trait::async_trait]
impl Courier for Smtp {
    async fn send(&self, envelope: &Envelope) -> Result<Accepted, SendError> {
        let message = self.message(envelope)?;
        let non_ascii_to = message
            .envelope()
            .to()
            .iter()
            .any(|to| !(to.user().is_ascii() && to.domain().is_ascii()));
        let response = self
            .bounded(async {
                let mut connection = self.connection().await?;
                let response = connection
                    .send(message.envelope(), &message.formatted())
                    .await
                    .map_err(|e| classify(&e, non_ascii_to))?;
                self.put_back(connection);
                Ok(response)
            })
            .await?;
        let reply = response.message().collect::<Vec<_>>().join(" ");
        let reply = reply.trim();
        Ok(Accepted {
            provider_id: (!reply.is_empty()).then(|| truncate(reply, PROVIDER_ID_MAX)),
        })
    }
}

fn tls_parameters(host: &str) -> Result<TlsParameters, SettingsError> {
    TlsParameters::new(host.to_owned())
        .map_err(|e| SettingsError::BadHost(host.to_owned(), e.to_string()))
}

/// Sorts lettre's errors into what the outbox does next.
fn classify(err: &lettre::transport::smtp::Error, non_ascii_to: bool) -> SendError {
    let text = err.to_string();
    if err.is_permanent() {
        // A refused login (or one required) is our settings' fault, not the
        // message's: it goes once the settings are mended.
        return match err.status().map(u16::from) {
            Some(530 | 534 | 535 | 538) => {
                SendError::Passing(format!("the SMTP server refused our login: {text}"))
            }
            _ => SendError::Refused(text),
        };
    }
    // The one client-side refusal tied to the message: an address that needs
    // SMTPUTF8 from a server without it. Others (no STARTTLS, no common login
    // mechanism) are the settings' or the server's.
    if err.is_client() && non_ascii_to {
        return SendError::Refused(text);
    }
    SendError::Passing(text)
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((end, _)) => s[..end].trim_end().to_owned(),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: 2525,
            tls: SmtpTls::None,
            user: None,
            password: None,
            from: "Магазин <shop@example.com>".to_owned(),
        }
    }

    fn envelope() -> Envelope {
        Envelope {
            id: "m-1".to_owned(),
            to: "anna@example.org".to_owned(),
            subject: "Hello".to_owned(),
            text: "Hi".to_owned(),
            html: None,
            unsubscribe: None,
        }
    }

    fn formatted(envelope: &Envelope) -> Result<String, SendError> {
        let smtp = Smtp::new(&settings()).expect("settings");
        let message = smtp.message(envelope)?;
        Ok(String::from_utf8(message.formatted()).expect("ASCII"))
    }

    #[test]
    fn tls_names_round_trip() {
        for tls in [SmtpTls::None, SmtpTls::Starttls, SmtpTls::Tls] {
            assert_eq!(SmtpTls::parse(tls.as_str()), Some(tls));
        }
        assert_eq!(SmtpTls::parse("ssl"), None);
    }

    #[test]
    fn settings_errors_name_their_field() {
        let mut s = settings();
        s.host = " ".to_owned();
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "host");
        let mut s = settings();
        s.host = "mail.example.com\r\nEHLO x".to_owned();
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "host");
        let mut s = settings();
        s.port = 0;
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "port");
        let mut s = settings();
        s.user = Some("shop".to_owned());
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "password");
        s.password = Some(String::new());
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "password");
        s.user = None;
        s.password = Some("secret".to_owned());
        assert_eq!(Smtp::new(&s).unwrap_err().field(), "user");
        s.user = Some(String::new());
        s.password = Some(String::new());
        assert!(Smtp::new(&s).is_ok());
    }

    #[test]
    fn debug_hides_the_password() {
        let mut s = settings();
        s.user = Some("shop".to_owned());
        s.password = Some("hunter2".to_owned());
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn a_subject_cannot_inject_a_header() {
        let mut e = envelope();
        e.subject = "Hi\r\nBcc: all@example.org".to_owned();
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
        e.subject = "Hi\nBcc: all@example.org".to_owned();
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
    }

    #[test]
    fn a_recipient_cannot_inject_a_header() {
        let mut e = envelope();
        e.to = "anna@example.org\r\nBcc: all@example.org".to_owned();
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
    }

    #[test]
    fn ids_and_links_go_in_only_when_clean() {
        let mut e = envelope();
        e.id = "m 1".to_owned();
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
        e.id = "m..1".to_owned();
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
        let mut e = envelope();
        e.unsubscribe = Some("https://x.example/u>\r\nBcc: all@example.org".to_owned());
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
        e.unsubscribe = Some("javascript:alert(1)".to_owned());
        assert!(matches!(formatted(&e), Err(SendError::Refused(_))));
    }

    #[test]
    fn headers_come_out_as_meant() {
        let mut e = envelope();
        e.id = "01HZ.42".to_owned();
        e.unsubscribe = Some("https://shop.example/u/abc?x=1".to_owned());
        let text = formatted(&e).expect("formatted");
        assert!(
            text.contains("Message-ID: <01HZ.42@example.com>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("List-Unsubscribe: <https://shop.example/u/abc?x=1>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{text}"
        );
    }

    #[test]
    fn internationalised_domains_go_out_in_ascii() {
        let mut s = settings();
        s.from = "Магазин <shop@магазин.рф>".to_owned();
        let smtp = Smtp::new(&s).expect("settings");
        let mut e = envelope();
        e.to = "anna@почта.рф".to_owned();
        let message = smtp.message(&e).expect("message");
        let text = String::from_utf8(message.formatted()).expect("ASCII");
        assert!(text.contains("@xn--80aairftm.xn--p1ai>\r\n"), "{text}");
        assert!(
            text.contains("To: anna@xn--80a1acny.xn--p1ai\r\n"),
            "{text}"
        );
        assert_eq!(
            message.envelope().to()[0].to_string(),
            "anna@xn--80a1acny.xn--p1ai"
        );
    }

    #[test]
    fn long_replies_are_cut_on_a_char_boundary() {
        let long = "я".repeat(300);
        assert_eq!(truncate(&long, PROVIDER_ID_MAX).chars().count(), 200);
        assert_eq!(truncate("ok", PROVIDER_ID_MAX), "ok");
    }
}
