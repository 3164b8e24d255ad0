//! `/api/v1/reports/{name}`: every report as JSON (sections of rows under
//! named columns) or as an Excel file of the same rows.

use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clientele_app::AppError;
use clientele_domain::report::{Cell, Measure, Report, ReportName};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::answers::Contract;
use crate::access::Caller;
use crate::extract::{Path, QueryPairs};
use crate::problem::ApiError;
use crate::report_file::{Names, workbook};
use crate::report_query::read;
use crate::state::AppState;

/// The Excel file's media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBody {
    /// The report's name, as in the path.
    pub report: String,
    pub period: Option<PeriodBody>,
    pub sections: Vec<SectionBody>,
}

/// The days the report covers, both included, in the shop's calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodBody {
    pub from: String,
    pub to: String,
    /// How rows by period group the days: `day`, `week` (from Monday) or
    /// `month`.
    pub bucket: String,
    /// The period asked began before the first receipt and starts there.
    pub cut_to_history: bool,
}

/// One table of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionBody {
    /// The section's name (e.g. `receipts`, `reachability`, `customers`).
    pub key: String,
    pub columns: Vec<ColumnBody>,
    /// Each row an object keyed by the columns' names; a figure that has
    /// no value (an average over nothing) is null.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnBody {
    pub key: String,
    /// `text`, `term` (a code: a channel, a figure's name), `category`
    /// (as the till sent it), `date`,
    /// `month` (its first day),
    /// `count`, `money` (minor units), `points` (hundredths), `quantity`
    /// (thousandths of a unit), `share` (a
    /// fraction, four places) or `customer` (a customer's id).
    pub measure: String,
}

/// A report, narrowed to the period, a node of the store hierarchy, a
/// segment and a program; a store-scoped caller's figures hold only their
/// stores. `format=xlsx` answers the same rows as an Excel file.
#[utoipa::path(get, path = "/api/v1/reports/{name}", tag = "reports",
    params(
        ("name" = String, Path, description = "`sales`, `base-quality`, `product-buyers`, `discounts`, `points`, `rfm`, `cohorts`, `customers-top`, `customers-lapsed` or `effect` (offers and campaigns against their control groups)."),
        ("from" = Option<String>, Query, description = "The first day, `YYYY-MM-DD` (default: 29 days before `to`); before the first receipt, the period starts there."),
        ("to" = Option<String>, Query, description = "The last day, `YYYY-MM-DD` (default: today); not after today, at most 3,660 days after `from`."),
        ("store_id" = Option<i64>, Query, minimum = 1, description = "A region, city, district or store: the figures of every store under it."),
        ("segment_id" = Option<i64>, Query, minimum = 1, description = "Only the segment's customers."),
        ("program_id" = Option<i64>, Query, minimum = 1, description = "Only customers holding a card of the program."),
        ("days" = Option<i32>, Query, minimum = 1, maximum = 3660, description = "Active customers bought within this many days; lapsed ones not (default 90)."),
        ("sku" = Option<String>, Query, description = "Product buyers: the SKUs bought (repeat, or split by commas)."),
        ("category" = Option<String>, Query, description = "Product buyers: the categories bought (repeat, or split by commas)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "Customers a list holds, 1–10,000 (default 100)."),
        ("recency" = Option<u8>, Query, minimum = 1, maximum = 5, description = "RFM: list the customers of this recency (with `frequency`, of that cell)."),
        ("frequency" = Option<u8>, Query, minimum = 1, maximum = 5, description = "RFM: list the customers of this frequency (with `recency`, of that cell)."),
        ("format" = Option<String>, Query, description = "`json` (default) or `xlsx`."),
        ("lang" = Option<String>, Query, description = "Read by the console; the API's files are headed by the columns' names."),
    ),
    responses(
        (status = 200, description = "The report, as JSON or as an Excel file.",
            content((ReportBody = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, description = "There is no report of that name, or no store, segment or program of the id given."),
        (status = 422, description = "A parameter is refused: a period the wrong way round, in the future or longer than ten years, a date not as `YYYY-MM-DD`, a store outside the caller's."),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, ApiError> {
    let name = ReportName::parse(&name).map_err(|_| AppError::NotFound("report"))?;
    let query = read(&pairs).map_err(AppError::from_field)?;
    let report = state
        .app
        .report(name, &query.asked, caller.scope.as_deref())
        .await?;
    if query.xlsx {
        let bytes = workbook(&report, &Names).map_err(ApiError::internal)?;
        let file = format!("attachment; filename=\"{}.xlsx\"", name.as_str());
        return Ok((
            [
                (axum::http::header::CONTENT_TYPE, XLSX.to_owned()),
                (axum::http::header::CONTENT_DISPOSITION, file),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(axum::Json(body(&report)).into_response())
}

fn body(report: &Report) -> ReportBody {
    ReportBody {
        report: report.name.as_str().into(),
        period: report.period.map(|p| PeriodBody {
            from: p.from.to_string(),
            to: p.to.to_string(),
            bucket: p.bucket().as_str().into(),
            cut_to_history: p.cut_to_history,
        }),
        sections: report
            .sections
            .iter()
            .map(|section| SectionBody {
                key: section.key.into(),
                columns: section
                    .columns
                    .iter()
                    .map(|c| ColumnBody {
                        key: c.key.into(),
                        measure: measure(c.measure).into(),
                    })
                    .collect(),
                rows: section
                    .rows
                    .iter()
                    .map(|row| {
                        section
                            .columns
                            .iter()
                            .zip(row)
                            .map(|(c, cell)| (c.key.to_owned(), value(cell)))
                            .collect()
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn measure(measure: Measure) -> &'static str {
    match measure {
        Measure::Text => "text",
        Measure::Term(_) => "term",
        Measure::Category => "category",
        Measure::Date => "date",
        Measure::Month => "month",
        Measure::Count => "count",
        Measure::Money => "money",
        Measure::Points => "points",
        Measure::Quantity => "quantity",
        Measure::Share => "share",
        Measure::Customer => "customer",
    }
}

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(text) => Value::String(text.clone()),
        Cell::Date(date) => Value::String(date.to_string()),
        Cell::Int(n) => json!(n),
        Cell::Share { part, whole } => json!(Cell::ratio(*part, *whole)),
        Cell::Blank => Value::Null,
    }
}

/// The report names the path takes, as the document lists them.
pub(super) fn contracts() -> Vec<Contract> {
    let names: Vec<&str> = ReportName::ALL.iter().map(|r| r.as_str()).collect();
    vec![
        Contract::Parameter(
            "GET /api/v1/reports/{name}",
            "name",
            json!({"type": "string", "enum": names}),
        ),
        Contract::Parameter(
            "GET /api/v1/reports/{name}",
            "format",
            json!({"type": "string", "enum": ["json", "xlsx"]}),
        ),
    ]
}
