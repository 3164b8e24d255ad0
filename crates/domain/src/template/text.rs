//! One text of a template (subject, body or HTML body), read once into
//! literal parts and placeholders so rendering never fails.

use super::Placeholder;
use crate::validation::FieldError;

/// The most characters of an unknown placeholder quoted back in an error:
/// an unclosed brace can swallow a page of text.
const QUOTED_MAX_CHARS: usize = 40;

/// A piece of a text: what the marketer wrote, or a value to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    Literal(String),
    Value(Placeholder),
}

/// A text with its placeholders found and known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    raw: String,
    parts: Vec<Part>,
}

impl Text {
    /// Reads `{{ placeholder }}`s (spaces inside the braces allowed), the
    /// rest being text as written. Errors are reported on `field`:
    /// `unknown_placeholder` (the message quotes the name in «») and
    /// `unclosed_placeholder` for a `{{` with no `}}` after it (the message
    /// gives its position, in characters from 1).
    pub fn parse(field: &str, raw: &str) -> Result<Text, FieldError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = raw;
        while let Some(found) = rest.find("{{") {
            // `{{{`: every `{` before the last two is text.
            let braces = rest[found..].bytes().take_while(|&b| b == b'{').count();
            let (before, opened) = rest.split_at(found + braces - 2);
            literal.push_str(before);
            let inside = &opened[2..];
            let open_at = raw.len() - opened.len();
            let Some(close) = inside.find("}}") else {
                return Err(unclosed(field, raw, open_at));
            };
            let name = &inside[..close];
            // `{{ a {{ name }}`: the first `{{` is the one left open.
            if name.contains("{{") {
                return Err(unclosed(field, raw, open_at));
            }
            let placeholder =
                Placeholder::parse(name.trim()).ok_or_else(|| unknown(field, name))?;
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Part::Value(placeholder));
            rest = &inside[close + 2..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Text {
            raw: raw.to_owned(),
            parts,
        })
    }

    /// What the marketer wrote, exactly.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The placeholders used, each once, in the order of their first use:
    /// what a preview or a send needs to load.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut used = Vec::new();
        for part in &self.parts {
            if let Part::Value(p) = part
                && !used.contains(p)
            {
                used.push(*p);
            }
        }
        used
    }

    pub(super) fn parts(&self) -> &[Part] {
        &self.parts
    }
}

fn unclosed(field: &str, raw: &str, open_at: usize) -> FieldError {
    let position = raw[..open_at].chars().count() + 1;
    FieldError::new(
        field,
        "unclosed_placeholder",
        format!("the «{{{{» at character {position} has no «}}}}» closing it"),
    )
}

fn unknown(field: &str, name: &str) -> FieldError {
    let name = name.trim();
    let mut quoted: String = name.chars().take(QUOTED_MAX_CHARS).collect();
    if quoted.len() < name.len() {
        quoted.push('…');
    }
    let known = Placeholder::ALL.map(Placeholder::as_str).join(", ");
    FieldError::new(
        field,
        "unknown_placeholder",
        format!("unknown placeholder «{quoted}»; known: {known}"),
    )
}
