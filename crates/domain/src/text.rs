//! Text rules shared by names, search and optional fields.

/// The key a name is searched and sorted by: lowercase, `ё` read as `е`,
/// inner white space folded to one space.
pub fn search_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            key.push(if c == 'ё' { 'е' } else { c });
        }
    }
    key
}

/// Trims a free-text field; blank means absent.
pub fn optional(text: Option<String>) -> Option<String> {
    text.and_then(|t| {
        let trimmed = t.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    })
}

/// Folds white space in a name and refuses what is blank or absurdly long.
/// The length is of what was sent, so a limit means what it says before any
/// folding.
pub fn clean_name(raw: &str, max_chars: usize) -> Option<String> {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!folded.is_empty() && raw.chars().count() <= max_chars).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_folds_case_yo_and_spaces() {
        assert_eq!(search_key("  Королёва   Алёна "), "королева алена");
        assert_eq!(search_key("PETROV Ivan"), "petrov ivan");
    }

    #[test]
    fn a_name_is_as_long_as_what_was_sent() {
        assert_eq!(
            clean_name("  Анна   Петрова ", 17),
            Some("Анна Петрова".into())
        );
        assert_eq!(clean_name("  Анна   Петрова ", 16), None);
        assert_eq!(clean_name(" \t ", 10), None);
    }

    #[test]
    fn blank_optional_is_absent() {
        assert_eq!(optional(Some("  ".into())), None);
        assert_eq!(optional(Some(" a ".into())), Some("a".into()));
    }
}

/// The name to greet a customer by, from the one name the shop keeps:
/// of three words (surname, name, patronymic, as Russian forms write
/// them) the second, else the first.
pub fn first_name(full: &str) -> String {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [_, name, _] => (*name).to_owned(),
        [name, ..] => (*name).to_owned(),
        [] => String::new(),
    }
}

#[cfg(test)]
mod first_name_tests {
    use super::first_name;

    #[test]
    fn a_customer_is_greeted_by_their_name() {
        assert_eq!(first_name("Иванова Анна Сергеевна"), "Анна");
        assert_eq!(first_name("Анна Иванова"), "Анна");
        assert_eq!(first_name("  Анна "), "Анна");
        assert_eq!(first_name(""), "");
    }
}
