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
        if let Some(e164) = russian_mobile(trimmed) {
            return Ok(Phone(e164));
        }
        Phone::parse_with_metadata(trimmed).ok_or_else(invalid)
    }

    /// The general path: libphonenumber's metadata for every country.
    fn parse_with_metadata(trimmed: &str) -> Option<Phone> {
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        // A spreadsheet drops the "+": eleven digits starting with 7 are a
        // Russian number written in full.
        let candidate =
            if !trimmed.starts_with('+') && digits.len() == 11 && digits.starts_with('7') {
                format!("+{digits}")
            } else {
                trimmed.to_owned()
            };
        let number = phonenumber::parse(Some(phonenumber::country::Id::RU), &candidate).ok()?;
        phonenumber::is_valid(&number)
            .then(|| Phone(number.format().mode(phonenumber::Mode::E164).to_string()))
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

    /// The number as people read it: `+7 912 345-67-89`; other countries as
    /// libphonenumber groups them.
    pub fn display(&self) -> String {
        let d = self.digits();
        if d.len() == 11 && d.starts_with('7') {
            return format!("+7 {} {}-{}-{}", &d[1..4], &d[4..7], &d[7..9], &d[9..11]);
        }
        phonenumber::parse(None, &self.0)
            .map(|n| {
                n.format()
                    .mode(phonenumber::Mode::International)
                    .to_string()
            })
            .unwrap_or_else(|_| self.0.clone())
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

/// Russian mobile numbers (+7 9XX …) are most of what a shop sees; every one
/// of them is valid, so they skip the metadata walk, which costs
/// microseconds a number and dominates a million-row import.
fn russian_mobile(raw: &str) -> Option<String> {
    let (plus, rest) = match raw.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || " -().".contains(c))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let national = match (plus, digits.len()) {
        (true, 11) => digits.strip_prefix('7')?,
        (false, 11) => digits
            .strip_prefix('7')
            .or_else(|| digits.strip_prefix('8'))?,
        (false, 10) => digits.as_str(),
        _ => return None,
    };
    national.starts_with('9').then(|| format!("+7{national}"))
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
    fn numbers_are_shown_grouped() {
        assert_eq!(
            Phone::parse("89123456789").unwrap().display(),
            "+7 912 345-67-89"
        );
        assert_eq!(
            Phone::parse("+998901234567").unwrap().display(),
            "+998 90 123 45 67"
        );
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

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_libphonenumber(
            number in 0u64..1_000_000_000,
            form in 0usize..6,
        ) {
            let n = format!("9{number:09}");
            let raw = match form {
                0 => format!("+7{n}"),
                1 => format!("8{n}"),
                2 => format!("7{n}"),
                3 => n.clone(),
                4 => format!("8 ({}) {}-{}-{}", &n[..3], &n[3..6], &n[6..8], &n[8..]),
                _ => format!("+7 {} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..]),
            };
            let fast = russian_mobile(raw.trim()).expect("a Russian mobile");
            let full = Phone::parse_with_metadata(raw.trim()).expect("libphonenumber accepts it");
            proptest::prop_assert_eq!(fast, full.0);
        }
    }

    #[test]
    fn masking_hides_the_middle() {
        let phone = Phone::parse("+79123456789").unwrap();
        assert_eq!(phone.masked(), "+7912***89");
        assert_eq!(phone.digits(), "79123456789");
    }
}
