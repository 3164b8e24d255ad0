//! The template's form as typed, read into what the use case checks; and
//! the domain's refusals beside the fields, in the reader's words: an
//! unknown placeholder is named, with the one it was likely meant to be.

use std::collections::BTreeMap;

use clientele_app::KeptTemplate;
use clientele_domain::FieldError;
use clientele_domain::template::{Placeholder, TemplateInput};
use serde::Deserialize;

use crate::console::kit::Words;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The kept template's id, empty for a new one: a preview sent as a
    /// plain form draws the right form back with it.
    pub id: String,
    pub version: String,
    pub name: String,
    /// `ru` or `en`.
    pub locale: String,
    pub subject: String,
    pub body: String,
    pub html: String,
    /// Whom the preview is for: a phone, a card, a name or `№id`; empty,
    /// a made-up customer.
    pub customer: String,
    /// A customer just picked among those the search found.
    pub choose: String,
    /// The customer picked before, and the search they were picked from:
    /// kept while the search is unchanged.
    pub pick: String,
    pub picked_for: String,
}

impl Draft {
    /// A kept template as it goes back into the form.
    pub fn of(kept: &KeptTemplate) -> Draft {
        let words = &kept.record;
        Draft {
            id: kept.id.0.to_string(),
            version: kept.version.to_string(),
            name: words.name.clone(),
            locale: words.locale.as_str().to_owned(),
            subject: words.subject.clone().unwrap_or_default(),
            body: words.body.clone(),
            html: words.html.clone().unwrap_or_default(),
            ..Draft::default()
        }
    }

    /// The words as the use case takes them. A browser sends a textarea's
    /// line breaks as CR LF; a message keeps plain line feeds.
    pub fn input(&self) -> TemplateInput {
        let lines = |raw: &str| raw.replace("\r\n", "\n");
        TemplateInput {
            name: self.name.clone(),
            locale: self.locale.clone(),
            subject: Some(self.subject.clone()),
            body: lines(&self.body),
            html: Some(lines(&self.html)),
        }
    }
}

/// The domain's refusals beside the form's fields, in the reader's words.
pub fn beside(w: &Words, refused: &[FieldError]) -> BTreeMap<String, String> {
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for error in refused {
        let text = said(w, error);
        errors
            .entry(error.field.clone())
            .and_modify(|kept| {
                if !kept.contains(&text) {
                    kept.push(' ');
                    kept.push_str(&text);
                }
            })
            .or_insert(text);
    }
    errors
}

fn said(w: &Words, error: &FieldError) -> String {
    match error.code {
        // The message quotes the name in «» (the domain's contract).
        "unknown_placeholder" => {
            let name = quoted(&error.message).unwrap_or_default();
            let unknown = w.with("template-error-unknown_placeholder", "name", name.into());
            match likely(name) {
                Some(meant) => format!(
                    "{unknown} {}",
                    w.with("template-error-meant", "name", written(meant).into())
                ),
                None => unknown,
            }
        }
        // The message gives the position of the `{{`, from 1.
        "unclosed_placeholder" => {
            let at: String = (error.message.split("character ").nth(1).unwrap_or(""))
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            w.with("template-error-unclosed_placeholder", "at", at.into())
        }
        code => w
            .find(&format!("template-error-{}-{code}", error.field))
            .unwrap_or_else(|| w.field_error(error)),
    }
}

/// A placeholder as the marketer writes it: `{{ name }}`.
pub fn written(placeholder: Placeholder) -> String {
    format!("{{{{ {} }}}}", placeholder.as_str())
}

/// The first text between « and ».
fn quoted(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('«')?;
    rest.split_once('»').map(|(inside, _)| inside)
}

/// The placeholder a mistyped name was likely meant to be: the nearest by
/// edits, two at most.
fn likely(typed: &str) -> Option<Placeholder> {
    let typed = typed.trim().to_lowercase().replace([' ', '-'], "_");
    Placeholder::ALL
        .into_iter()
        .map(|p| (edits(&typed, p.as_str()), p))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, p)| p)
}

/// The edits (insertions, deletions, substitutions, swaps of neighbours)
/// that turn `a` into `b`.
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![(0..=b.len()).collect::<Vec<_>>()];
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (rows[i - 1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(row);
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use clientele_domain::template::TemplateInput;
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    fn refused(body: &str) -> Vec<FieldError> {
        let input = TemplateInput {
            name: "Весна".into(),
            locale: "ru".into(),
            body: body.into(),
            ..TemplateInput::default()
        };
        input.validate().unwrap_err().0
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_the_one_it_was_meant_to_be() {
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        let errors = beside(&ru, &refused("Здравствуйте, {{ nmae }}!"));
        assert_eq!(
            errors["body"],
            "Неизвестная подстановка «nmae». Может быть, имелась в виду {{ name }}?"
        );
        let errors = beside(&ru, &refused("{{ погода }}"));
        assert!(errors["body"].starts_with("Неизвестная подстановка «погода»."));
        assert!(!errors["body"].contains("Может быть"), "{errors:?}");
    }

    #[test]
    fn an_unclosed_placeholder_says_where_it_opens() {
        let en = Words::new(Lang::En, TimeZone::UTC);
        let errors = beside(&en, &refused("Hi {{ name"));
        assert_eq!(
            errors["body"],
            "The “{{” at character 4 is never closed with “}}”."
        );
    }

    #[test]
    fn edits_count_a_swap_as_one() {
        assert_eq!(edits("nmae", "name"), 1);
        assert_eq!(edits("balanse", "balance"), 1);
        assert_eq!(edits("firstname", "first_name"), 1);
        assert_eq!(edits("", "tier"), 4);
        assert_eq!(likely("Ballance"), Some(Placeholder::Balance));
        assert_eq!(likely("погода"), None);
    }

    #[test]
    fn line_breaks_are_plain_line_feeds() {
        let draft = Draft {
            body: "Раз\r\nдва".into(),
            ..Draft::default()
        };
        assert_eq!(draft.input().body, "Раз\nдва");
    }
}
