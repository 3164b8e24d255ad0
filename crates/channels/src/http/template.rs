//! The provider's request written as a template, checked once against the
//! secrets before any message.

use std::collections::BTreeMap;
use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};

use super::pattern::{Encoding, Pattern, Values};
use crate::error::SettingsError;

/// Secret values by name, kept apart from the template so settings can hide
/// them; `{{secret.NAME}}` in the template stands for one.
pub type Secrets = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
}

/// How the body is encoded, and so how placeholders in it are escaped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    /// `application/json`; values are JSON-escaped (the template writes the quotes).
    Json,
    /// `application/x-www-form-urlencoded`; values are percent-encoded.
    Form,
    /// No body.
    #[default]
    None,
}

#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    /// May hold placeholders, put in as they are; a value that cannot go in a
    /// header refuses the message.
    pub value: String,
}

/// A condition on the provider's JSON answer: the value at `pointer` (a JSON
/// pointer, which may hold placeholders, e.g. `/sms/{{to_digits}}/status`)
/// is one of `one_of`; numbers and booleans compare by their JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub pointer: String,
    pub one_of: Vec<String>,
}

/// One message as one HTTP request, with placeholders: `{{to}}` (the phone in
/// E.164 or the push token), `{{to_digits}}` (the phone without `+`),
/// `{{text}}`, `{{subject}}` (a push title), `{{id}}` (our message id) and
/// `{{secret.NAME}}` (a value from the secrets given beside the template).
/// Each is encoded for its place: percent-encoded in the URL (but for a `:`
/// in its path, which stays) and a form body, JSON-escaped in a JSON body, as
/// is in headers.
///
/// Unknown fields are refused, so a misspelt setting does not pass unnoticed.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTemplate {
    pub method: Method,
    /// `http` or `https`, without credentials (put them in a header or the
    /// query through `{{secret.NAME}}`).
    pub url: String,
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Required with `content_type` json or form, refused with none or a GET.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: ContentType,
    /// Where the provider's id of the message is in its JSON answer (a JSON
    /// pointer such as `/sms/0/id`); when given, an answer without it refuses
    /// the message.
    #[serde(default)]
    pub message_id: Option<String>,
    /// When given, a 2xx answer means accepted only if this holds; otherwise
    /// any 2xx does.
    #[serde(default)]
    pub ok_when: Option<Expect>,
    /// When this holds on a 2xx answer, the provider turned the request away
    /// before sending anything (our login, our balance): tried again later.
    #[serde(default)]
    pub passing_when: Option<Expect>,
    /// Where the JSON answer explains a refusal (a JSON pointer): quoted in
    /// errors; on a 2xx, something there refuses the message.
    #[serde(default)]
    pub error: Option<String>,
}

/// Shows no header values and no query, where keys usually go.
impl fmt::Debug for HttpTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|h| h.name.as_str()).collect();
        f.debug_struct("HttpTemplate")
            .field("method", &self.method)
            .field("url", &url_for_debug(&self.url))
            .field("headers", &names)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("{} bytes", b.len())),
            )
            .field("content_type", &self.content_type)
            .field("message_id", &self.message_id)
            .field("ok_when", &self.ok_when)
            .field("passing_when", &self.passing_when)
            .field("error", &self.error)
            .finish()
    }
}

fn url_for_debug(url: &str) -> String {
    let before_query = url.split(['?', '#']).next().unwrap_or_default();
    let shown = match before_query.rsplit_once('@') {
        Some((_, host_and_path)) => format!("***@{host_and_path}"),
        None => before_query.to_owned(),
    };
    if before_query.len() < url.len() {
        format!("{shown}?…")
    } else {
        shown
    }
}

/// The template checked and split into placeholders, ready for each message.
pub(super) struct Compiled {
    pub method: reqwest::Method,
    pub url: Pattern,
    pub headers: Vec<(HeaderName, Pattern)>,
    pub body: Option<(Pattern, ContentType)>,
    pub message_id: Option<Pattern>,
    pub ok_when: Option<(Pattern, Vec<String>)>,
    pub passing_when: Option<(Pattern, Vec<String>)>,
    pub error: Option<Pattern>,
    /// The provider's host, to name it in messages.
    pub host: String,
    /// Whether `{{to_digits}}` is used, so `to` must be a phone.
    pub needs_phone: bool,
}

impl HttpTemplate {
    /// Checks everything that does not depend on a message, by filling the
    /// template with stand-in values.
    pub(super) fn compile(&self, secrets: &Secrets) -> Result<Compiled, SettingsError> {
        let sample = Values::sample(secrets);
        let url = Pattern::parse("url", &self.url, secrets)?;
        let address = reqwest::Url::parse(&url.render_url(&sample))
            .map_err(|e| SettingsError::BadUrl(e.to_string()))?;
        if !matches!(address.scheme(), "http" | "https") {
            return Err(SettingsError::BadUrl(format!(
                "it starts with {}: only http and https are spoken",
                address.scheme()
            )));
        }
        if !address.username().is_empty() || address.password().is_some() {
            return Err(SettingsError::BadUrl(
                "it holds credentials; put them in a header or the query as {{secret.NAME}}"
                    .to_owned(),
            ));
        }
        let host = address.host_str().unwrap_or_default().to_owned();

        let mut headers = Vec::new();
        for header in &self.headers {
            let bad = |e: String| SettingsError::BadHeader(header.name.clone(), e);
            let name =
                HeaderName::from_bytes(header.name.as_bytes()).map_err(|e| bad(e.to_string()))?;
            let value = Pattern::parse("headers", &header.value, secrets)?;
            HeaderValue::from_str(&value.render(&sample, Encoding::Raw))
                .map_err(|_| bad("its value holds characters a header cannot".to_owned()))?;
            headers.push((name, value));
        }

        let body = match (&self.body, self.content_type) {
            (None, ContentType::None) => None,
            (Some(_), ContentType::None) => {
                return Err(SettingsError::BadBody(
                    "a body needs `content_type` json or form".to_owned(),
                ));
            }
            (None, _) => {
                return Err(SettingsError::BadBody(
                    "`content_type` is given but no body".to_owned(),
                ));
            }
            (Some(_), _) if self.method == Method::Get => {
                return Err(SettingsError::BadBody("a GET carries no body".to_owned()));
            }
            (Some(body), kind) => {
                let body = Pattern::parse("body", body, secrets)?;
                if kind == ContentType::Json {
                    serde_json::from_str::<serde_json::Value>(
                        &body.render(&sample, Encoding::Json),
                    )
                    .map_err(|e| SettingsError::BadBody(format!("it is not JSON: {e}")))?;
                }
                Some((body, kind))
            }
        };

        let pointer = |field: &'static str, pointer: &str| {
            if !pointer.starts_with('/') {
                return Err(SettingsError::BadPointer {
                    field,
                    pointer: pointer.to_owned(),
                });
            }
            Pattern::parse(field, pointer, secrets)
        };
        let expect = |field: &'static str, expect: &Option<Expect>| {
            expect
                .as_ref()
                .map(|e| Ok((pointer(field, &e.pointer)?, e.one_of.clone())))
                .transpose()
        };
        let message_id = self
            .message_id
            .as_deref()
            .map(|p| pointer("message_id", p))
            .transpose()?;
        let ok_when = expect("ok_when", &self.ok_when)?;
        let passing_when = expect("passing_when", &self.passing_when)?;
        let error = self
            .error
            .as_deref()
            .map(|p| pointer("error", p))
            .transpose()?;

        let needs_phone = std::iter::once(&url)
            .chain(headers.iter().map(|(_, value)| value))
            .chain(body.iter().map(|(body, _)| body))
            .chain(&message_id)
            .chain(ok_when.iter().map(|(p, _)| p))
            .chain(passing_when.iter().map(|(p, _)| p))
            .chain(&error)
            .any(Pattern::uses_to_digits);
        Ok(Compiled {
            method: match self.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            },
            url,
            headers,
            body,
            message_id,
            ok_when,
            passing_when,
            error,
            host,
            needs_phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_query_and_credentials() {
        let template = HttpTemplate {
            method: Method::Get,
            url: "https://user:pw@sms.example/send?key=hunter2".to_owned(),
            headers: vec![Header {
                name: "X-Key".to_owned(),
                value: "hunter3".to_owned(),
            }],
            body: None,
            content_type: ContentType::None,
            message_id: None,
            ok_when: None,
            passing_when: None,
            error: None,
        };
        let shown = format!("{template:?}");
        for secret in ["hunter2", "hunter3", "pw"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("sms.example/send"), "{shown}");
    }
}
