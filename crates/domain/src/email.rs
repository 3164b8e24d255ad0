//! E-mail addresses: checked for the shape mail systems accept, kept lowercase.

use std::fmt;

use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let value = raw.trim().to_lowercase();
        let invalid = || {
            FieldError::new(
                "email",
                "invalid_email",
                format!("«{}» is not a valid e-mail address", raw.trim()),
            )
        };
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.chars().count() >= 2);
        if local_ok && domain_ok {
            Ok(Email(value))
        } else {
            Err(invalid())
        }
    }

    pub fn from_stored(value: String) -> Email {
        Email(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_cyrillic_addresses() {
        assert_eq!(
            Email::parse(" Ivan.Petrov@Mail.RU ").unwrap().as_str(),
            "ivan.petrov@mail.ru"
        );
        assert!(Email::parse("покупатель@магазин.рф").is_ok());
        assert!(Email::parse("a+tag@sub.example.com").is_ok());
    }

    #[test]
    fn refuses_broken_addresses() {
        for raw in [
            "",
            "ivan",
            "ivan@",
            "@mail.ru",
            "ivan@mail",
            "iv an@mail.ru",
            "ivan@@mail.ru",
            "ivan@mail..ru",
            ".ivan@mail.ru",
            "ivan@-mail.ru",
            "ivan@mail.r",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw}");
        }
    }
}
