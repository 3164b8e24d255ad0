//! Gift certificates (сертификаты): templates the marketer defines, and the
//! certificates issued from them, each with a code a till can type or scan.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::{CertificateId, CertificateTemplateId, CustomerId};
use crate::validation::{FieldError, ValidationErrors};

/// The largest face value: a million in major units.
pub const MAX_FACE_VALUE_MINOR: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateTemplate {
    pub id: CertificateTemplateId,
    pub name: String,
    pub face_value_minor: i64,
    /// Valid this many days from issue.
    pub valid_days: i64,
    /// Spent in parts (a balance remains), or all at once.
    pub partial_use: bool,
    pub created_at: Timestamp,
}

/// A template as the marketer asks for it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificateTemplate {
    pub name: String,
    pub face_value_minor: i64,
    pub valid_days: i64,
    pub partial_use: bool,
}

impl NewCertificateTemplate {
    pub fn validate(self) -> Result<NewCertificateTemplate, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "required",
                "a name of 1 to 200 characters is needed",
            ));
        }
        if !(1..=MAX_FACE_VALUE_MINOR).contains(&self.face_value_minor) {
            errors.push(FieldError::new(
                "face_value_minor",
                "out_of_range",
                format!("between 1 and {MAX_FACE_VALUE_MINOR} minor units"),
            ));
        }
        if !(1..=3660).contains(&self.valid_days) {
            errors.push(FieldError::new(
                "valid_days",
                "out_of_range",
                "between 1 and 3660 days",
            ));
        }
        errors.finish(|| NewCertificateTemplate { name, ..self })
    }
}

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub id: CertificateId,
    pub code: String,
    pub template_id: CertificateTemplateId,
    /// Whom it was issued to; `None`: to the bearer.
    pub customer_id: Option<CustomerId>,
    pub face_value_minor: i64,
    pub balance_minor: i64,
    pub partial_use: bool,
    pub issued_at: Timestamp,
    pub valid_to: Timestamp,
}

impl Certificate {
    /// Why it cannot pay now, if it cannot.
    pub fn refusal(&self, now: Timestamp) -> Option<&'static str> {
        if self.valid_to <= now {
            Some("the certificate has expired")
        } else if self.balance_minor <= 0 {
            Some("the certificate is used up")
        } else {
            None
        }
    }
}

/// Letters and digits a cashier cannot mistake for one another.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A certificate code from random bytes: `XXXX-XXXX-XXXX` over 32 symbols,
/// 60 bits, so a code cannot be guessed.
pub fn certificate_code(random: [u8; 12]) -> String {
    let symbols: Vec<char> = random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed at the till: case and spacing do not matter.
pub fn normalize_code(raw: &str) -> String {
    let symbols: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    symbols
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = certificate_code([7, 200, 31, 64, 5, 99, 128, 255, 0, 1, 2, 3]);
        assert_eq!(code.len(), 14);
        assert!(
            !code.contains('0')
                && !code.contains('O')
                && !code.contains('1')
                && !code.contains('I')
        );
        assert_eq!(normalize_code(&code.to_lowercase().replace('-', " ")), code);
    }

    #[test]
    fn templates_need_a_name_a_face_value_and_a_validity() {
        let bad = NewCertificateTemplate {
            name: " ".into(),
            face_value_minor: 0,
            valid_days: 0,
            partial_use: true,
        };
        assert_eq!(bad.validate().unwrap_err().0.len(), 3);
    }
}
