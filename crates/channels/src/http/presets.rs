//! Templates for providers we know, each written from the provider's own API
//! documentation. Every preset takes a base URL in place of the real host
//! (None for the real one), so tests can stand a local server in.

use std::fmt;

use super::HttpProvider;
use super::pattern::{json_escape, percent_encode};
use super::template::{ContentType, Expect, Header, HttpTemplate, Method, Secrets};
use crate::error::SettingsError;

pub const SMS_RU: &str = "https://sms.ru";
pub const SMSC: &str = "https://smsc.ru";
/// Infobip's shared base URL; each account also has its own (in its portal).
pub const INFOBIP: &str = "https://api.infobip.com";
pub const FCM: &str = "https://fcm.googleapis.com";
pub const TELEGRAM: &str = "https://api.telegram.org";

/// A template and the secrets it names.
#[derive(Clone, PartialEq, Eq)]
pub struct Preset {
    pub template: HttpTemplate,
    pub secrets: Secrets,
}

/// Names the secrets, never their values.
impl fmt::Debug for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Preset")
            .field("template", &self.template)
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Preset {
    pub fn provider(self) -> Result<HttpProvider, SettingsError> {
        HttpProvider::new(self.template, self.secrets)
    }
}

/// SMS.ru, `POST /sms/send` (<https://sms.ru/api/send>): a form with `api_id`,
/// `to` (digits), `msg`, `json=1` and, when given, the approved sender name
/// `from`. The answer keys each number:
/// `{"status":"OK","status_code":100,"sms":{"79255070602":{"status":"OK","status_code":100,"sms_id":"000000-10000000"}}}`;
/// a number's `status` ERROR comes with its `status_text`. A top-level
/// `status_code` of 200, 300, 301 or 302 (our api_id or login), 201 (our
/// balance) or 220 (the service is down) means nothing was sent: tried again.
pub fn sms_ru(api_id: &str, from: Option<&str>, base: Option<&str>) -> Preset {
    let mut body = "api_id={{secret.api_id}}&to={{to_digits}}&msg={{text}}&json=1".to_owned();
    if let Some(from) = from {
        body.push_str(&format!("&from={}", percent_encode(from)));
    }
    Preset {
        template: HttpTemplate {
            method: Method::Post,
            url: format!("{}/sms/send", base_url(base, SMS_RU)),
            headers: Vec::new(),
            body: Some(body),
            content_type: ContentType::Form,
            message_id: Some("/sms/{{to_digits}}/sms_id".to_owned()),
            ok_when: Some(expect("/sms/{{to_digits}}/status", &["OK"])),
            passing_when: Some(expect(
                "/status_code",
                &["200", "201", "220", "300", "301", "302"],
            )),
            error: Some("/sms/{{to_digits}}/status_text".to_owned()),
        },
        secrets: secrets(&[("api_id", api_id)]),
    }
}

/// SMSC.ru, `POST /sys/send.php` (<https://smsc.ru/api/http/send/>): a form
/// with `login`, `psw`, `phones` (with its `+`, which turns off SMSC's
/// "correction" of numbers), `mes`, `charset=utf-8` (its default is
/// windows-1251), `fmt=3` for a JSON answer and, when given, `sender`. It
/// answers `{"id":4208,"cnt":1}`, or `{"error":"…","error_code":N}` (with the
/// `id` for codes 3, 6, 7 and 8). Codes 2 (our login), 3 (our balance) and 4
/// (our IP blocked for a while) sent nothing: tried again. Code 9 (the same
/// request within a minute) is refused: the first one went.
pub fn smsc(login: &str, password: &str, sender: Option<&str>, base: Option<&str>) -> Preset {
    let mut body =
        "login={{secret.login}}&psw={{secret.password}}&phones={{to}}&mes={{text}}&charset=utf-8&fmt=3"
            .to_owned();
    if let Some(sender) = sender {
        body.push_str(&format!("&sender={}", percent_encode(sender)));
    }
    Preset {
        template: HttpTemplate {
            method: Method::Post,
            url: format!("{}/sys/send.php", base_url(base, SMSC)),
            headers: Vec::new(),
            body: Some(body),
            content_type: ContentType::Form,
            message_id: Some("/id".to_owned()),
            ok_when: None,
            passing_when: Some(expect("/error_code", &["2", "3", "4"])),
            error: Some("/error".to_owned()),
        },
        secrets: secrets(&[("login", login), ("password", password)]),
    }
}

/// Viber Business Messages through Infobip, `POST /viber/2/messages`
/// (<https://www.infobip.com/docs/api/channels/viber/viber-business-messages/send-viber-messages>),
/// authorised by `Authorization: App <API key>`, from a registered Viber
/// `sender`. One message with one destination whose `messageId` is our id, so
/// Infobip's delivery reports ([`super::report::infobip`]) name our id; the
/// answer lists it again as `messages[0].messageId`. A rejection at
/// submission comes back later as a REJECTED report.
pub fn infobip_viber(api_key: &str, sender: &str, base: Option<&str>) -> Preset {
    let body = format!(
        r#"{{"messages":[{{"sender":"{}","destinations":[{{"to":"{{{{to_digits}}}}","messageId":"{{{{id}}}}"}}],"content":{{"text":"{{{{text}}}}","type":"TEXT"}}}}]}}"#,
        json_escape(sender)
    );
    Preset {
        template: HttpTemplate {
            method: Method::Post,
            url: format!("{}/viber/2/messages", base_url(base, INFOBIP)),
            headers: vec![
                header("Authorization", "App {{secret.api_key}}"),
                header("Accept", "application/json"),
            ],
            body: Some(body),
            content_type: ContentType::Json,
            message_id: Some("/messages/0/messageId".to_owned()),
            ok_when: None,
            passing_when: None,
            error: Some("/description".to_owned()),
        },
        secrets: secrets(&[("api_key", api_key)]),
    }
}

/// Firebase Cloud Messaging HTTP v1, `POST /v1/projects/{project}/messages:send`
/// (<https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send>):
/// `{"message":{"token":…,"notification":{"title":…,"body":…},"data":{"clientele_id":…}}}`;
/// the answer is the sent Message, whose `name`
/// (`projects/{project}/messages/{id}`) is kept. Its OAuth bearer token comes
/// from [`super::Fcm`], which uses this template. Errors follow HTTP: 404
/// UNREGISTERED (a dead token) and 400 refuse the message, 429 and 503 pass.
pub fn fcm(project_id: &str, base: Option<&str>) -> Preset {
    Preset {
        template: HttpTemplate {
            method: Method::Post,
            url: format!(
                "{}/v1/projects/{}/messages:send",
                base_url(base, FCM),
                percent_encode(project_id)
            ),
            headers: Vec::new(),
            body: Some(
                r#"{"message":{"token":"{{to}}","notification":{"title":"{{subject}}","body":"{{text}}"},"data":{"clientele_id":"{{id}}"}}}"#
                    .to_owned(),
            ),
            content_type: ContentType::Json,
            message_id: Some("/name".to_owned()),
            ok_when: None,
            passing_when: None,
            error: Some("/error/message".to_owned()),
        },
        secrets: Secrets::new(),
    }
}

/// A Telegram bot, `POST /bot{token}/sendMessage`
/// (<https://core.telegram.org/bots/api#sendmessage>): `{"chat_id":…,"text":…}`
/// to the chat the customer opened with the bot (its id is the address). The
/// token, from @BotFather, goes in the path (its `:` as is). Every answer is
/// `{"ok":true,"result":{"message_id":5,…}}`, or
/// `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`
/// with the same HTTP status (<https://core.telegram.org/bots/api#making-requests>):
/// 429 (too many messages, `parameters.retry_after`) and 5xx are tried again,
/// 401 (a revoked token) waits for mended settings, 400 (chat not found,
/// text too long) and 403 (the bot blocked, or never started by the
/// customer) refuse the message. A 2xx is accepted only with `ok` true. (Any
/// answer may carry a `description`; beside `ok` true it would refuse the
/// message, but `sendMessage` says nothing when it succeeds.)
pub fn telegram(bot_token: &str, base: Option<&str>) -> Preset {
    Preset {
        template: HttpTemplate {
            method: Method::Post,
            url: format!(
                "{}/bot{{{{secret.bot_token}}}}/sendMessage",
                base_url(base, TELEGRAM)
            ),
            headers: Vec::new(),
            body: Some(r#"{"chat_id":"{{to}}","text":"{{text}}"}"#.to_owned()),
            content_type: ContentType::Json,
            message_id: Some("/result/message_id".to_owned()),
            ok_when: Some(expect("/ok", &["true"])),
            passing_when: None,
            error: Some("/description".to_owned()),
        },
        secrets: secrets(&[("bot_token", bot_token)]),
    }
}

fn base_url<'a>(base: Option<&'a str>, real: &'a str) -> &'a str {
    base.unwrap_or(real).trim_end_matches('/')
}

fn expect(pointer: &str, one_of: &[&str]) -> Expect {
    Expect {
        pointer: pointer.to_owned(),
        one_of: one_of.iter().map(|v| (*v).to_owned()).collect(),
    }
}

fn header(name: &str, value: &str) -> Header {
    Header {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

fn secrets(pairs: &[(&str, &str)]) -> Secrets {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_builds() {
        for preset in [
            sms_ru("key", Some("Shop"), None),
            smsc("shop", "pw", Some("Shop"), None),
            infobip_viber("key", "Shop \"1\"", None),
            fcm("demo-project", None),
            telegram("123456:pw-token", None),
        ] {
            let shown = format!("{preset:?}");
            assert!(
                !shown.contains("pw") && !shown.contains("\"key\""),
                "{shown}"
            );
            preset.provider().expect("builds");
        }
    }
}
