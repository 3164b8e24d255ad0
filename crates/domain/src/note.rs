//! A note about a customer (заметка): dated, signed by the staff user who
//! wrote it, never edited. The profile's single `notes` field is another
//! thing and stays as it is.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::CustomerId;
use crate::validation::FieldError;

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// A note's text: not blank, at most [`NOTE_MAX_CHARS`] characters as sent
/// (the bound the API document states), kept as written apart from the
/// blank lines and spaces around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteText(String);

impl NoteText {
    pub fn parse(raw: &str) -> Result<NoteText, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new("text", "required", "a note needs its text"));
        }
        // No database keeps it in text (SQLite counts a text's length up to
        // it, PostgreSQL refuses it).
        if raw.contains('\0') {
            return Err(FieldError::new(
                "text",
                "nul_character",
                "a note cannot hold the NUL character",
            ));
        }
        if raw.chars().count() > NOTE_MAX_CHARS {
            return Err(FieldError::new(
                "text",
                "note_too_long",
                format!("a note is at most {NOTE_MAX_CHARS} characters"),
            ));
        }
        Ok(NoteText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A note as kept: its id is unique within its customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub customer_id: CustomerId,
    pub id: i64,
    /// The login of the staff user who wrote it.
    pub author: String,
    pub text: String,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_holds_no_nul() {
        assert_eq!(
            NoteText::parse("до\0после").unwrap_err().code,
            "nul_character"
        );
    }

    #[test]
    fn a_note_is_not_blank_and_not_too_long() {
        assert_eq!(NoteText::parse("  \n ").unwrap_err().code, "required");
        assert_eq!(
            NoteText::parse(" Просил звонить после 18:00 \n")
                .unwrap()
                .as_str(),
            "Просил звонить после 18:00"
        );
        let longest = "ё".repeat(NOTE_MAX_CHARS);
        assert!(NoteText::parse(&longest).is_ok(), "characters, not bytes");
        assert_eq!(
            NoteText::parse(&format!("{longest}ё")).unwrap_err().code,
            "note_too_long"
        );
        assert_eq!(
            NoteText::parse(&format!("{longest} ")).unwrap_err().code,
            "note_too_long",
            "counted as sent"
        );
    }
}
