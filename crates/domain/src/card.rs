//! Cards (карты): barcodes in the symbologies tills scan, and what makes a
//! card usable at the till.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CardGroupId, CardId, CustomerId, ProgramId};
use crate::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symbology {
    Ean13,
    Code128,
    Qr,
}

impl Symbology {
    pub fn as_str(self) -> &'static str {
        match self {
            Symbology::Ean13 => "ean13",
            Symbology::Code128 => "code128",
            Symbology::Qr => "qr",
        }
    }

    pub fn parse(raw: &str) -> Result<Symbology, FieldError> {
        match raw {
            "ean13" => Ok(Symbology::Ean13),
            "code128" => Ok(Symbology::Code128),
            "qr" => Ok(Symbology::Qr),
            _ => Err(FieldError::new(
                "symbology",
                "invalid",
                format!("«{raw}» is not a symbology: use ean13, code128 or qr"),
            )),
        }
    }
}

/// A card's barcode, checked against its symbology.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Barcode(String);

impl Barcode {
    pub fn parse(raw: &str, symbology: Symbology) -> Result<Barcode, FieldError> {
        let raw = raw.trim();
        let error = |code, message: String| Err(FieldError::new("barcode", code, message));
        match symbology {
            Symbology::Ean13 => {
                if raw.len() != 13 || !raw.bytes().all(|b| b.is_ascii_digit()) {
                    return error(
                        "invalid",
                        format!("«{raw}» is not an EAN-13: it needs 13 digits"),
                    );
                }
                let expected = ean13_check_digit(&raw[..12]);
                if raw.as_bytes()[12] - b'0' != expected {
                    return error(
                        "check_digit",
                        format!(
                            "«{raw}» has a wrong check digit: the last digit should be {expected}"
                        ),
                    );
                }
            }
            // Printable ASCII: what Code 128 sets B and C encode.
            Symbology::Code128 => {
                if raw.is_empty()
                    || raw.len() > 48
                    || !raw.bytes().all(|b| (0x20..0x7f).contains(&b))
                {
                    return error(
                        "invalid",
                        "a Code 128 barcode is 1 to 48 printable ASCII characters".into(),
                    );
                }
            }
            Symbology::Qr => {
                if raw.is_empty() || raw.chars().count() > 256 || raw.chars().any(char::is_control)
                {
                    return error("invalid", "a QR card code is 1 to 256 characters".into());
                }
            }
        }
        Ok(Barcode(raw.to_owned()))
    }

    /// A barcode as scanned at the till, whatever its symbology: only its
    /// length and characters are checked.
    pub fn scanned(raw: &str) -> Result<Barcode, FieldError> {
        Barcode::parse(raw, Symbology::Qr).map_err(|e| e.at("card"))
    }

    /// The EAN-13 with this 12-digit prefix and its check digit.
    pub fn ean13(prefix12: u64) -> Barcode {
        let digits = format!("{:012}", prefix12 % 1_000_000_000_000);
        let check = ean13_check_digit(&digits);
        Barcode(format!("{digits}{check}"))
    }

    /// A barcode read back from the store, checked when it was written.
    pub fn from_stored(raw: String) -> Barcode {
        Barcode(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What logs may show: the last four characters.
    pub fn masked(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    }
}

fn ean13_check_digit(first12: &str) -> u8 {
    let sum: u32 = first12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A card as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id: CardId,
    pub barcode: Barcode,
    pub symbology: Symbology,
    pub group_id: CardGroupId,
    pub program_id: ProgramId,
    pub customer_id: Option<CustomerId>,
    /// A blank card of a print run is inactive until it is bound to a customer.
    pub active: bool,
    pub blocked: bool,
    pub valid_from: Option<Timestamp>,
    pub valid_to: Option<Timestamp>,
    pub withdrawn_at: Option<Timestamp>,
    pub withdrawn_reason: Option<String>,
    pub replaced_by: Option<CardId>,
    pub created_at: Timestamp,
}

/// Why a card cannot be used at the till now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardRefusal {
    Blocked,
    Withdrawn,
    NotYetValid,
    Expired,
    /// A blank card nobody owns yet: bind it to a phone first.
    Blank,
}

impl CardRefusal {
    pub fn message(self) -> &'static str {
        match self {
            CardRefusal::Blocked => "the card is blocked",
            CardRefusal::Withdrawn => "the card was withdrawn (replaced or lost)",
            CardRefusal::NotYetValid => "the card is not valid yet",
            CardRefusal::Expired => "the card has expired",
            CardRefusal::Blank => "the card is blank: bind it to a customer's phone to activate it",
        }
    }
}

impl Card {
    pub fn refusal(&self, now: Timestamp) -> Option<CardRefusal> {
        if self.withdrawn_at.is_some() {
            Some(CardRefusal::Withdrawn)
        } else if self.blocked {
            Some(CardRefusal::Blocked)
        } else if self.valid_from.is_some_and(|from| from > now) {
            Some(CardRefusal::NotYetValid)
        } else if self.valid_to.is_some_and(|to| to <= now) {
            Some(CardRefusal::Expired)
        } else if !self.active || self.customer_id.is_none() {
            Some(CardRefusal::Blank)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn ean13_check_digits_are_verified() {
        assert!(Barcode::parse("4006381333931", Symbology::Ean13).is_ok());
        assert_eq!(
            Barcode::parse("4006381333932", Symbology::Ean13)
                .unwrap_err()
                .code,
            "check_digit"
        );
        assert!(Barcode::parse("400638133393", Symbology::Ean13).is_err());
        assert!(Barcode::parse("CARD-0001", Symbology::Code128).is_ok());
        assert!(Barcode::parse("КАРТА", Symbology::Code128).is_err());
    }

    #[test]
    fn logs_see_only_the_last_four_characters() {
        assert_eq!(Barcode::ean13(200000000001).masked(), "…0015");
    }

    proptest! {
        #[test]
        fn generated_ean13_codes_verify(prefix in 0u64..1_000_000_000_000) {
            let code = Barcode::ean13(prefix);
            prop_assert!(Barcode::parse(code.as_str(), Symbology::Ean13).is_ok());
        }
    }
}
