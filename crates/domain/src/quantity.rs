//! Quantities sold: whole pieces or weighed goods, in thousandths, parsed
//! from their decimal text so 0.532 kg is exactly 532 thousandths.

use std::fmt;
use std::str::FromStr;

use crate::validation::FieldError;

/// A positive quantity in thousandths of a unit (1 piece = 1000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

/// The largest quantity one line may carry: a million units.
const MAX_MILLI: i64 = 1_000_000_000;

impl Quantity {
    pub const ONE: Quantity = Quantity(1000);

    pub fn from_milli(milli: i64) -> Result<Quantity, FieldError> {
        if milli <= 0 {
            return Err(FieldError::new(
                "quantity",
                "not_positive",
                "the quantity must be greater than zero",
            ));
        }
        if milli > MAX_MILLI {
            return Err(FieldError::new(
                "quantity",
                "too_large",
                "the quantity is over a million units",
            ));
        }
        Ok(Quantity(milli))
    }

    pub fn milli(self) -> i64 {
        self.0
    }
}

impl FromStr for Quantity {
    type Err = FieldError;

    /// Accepts a plain decimal number with at most three fractional digits
    /// (`1`, `2.5`, `0.532`); an exponent or a fourth digit is refused, never
    /// rounded.
    fn from_str(raw: &str) -> Result<Quantity, FieldError> {
        let malformed = || {
            FieldError::new(
                "quantity",
                "invalid",
                format!("«{raw}» is not a quantity: use a number with at most three decimals"),
            )
        };
        let (sign, digits) = match raw.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, raw),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 10 || !all_digits(whole) || !all_digits(fraction) {
            return Err(malformed());
        }
        if digits.contains('.') && fraction.is_empty() {
            return Err(malformed());
        }
        let significant = fraction.trim_end_matches('0');
        if significant.len() > 3 {
            return Err(FieldError::new(
                "quantity",
                "too_precise",
                format!("«{raw}» has more than three decimals"),
            ));
        }
        let whole: i64 = whole.parse().map_err(|_| malformed())?;
        let mut milli = whole * 1000;
        let mut scale = 100;
        for digit in significant.bytes() {
            milli += i64::from(digit - b'0') * scale;
            scale /= 10;
        }
        Quantity::from_milli(sign * milli)
    }
}

/// Written as its decimal text (`"0.532"`), so it reads back exactly.
impl serde::Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let fraction = format!("{fraction:03}");
            write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_whole_and_weighed_quantities_exactly() {
        assert_eq!("1".parse::<Quantity>().unwrap().milli(), 1000);
        assert_eq!("0.532".parse::<Quantity>().unwrap().milli(), 532);
        assert_eq!("2.5".parse::<Quantity>().unwrap().milli(), 2500);
        assert_eq!("3.1000".parse::<Quantity>().unwrap().milli(), 3100);
    }

    #[test]
    fn refuses_what_is_not_an_exact_positive_quantity() {
        for raw in [
            "0", "-1", "0.0004", "1e3", "", ".5", "5.", "abc", "1.2.3", "0.000",
        ] {
            assert!(raw.parse::<Quantity>().is_err(), "{raw} was accepted");
        }
        assert_eq!(
            "0.0005".parse::<Quantity>().unwrap_err().code,
            "too_precise"
        );
        assert_eq!("-2".parse::<Quantity>().unwrap_err().code, "not_positive");
    }

    proptest! {
        #[test]
        fn display_parses_back(milli in 1i64..=MAX_MILLI) {
            let quantity = Quantity::from_milli(milli).unwrap();
            prop_assert_eq!(quantity.to_string().parse::<Quantity>().unwrap(), quantity);
        }
    }
}
