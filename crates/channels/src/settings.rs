//! A channel's provider and its settings as the shop keeps them (in the
//! console's settings or the API): which provider, its address and its
//! secrets, and how its delivery reports read. One place turns them into a
//! courier, so a setting that cannot work is refused when it is saved.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::envelope::Courier;
use crate::error::{SendError, SettingsError};
use crate::http::report::{self, DeliveryReport, ReportError, ReportTemplate};
use crate::http::{Fcm, HttpProvider, HttpTemplate, presets, telegram};
use crate::smtp::{Smtp, SmtpSettings, SmtpTls};

/// What a secret's value is shown as: saved back unchanged, it keeps the
/// value kept.
pub const MASK: &str = "********";

/// A provider and its settings.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "provider", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProviderSettings {
    /// E-mail over SMTP.
    Smtp {
        host: String,
        port: u16,
        tls: SmtpTls,
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        password: Option<String>,
        from: String,
    },
    /// SMS through SMS.ru.
    SmsRu {
        api_id: String,
        #[serde(default)]
        from: Option<String>,
        /// Another address than sms.ru's (a test's server).
        #[serde(default)]
        base_url: Option<String>,
    },
    /// SMS through SMSC.ru.
    Smsc {
        login: String,
        password: String,
        #[serde(default)]
        sender: Option<String>,
        #[serde(default)]
        base_url: Option<String>,
    },
    /// Viber business messages through Infobip.
    Infobip {
        api_key: String,
        sender: String,
        #[serde(default)]
        base_url: Option<String>,
    },
    /// Push through Firebase Cloud Messaging (HTTP v1).
    Fcm {
        /// The service account's JSON key, as Google gives it.
        service_account: String,
        #[serde(default)]
        base_url: Option<String>,
    },
    /// A messenger through a Telegram bot.
    Telegram {
        /// The bot's token, from @BotFather.
        bot_token: String,
        #[serde(default)]
        base_url: Option<String>,
    },
    /// Any other provider's HTTP API, described by a template.
    Http {
        /// Boxed: it is by far the largest of the settings.
        template: Box<HttpTemplate>,
        #[serde(default)]
        secrets: BTreeMap<String, String>,
        /// How its delivery reports read; none: it sends none.
        #[serde(default)]
        report: Option<ReportTemplate>,
    },
}

impl ProviderSettings {
    pub fn provider(&self) -> &'static str {
        match self {
            ProviderSettings::Smtp { .. } => "smtp",
            ProviderSettings::SmsRu { .. } => "sms_ru",
            ProviderSettings::Smsc { .. } => "smsc",
            ProviderSettings::Infobip { .. } => "infobip",
            ProviderSettings::Fcm { .. } => "fcm",
            ProviderSettings::Telegram { .. } => "telegram",
            ProviderSettings::Http { .. } => "http",
        }
    }

    /// The channels (`email`, `sms`, `viber`, `push`, `messenger`) the
    /// provider can carry.
    pub fn carries(&self, channel: &str) -> bool {
        match self {
            ProviderSettings::Smtp { .. } => channel == "email",
            ProviderSettings::SmsRu { .. } | ProviderSettings::Smsc { .. } => channel == "sms",
            ProviderSettings::Infobip { .. } => channel == "viber",
            ProviderSettings::Fcm { .. } => channel == "push",
            ProviderSettings::Telegram { .. } => channel == "messenger",
            ProviderSettings::Http { .. } => channel != "email",
        }
    }

    /// Points the provider's inbound messages at `url` (proven by `key`)
    /// where the provider takes such an order over its API: a Telegram
    /// bot's webhook. None: the provider's cabinet says where, by hand.
    pub async fn connect_inbound(&self, url: &str, key: &str) -> Option<Result<(), SendError>> {
        match self {
            ProviderSettings::Telegram {
                bot_token,
                base_url,
            } => Some(telegram::set_webhook(bot_token, base_url.as_deref(), url, key).await),
            _ => None,
        }
    }

    /// The courier these settings make; settings that cannot work are
    /// refused, naming their field.
    pub fn courier(&self) -> Result<Arc<dyn Courier>, SettingsError> {
        Ok(match self {
            ProviderSettings::Smtp {
                host,
                port,
                tls,
                user,
                password,
                from,
            } => Arc::new(Smtp::new(&SmtpSettings {
                host: host.clone(),
                port: *port,
                tls: *tls,
                user: user.clone(),
                password: password.clone(),
                from: from.clone(),
            })?),
            ProviderSettings::SmsRu {
                api_id,
                from,
                base_url,
            } => {
                Arc::new(presets::sms_ru(api_id, from.as_deref(), base_url.as_deref()).provider()?)
            }
            ProviderSettings::Smsc {
                login,
                password,
                sender,
                base_url,
            } => Arc::new(
                presets::smsc(login, password, sender.as_deref(), base_url.as_deref())
                    .provider()?,
            ),
            ProviderSettings::Infobip {
                api_key,
                sender,
                base_url,
            } => Arc::new(presets::infobip_viber(api_key, sender, base_url.as_deref()).provider()?),
            ProviderSettings::Fcm {
                service_account,
                base_url,
            } => Arc::new(Fcm::new(service_account, base_url.as_deref())?),
            ProviderSettings::Telegram {
                bot_token,
                base_url,
            } => {
                if !is_bot_token(bot_token) {
                    return Err(SettingsError::BadBotToken);
                }
                Arc::new(presets::telegram(bot_token, base_url.as_deref()).provider()?)
            }
            ProviderSettings::Http {
                template, secrets, ..
            } => Arc::new(HttpProvider::new(
                template.as_ref().clone(),
                secrets.clone(),
            )?),
        })
    }

    /// Reads a delivery report the provider posted.
    pub fn reports(&self, body: &[u8]) -> Result<Vec<DeliveryReport>, ReportError> {
        match self {
            ProviderSettings::SmsRu { .. } => report::sms_ru(body),
            ProviderSettings::Smsc { .. } => report::smsc(body),
            ProviderSettings::Infobip { .. } => report::infobip(body),
            ProviderSettings::Http {
                report: Some(template),
                ..
            } => template.parse(body),
            ProviderSettings::Smtp { .. }
            | ProviderSettings::Fcm { .. }
            | ProviderSettings::Telegram { .. }
            | ProviderSettings::Http { report: None, .. } => Err(ReportError::NotSent),
        }
    }

    /// The same settings with every secret shown as [`MASK`].
    pub fn masked(&self) -> ProviderSettings {
        let mask = |_: &String| MASK.to_owned();
        let mut shown = self.clone();
        match &mut shown {
            ProviderSettings::Smtp { password, .. } => *password = password.as_ref().map(mask),
            ProviderSettings::SmsRu { api_id, .. } => *api_id = MASK.into(),
            ProviderSettings::Smsc { password, .. } => *password = MASK.into(),
            ProviderSettings::Infobip { api_key, .. } => *api_key = MASK.into(),
            ProviderSettings::Fcm {
                service_account, ..
            } => *service_account = MASK.into(),
            ProviderSettings::Telegram { bot_token, .. } => *bot_token = MASK.into(),
            ProviderSettings::Http { secrets, .. } => {
                secrets.values_mut().for_each(|v| *v = MASK.into())
            }
        }
        shown
    }

    /// These settings with each secret left as [`MASK`] taken from `kept`
    /// (the same provider's settings saved before).
    pub fn keeping_secrets(mut self, kept: &ProviderSettings) -> ProviderSettings {
        let keep = |value: &mut String, old: &String| {
            if value == MASK {
                *value = old.clone();
            }
        };
        match (&mut self, kept) {
            (
                ProviderSettings::Smtp { password, .. },
                ProviderSettings::Smtp { password: old, .. },
            ) => {
                if let (Some(value), Some(old)) = (password.as_mut(), old) {
                    keep(value, old);
                }
            }
            (
                ProviderSettings::SmsRu { api_id, .. },
                ProviderSettings::SmsRu { api_id: old, .. },
            ) => keep(api_id, old),
            (
                ProviderSettings::Smsc { password, .. },
                ProviderSettings::Smsc { password: old, .. },
            ) => keep(password, old),
            (
                ProviderSettings::Infobip { api_key, .. },
                ProviderSettings::Infobip { api_key: old, .. },
            ) => keep(api_key, old),
            (
                ProviderSettings::Fcm {
                    service_account, ..
                },
                ProviderSettings::Fcm {
                    service_account: old,
                    ..
                },
            ) => keep(service_account, old),
            (
                ProviderSettings::Telegram { bot_token, .. },
                ProviderSettings::Telegram { bot_token: old, .. },
            ) => keep(bot_token, old),
            (
                ProviderSettings::Http { secrets, .. },
                ProviderSettings::Http { secrets: old, .. },
            ) => {
                for (name, value) in secrets.iter_mut() {
                    if let Some(old) = old.get(name) {
                        keep(value, old);
                    }
                }
            }
            _ => {}
        }
        self
    }
}

/// Whether `token` reads as a bot's token does: the bot's number, a colon,
/// and letters, digits, `_` and `-` (<https://core.telegram.org/bots/api#authorizing-your-bot>).
fn is_bot_token(token: &str) -> bool {
    token.split_once(':').is_some_and(|(bot, key)| {
        !bot.is_empty()
            && bot.bytes().all(|b| b.is_ascii_digit())
            && !key.is_empty()
            && (key.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// Names the provider only: settings hold secrets.
impl std::fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("provider", &self.provider())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:ABC-def_1";

    fn telegram(bot_token: &str) -> ProviderSettings {
        serde_json::from_value(serde_json::json!({"provider": "telegram", "bot_token": bot_token}))
            .expect("telegram settings")
    }

    #[test]
    fn a_telegram_bot_carries_the_messenger_and_hides_its_token() {
        let settings = telegram(TOKEN);
        assert_eq!(settings.provider(), "telegram");
        assert!(settings.carries("messenger"));
        assert!(!settings.carries("sms"));
        settings.courier().expect("a courier");
        assert!(!format!("{settings:?}").contains("ABC"));

        let shown = serde_json::to_value(settings.masked()).expect("json");
        assert_eq!(
            shown,
            serde_json::json!({"provider": "telegram", "bot_token": MASK, "base_url": null})
        );
        let saved_back: ProviderSettings = serde_json::from_value(shown).expect("settings");
        assert_eq!(saved_back.keeping_secrets(&settings), settings);
        assert_eq!(
            telegram("654321:new").keeping_secrets(&settings),
            telegram("654321:new")
        );
        assert!(matches!(settings.reports(b"{}"), Err(ReportError::NotSent)));
    }

    #[test]
    fn what_is_not_a_bot_token_is_refused() {
        for token in [
            "", MASK, "123456", ":abc", "12a:abc", "123:", "123:a b", "123:a/b",
        ] {
            let err = telegram(token).courier().map(|_| ()).unwrap_err();
            assert_eq!(err, SettingsError::BadBotToken, "{token:?}");
            assert_eq!(err.field(), "bot_token");
        }
    }
}
