//! Rates, money and days on the programs' settings pages, as the marketer
//! types and reads them: `5 %` rather than 500 basis points, `1 500` or
//! `1 500,50` roubles rather than minor units.

use std::collections::BTreeMap;

use clientele_domain::program::BasisPoints;

use super::customer_points::hundredths;
use super::{Lang, Words};

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

/// Reads the typed fields of a form; each one that is not a figure gets
/// its error, and the rest are read as asked.
pub struct Reader<'a> {
    w: &'a Words,
    values: &'a BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl<'a> Reader<'a> {
    pub fn new(w: &'a Words, values: &'a BTreeMap<String, String>) -> Reader<'a> {
        Reader {
            w,
            values,
            errors: BTreeMap::new(),
        }
    }

    pub fn text(&self, field: &str) -> &'a str {
        self.values.get(field).map_or("", |v| v.trim())
    }

    /// Hundredths (of a rouble, of a percent) from `1500`, `2,5` or
    /// `5 %`; an empty field is `None`.
    pub fn hundredths(&mut self, field: &str) -> Option<i64> {
        let raw = self.text(field).trim_end_matches('%').trim();
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
    pub fn whole(&mut self, field: &str) -> Option<i64> {
        let raw = self.text(field).replace([' ', '\u{a0}'], "");
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
        let values = BTreeMap::from([
            ("rate".to_owned(), "2,5 %".to_owned()),
            ("price".to_owned(), "1 500".to_owned()),
            ("days".to_owned(), "пять".to_owned()),
            ("empty".to_owned(), " ".to_owned()),
        ]);
        let mut read = Reader::new(&ru, &values);
        assert_eq!(read.hundredths("rate"), Some(250));
        assert_eq!(read.hundredths("price"), Some(150_000));
        assert_eq!(read.whole("days"), None);
        assert_eq!(read.hundredths("empty"), None);
        assert_eq!(read.errors.keys().collect::<Vec<_>>(), ["days"]);
    }
}
