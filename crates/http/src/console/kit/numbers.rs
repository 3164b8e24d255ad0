//! Figures as people type and read them: points `150` or `12,5`, rates
//! `5 %` rather than 500 basis points, `1 500` or `1 500,50` roubles rather
//! than minor units, days as whole numbers.

use std::collections::BTreeMap;

use clientele_domain::program::BasisPoints;

use super::words::{Lang, Words};

/// Points as staff type them, `150` or `12,5`, in hundredths of a point;
/// roubles and percents are typed the same way.
pub fn hundredths(raw: &str) -> Option<i64> {
    let raw = raw.trim().replace([' ', '\u{a0}'], "");
    let (whole, fraction) = match raw.split_once([',', '.']) {
        Some((whole, fraction)) => (whole.to_owned(), fraction.to_owned()),
        None => (raw, String::new()),
    };
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

/// A rate as people read it: `5 %`, `2,5 %`, `0,01 %`.
pub fn percent(w: &Words, bp: BasisPoints) -> String {
    let point = match w.lang {
        Lang::Ru => ',',
        Lang::En => '.',
    };
    let (whole, fraction) = (bp / 100, (bp % 100).abs());
    let number = if fraction == 0 {
        whole.to_string()
    } else if fraction % 10 == 0 {
        format!("{whole}{point}{}", fraction / 10)
    } else {
        format!("{whole}{point}{fraction:02}")
    };
    format!("{number}\u{a0}%")
}

/// A rate as it goes back into its field: `5`, `2,5` (no sign).
pub fn percent_field(w: &Words, bp: BasisPoints) -> String {
    percent(w, bp).trim_end_matches("\u{a0}%").to_owned()
}

/// Money as it goes back into its field: `1500`, `1500,5`.
pub fn money_field(w: &Words, minor: i64) -> String {
    percent_field(w, minor)
}

/// Reads a form's typed figures; each one that is not a figure gets its
/// error, under the field's name.
pub struct Reader<'a> {
    w: &'a Words,
    pub errors: BTreeMap<String, String>,
}

impl<'a> Reader<'a> {
    pub fn new(w: &'a Words) -> Reader<'a> {
        Reader {
            w,
            errors: BTreeMap::new(),
        }
    }

    /// Hundredths (of a rouble, of a percent) from `1500`, `2,5` or
    /// `5 %`; an empty field is `None`.
    pub fn hundredths(&mut self, field: &str, typed: &str) -> Option<i64> {
        let raw = typed.trim().trim_end_matches('%').trim();
        if raw.is_empty() {
            return None;
        }
        let read = hundredths(raw);
        if read.is_none() {
            self.refuse(field, "programs-error-number");
        }
        read
    }

    /// A whole count (days, cards); an empty field is `None`.
    pub fn whole(&mut self, field: &str, typed: &str) -> Option<i64> {
        let raw = typed.trim().replace([' ', '\u{a0}'], "");
        if raw.is_empty() {
            return None;
        }
        let read = raw.parse::<i64>().ok().filter(|n| *n >= 0);
        if read.is_none() {
            self.refuse(field, "programs-error-whole");
        }
        read
    }

    pub fn refuse(&mut self, field: &str, key: &str) {
        self.errors.insert(field.to_owned(), self.w.t(key));
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;

    #[test]
    fn rates_read_as_percents() {
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        let en = Words::new(Lang::En, TimeZone::UTC);
        assert_eq!(percent(&ru, 500), "5\u{a0}%");
        assert_eq!(percent(&ru, 250), "2,5\u{a0}%");
        assert_eq!(percent(&en, 250), "2.5\u{a0}%");
        assert_eq!(percent(&ru, 1), "0,01\u{a0}%");
        assert_eq!(percent_field(&ru, 10_000), "100");
    }

    #[test]
    fn typed_figures_are_read_or_refused_beside_their_field() {
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        let mut read = Reader::new(&ru);
        assert_eq!(read.hundredths("rate", "2,5 %"), Some(250));
        assert_eq!(read.hundredths("price", "1 500"), Some(150_000));
        assert_eq!(read.whole("days", "пять"), None);
        assert_eq!(read.hundredths("empty", " "), None);
        assert_eq!(read.errors.keys().collect::<Vec<_>>(), ["days"]);
    }

    #[test]
    fn points_are_read_as_staff_type_them() {
        assert_eq!(hundredths("150"), Some(15_000));
        assert_eq!(hundredths("12,5"), Some(1_250));
        assert_eq!(hundredths("0.07"), Some(7));
        assert_eq!(hundredths("1 000"), Some(100_000));
        assert_eq!(hundredths(",5"), Some(50));
        for wrong in ["", "abc", "1,234", "-5", "1e3", ","] {
            assert_eq!(hundredths(wrong), None, "{wrong}");
        }
    }
}
