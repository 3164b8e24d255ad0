//! Message templates: a marketer writes a message once (a subject, a
//! plain-text body, optionally an HTML body) with placeholders, and each
//! customer gets it filled with their own data when it is made.
//!
//! # Placeholders
//!
//! A placeholder is a known name between double braces, spaces allowed
//! inside: `{{name}}`, `{{ first_name }}`. The names are those of
//! [`Placeholder`]; anything else between `{{` and `}}` is refused when the
//! template is saved, so a typo never reaches a customer as `{{ nmae }}`.
//! There is no logic, no filter and no placeholder inside a placeholder:
//! what a marketer cannot get wrong, a customer never sees broken.
//!
//! Braces that open no placeholder are text: a lone `{` or `}`, a `}}`
//! with no `{{` before it, CSS in the HTML body. In a run of three or
//! more `{`, the last two open the placeholder and the others are text, so
//! `{{{ name }}}` reads as `{`, the name, `}`. Unlike Mustache, triple
//! braces never mean "unescaped": customer data is always escaped in HTML.
//! A literal `{{` cannot be written: it always opens a placeholder.
//!
//! # Values
//!
//! Customer data is text, never markup: in the HTML body every value is
//! escaped (`&`, `<`, `>`, `"`, `'`), while the marketer's own HTML around
//! it is kept as written. In the subject, a line break in a value becomes a
//! space, since the subject is a header line. Numbers and dates are written
//! as the template's [`Locale`] reads them (see [`Personal`]); a value the
//! customer does not have is empty.

mod input;
mod render;
mod text;

#[cfg(test)]
mod tests;

pub use input::{Rendered, TemplateInput, TemplateTerms};
pub use render::Personal;
pub use text::Text;

use crate::validation::FieldError;

/// The language a template is written in, which also decides how its
/// numbers and dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Result<Locale, FieldError> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "locale",
                    "unknown_locale",
                    format!("unknown locale «{raw}»; known: ru, en"),
                )
            })
    }
}

/// A piece of customer data a template may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// The full name as the shop keeps it.
    Name,
    FirstName,
    /// The points balance.
    Balance,
    /// The points that expire next ("0" when none do).
    ExpiringPoints,
    /// The day they expire (empty when none do).
    ExpiringOn,
    /// The customer's tier in the program.
    Tier,
    /// A coupon code issued to the customer.
    Coupon,
    /// The offer the message is about.
    Offer,
}

impl Placeholder {
    pub const ALL: [Placeholder; 8] = [
        Placeholder::Name,
        Placeholder::FirstName,
        Placeholder::Balance,
        Placeholder::ExpiringPoints,
        Placeholder::ExpiringOn,
        Placeholder::Tier,
        Placeholder::Coupon,
        Placeholder::Offer,
    ];

    /// The name written between the braces.
    pub fn as_str(self) -> &'static str {
        match self {
            Placeholder::Name => "name",
            Placeholder::FirstName => "first_name",
            Placeholder::Balance => "balance",
            Placeholder::ExpiringPoints => "expiring_points",
            Placeholder::ExpiringOn => "expiring_on",
            Placeholder::Tier => "tier",
            Placeholder::Coupon => "coupon",
            Placeholder::Offer => "offer",
        }
    }

    /// The placeholder of that exact name (lowercase, no spaces).
    pub fn parse(raw: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}
