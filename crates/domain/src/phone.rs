//! Phone numbers, parsed with libphonenumber's rules and kept in E.164.

use std::fmt;

use crate::validation::FieldError;

/// A valid phone number in E.164 form (`+79123456789`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses what people type or spreadsheets hold: `8 (912) 345-67-89`,
    /// `+7 912 345 67 89`, `79123456789`, `9123456789`. Numbers without a
    /// country code are read as Russian.
    pub fn parse(raw: &str) -> Result<Phone, FieldError> {
        let invalid = || {
            FieldError::new(
                "phone",
                "invalid_phone",
                format!("«{}» is not a valid phone number", raw.trim()),
            )
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.len() > 32 {
            return Err(invalid());
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        // A spreadsheet drops the "+": eleven digits starting with 7 are a
        // Russian number written in full.
        let candidate =
            if !trimmed.starts_with('+') && digits.len() == 11 && digits.starts_with('7') {
                format!("+{digits}")
            } else {
                trimmed.to_owned()
            };
        let number = phonenumber::parse(Some(phonenumber::country::Id::RU), &candidate)
            .map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        Ok(Phone(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// Trusts a value that was stored after `parse`.
    pub fn from_stored(e164: String) -> Phone {
        Phone(e164)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits alone, as searched by "any part of the phone".
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// `+7 912 ***-**-89`: enough for staff to recognise, not enough to leak.
    pub fn masked(&self) -> String {
        let d = self.digits();
        if d.len() < 6 {
            return "***".into();
        }
        format!(
            "+{}***{}",
            &d[..d.len() - 7.min(d.len() - 2)],
            &d[d.len() - 2..]
        )
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_forms_become_e164() {
        for raw in [
            "8 (912) 345-67-89",
            "+7 912 345 67 89",
            "79123456789",
            "89123456789",
            "9123456789",
            "+7(912)345-67-89",
        ] {
            assert_eq!(Phone::parse(raw).unwrap().as_str(), "+79123456789", "{raw}");
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(
            Phone::parse("+998 90 123 45 67").unwrap().as_str(),
            "+998901234567"
        );
    }

    #[test]
    fn nonsense_is_refused() {
        for raw in [
            "",
            "12",
            "hello",
            "+7 000",
            "8 (000) 000-00-00",
            "+1234567890123456789",
        ] {
            assert!(Phone::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn masking_hides_the_middle() {
        let phone = Phone::parse("+79123456789").unwrap();
        assert_eq!(phone.masked(), "+7912***89");
        assert_eq!(phone.digits(), "79123456789");
    }
}
