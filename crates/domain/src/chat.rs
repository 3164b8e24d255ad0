//! Chat: a customer writes first (an SMS reply, a messenger), and staff
//! answer in the same thread; answers leave through the outbox as
//! transactional messages over the channel the customer wrote from.

use crate::validation::FieldError;

/// The most characters a chat message holds.
pub const MAX_CHARS: usize = 2000;

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The customer.
    Inbound,
    /// Staff, answering.
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "in",
            Direction::Outbound => "out",
        }
    }

    pub fn parse(raw: &str) -> Option<Direction> {
        match raw {
            "in" => Some(Direction::Inbound),
            "out" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

/// A chat message's text, trimmed: not empty, not too long, no NUL.
pub fn text(field: &str, raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "required", "write something"));
    }
    if text.contains('\0') {
        return Err(FieldError::new(
            field,
            "nul_character",
            "the text holds a NUL character",
        ));
    }
    if text.chars().count() > MAX_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("a chat message has at most {MAX_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// The start of a text, as much as a chat message holds.
pub fn cut(raw: &str) -> String {
    raw.trim().chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_text_is_trimmed_and_bounded() {
        assert_eq!(text("text", "  Здравствуйте! ").unwrap(), "Здравствуйте!");
        assert_eq!(text("text", " ").unwrap_err().code, "required");
        assert_eq!(
            text("text", &"а".repeat(MAX_CHARS + 1)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(text("text", "a\0b").unwrap_err().code, "nul_character");
        let long = "а".repeat(MAX_CHARS + 10);
        assert_eq!(cut(&long).chars().count(), MAX_CHARS);
        assert!(text("text", &cut(&long)).is_ok());
    }
}
