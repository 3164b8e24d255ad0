//! A long text shown in a row or beside a picker: its first line with
//! words in it, cut short.

/// The first line of `text` with words in it, cut to `chars` characters
/// and `…`.
pub fn first_line(text: &str, chars: usize) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or_default();
    match line.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", line[..at].trim_end()),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_with_words_is_cut_short() {
        assert_eq!(first_line("\n  Здравствуйте!\nВторая", 80), "Здравствуйте!");
        assert_eq!(first_line(&"б".repeat(100), 80).chars().count(), 81);
        assert_eq!(first_line("", 80), "");
    }
}
