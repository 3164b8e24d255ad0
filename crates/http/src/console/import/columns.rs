//! The import wizard's second step: each header of the uploaded file with
//! the field it was matched to, in a select the user may change («не
//! загружать» among the choices), the first rows as a preview; sent, the
//! mapping starts a dry run.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use clientele_app::AppError;
use clientele_app::import::Mapping;
use clientele_app::import::columns::{Column, parse_column};
use serde::Deserialize;

use super::shared::{label, shown, upload_of};
use super::uploads::{Step, Upload, Uploads};
use crate::console::kit::{Chrome, Console, Once, PageResult, Path, Submission, Words, render};
use crate::state::AppState;

/// The mapping: one select per header of the file.
#[derive(Debug, Default, Deserialize)]
pub struct MappingForm {
    /// `column_<index>` → a column's key; empty: not loaded.
    #[serde(flatten)]
    columns: BTreeMap<String, String>,
}

/// Rows shown as a preview.
const PREVIEW_ROWS: usize = 5;

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
#[template(path = "import/columns.html")]
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

pub async fn show(
    State(state): State<AppState>,
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path(id): Path<String>,
) -> PageResult {
    let upload = upload_of(&uploads, &console, &id)?;
    // The import has run: its result is all there is to see.
    if upload.run(Step::Result).is_some() {
        return Ok(Redirect::to(&format!("/import/{id}/result")).into_response());
    }
    let page = page(&state, &console, &upload, None, Once::fresh()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The mapping sent: checked, then dry-run in the background.
pub async fn check(
    State(state): State<AppState>,
    Extension(uploads): Extension<Arc<Uploads>>,
    console: Console,
    Path(id): Path<String>,
    Submission { form, once, .. }: Submission<MappingForm>,
) -> PageResult {
    let w = &console.words;
    let upload = upload_of(&uploads, &console, &id)?;
    let target = format!("/import/{id}/check");
    if upload.run(Step::Result).is_some() {
        once.finish(&target).await;
        return Ok(Redirect::to(&format!("/import/{id}/result")).into_response());
    }
    let (chosen, mapping, mut errors) = read_mapping(w, &form.columns, upload.table.headers.len());
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
                        .unwrap_or_else(|| w.field_error(&e));
                    errors.insert(e.field, message);
                }
            }
            other => return Err(other.into()),
        }
    }
    if errors.is_empty() {
        upload.check(&state.app, mapping);
        return Ok(once.done(&target).await);
    }
    let token = once.token().to_owned();
    let mut page = page(&state, &console, &upload, Some(chosen), token).await?;
    for row in &mut page.headers {
        row.error = errors.remove(&format!("column_{}", row.index));
    }
    page.general = errors.into_values().next();
    if page.general.is_none() {
        page.general = Some(w.t("form-has-errors"));
    }
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
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
