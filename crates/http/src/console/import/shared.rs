//! What the wizard's steps share: columns and cells as the reader reads
//! them, and the upload of this user.

use std::sync::Arc;

use clientele_app::import::columns::Column;
use clientele_app::import::table::Cell;
use clientele_domain::{ConsentKind, PropertyDefinition};

use super::uploads::{Upload, Uploads};
use crate::console::kit::{Console, PageError, Words};

/// A column's name in the reader's language; a property by its label.
pub fn label(w: &Words, column: &Column, properties: &[PropertyDefinition]) -> String {
    match column {
        Column::Property(name) => properties
            .iter()
            .find(|p| p.name.as_str() == name)
            .map_or_else(|| name.clone(), |p| p.label.clone()),
        other => w.t(&format!("import-column-{}", other.key().replace('_', "-"))),
    }
}

/// The columns the template holds and the upload page names.
pub fn template_columns(properties: &[PropertyDefinition]) -> Vec<Column> {
    [
        Column::FullName,
        Column::Phone,
        Column::Email,
        Column::Gender,
        Column::BirthDate,
        Column::City,
        Column::Address,
        Column::Group,
        Column::ExternalId,
        Column::StoreCode,
        Column::Consent(ConsentKind::Sms),
        Column::Consent(ConsentKind::Email),
        Column::Notes,
    ]
    .into_iter()
    .chain(
        properties
            .iter()
            .map(|p| Column::Property(p.name.as_str().to_owned())),
    )
    .collect()
}

/// A cell as the preview shows it.
pub fn shown(w: &Words, cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.clone(),
        // Phones and codes arrive as numbers: no exponent, no «.0».
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(true) => w.t("import-yes"),
        Cell::Bool(false) => w.t("import-no"),
        Cell::Date(date) => w.date(*date),
    }
}

/// The upload `id` of this user: not found when it expired or was never
/// theirs.
pub fn upload_of(uploads: &Uploads, console: &Console, id: &str) -> Result<Arc<Upload>, PageError> {
    uploads
        .get(console.session.user.id, id)
        .ok_or(PageError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::kit::Lang;
    use clientele_app::import::columns::{all_columns, match_headers};

    /// The template's headers, and every label the selects show, read back
    /// as the column they name: a file made from the template imports.
    #[test]
    fn every_label_is_recognised_as_its_column_in_both_languages() {
        for lang in [Lang::Ru, Lang::En] {
            let w = Words::new(lang, jiff::tz::TimeZone::UTC);
            let columns = all_columns(&[]);
            let labels: Vec<String> = columns.iter().map(|c| label(&w, c, &[])).collect();
            let read = match_headers(&labels, &[]);
            let expected: Vec<Option<Column>> = columns.into_iter().map(Some).collect();
            assert_eq!(read.columns, expected, "{lang:?}: {labels:?}");
        }
    }

    #[test]
    fn numbers_show_as_typed() {
        let w = Words::new(Lang::Ru, jiff::tz::TimeZone::UTC);
        assert_eq!(shown(&w, &Cell::Number(79123456789.0)), "79123456789");
        assert_eq!(shown(&w, &Cell::Number(2.5)), "2.5");
        assert_eq!(shown(&w, &Cell::Bool(true)), "да");
    }
}
