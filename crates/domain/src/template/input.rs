//! A template as the marketer sends it, checked field by field into
//! [`TemplateTerms`], and what it gives one customer.

use super::Locale;
use super::render::{Personal, Target};
use super::text::Text;
use crate::validation::{FieldError, ValidationErrors};

/// The longest name, in characters as sent.
const NAME_MAX_CHARS: usize = 100;
/// The longest subject: mail clients cut long ones anyway.
const SUBJECT_MAX_CHARS: usize = 200;
const BODY_MAX_CHARS: usize = 5000;
const HTML_MAX_CHARS: usize = 100_000;

/// A template as sent. An optional text that is empty (or blank) is absent.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub name: String,
    /// `ru` or `en`.
    pub locale: String,
    pub subject: Option<String>,
    /// The plain-text body, which every channel can send.
    pub body: String,
    pub html: Option<String>,
}

/// A template whose texts all parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTerms {
    /// The marketer's name for it, white space folded.
    pub name: String,
    pub locale: Locale,
    /// Trimmed: it is one header line.
    pub subject: Option<Text>,
    /// As written: its line breaks are the marketer's layout.
    pub body: Text,
    /// As written.
    pub html: Option<Text>,
}

/// A template filled for one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub text: String,
    pub html: Option<String>,
}

impl TemplateInput {
    /// Every field's problems at once: `name` (`required`, `too_long`),
    /// `locale` (`unknown_locale`), `subject` (`too_long`, `not_one_line`),
    /// `body` (`required`, `too_long`), `html` (`too_long`), and on any
    /// text `nul_character`, `unknown_placeholder`, `unclosed_placeholder`.
    pub fn validate(&self) -> Result<TemplateTerms, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = name(&mut errors, &self.name);
        let locale = errors.take(Locale::parse(&self.locale));
        let subject = match blank_is_none(self.subject.as_deref()) {
            None => Some(None),
            Some(raw) => {
                let line = raw.trim();
                if line.contains(['\n', '\r']) {
                    errors.push(FieldError::new(
                        "subject",
                        "not_one_line",
                        "a subject is one line",
                    ));
                }
                text(&mut errors, "subject", raw, line, SUBJECT_MAX_CHARS).map(Some)
            }
        };
        let body = if self.body.trim().is_empty() {
            errors.push(FieldError::new("body", "required", "a body is required"));
            None
        } else {
            text(&mut errors, "body", &self.body, &self.body, BODY_MAX_CHARS)
        };
        let html = match blank_is_none(self.html.as_deref()) {
            None => Some(None),
            Some(raw) => text(&mut errors, "html", raw, raw, HTML_MAX_CHARS).map(Some),
        };
        match (name, locale, subject, body, html) {
            (Some(name), Some(locale), Some(subject), Some(body), Some(html))
                if errors.is_empty() =>
            {
                Ok(TemplateTerms {
                    name,
                    locale,
                    subject,
                    body,
                    html,
                })
            }
            _ => Err(errors),
        }
    }
}

impl TemplateTerms {
    /// The message for one customer: the subject and body as text, the
    /// HTML body as HTML.
    pub fn render(&self, who: &Personal) -> Rendered {
        Rendered {
            subject: self
                .subject
                .as_ref()
                .map(|s| s.render(who, self.locale, Target::Line)),
            text: self.body.render_text(who, self.locale),
            html: self.html.as_ref().map(|h| h.render_html(who, self.locale)),
        }
    }
}

fn name(errors: &mut ValidationErrors, raw: &str) -> Option<String> {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        errors.push(FieldError::new("name", "required", "a name is required"));
        return None;
    }
    if raw.chars().count() > NAME_MAX_CHARS {
        errors.push(too_long("name", NAME_MAX_CHARS));
        return None;
    }
    if raw.contains('\0') {
        errors.push(nul("name"));
        return None;
    }
    Some(folded)
}

fn blank_is_none(raw: Option<&str>) -> Option<&str> {
    raw.filter(|r| !r.trim().is_empty())
}

/// Checks a text's length (of what was `sent`, so the limit means what it
/// says before any trimming) and characters, then reads the placeholders
/// of what is `kept`; every problem found is recorded.
fn text(
    errors: &mut ValidationErrors,
    field: &str,
    sent: &str,
    kept: &str,
    max_chars: usize,
) -> Option<Text> {
    let mut fine = true;
    if sent.chars().count() > max_chars {
        errors.push(too_long(field, max_chars));
        fine = false;
    }
    // No database keeps it in text (SQLite counts a text's length up to it,
    // PostgreSQL refuses it).
    if kept.contains('\0') {
        errors.push(nul(field));
        fine = false;
    }
    let parsed = errors.take(Text::parse(field, kept));
    parsed.filter(|_| fine)
}

fn too_long(field: &str, max_chars: usize) -> FieldError {
    FieldError::new(field, "too_long", format!("at most {max_chars} characters"))
}

fn nul(field: &str) -> FieldError {
    FieldError::new(
        field,
        "nul_character",
        "the text cannot hold the NUL character",
    )
}
