//! A channel's settings form as typed, for one provider at a time: read
//! from the settings kept (their secrets masked), and made into the
//! settings the use case checks, as the API's body would be. What cannot
//! be read is refused beside its field; what the use case refuses is put
//! beside the field it names.

use std::collections::BTreeMap;

use clientele_app::AppError;
use clientele_app::outbox::channels::ProviderSettings;
use clientele_domain::message::Channel;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::console::kit::{Reader, Words};

/// The providers that carry each channel, the usual one first; `http` is
/// any other, described by a template of its request.
pub fn providers(channel: Channel) -> &'static [&'static str] {
    match channel {
        Channel::Email => &["smtp"],
        Channel::Sms => &["sms_ru", "smsc", "http"],
        Channel::Viber => &["infobip", "http"],
        Channel::Push => &["fcm", "http"],
        Channel::Messenger => &["telegram", "http"],
    }
}

/// The providers whose delivery reports Clientele reads without a
/// template of them.
const REPORTING: [&str; 3] = ["sms_ru", "smsc", "infobip"];

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Draft {
    pub provider: String,
    /// smtp
    pub host: String,
    pub port: String,
    /// `none`, `starttls` or `tls`.
    pub tls: String,
    pub user: String,
    /// smtp, smsc: a secret.
    pub password: String,
    /// smtp: the sender's address; sms_ru: the sender's name.
    pub from: String,
    /// sms_ru: a secret.
    pub api_id: String,
    /// smsc
    pub login: String,
    /// smsc, infobip: the sender's name.
    pub sender: String,
    /// infobip: a secret.
    pub api_key: String,
    /// fcm: the service account's JSON key, a secret.
    pub service_account: String,
    /// telegram: the bot's token, a secret.
    pub bot_token: String,
    /// The presets: another address than the provider's own.
    pub base_url: String,
    /// http: the request.
    pub method: String,
    pub url: String,
    pub content_type: String,
    pub body: String,
    /// `Name: value`, one a line.
    pub headers: String,
    pub message_id: String,
    /// A JSON pointer, and the values there (comma-separated) that mean
    /// the provider took the message.
    pub ok_pointer: String,
    pub ok_values: String,
    /// The same for «turned away for now, try again».
    pub passing_pointer: String,
    pub passing_values: String,
    pub error: String,
    /// `name = value`, one a line; a kept one shows its value masked.
    pub secrets: String,
    /// `none`, `json` or `form`, and where its reports keep what.
    pub report_format: String,
    pub report_id: String,
    pub report_status: String,
    pub report_delivered: String,
    pub report_failed: String,
    pub report_reason: String,
}

impl Draft {
    /// A blank form for `provider`, its choices at their usual values.
    pub fn blank(provider: &str) -> Draft {
        Draft {
            provider: provider.to_owned(),
            port: "587".into(),
            tls: "starttls".into(),
            method: "POST".into(),
            content_type: "json".into(),
            report_format: "none".into(),
            ..Draft::default()
        }
    }

    /// Each field's value by its name, as the form shows them.
    pub fn values(&self) -> BTreeMap<String, String> {
        serde_json::from_value(serde_json::to_value(self).unwrap_or_default()).unwrap_or_default()
    }

    /// The form filled from settings kept (as their JSON, secrets masked).
    pub fn of(settings: &Value) -> Draft {
        let text = |value: Option<&Value>| match value {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let list = |value: Option<&Value>| {
            (value.and_then(Value::as_array).into_iter().flatten())
                .map(|v| text(Some(v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let at = |pointer: &str| text(settings.pointer(pointer));
        let template = settings.get("template");
        let headers = (template.and_then(|t| t.get("headers")))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|h| format!("{}: {}", text(h.get("name")), text(h.get("value"))))
            .collect::<Vec<_>>()
            .join("\n");
        let secrets = (settings.get("secrets").and_then(Value::as_object))
            .into_iter()
            .flatten()
            .map(|(name, value)| format!("{name} = {}", text(Some(value))))
            .collect::<Vec<_>>()
            .join("\n");
        let report = settings.get("report").filter(|r| !r.is_null());
        Draft {
            provider: at("/provider"),
            host: at("/host"),
            port: at("/port"),
            tls: at("/tls"),
            user: at("/user"),
            password: at("/password"),
            from: at("/from"),
            api_id: at("/api_id"),
            login: at("/login"),
            sender: at("/sender"),
            api_key: at("/api_key"),
            service_account: at("/service_account"),
            bot_token: at("/bot_token"),
            base_url: at("/base_url"),
            method: at("/template/method"),
            url: at("/template/url"),
            content_type: at("/template/content_type"),
            body: at("/template/body"),
            headers,
            message_id: at("/template/message_id"),
            ok_pointer: at("/template/ok_when/pointer"),
            ok_values: list(settings.pointer("/template/ok_when/one_of")),
            passing_pointer: at("/template/passing_when/pointer"),
            passing_values: list(settings.pointer("/template/passing_when/one_of")),
            error: at("/template/error"),
            secrets,
            report_format: report.map_or_else(|| "none".to_owned(), |_| at("/report/format")),
            report_id: at("/report/id"),
            report_status: at("/report/status"),
            report_delivered: list(settings.pointer("/report/delivered")),
            report_failed: list(settings.pointer("/report/failed")),
            report_reason: at("/report/reason"),
        }
    }

    /// The settings as typed, or each field that cannot be read with its
    /// error.
    pub fn settings(&self, w: &Words) -> Result<ProviderSettings, BTreeMap<String, String>> {
        let mut read = Reader::new(w);
        let json = match self.provider.as_str() {
            "smtp" => json!({
                "provider": "smtp",
                "host": required(&mut read, "host", &self.host),
                "port": port(&mut read, &self.port),
                "tls": self.tls,
                "user": given(&self.user),
                "password": given(&self.password),
                "from": required(&mut read, "from", &self.from),
            }),
            "sms_ru" => json!({
                "provider": "sms_ru",
                "api_id": required(&mut read, "api_id", &self.api_id),
                "from": given(&self.from),
                "base_url": given(&self.base_url),
            }),
            "smsc" => json!({
                "provider": "smsc",
                "login": required(&mut read, "login", &self.login),
                "password": required(&mut read, "password", &self.password),
                "sender": given(&self.sender),
                "base_url": given(&self.base_url),
            }),
            "infobip" => json!({
                "provider": "infobip",
                "api_key": required(&mut read, "api_key", &self.api_key),
                "sender": required(&mut read, "sender", &self.sender),
                "base_url": given(&self.base_url),
            }),
            "fcm" => json!({
                "provider": "fcm",
                "service_account": required(&mut read, "service_account", &self.service_account),
                "base_url": given(&self.base_url),
            }),
            "telegram" => json!({
                "provider": "telegram",
                "bot_token": required(&mut read, "bot_token", &self.bot_token),
                "base_url": given(&self.base_url),
            }),
            "http" => self.template(&mut read),
            _ => {
                return Err(BTreeMap::from([(
                    "provider".into(),
                    w.t("error-bad_setting"),
                )]));
            }
        };
        if !read.errors.is_empty() {
            return Err(read.errors);
        }
        serde_json::from_value(json)
            .map_err(|_| BTreeMap::from([("settings".into(), w.t("error-bad_setting"))]))
    }

    /// The generic provider's settings: its request, its secrets and how
    /// its reports read.
    fn template(&self, read: &mut Reader) -> Value {
        let headers: Vec<Value> = (self.headers.lines())
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| match line.split_once(':') {
                Some((name, value)) => Some(json!({"name": name.trim(), "value": value.trim()})),
                None => {
                    read.refuse("headers", "channel-error-headers-line");
                    None
                }
            })
            .collect();
        let mut secrets = Map::new();
        for line in self.secrets.lines().filter(|line| !line.trim().is_empty()) {
            match line.split_once('=') {
                Some((name, value)) if !name.trim().is_empty() => {
                    secrets.insert(name.trim().to_owned(), value.trim().into());
                }
                _ => read.refuse("secrets", "channel-error-secrets-line"),
            }
        }
        let expect = |read: &mut Reader, field: &str, pointer: &str, values: &str| {
            let one_of = values_of(values);
            match (given(pointer), one_of.is_empty()) {
                (None, true) => None,
                (Some(pointer), false) => Some(json!({"pointer": pointer, "one_of": one_of})),
                (None, false) => {
                    read.refuse(field, "channel-error-pointer-missing");
                    None
                }
                (Some(_), true) => {
                    read.refuse(field, "channel-error-values-missing");
                    None
                }
            }
        };
        let ok_when = expect(read, "ok_pointer", &self.ok_pointer, &self.ok_values);
        let passing_when = expect(
            read,
            "passing_pointer",
            &self.passing_pointer,
            &self.passing_values,
        );
        let report = match self.report_format.as_str() {
            format @ ("json" | "form") => Some(json!({
                "format": format,
                "id": required(read, "report_id", &self.report_id),
                "status": required(read, "report_status", &self.report_status),
                "delivered": values_of(&self.report_delivered),
                "failed": values_of(&self.report_failed),
                "reason": given(&self.report_reason),
            })),
            _ => None,
        };
        json!({
            "provider": "http",
            "template": {
                "method": self.method,
                "url": required(read, "url", &self.url),
                "headers": headers,
                "body": given(&self.body).map(|b| b.replace("\r\n", "\n")),
                "content_type": self.content_type,
                "message_id": given(&self.message_id),
                "ok_when": ok_when,
                "passing_when": passing_when,
                "error": given(&self.error),
            },
            "secrets": secrets,
            "report": report,
        })
    }
}

/// A field that must be filled in.
fn required(read: &mut Reader, field: &str, raw: &str) -> String {
    if raw.trim().is_empty() {
        read.refuse(field, "error-required");
    }
    raw.trim().to_owned()
}

fn port(read: &mut Reader, raw: &str) -> u16 {
    let port = (read.whole("port", raw)).and_then(|p| u16::try_from(p).ok());
    match port {
        Some(port) if port > 0 => port,
        _ => {
            read.refuse("port", "channel-error-port");
            0
        }
    }
}

fn given(raw: &str) -> Option<String> {
    Some(raw.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Values typed comma-separated.
fn values_of(raw: &str) -> Vec<String> {
    (raw.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether the provider's delivery reports can be read, and so whether its
/// address for them is worth giving.
pub fn reports(draft: &Draft) -> bool {
    REPORTING.contains(&draft.provider.as_str())
        || (draft.provider == "http" && draft.report_format != "none")
}

/// What the use case refused, beside the fields of the form it names
/// (a preset's address is its `base_url`), and what no field shows above
/// them; `Err` when it is not the admin's to correct.
pub fn beside(
    w: &Words,
    provider: &str,
    error: AppError,
) -> Result<BTreeMap<String, String>, AppError> {
    let AppError::Validation(refused) = error else {
        return Err(error);
    };
    let mut errors = BTreeMap::new();
    for e in refused.0 {
        let setting = e.field.strip_prefix("settings.").unwrap_or(&e.field);
        let field = match setting {
            "url" if provider != "http" => "base_url",
            "ok_when" => "ok_pointer",
            "passing_when" => "passing_pointer",
            other => other,
        };
        let text = w
            .find(&format!("channel-error-{field}"))
            .unwrap_or_else(|| w.field_error(&e));
        errors.entry(field.to_owned()).or_insert(text);
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn ru() -> Words {
        Words::new(Lang::Ru, TimeZone::UTC)
    }

    #[test]
    fn a_template_goes_to_its_settings_and_back_unchanged() {
        let draft = Draft {
            url: "https://gw.example.ru/send".into(),
            body: "{\"phone\": \"{{to}}\", \"text\": \"{{text}}\"}".into(),
            headers: "Authorization: Bearer {{secret.token}}".into(),
            message_id: "/id".into(),
            ok_pointer: "/status".into(),
            ok_values: "ok, queued".into(),
            secrets: "token = t-1".into(),
            report_format: "json".into(),
            report_id: "/ref".into(),
            report_status: "/state".into(),
            report_delivered: "delivered".into(),
            report_failed: "failed, expired".into(),
            ..Draft::blank("http")
        };
        let settings = draft.settings(&ru()).unwrap();
        assert_eq!(settings.provider(), "http");
        let json = serde_json::to_value(&settings).unwrap();
        let back = Draft::of(&json);
        assert_eq!(
            (
                back.url.as_str(),
                back.headers.as_str(),
                back.ok_values.as_str()
            ),
            (
                "https://gw.example.ru/send",
                "Authorization: Bearer {{secret.token}}",
                "ok, queued"
            )
        );
        assert_eq!(back.secrets, "token = t-1");
        assert_eq!(back.report_failed, "failed, expired");
        assert!(reports(&back));
    }

    #[test]
    fn a_telegram_bot_goes_to_its_settings_and_back() {
        assert_eq!(providers(Channel::Messenger), ["telegram", "http"]);
        let draft = Draft {
            bot_token: " 123456:ABC-def ".into(),
            ..Draft::blank("telegram")
        };
        let settings = draft.settings(&ru()).unwrap();
        assert_eq!(settings.provider(), "telegram");
        assert!(settings.carries("messenger"));
        let back = Draft::of(&serde_json::to_value(settings.masked()).unwrap());
        assert_eq!(
            (back.provider.as_str(), back.bot_token.as_str()),
            ("telegram", "********")
        );
        assert!(!reports(&back));

        let errors = Draft::blank("telegram").settings(&ru()).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["bot_token"]);
    }

    #[test]
    fn what_cannot_be_read_is_said_beside_its_field() {
        let smtp = Draft {
            port: "пятьсот".into(),
            ..Draft::blank("smtp")
        };
        let errors = smtp.settings(&ru()).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["from", "host", "port"],
            "{errors:?}"
        );
        let template = Draft {
            url: "https://gw.example.ru".into(),
            headers: "Authorization Bearer".into(),
            ok_values: "ok".into(),
            ..Draft::blank("http")
        };
        let errors = template.settings(&ru()).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["headers", "ok_pointer"],
            "{errors:?}"
        );
    }
}
