//! Number properties are kept as canonical decimal text (`-12.5`, `0`, `3`:
//! no redundant zeros, no `-0`), so they compare exactly, without floating
//! point, by sign, then length of the whole part, then digits.

use std::cmp::Ordering;

/// Orders two canonical decimals by value.
pub(super) fn compare(a: &str, b: &str) -> Ordering {
    match (a.strip_prefix('-'), b.strip_prefix('-')) {
        (None, None) => magnitude(a, b),
        (Some(a), Some(b)) => magnitude(b, a),
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
    }
}

fn magnitude(a: &str, b: &str) -> Ordering {
    let (a_whole, a_fraction) = a.split_once('.').unwrap_or((a, ""));
    let (b_whole, b_fraction) = b.split_once('.').unwrap_or((b, ""));
    a_whole
        .len()
        .cmp(&b_whole.len())
        .then_with(|| a_whole.cmp(b_whole))
        // Without trailing zeros, a shorter fraction with the same start is smaller.
        .then_with(|| a_fraction.cmp(b_fraction))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `n` thousandths as canonical text.
    fn canonical(n: i64) -> String {
        let sign = if n < 0 { "-" } else { "" };
        let (whole, fraction) = (n.abs() / 1000, n.abs() % 1000);
        let fraction = format!("{fraction:03}");
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        }
    }

    #[test]
    fn orders_by_value() {
        let sorted = [
            "-100", "-12.5", "-2", "-1.25", "0", "0.05", "0.5", "2", "10", "10.01",
        ];
        for pair in sorted.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    proptest! {
        #[test]
        fn matches_integer_order(a in -100_000i64..100_000, b in -100_000i64..100_000) {
            prop_assert_eq!(compare(&canonical(a), &canonical(b)), a.cmp(&b));
        }
    }
}
