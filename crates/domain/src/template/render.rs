//! Filling a text for one customer: the values as the locale writes them,
//! escaped for HTML where the text is HTML.

use jiff::civil::{Date, date};

use super::text::{Part, Text};
use super::{Locale, Placeholder};

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What a template may say about one customer. The caller loads it; a
/// value the customer does not have renders as an empty string.
///
/// Points are in hundredths, as the ledger keeps them, and are written
/// as whole points with the fraction only when there is one: `1 250`,
/// `12,50` (ru, the group separator a non-breaking space so a number never
/// breaks across lines), `1,250`, `12.50` (en). A negative balance (a
/// debt) keeps its minus. Dates are `15.01.2027` (ru) and `15 Jan 2027`
/// (en, plain spaces: a non-breaking one would make an SMS Unicode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Personal {
    /// The full name as the shop keeps it (empty when unknown).
    pub name: String,
    /// Empty when unknown.
    pub first_name: String,
    /// Points, in hundredths.
    pub balance: i64,
    /// The points (in hundredths) that expire next, and the day they do.
    pub next_expiry: Option<(i64, Date)>,
    pub tier: Option<String>,
    pub coupon: Option<String>,
    pub offer: Option<String>,
}

impl Personal {
    /// A made-up customer, for a preview when none is picked. Its expiry
    /// is a fixed day, since nothing here knows today's.
    pub fn example(locale: Locale) -> Personal {
        let next_expiry = Some((30_000, date(2027, 1, 15)));
        match locale {
            Locale::Ru => Personal {
                name: "Анна Петрова".into(),
                first_name: "Анна".into(),
                balance: 125_000,
                next_expiry,
                tier: Some("Серебро".into()),
                coupon: Some("SPRING-7Q4K".into()),
                offer: Some("Скидка 15 % на кофе".into()),
            },
            Locale::En => Personal {
                name: "Anna Petrova".into(),
                first_name: "Anna".into(),
                balance: 125_000,
                next_expiry,
                tier: Some("Silver".into()),
                coupon: Some("SPRING-7Q4K".into()),
                offer: Some("15% off coffee".into()),
            },
        }
    }

    /// The value of one placeholder, unescaped.
    fn value(&self, placeholder: Placeholder, locale: Locale) -> String {
        let optional = |value: &Option<String>| value.clone().unwrap_or_default();
        match placeholder {
            Placeholder::Name => self.name.clone(),
            Placeholder::FirstName => self.first_name.clone(),
            Placeholder::Balance => points(self.balance, locale),
            Placeholder::ExpiringPoints => points(self.next_expiry.map_or(0, |(p, _)| p), locale),
            Placeholder::ExpiringOn => self
                .next_expiry
                .map_or_else(String::new, |(_, day)| day_text(day, locale)),
            Placeholder::Tier => optional(&self.tier),
            Placeholder::Coupon => optional(&self.coupon),
            Placeholder::Offer => optional(&self.offer),
        }
    }
}

/// How values go into the text around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// As they are.
    Text,
    /// Escaped: customer data is never markup.
    Html,
    /// As they are, control characters (line breaks) turned to spaces:
    /// a subject is a header line, and a value must not end it.
    Line,
}

impl Text {
    /// The text for one customer, values as they are: a plain-text body.
    pub fn render_text(&self, who: &Personal, locale: Locale) -> String {
        self.render(who, locale, Target::Text)
    }

    /// The text for one customer as HTML: the marketer's text kept as
    /// written (it is the marketer's markup), the values escaped.
    pub fn render_html(&self, who: &Personal, locale: Locale) -> String {
        self.render(who, locale, Target::Html)
    }

    pub(super) fn render(&self, who: &Personal, locale: Locale, target: Target) -> String {
        let mut out = String::with_capacity(self.raw().len());
        for part in self.parts() {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Value(placeholder) => {
                    let value = who.value(*placeholder, locale);
                    match target {
                        Target::Text => out.push_str(&value),
                        Target::Html => escape_html(&mut out, &value),
                        Target::Line => {
                            out.extend(value.chars().map(|c| if c.is_control() { ' ' } else { c }))
                        }
                    }
                }
            }
        }
        out
    }
}

fn escape_html(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Hundredths of a point as whole points, grouped by thousands, with the
/// fraction only when there is one.
fn points(hundredths: i64, locale: Locale) -> String {
    let (point, group) = match locale {
        Locale::Ru => (',', '\u{a0}'),
        Locale::En => ('.', ','),
    };
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let whole = grouped(abs / 100, group);
    match abs % 100 {
        0 => format!("{sign}{whole}"),
        fraction => format!("{sign}{whole}{point}{fraction:02}"),
    }
}

fn grouped(number: u64, separator: char) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

fn day_text(day: Date, locale: Locale) -> String {
    match locale {
        Locale::Ru => format!("{:02}.{:02}.{:04}", day.day(), day.month(), day.year()),
        Locale::En => {
            let month = usize::try_from(day.month() - 1)
                .ok()
                .and_then(|i| MONTHS_EN.get(i))
                .copied()
                .unwrap_or_default();
            format!("{} {month} {}", day.day(), day.year())
        }
    }
}
