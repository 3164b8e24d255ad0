//! A report as every reader gets it: sections of rows under named columns,
//! each column saying what its figures measure. The API writes the rows as
//! JSON, the console as tables and charts, the download as sheets; none
//! of them knows one report from another.

use jiff::civil::Date;

use super::{Period, ReportName};

/// What a column's figures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Text,
    /// A code (a channel, a kind of entry) the console writes in words: the
    /// words under `{prefix}-{code}`.
    Term(&'static str),
    /// A product category as the till sent it: a known code in words.
    Category,
    /// A day, or the first day of a week the row covers.
    Date,
    /// A month, as its first day.
    Month,
    Count,
    /// Minor units.
    Money,
    /// Hundredths of a point.
    Points,
    /// Thousandths of a unit (a kilogram, a piece).
    Quantity,
    /// A part of a whole, written as a share.
    Share,
    /// A customer's id: the console links it to the customer.
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's name in the API and the key of its heading.
    pub key: &'static str,
    pub measure: Measure,
}

impl Column {
    pub const fn new(key: &'static str, measure: Measure) -> Column {
        Column { key, measure }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date(Date),
    Int(i64),
    Share { part: i64, whole: i64 },
    Blank,
}

impl Cell {
    /// A share, blank when there is no whole to take it of.
    pub fn share(part: i64, whole: i64) -> Cell {
        if whole == 0 {
            Cell::Blank
        } else {
            Cell::Share { part, whole }
        }
    }

    /// An average in whole minor units (half up), blank over nothing.
    pub fn average(sum: i64, count: i64) -> Cell {
        if count == 0 {
            Cell::Blank
        } else {
            let doubled = 2 * sum + count.signum() * count;
            Cell::Int(doubled.div_euclid(2 * count))
        }
    }

    pub fn text(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Blank, |v| Cell::Text(v.into()))
    }

    /// The share as a fraction rounded to four places, for readers that
    /// take numbers.
    pub fn ratio(part: i64, whole: i64) -> f64 {
        // Counts below 2^53 convert exactly; four places are plenty.
        #[allow(clippy::cast_precision_loss)]
        let ratio = part as f64 / whole as f64;
        (ratio * 10_000.0).round() / 10_000.0
    }
}

/// How a section is drawn: the first column along the bottom, the named
/// columns as bars or lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chart {
    pub bars: Vec<&'static str>,
    pub lines: Vec<&'static str>,
    /// The bars stand on each other (parts of one whole).
    pub stacked: bool,
}

/// One table of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's name in the API and the key of its heading.
    pub key: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Option<Chart>,
    /// Columns whose values, asked again as parameters, open a row's
    /// customers (an RFM cell's).
    pub opens: Vec<&'static str>,
    /// Its figures are compared across the table (a matrix): the console
    /// shades each by its size.
    pub shaded: bool,
}

impl Section {
    pub fn new(key: &'static str, columns: &[Column]) -> Section {
        Section {
            key,
            columns: columns.to_vec(),
            rows: Vec::new(),
            chart: None,
            opens: Vec::new(),
            shaded: false,
        }
    }

    pub fn shaded(mut self) -> Section {
        self.shaded = true;
        self
    }

    pub fn opening(mut self, columns: &[&'static str]) -> Section {
        self.opens = columns.to_vec();
        self
    }

    pub fn drawn(mut self, chart: Chart) -> Section {
        self.chart = Some(chart);
        self
    }

    /// Adds a row; it must have a cell for each column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "a row of {}", self.key);
        self.rows.push(row);
    }
}

/// A report as answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: ReportName,
    /// The days it covers, for the reports that cover some.
    pub period: Option<Period>,
    pub sections: Vec<Section>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_half_up_and_shares_need_a_whole() {
        assert_eq!(Cell::average(10, 4), Cell::Int(3));
        assert_eq!(Cell::average(9, 4), Cell::Int(2));
        assert_eq!(Cell::average(-10, 4), Cell::Int(-2));
        assert_eq!(Cell::average(5, 0), Cell::Blank);
        assert_eq!(Cell::share(1, 0), Cell::Blank);
        assert_eq!(Cell::ratio(1, 3), 0.3333);
    }
}
