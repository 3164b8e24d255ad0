//! `/reports/{name}`: the filter the report takes, what it counts written
//! out, a chart where a picture helps with its table beneath, and the same
//! rows as an Excel file (`?format=xlsx`). A refused filter is shown again
//! with the reason beside its field, and no figures.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use clientele_app::AppError;
use clientele_domain::Store;
use clientele_domain::report::{Report, ReportName};

use super::super::kit::{Chrome, Console, PageError, PageResult, Path, Query, Words, render};
use super::written::{InWords, Shown, cell, chart, figure, heading, shade};
use crate::report_file::workbook;
use crate::report_query::{ReportQuery, read};
use crate::state::AppState;

/// The filter's fields, each showing its own refusal.
const FIELDS: [&str; 9] = [
    "from",
    "to",
    "store_id",
    "segment_id",
    "program_id",
    "sku",
    "category",
    "days",
    "limit",
];

/// The filter as typed, to be shown again.
#[derive(Default)]
struct Typed {
    from: String,
    to: String,
    store_id: String,
    segment_id: String,
    program_id: String,
    days: String,
    limit: String,
    sku: String,
    category: String,
}

struct ShownSection {
    key: &'static str,
    heading: String,
    columns: Vec<Heading>,
    rows: Vec<ShownRow>,
    chart: Option<String>,
    /// Its rows open their customers.
    opens: bool,
    /// One row without a chart: written as figures side by side.
    single: bool,
}

struct Heading {
    text: String,
    /// The column holds figures.
    figure: bool,
}

struct ShownRow {
    cells: Vec<Shown>,
    /// The row's customers, for a row that opens them (an RFM cell).
    opens: Option<String>,
}

#[derive(Template)]
#[template(path = "reports/report.html")]
struct ReportPage<'a> {
    c: Chrome,
    w: &'a Words,
    name: &'static str,
    title: String,
    about: String,
    takes_period: bool,
    takes_days: bool,
    days_label: String,
    takes_limit: bool,
    limit_label: String,
    takes_products: bool,
    f: Typed,
    errors: BTreeMap<String, String>,
    stores: Vec<(String, String)>,
    segments: Vec<(String, String)>,
    programs: Vec<(String, String)>,
    /// The period counted, when it was cut to the history.
    note: Option<String>,
    sections: Vec<ShownSection>,
    download: String,
    /// A product is still to be named.
    unasked: bool,
}

impl ReportPage<'_> {
    fn beside_of(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }

    /// Refusals of a parameter the form has no field for (`format`, a
    /// mistyped name in an address).
    fn other_errors(&self) -> Vec<(&String, &String)> {
        self.errors
            .iter()
            .filter(|(field, _)| !FIELDS.contains(&field.as_str()))
            .collect()
    }

    fn has_chart(&self) -> bool {
        self.sections.iter().any(|s| s.chart.is_some())
    }
}

pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let name = ReportName::parse(&name).map_err(|_| PageError::NotFound)?;
    let w = &console.words;
    let mut typed = typed(&pairs);
    // A category may be typed by its name in either language.
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(key, value)| match key.as_str() {
            "category" => {
                let codes: Vec<String> = value.split(',').map(Words::category_code).collect();
                (key, codes.join(","))
            }
            _ => (key, value),
        })
        .collect();
    let mut errors = BTreeMap::new();
    let mut report = None;
    let mut xlsx = false;
    // Buyers of what? Until a product is named there is nothing to ask.
    let unasked = name.takes_products() && typed.sku.is_empty() && typed.category.is_empty();
    match read(&pairs) {
        Ok(_) if unasked => {}
        Ok(ReportQuery { asked, xlsx: file }) => {
            xlsx = file;
            let scope = console.caller.scope.as_deref();
            match state.app.report(name, &asked, scope).await {
                Ok(answer) => report = Some(answer),
                Err(AppError::Validation(refused)) => {
                    for error in &refused.0 {
                        errors.insert(error.field.clone(), w.field_error(error));
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(refused) => {
            errors.insert(refused.field.clone(), w.field_error(&refused));
        }
    }
    if let Some(report) = &report {
        if xlsx {
            let bytes = workbook(report, &InWords(w)).map_err(|error| {
                tracing::error!(%error, "a report's file was not written");
                PageError::Internal
            })?;
            return Ok(super::super::kit::workbook(bytes, &file_name(w, report)).into_response());
        }
        if let Some(period) = report.period {
            typed.from = period.from.to_string();
            typed.to = period.to.to_string();
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let note = report
        .as_ref()
        .and_then(|r| r.period)
        .filter(|p| p.cut_to_history)
        .map(|p| w.with("report-cut-to-history", "from", w.date(p.from).into()));
    let sections = report
        .as_ref()
        .map_or_else(Vec::new, |r| shown(w, r, &pairs));
    let download = download_href(&pairs);
    let (stores, segments, programs) = choices(&state, &console).await?;
    Ok(render(
        status,
        &ReportPage {
            c: console.chrome(),
            w,
            name: name.as_str(),
            title: w.t(&format!("report-{}", name.as_str())),
            about: w.t(&format!("report-{}-about", name.as_str())),
            takes_period: name.takes_period(),
            takes_days: name.takes_days(),
            days_label: w.t(&format!("report-days-{}", name.as_str())),
            takes_limit: name.takes_limit(),
            limit_label: w.t(&format!("report-limit-{}", name.as_str())),
            takes_products: name.takes_products(),
            f: typed,
            errors,
            stores,
            segments,
            programs,
            note,
            sections,
            download,
            unasked,
        },
    ))
}

fn typed(pairs: &[(String, String)]) -> Typed {
    let mut typed = Typed::default();
    for (key, value) in pairs {
        let field = match key.as_str() {
            "from" => &mut typed.from,
            "to" => &mut typed.to,
            "store_id" => &mut typed.store_id,
            "segment_id" => &mut typed.segment_id,
            "program_id" => &mut typed.program_id,
            "days" => &mut typed.days,
            "limit" => &mut typed.limit,
            "sku" => &mut typed.sku,
            "category" => &mut typed.category,
            _ => continue,
        };
        if !field.is_empty() {
            field.push_str(", ");
        }
        field.push_str(value);
    }
    typed
}

fn shown(w: &Words, report: &Report, pairs: &[(String, String)]) -> Vec<ShownSection> {
    report
        .sections
        .iter()
        .map(|section| ShownSection {
            key: section.key,
            heading: w.t(&format!("report-section-{}", section.key)),
            columns: section
                .columns
                .iter()
                .map(|c| Heading {
                    text: heading(w, c.key),
                    figure: figure(c.measure),
                })
                .collect(),
            rows: rows(w, section, pairs),
            chart: chart(w, section),
            opens: !section.opens.is_empty(),
            single: section.rows.len() == 1 && section.chart.is_none(),
        })
        .collect()
}

fn rows(
    w: &Words,
    section: &clientele_domain::report::Section,
    pairs: &[(String, String)],
) -> Vec<ShownRow> {
    let mut cells: Vec<Vec<Shown>> = section
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&section.columns)
                .map(|(value, column)| cell(w, value, column.measure))
                .collect()
        })
        .collect();
    if section.shaded {
        shade(section, &mut cells);
    }
    cells
        .into_iter()
        .zip(&section.rows)
        .map(|(cells, row)| ShownRow {
            cells,
            opens: opens(section, row, pairs),
        })
        .collect()
}

/// This page asked again with the row's values for the section's opening
/// columns (an RFM cell's recency and frequency).
fn opens(
    section: &clientele_domain::report::Section,
    row: &[clientele_domain::report::Cell],
    pairs: &[(String, String)],
) -> Option<String> {
    if section.opens.is_empty() {
        return None;
    }
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !section.opens.contains(&k.as_str()) && k != "format")
        .cloned()
        .collect();
    for key in &section.opens {
        let index = section.columns.iter().position(|c| c.key == *key)?;
        let clientele_domain::report::Cell::Int(value) = row[index] else {
            return None;
        };
        kept.push(((*key).to_owned(), value.to_string()));
    }
    Some(format!("?{}#section-customers", encoded(&kept)))
}

fn download_href(pairs: &[(String, String)]) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "format" && k != "lang")
        .cloned()
        .collect();
    kept.push(("format".into(), "xlsx".into()));
    format!("?{}", encoded(&kept))
}

fn encoded(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                super::super::kit::encode(k),
                super::super::kit::encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn file_name(w: &Words, report: &Report) -> String {
    let title = w.t(&format!("report-{}", report.name.as_str()));
    match report.period {
        Some(p) if report.name.takes_period() => format!("{title} {}—{}.xlsx", p.from, p.to),
        _ => format!("{title}.xlsx"),
    }
}

type Choices = Vec<(String, String)>;

/// The stores the caller reaches, each under its parent; the segments and
/// programs.
async fn choices(
    state: &AppState,
    console: &Console,
) -> Result<(Choices, Choices, Choices), PageError> {
    let all = state.app.stores().await?;
    let reach = console.caller.scope.as_deref();
    let mut stores = Vec::new();
    let roots: Vec<&Store> = all
        .iter()
        .filter(|s| s.parent_id.is_none_or(|p| !all.iter().any(|o| o.id == p)))
        .collect();
    let mut pending: Vec<(&Store, usize)> = roots.into_iter().rev().map(|s| (s, 0)).collect();
    // Depth first, so that each node stands under its parent.
    while let Some((store, depth)) = pending.pop() {
        if reach.is_none_or(|r| r.contains(&store.id)) {
            let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth);
            stores.push((store.id.0.to_string(), format!("{indent}{}", store.name)));
        }
        let children = all.iter().filter(|s| s.parent_id == Some(store.id)).rev();
        pending.extend(children.map(|s| (s, depth + 1)));
    }
    let segments = state
        .app
        .segments()
        .await?
        .into_iter()
        .map(|s| (s.id.0.to_string(), s.name))
        .collect();
    let programs = state
        .app
        .programs()
        .await?
        .into_iter()
        .map(|p| (p.id.0.to_string(), p.name))
        .collect();
    Ok((stores, segments, programs))
}
