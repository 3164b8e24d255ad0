//! A report's figures in the reader's words: each cell as the page writes
//! it, the headings, the charts' data, and the words a downloaded file is
//! headed with.

use clientele_domain::report::{Cell, Chart, Measure, Section};
use serde::Serialize;

use super::super::kit::{Lang, Words, percent, script_json};
use crate::report_file::Labels;

/// A cell as the page writes it.
pub struct Shown {
    pub text: String,
    /// A customer's page.
    pub href: Option<String>,
    /// Right-aligned: a figure.
    pub figure: bool,
    /// How strongly it is shaded against the rest of its table, 0–60 (%
    /// of the accent colour).
    pub heat: Option<u8>,
}

/// A column of figures, set to the right.
pub fn figure(measure: Measure) -> bool {
    !matches!(
        measure,
        Measure::Text | Measure::Term(_) | Measure::Category | Measure::Date | Measure::Month
    )
}

pub fn cell(w: &Words, cell: &Cell, measure: Measure) -> Shown {
    let figure = figure(measure);
    let text = match (cell, measure) {
        (Cell::Blank, _) => "—".to_owned(),
        (Cell::Text(code), Measure::Term(prefix)) => w.t(&format!("{prefix}-{code}")),
        (Cell::Text(code), Measure::Category) => w.category(code),
        (Cell::Text(text), _) => text.clone(),
        (Cell::Date(date), Measure::Month) => month(w, *date),
        (Cell::Date(date), _) => w.date(*date),
        (Cell::Int(n), Measure::Money) => w.money(*n),
        (Cell::Int(n), Measure::Points) => w.points(*n),
        (Cell::Int(n), Measure::Quantity) => quantity(w, *n),
        (Cell::Int(n), _) => counted(w, *n),
        (Cell::Share { part, whole }, _) => share(w, *part, *whole),
    };
    let href = match (cell, measure) {
        (Cell::Int(id), Measure::Customer) => Some(format!("/customers/{id}")),
        _ => None,
    };
    Shown {
        text,
        href,
        figure,
        heat: None,
    }
}

/// Shades the cells of a shaded section: those measured as its last
/// column is (the matrix's counts, the cohorts' shares), the first
/// column (what the row is) left plain; each by its share of the largest.
pub fn shade(section: &Section, rows: &mut [Vec<Shown>]) {
    let Some(last) = section.columns.last().map(|c| c.measure) else {
        return;
    };
    let value = |cell: &Cell| match cell {
        Cell::Int(n) => Some(*n as f64),
        Cell::Share { part, whole } => Some(Cell::ratio(*part, *whole)),
        _ => None,
    };
    let shaded = |column: usize| column > 0 && section.columns[column].measure == last;
    let largest = section
        .rows
        .iter()
        .flat_map(|row| row.iter().enumerate())
        .filter(|(column, _)| shaded(*column))
        .filter_map(|(_, cell)| value(cell))
        .fold(0.0_f64, f64::max);
    if largest <= 0.0 {
        return;
    }
    for (row, shown) in section.rows.iter().zip(rows.iter_mut()) {
        for (column, (cell, out)) in row.iter().zip(shown.iter_mut()).enumerate() {
            if shaded(column)
                && let Some(v) = value(cell)
            {
                // 0 to 60 % of the accent: the darkest still reads.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let heat = (v / largest * 60.0).round().clamp(0.0, 60.0) as u8;
                out.heat = Some(heat);
            }
        }
    }
}

/// A month as a heading names it: `Ноябрь 2026`.
fn month(w: &Words, date: jiff::civil::Date) -> String {
    format!(
        "{} {}",
        w.t(&format!("month-name-{}", date.month())),
        date.year()
    )
}

/// A quantity from thousandths, without the zeros after its last digit:
/// `1,532`, `2`.
fn quantity(w: &Words, milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let whole = w.count(abs / 1000);
    match abs % 1000 {
        0 => format!("{sign}{whole}"),
        fraction => {
            let digits = format!("{fraction:03}");
            let point = match w.lang {
                Lang::Ru => ',',
                Lang::En => '.',
            };
            format!("{sign}{whole}{point}{}", digits.trim_end_matches('0'))
        }
    }
}

fn counted(w: &Words, n: i64) -> String {
    let digits = w.count(n.unsigned_abs());
    if n < 0 { format!("-{digits}") } else { digits }
}

/// A share as a percentage to a tenth: `12,3 %`.
fn share(w: &Words, part: i64, whole: i64) -> String {
    // Basis points, rounded half up, then to a tenth of a percent.
    let bp = (part * 20_000 + whole) / (2 * whole);
    percent(w, (bp + 5) / 10 * 10)
}

pub fn heading(w: &Words, column: &str) -> String {
    // A cohort's later months are numbered: `month_3`.
    match column
        .strip_prefix("month_")
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(n) => w.with("report-col-month-later", "count", n.into()),
        None => w.t(&format!("report-col-{column}")),
    }
}

/// What `assets/report.js` draws for a section.
#[derive(Serialize)]
struct Drawn {
    labels: Vec<String>,
    bars: Vec<Series>,
    lines: Vec<Series>,
    stacked: bool,
}

#[derive(Serialize)]
struct Series {
    label: String,
    data: Vec<Option<f64>>,
}

/// The section's chart as JSON for the page's script, when it has one
/// and rows to draw.
pub fn chart(w: &Words, section: &Section) -> Option<String> {
    if section.rows.is_empty() {
        return None;
    }
    let Chart {
        bars,
        lines,
        stacked,
    } = section.chart.as_ref()?;
    let labels = section
        .rows
        .iter()
        .map(|row| match (row.first(), section.columns[0].measure) {
            (Some(Cell::Date(date)), Measure::Month) => short_month(w, *date),
            (Some(Cell::Date(date)), _) => w.short_date(*date),
            (Some(first), measure) => cell(w, first, measure).text,
            (None, _) => String::new(),
        })
        .collect();
    let series = |keys: &[&'static str]| -> Vec<Series> {
        keys.iter()
            .filter_map(|key| {
                let index = section.columns.iter().position(|c| c.key == *key)?;
                let measure = section.columns[index].measure;
                let data = section
                    .rows
                    .iter()
                    .map(|row| plotted(&row[index], measure))
                    .collect();
                Some(Series {
                    label: heading(w, key),
                    data,
                })
            })
            .collect()
    };
    Some(script_json(&Drawn {
        labels,
        bars: series(bars),
        lines: series(lines),
        stacked: *stacked,
    }))
}

/// A month on a chart's axis: `Ноя 2026`.
fn short_month(w: &Words, date: jiff::civil::Date) -> String {
    let name: String = w
        .t(&format!("month-name-{}", date.month()))
        .chars()
        .take(3)
        .collect();
    format!("{name} {}", date.year())
}

/// A figure on the chart's axis: money in roubles, points in points.
fn plotted(cell: &Cell, measure: Measure) -> Option<f64> {
    // Exact to the kopeck below 2^53.
    #[allow(clippy::cast_precision_loss)]
    match (cell, measure) {
        (Cell::Int(n), Measure::Money | Measure::Points) => Some(*n as f64 / 100.0),
        (Cell::Int(n), Measure::Quantity) => Some(*n as f64 / 1000.0),
        (Cell::Int(n), _) => Some(*n as f64),
        (Cell::Share { part, whole }, _) => Some(Cell::ratio(*part, *whole) * 100.0),
        _ => None,
    }
}

/// A downloaded file's words: the page's.
pub struct InWords<'a>(pub &'a Words);

impl Labels for InWords<'_> {
    fn sheet(&self, section: &str) -> String {
        self.0.t(&format!("report-section-{section}"))
    }

    fn heading(&self, _: &str, column: &str) -> String {
        heading(self.0, column)
    }

    fn term(&self, prefix: &str, code: &str) -> String {
        self.0.t(&format!("{prefix}-{code}"))
    }

    fn category(&self, code: &str) -> String {
        self.0.category(code)
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::super::super::kit::Lang;
    use super::*;

    #[test]
    fn shares_read_to_a_tenth_of_a_percent() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        assert_eq!(share(&w, 1, 3), "33,3\u{a0}%");
        assert_eq!(share(&w, 1, 8), "12,5\u{a0}%");
        assert_eq!(share(&w, 2, 2), "100\u{a0}%");
        let cell_text = cell(&w, &Cell::Int(-1234), Measure::Count).text;
        assert_eq!(cell_text, "-1\u{a0}234");
        assert_eq!(quantity(&w, 1_532), "1,532");
        assert_eq!(quantity(&w, 2_000), "2");
        assert_eq!(quantity(&w, 500), "0,5");
    }
}
