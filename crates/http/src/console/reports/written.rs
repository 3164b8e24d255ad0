//! A report's figures in the reader's words: each cell as the page writes
//! it, the headings, the charts' data, and the words a downloaded file is
//! headed with.

use clientele_domain::report::{Cell, Chart, Measure, Section};
use serde::Serialize;

use super::super::kit::{Words, percent, script_json};
use crate::report_file::Labels;

/// A cell as the page writes it.
pub struct Shown {
    pub text: String,
    /// A customer's page.
    pub href: Option<String>,
    /// Right-aligned: a figure.
    pub figure: bool,
}

/// A column of figures, set to the right.
pub fn figure(measure: Measure) -> bool {
    !matches!(
        measure,
        Measure::Text | Measure::Term(_) | Measure::Date | Measure::Month
    )
}

pub fn cell(w: &Words, cell: &Cell, measure: Measure) -> Shown {
    let figure = figure(measure);
    let text = match (cell, measure) {
        (Cell::Blank, _) => "—".to_owned(),
        (Cell::Text(code), Measure::Term(prefix)) => w.t(&format!("{prefix}-{code}")),
        (Cell::Text(text), _) => text.clone(),
        (Cell::Date(date), Measure::Month) => month(w, *date),
        (Cell::Date(date), _) => w.date(*date),
        (Cell::Int(n), Measure::Money) => w.money(*n),
        (Cell::Int(n), Measure::Points) => w.points(*n),
        (Cell::Int(n), _) => counted(w, *n),
        (Cell::Share { part, whole }, _) => share(w, *part, *whole),
    };
    let href = match (cell, measure) {
        (Cell::Int(id), Measure::Customer) => Some(format!("/customers/{id}")),
        _ => None,
    };
    Shown { text, href, figure }
}

/// A month as a heading names it: `Ноябрь 2026`.
fn month(w: &Words, date: jiff::civil::Date) -> String {
    format!(
        "{} {}",
        w.t(&format!("month-name-{}", date.month())),
        date.year()
    )
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
    w.t(&format!("report-col-{column}"))
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

/// The section's chart as JSON for the page's script, when it has one.
pub fn chart(w: &Words, section: &Section) -> Option<String> {
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
    }
}
