//! Coupon codes: what a cashier types or scans, and the codes we issue.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{CouponId, OfferId};
use crate::validation::FieldError;

/// A coupon code: 4 to 32 of A–Z, 0–9 and `-`, upper-cased so a code
/// typed in lower case still matches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CouponCode(String);

impl CouponCode {
    pub fn parse(raw: &str) -> Result<CouponCode, FieldError> {
        // ASCII spaces only: what the API document's pattern allows.
        let code = raw
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .to_ascii_uppercase();
        let ok = (4..=32).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(CouponCode(code))
        } else {
            Err(FieldError::new(
                "coupon_code",
                "invalid_code",
                "a coupon code is 4–32 characters of A–Z, 0–9 and -",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CouponCode {
    type Error = String;

    fn try_from(raw: String) -> Result<CouponCode, String> {
        CouponCode::parse(&raw).map_err(|e| e.message)
    }
}

impl From<CouponCode> for String {
    fn from(code: CouponCode) -> String {
        code.0
    }
}

impl fmt::Display for CouponCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A code the customer presented at the till.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentedCoupon {
    pub code: CouponCode,
    /// The unused single-use coupon issued under this code, as the caller
    /// found it; `None` for a code that is not one (a shared code, or
    /// nothing at all).
    pub issued: Option<IssuedCoupon>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedCoupon {
    pub id: CouponId,
    pub offer_id: OfferId,
}

/// The coupon an applied offer used: a single-use one (with its id) is to
/// be marked used when the receipt is committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedCoupon {
    pub code: CouponCode,
    pub coupon_id: Option<CouponId>,
}

/// The most codes one call issues.
pub const MAX_GENERATED: usize = 1_000_000;

/// 32 symbols, so each takes exactly 5 random bits; no 0/O nor 1/I.
const SYMBOLS: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Issues `count` distinct codes shaped `XXXX-XXXX-XXXX` (60 random bits
/// each), drawing from `random`: the same source gives the same codes.
/// Codes are distinct within one call; across calls the store's unique
/// index is the judge. A source that keeps repeating itself is refused
/// rather than looped on.
pub fn generate_codes(
    count: usize,
    random: &mut impl FnMut() -> u64,
) -> Result<Vec<CouponCode>, FieldError> {
    if count > MAX_GENERATED {
        return Err(FieldError::new(
            "count",
            "too_many",
            format!("at most {MAX_GENERATED} codes at once"),
        ));
    }
    let mut seen = HashSet::with_capacity(count);
    let mut codes = Vec::with_capacity(count);
    // With 60 bits a real source repeats about once in 10^12 codes.
    let mut repeats_left = 64;
    while codes.len() < count {
        let code = shape(random());
        if seen.insert(code.clone()) {
            codes.push(code);
        } else if repeats_left == 0 {
            return Err(FieldError::new(
                "random",
                "repeats",
                "the source of randomness keeps giving the same values",
            ));
        } else {
            repeats_left -= 1;
        }
    }
    Ok(codes)
}

fn shape(bits: u64) -> CouponCode {
    let mut code = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(SYMBOLS[((bits >> (5 * i)) & 31) as usize]));
    }
    CouponCode(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitmix(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            super::super::holdout::splitmix64(state)
        }
    }

    #[test]
    fn codes_are_trimmed_upper_cased_and_plain() {
        assert_eq!(
            CouponCode::parse(" spring-25 ").unwrap().as_str(),
            "SPRING-25"
        );
        for bad in [
            "abc",
            "",
            "SPRING 25",
            "ВЕСНА2025",
            "A_B_C",
            &"A".repeat(33),
        ] {
            assert_eq!(CouponCode::parse(bad).unwrap_err().code, "invalid_code");
        }
        assert!(CouponCode::parse(&"A".repeat(32)).is_ok());
    }

    #[test]
    fn ten_thousand_generated_codes_are_distinct_and_unambiguous() {
        let codes = generate_codes(10_000, &mut splitmix(7)).unwrap();
        assert_eq!(codes.len(), 10_000);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), 10_000);
        for code in &codes {
            let text = code.as_str();
            assert_eq!(text.len(), 14);
            assert_eq!(CouponCode::parse(text).as_ref(), Ok(code));
            assert!(text.split('-').all(|group| group.len() == 4));
            assert!(!text.contains(['0', 'O', '1', 'I']), "{text}");
        }
    }

    #[test]
    fn the_same_source_gives_the_same_codes() {
        let first = generate_codes(50, &mut splitmix(42)).unwrap();
        assert_eq!(first, generate_codes(50, &mut splitmix(42)).unwrap());
        assert_ne!(first, generate_codes(50, &mut splitmix(43)).unwrap());
    }

    #[test]
    fn a_source_that_repeats_itself_is_refused_not_looped_on() {
        let mut stuck = || 5u64;
        assert_eq!(generate_codes(1, &mut stuck).unwrap().len(), 1);
        assert_eq!(generate_codes(2, &mut stuck).unwrap_err().code, "repeats");
        let mut counter = 0u64;
        let mut next = || {
            counter += 1;
            counter / 2
        };
        assert_eq!(generate_codes(50, &mut next).unwrap().len(), 50);
        assert_eq!(
            generate_codes(MAX_GENERATED + 1, &mut stuck)
                .unwrap_err()
                .code,
            "too_many"
        );
    }
}
