//! How the server reaches customers, from the configuration: `[smtp]` and
//! `[messages]` in the TOML file, `CLIENTELE_SMTP_*` over them.

use std::net::SocketAddr;
use std::sync::Arc;

use clientele_app::outbox::{Messaging, Pace};
use clientele_channels::{Smtp, SmtpSettings, SmtpTls};
use clientele_domain::message::{Caps, QuietHours};
use jiff::civil::Time;
use serde::Deserialize;

/// Marketing arrives between these hours of the customer's day unless the
/// configuration says otherwise.
const DAYTIME: &str = "09:00-21:00";
const PER_DAY: u32 = 3;
const PER_WEEK: u32 = 10;
/// Minutes a message sent over Viber, SMS or push waits for its delivery
/// report before going on to its next channel.
const CASCADE_MINS: u32 = 30;
/// Sends a second at most: a campaign still leaves at this pace while
/// the tills keep their answers' speed.
const PER_SECOND: u32 = 600;

/// `[smtp]` of the TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    host: Option<String>,
    port: Option<u16>,
    tls: Option<String>,
    user: Option<String>,
    password: Option<String>,
    from: Option<String>,
}

/// `[messages]` of the TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesFile {
    /// Where customers reach this server, for the links in messages.
    public_url: Option<String>,
    /// `HH:MM-HH:MM`, or `always`.
    daytime: Option<String>,
    /// Marketing messages a customer gets at most a day, a week; 0: no cap.
    per_day: Option<u32>,
    per_week: Option<u32>,
    /// Minutes to wait for a delivery report before the next channel; 0: never.
    cascade_mins: Option<u32>,
    /// Sends a second at most, over every channel; 0: no limit.
    per_second: Option<u32>,
}

/// The messaging settings once read.
#[derive(Debug, Clone)]
pub struct MessagingSettings {
    pub smtp: Option<SmtpSettings>,
    pub public_url: Option<String>,
    pub daytime: Option<QuietHours>,
    pub caps: Caps,
    pub cascade_after: Option<jiff::SignedDuration>,
    pub per_second: u32,
}

fn env(name: &str) -> Option<String> {
    std::env::var(format!("CLIENTELE_SMTP_{name}"))
        .ok()
        .filter(|v| !v.is_empty())
}

fn daytime(raw: &str) -> anyhow::Result<Option<QuietHours>> {
    if raw.trim() == "always" {
        return Ok(None);
    }
    let refused = || {
        anyhow::anyhow!(
            "[messages] daytime «{raw}» is not two times of day like 09:00-21:00 (or always)"
        )
    };
    let (from, to) = raw.split_once('-').ok_or_else(refused)?;
    let time = |t: &str| t.trim().parse::<Time>().map_err(|_| refused());
    let (from, to) = (time(from)?, time(to)?);
    if from == to {
        return Err(refused());
    }
    Ok(Some(QuietHours { from, to }))
}

impl MessagingSettings {
    pub fn read(smtp: SmtpFile, messages: MessagesFile) -> anyhow::Result<MessagingSettings> {
        let host = env("HOST").or(smtp.host);
        let smtp = match host {
            None => None,
            Some(host) => {
                let tls_name = env("TLS").or(smtp.tls).unwrap_or_else(|| "starttls".into());
                let tls = SmtpTls::parse(&tls_name).ok_or_else(|| {
                    anyhow::anyhow!("[smtp] tls «{tls_name}» is not one of none, starttls, tls")
                })?;
                let port = match env("PORT") {
                    Some(port) => port.parse().map_err(|_| {
                        anyhow::anyhow!("CLIENTELE_SMTP_PORT «{port}» is not a port number")
                    })?,
                    None => smtp.port.unwrap_or_else(|| tls.default_port()),
                };
                let from = env("FROM").or(smtp.from).ok_or_else(|| {
                    anyhow::anyhow!("[smtp] from is missing: the address messages are sent from")
                })?;
                Some(SmtpSettings {
                    host,
                    port,
                    tls,
                    user: env("USER").or(smtp.user),
                    password: env("PASSWORD").or(smtp.password),
                    from,
                })
            }
        };
        let cap = |value: Option<u32>, default| match value.unwrap_or(default) {
            0 => None,
            n => Some(n),
        };
        Ok(MessagingSettings {
            smtp,
            public_url: messages.public_url,
            daytime: daytime(messages.daytime.as_deref().unwrap_or(DAYTIME))?,
            caps: Caps {
                per_day: cap(messages.per_day, PER_DAY),
                per_week: cap(messages.per_week, PER_WEEK),
            },
            cascade_after: cap(messages.cascade_mins, CASCADE_MINS)
                .map(|mins| jiff::SignedDuration::from_mins(i64::from(mins))),
            per_second: messages.per_second.unwrap_or(PER_SECOND),
        })
    }

    /// The app's messaging: the couriers made, links pointing at `listen`
    /// unless a public address was given.
    pub fn messaging(&self, listen: SocketAddr) -> anyhow::Result<Messaging> {
        let email = match &self.smtp {
            None => None,
            Some(settings) => Some(Arc::new(
                Smtp::new(settings).map_err(|e| anyhow::anyhow!("[smtp] {e}"))?,
            ) as Arc<dyn clientele_channels::Courier>),
        };
        Ok(Messaging {
            email,
            daytime: self.daytime,
            caps: self.caps,
            cascade_after: self.cascade_after,
            pace: Pace::per_second(self.per_second),
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{listen}/")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daytime_reads_two_times_or_always() {
        let window = daytime("08:30-22:00").unwrap().unwrap();
        assert_eq!(
            (window.from, window.to),
            (
                jiff::civil::time(8, 30, 0, 0),
                jiff::civil::time(22, 0, 0, 0)
            )
        );
        assert_eq!(daytime("always").unwrap(), None);
        let refused = daytime("9-21").unwrap_err().to_string();
        assert!(refused.contains("09:00-21:00"), "{refused}");
        assert!(daytime("10:00-10:00").is_err());
    }

    #[test]
    fn smtp_needs_a_sender_and_a_known_tls() {
        let file = |tls: &str, from: Option<&str>| SmtpFile {
            host: Some("mail.example.ru".into()),
            tls: Some(tls.into()),
            from: from.map(Into::into),
            ..SmtpFile::default()
        };
        let read = |smtp| MessagingSettings::read(smtp, MessagesFile::default());
        let settings = read(file("tls", Some("club@example.ru"))).unwrap();
        let smtp = settings.smtp.unwrap();
        assert_eq!((smtp.port, smtp.tls), (465, SmtpTls::Tls));
        assert_eq!(
            settings.caps,
            Caps {
                per_day: Some(3),
                per_week: Some(10)
            }
        );
        let missing = read(file("tls", None)).unwrap_err().to_string();
        assert!(missing.contains("from"), "{missing}");
        let unknown = read(file("ssl", Some("club@example.ru")))
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("none, starttls, tls"), "{unknown}");
        assert!(read(SmtpFile::default()).unwrap().smtp.is_none());
    }
}
