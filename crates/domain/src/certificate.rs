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
        if name.is_empty() || self.name.chars().count() > 200 {
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

/// What one certificate does to a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateUse {
    /// The part of the receipt it pays.
    pub paid_minor: i64,
    /// What leaves its balance: the paid part, or all of a certificate that
    /// is used at once (the rest is not given back as change).
    pub taken_minor: i64,
}

/// Pays `to_pay` with certificates in the order given, each as far as it
/// goes; a certificate left with nothing to pay pays nothing.
pub fn apply_certificates(to_pay: i64, certificates: &[Certificate]) -> Vec<CertificateUse> {
    let mut left = to_pay.max(0);
    certificates
        .iter()
        .map(|certificate| {
            let paid = certificate.balance_minor.min(left).max(0);
            left -= paid;
            let taken = if certificate.partial_use || paid == 0 {
                paid
            } else {
                certificate.balance_minor
            };
            CertificateUse {
                paid_minor: paid,
                taken_minor: taken,
            }
        })
        .collect()
}

/// What a return gives back to the gift certificates that paid a receipt.
/// `taken`: what each took, in the order they paid; `to_pay_minor`: the
/// receipt's total to pay, which they paid part of; `refunded_before` and
/// `refund`: what earlier returns of the receipt gave back and what this one
/// gives, certificates and money together.
///
/// The certificates get their share of the refund, in proportion to what
/// they paid, counted over all the receipt's returns so that returning
/// everything gives each exactly what it paid; the one used last is
/// refilled first. What a whole-use certificate took beyond what it paid
/// (no change is given) is not given back.
pub fn certificate_refunds(
    taken: &[i64],
    to_pay_minor: i64,
    refunded_before: i64,
    refund: i64,
) -> Vec<i64> {
    let mut left = to_pay_minor.max(0);
    let paid: Vec<i64> = taken
        .iter()
        .map(|t| {
            let p = (*t).clamp(0, left);
            left -= p;
            p
        })
        .collect();
    let total = to_pay_minor.max(0);
    let share = |refunded: i64| -> i64 {
        if total == 0 {
            return 0;
        }
        let refunded = refunded.clamp(0, total);
        let certificates: i64 = paid.iter().sum();
        (i128::from(certificates) * i128::from(refunded) / i128::from(total)) as i64
    };
    let before = refill(&paid, share(refunded_before));
    let after = refill(&paid, share(refunded_before + refund));
    after.iter().zip(&before).map(|(a, b)| a - b).collect()
}

/// `amount` spread over certificates that paid `paid`, the last first.
fn refill(paid: &[i64], mut amount: i64) -> Vec<i64> {
    let mut filled = vec![0; paid.len()];
    for (slot, p) in filled.iter_mut().zip(paid).rev() {
        *slot = amount.min(*p);
        amount -= *slot;
    }
    filled
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
    use proptest::prelude::*;

    #[test]
    fn a_return_gives_certificates_their_share() {
        // 10,000 to pay: 3,000 from a certificate, 7,000 in money.
        assert_eq!(certificate_refunds(&[3_000], 10_000, 0, 5_000), vec![1_500]);
        assert_eq!(
            certificate_refunds(&[3_000], 10_000, 5_000, 5_000),
            vec![1_500]
        );
        // Two certificates: the last used is refilled first.
        assert_eq!(
            certificate_refunds(&[2_000, 1_000], 10_000, 0, 5_000),
            vec![500, 1_000]
        );
        // A whole-use certificate of 5,000 that paid a receipt of 3,000.
        assert_eq!(certificate_refunds(&[5_000], 3_000, 0, 3_000), vec![3_000]);
        assert_eq!(certificate_refunds(&[], 3_000, 0, 3_000), Vec::<i64>::new());
    }

    proptest! {
        #[test]
        fn returning_everything_in_any_steps_gives_back_what_each_paid(
            taken in proptest::collection::vec(0i64..5_000, 0..4),
            to_pay in 0i64..20_000,
            cuts in proptest::collection::vec(0i64..20_000, 0..6),
        ) {
            let mut steps: Vec<i64> = cuts.into_iter().map(|c| c.min(to_pay)).collect();
            steps.push(to_pay);
            steps.sort_unstable();
            let mut refunded = 0;
            let mut given = vec![0; taken.len()];
            for step in steps {
                let refund = step - refunded;
                let now = certificate_refunds(&taken, to_pay, refunded, refund);
                prop_assert!(now.iter().all(|n| *n >= 0));
                prop_assert!(now.iter().sum::<i64>() <= refund, "never more than the refund");
                for (g, n) in given.iter_mut().zip(now) {
                    *g += n;
                }
                refunded = step;
            }
            let mut left = to_pay;
            for (g, t) in given.iter().zip(&taken) {
                let paid = (*t).min(left);
                left -= paid;
                prop_assert_eq!(*g, paid);
            }
        }
    }

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

    fn certificate(balance: i64, partial_use: bool) -> Certificate {
        Certificate {
            id: CertificateId(1),
            code: "X".into(),
            template_id: CertificateTemplateId(1),
            customer_id: None,
            face_value_minor: balance,
            balance_minor: balance,
            partial_use,
            issued_at: Timestamp::UNIX_EPOCH,
            valid_to: Timestamp::MAX,
        }
    }

    #[test]
    fn certificates_pay_in_order_and_one_used_at_once_is_used_up() {
        let uses = apply_certificates(
            1500,
            &[
                certificate(1000, true),
                certificate(1000, false),
                certificate(300, true),
            ],
        );
        let paid: Vec<i64> = uses.iter().map(|u| u.paid_minor).collect();
        let taken: Vec<i64> = uses.iter().map(|u| u.taken_minor).collect();
        assert_eq!(paid, vec![1000, 500, 0]);
        assert_eq!(taken, vec![1000, 1000, 0]);
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
