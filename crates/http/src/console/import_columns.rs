//! The import wizard's second step: each header of the uploaded file with
//! the field it was matched to, in a select the user may change («не
//! загружать» among the choices), the first rows as a preview; sent, the
//! mapping starts a dry run.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_app::import::Mapping;
use clientele_app::import::columns::{Column, parse_column};
use clientele_app::import::table::Cell;
use clientele_domain::{ConsentKind, PropertyDefinition};

use super::action_form::{Posted, receive};
use super::import_uploads::{Step, Upload};
use super::once::Submitted;
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::Path;
use crate::state::AppState;

/// Rows shown as a preview.
const PREVIEW_ROWS: usize = 5;

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

struct Choice {
    value: String,
    label: String,
}

/// One header of the file and what it is read as.
struct HeaderRow {
    index: usize,
    header: String,
    /// The chosen column's key; empty: not loaded.
    chosen: String,
    examples: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "import_columns.html")]
struct ColumnsPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: String,
    name: String,
    /// How many rows the file has, in words.
    rows: String,
    headers: Vec<HeaderRow>,
    choices: Vec<Choice>,
    preview: Vec<Vec<String>>,
    token: String,
    /// An error of no one header (no name column).
    general: Option<String>,
}

/// The mapping page: `chosen` is one key per header (or empty).
async fn page<'a>(
    state: &AppState,
    console: &'a Console,
    upload: &Upload,
    chosen: Option<Vec<String>>,
    token: String,
) -> Result<ColumnsPage<'a>, AppError> {
    let w = &console.words;
    let table = &upload.table;
    let offered = state.app.import_columns(&table.headers).await?;
    let chosen = chosen.unwrap_or_else(|| {
        // Back from a dry run: the mapping it ran with.
        let columns = match upload.run(Step::Check).map(|run| run.mapping.clone()) {
            Some(Mapping::Chosen(columns)) => columns,
            _ => offered.recognised.columns.clone(),
        };
        columns
            .iter()
            .map(|c| c.as_ref().map(Column::key).unwrap_or_default())
            .collect()
    });
    let examples = |index: usize| {
        table
            .rows
            .iter()
            .map(|row| shown(w, &row.cells[index]))
            .filter(|value| !value.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let headers = table
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| HeaderRow {
            index,
            header: header.clone(),
            chosen: chosen.get(index).cloned().unwrap_or_default(),
            examples: examples(index),
            error: None,
        })
        .collect();
    let choices = offered
        .columns
        .iter()
        .map(|column| Choice {
            value: column.key(),
            label: label(w, column, &offered.properties),
        })
        .collect();
    Ok(ColumnsPage {
        c: console.chrome(),
        w,
        id: upload.id.clone(),
        name: upload.name.clone(),
        rows: w.n("import-rows", table.rows.len() as i64),
        headers,
        choices,
        preview: table
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|row| row.cells.iter().map(|cell| shown(w, cell)).collect())
            .collect(),
        token,
        general: None,
    })
}

/// The upload of this user: none when it expired or was never theirs.
pub fn upload_of(state: &AppState, console: &Console, id: &str) -> Option<Arc<Upload>> {
    state.imports.get(console.session.user.id, id)
}

/// The page for an upload that is gone.
pub fn gone(console: &Console) -> Response {
    error_page(&console.words, AppError::NotFound("upload"))
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let Some(upload) = upload_of(&state, &console, &id) else {
        return gone(&console);
    };
    // The import has run: its result is all there is to see.
    if upload.run(Step::Result).is_some() {
        return Redirect::to(&format!("/import/{id}/result")).into_response();
    }
    match page(&state, &console, &upload, None, Submitted::token()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(error) => error_page(&console.words, error),
    }
}

/// The mapping sent: checked, then dry-run in the background.
pub async fn check(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let Some(upload) = upload_of(&state, &console, &id) else {
        state.submitted.failed(&token);
        return gone(&console);
    };
    let target = format!("/import/{id}/check");
    if upload.run(Step::Result).is_some() {
        state.submitted.done(&token, &target);
        return Redirect::to(&format!("/import/{id}/result")).into_response();
    }
    let (chosen, mapping, mut errors) = read_mapping(w, &values, upload.table.headers.len());
    if errors.is_empty()
        && let Err(error) = state
            .app
            .check_import_mapping(&upload.table.headers, &mapping)
            .await
    {
        match error {
            AppError::Validation(refused) => {
                for e in refused.0 {
                    let message = w
                        .find(&format!("import-error-{}", e.code.replace('_', "-")))
                        .unwrap_or(e.message);
                    errors.insert(e.field, message);
                }
            }
            other => {
                state.submitted.failed(&token);
                return error_page(w, other);
            }
        }
    }
    if errors.is_empty() {
        upload.check(&state.app, mapping);
        state.submitted.done(&token, &target);
        return Redirect::to(&target).into_response();
    }
    state.submitted.failed(&token);
    match page(&state, &console, &upload, Some(chosen), token).await {
        Ok(mut page) => {
            for row in &mut page.headers {
                row.error = errors.remove(&format!("column_{}", row.index));
            }
            page.general = errors.into_values().next();
            if page.general.is_none() {
                page.general = Some(w.t("form-has-errors"));
            }
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(error) => error_page(w, error),
    }
}

/// The posted selects (`column_<index>` → a column's key, empty: not
/// loaded) as typed, as a mapping, and what could not be read.
fn read_mapping(
    w: &Words,
    values: &BTreeMap<String, String>,
    headers: usize,
) -> (Vec<String>, Mapping, BTreeMap<String, String>) {
    let mut errors = BTreeMap::new();
    let mut chosen = Vec::with_capacity(headers);
    let mut columns = Vec::with_capacity(headers);
    for index in 0..headers {
        let field = format!("column_{index}");
        let value = values.get(&field).cloned().unwrap_or_default();
        let column = if value.is_empty() {
            None
        } else {
            let column = parse_column(&value);
            if column.is_none() {
                errors.insert(field, w.t("import-error-unknown-column"));
            }
            column
        };
        chosen.push(value);
        columns.push(column);
    }
    (chosen, Mapping::Chosen(columns), errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Lang;
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
