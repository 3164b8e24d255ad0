//! Template strings split into literal text and placeholders, and how each
//! placeholder is encoded where it lands.

use super::template::Secrets;
use crate::error::SettingsError;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    To,
    ToDigits,
    Text,
    Subject,
    Id,
    Secret(String),
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    Slot(Slot),
}

/// A template string split into literal text and placeholders.
#[derive(Debug, Clone)]
pub(super) struct Pattern(Vec<Piece>);

/// How a placeholder's value is written where it lands; literal text is
/// always kept as written.
#[derive(Debug, Clone, Copy)]
pub(super) enum Encoding {
    Raw,
    /// Everything but RFC 3986's unreserved characters percent-encoded: right
    /// in a path, a query and a form body alike.
    Url,
    /// JSON string escapes, without the quotes.
    Json,
    /// A JSON pointer's reference token (`~` and `/` escaped).
    Pointer,
}

/// What one message fills the placeholders with.
pub(super) struct Values<'a> {
    pub to: &'a str,
    pub to_digits: &'a str,
    pub text: &'a str,
    pub subject: &'a str,
    pub id: &'a str,
    pub secrets: &'a Secrets,
}

impl<'a> Values<'a> {
    /// Stand-ins, to check a template before any message.
    pub(super) fn sample(secrets: &'a Secrets) -> Values<'a> {
        Values {
            to: "+70000000000",
            to_digits: "70000000000",
            text: "x",
            subject: "x",
            id: "x",
            secrets,
        }
    }
}

impl Pattern {
    /// Splits `template`; an unknown placeholder or a secret not given names
    /// `field` in its error.
    pub(super) fn parse(
        field: &'static str,
        template: &str,
        secrets: &Secrets,
    ) -> Result<Pattern, SettingsError> {
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                pieces.push(Piece::Literal(rest[..start].to_owned()));
            }
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or(SettingsError::UnclosedPlaceholder { field })?;
            pieces.push(Piece::Slot(slot(field, after[..end].trim(), secrets)?));
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_owned()));
        }
        Ok(Pattern(pieces))
    }

    pub(super) fn render(&self, values: &Values<'_>, encoding: Encoding) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            let value = match piece {
                Piece::Literal(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::Slot(slot) => slot.value(values),
            };
            match encoding {
                Encoding::Raw => out.push_str(value),
                Encoding::Url => out.push_str(&percent_encode(value)),
                Encoding::Json => out.push_str(&json_escape(value)),
                Encoding::Pointer => out.push_str(&value.replace('~', "~0").replace('/', "~1")),
            }
        }
        out
    }

    /// A URL: each placeholder percent-encoded as [`Encoding::Url`] does,
    /// except that a `:` in the path stays as it is (RFC 3986 allows it
    /// there, and `%3A` need not mean the same to the server: Telegram's bot
    /// tokens, which go in the path, hold one).
    pub(super) fn render_url(&self, values: &Values<'_>) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Slot(slot) => {
                    let kept: &[u8] = if in_path(&out) { b":" } else { b"" };
                    out.push_str(&encode(slot.value(values), kept));
                }
            }
        }
        out
    }

    pub(super) fn uses_to_digits(&self) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Piece::Slot(Slot::ToDigits)))
    }
}

impl Slot {
    fn value<'a>(&self, values: &Values<'a>) -> &'a str {
        match self {
            Slot::To => values.to,
            Slot::ToDigits => values.to_digits,
            Slot::Text => values.text,
            Slot::Subject => values.subject,
            Slot::Id => values.id,
            Slot::Secret(name) => values
                .secrets
                .get(name)
                .map(String::as_str)
                .unwrap_or_default(),
        }
    }
}

/// Whether what follows `url` so far is in its path: after the authority,
/// before a query or a fragment. Placeholders' values count for nothing
/// here, since `/`, `?` and `#` in them are percent-encoded.
fn in_path(url: &str) -> bool {
    url.split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/') && !rest.contains(['?', '#']))
}

fn slot(field: &'static str, name: &str, secrets: &Secrets) -> Result<Slot, SettingsError> {
    Ok(match name {
        "to" => Slot::To,
        "to_digits" => Slot::ToDigits,
        "text" => Slot::Text,
        "subject" => Slot::Subject,
        "id" => Slot::Id,
        _ => match name.strip_prefix("secret.") {
            Some(secret) if secrets.contains_key(secret) => Slot::Secret(secret.to_owned()),
            Some(secret) => {
                return Err(SettingsError::MissingSecret {
                    field,
                    name: secret.to_owned(),
                });
            }
            None => {
                return Err(SettingsError::UnknownPlaceholder {
                    field,
                    name: name.to_owned(),
                });
            }
        },
    })
}

/// Percent-encodes all but `A-Z a-z 0-9 - . _ ~`.
pub(super) fn percent_encode(value: &str) -> String {
    encode(value, b"")
}

/// Percent-encodes all but `A-Z a-z 0-9 - . _ ~` and the bytes in `kept`.
fn encode(value: &str, kept: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || kept.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The inside of a JSON string holding `value`.
pub(super) fn json_escape(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets::from([("key".to_owned(), "k/~&1".to_owned())])
    }

    fn values(secrets: &Secrets) -> Values<'_> {
        Values {
            to: "+79123456789",
            to_digits: "79123456789",
            text: "Скидка 10% \"сегодня\" & завтра\n",
            subject: "Title",
            id: "m-1",
            secrets,
        }
    }

    #[test]
    fn placeholders_are_encoded_for_their_place() {
        let secrets = secrets();
        let values = values(&secrets);
        let pattern =
            Pattern::parse("body", "{{ text }}|{{secret.key}}|{{to}}", &secrets).expect("pattern");
        assert_eq!(
            pattern.render(&values, Encoding::Url),
            "%D0%A1%D0%BA%D0%B8%D0%B4%D0%BA%D0%B0%2010%25%20%22%D1%81%D0%B5%D0%B3%D0%BE%D0%B4%D0%BD%D1%8F%22%20%26%20%D0%B7%D0%B0%D0%B2%D1%82%D1%80%D0%B0%0A|k%2F~%261|%2B79123456789"
        );
        assert_eq!(
            pattern.render(&values, Encoding::Json),
            "Скидка 10% \\\"сегодня\\\" & завтра\\n|k/~&1|+79123456789"
        );
        assert_eq!(
            Pattern::parse("x", "/a/{{secret.key}}", &secrets)
                .expect("pattern")
                .render(&values, Encoding::Pointer),
            "/a/k~1~0&1"
        );
    }

    #[test]
    fn a_colon_stays_only_in_a_urls_path() {
        let secrets = Secrets::from([("token".to_owned(), "123:A/b?c".to_owned())]);
        let values = values(&secrets);
        let url = Pattern::parse(
            "url",
            "https://api.example/bot{{secret.token}}/send?t={{secret.token}}#{{secret.token}}",
            &secrets,
        )
        .expect("pattern");
        assert_eq!(
            url.render_url(&values),
            "https://api.example/bot123:A%2Fb%3Fc/send?t=123%3AA%2Fb%3Fc#123%3AA%2Fb%3Fc"
        );
        let host =
            Pattern::parse("url", "https://{{secret.token}}.example/", &secrets).expect("pattern");
        assert_eq!(host.render_url(&values), "https://123%3AA%2Fb%3Fc.example/");
        // Elsewhere than a URL, a colon is encoded as it always was.
        assert_eq!(url.render(&values, Encoding::Url).matches("%3A").count(), 3);
    }

    #[test]
    fn unknown_and_unclosed_placeholders_name_their_field() {
        let secrets = secrets();
        assert_eq!(
            Pattern::parse("url", "https://x/{{phone}}", &secrets).unwrap_err(),
            SettingsError::UnknownPlaceholder {
                field: "url",
                name: "phone".to_owned()
            }
        );
        assert_eq!(
            Pattern::parse("body", "{{secret.token}}", &secrets).unwrap_err(),
            SettingsError::MissingSecret {
                field: "body",
                name: "token".to_owned()
            }
        );
        assert_eq!(
            Pattern::parse("headers", "Bearer {{secret.key", &secrets).unwrap_err(),
            SettingsError::UnclosedPlaceholder { field: "headers" }
        );
    }
}
