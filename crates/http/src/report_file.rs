//! A report as a workbook: a sheet per section, headings on top, each
//! figure a number Excel can add up (money in roubles, points in points,
//! shares as percentages, days as dates). The API heads its columns with
//! their names; the console in the reader's words.

use clientele_domain::report::{Cell, Measure, Report};
use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// The words a file is written in.
pub trait Labels {
    /// A sheet's name (a section's).
    fn sheet(&self, section: &str) -> String;
    /// A column's heading.
    fn heading(&self, section: &str, column: &str) -> String;
    /// A code written in words (`Measure::Term`).
    fn term(&self, prefix: &str, code: &str) -> String;
    /// A product category as the till sent it.
    fn category(&self, code: &str) -> String;
}

/// The names the API knows: sections, columns and codes as they are.
pub struct Names;

impl Labels for Names {
    fn sheet(&self, section: &str) -> String {
        section.to_owned()
    }

    fn heading(&self, _: &str, column: &str) -> String {
        column.to_owned()
    }

    fn term(&self, _: &str, code: &str) -> String {
        code.to_owned()
    }

    fn category(&self, code: &str) -> String {
        code.to_owned()
    }
}

/// Excel's longest sheet name.
const SHEET_NAME: usize = 31;

pub fn workbook(report: &Report, labels: &dyn Labels) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let month = Format::new().set_num_format("yyyy-mm");
    let amount = Format::new().set_num_format("#,##0.00");
    let quantity = Format::new().set_num_format("#,##0.###");
    let share = Format::new().set_num_format("0.0%");
    let mut names: Vec<String> = Vec::new();
    for section in &report.sections {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(unique(&mut names, labels.sheet(section.key)))?;
        for (column, width) in (0u16..).zip(&section.columns) {
            let wide = if width.measure == Measure::Text {
                28.0
            } else {
                16.0
            };
            sheet.set_column_width(column, wide)?;
        }
        for (column, c) in (0u16..).zip(&section.columns) {
            sheet.write_string_with_format(0, column, labels.heading(section.key, c.key), &bold)?;
        }
        for (row, cells) in (1u32..).zip(&section.rows) {
            for ((column, cell), c) in (0u16..).zip(cells).zip(&section.columns) {
                let formats = Formats {
                    day: &day,
                    month: &month,
                    quantity: &quantity,
                    amount: &amount,
                    share: &share,
                };
                write(sheet, row, column, cell, c.measure, labels, &formats)?;
            }
        }
    }
    book.save_to_buffer()
}

struct Formats<'a> {
    day: &'a Format,
    month: &'a Format,
    quantity: &'a Format,
    amount: &'a Format,
    share: &'a Format,
}

fn write(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    measure: Measure,
    labels: &dyn Labels,
    formats: &Formats<'_>,
) -> Result<(), XlsxError> {
    // Sums below 2^53 kopecks convert exactly; a workbook reads floats.
    #[allow(clippy::cast_precision_loss)]
    match (cell, measure) {
        (Cell::Blank, _) => {}
        (Cell::Text(code), Measure::Term(prefix)) => {
            sheet.write_string(row, column, labels.term(prefix, code))?;
        }
        (Cell::Text(code), Measure::Category) => {
            sheet.write_string(row, column, labels.category(code))?;
        }
        (Cell::Text(text), _) => {
            sheet.write_string(row, column, text)?;
        }
        (Cell::Date(date), Measure::Month) => {
            sheet.write_datetime_with_format(row, column, excel_day(*date)?, formats.month)?;
        }
        (Cell::Date(date), _) => {
            sheet.write_datetime_with_format(row, column, excel_day(*date)?, formats.day)?;
        }
        (Cell::Int(n), Measure::Money | Measure::Points) => {
            sheet.write_number_with_format(row, column, *n as f64 / 100.0, formats.amount)?;
        }
        (Cell::Int(n), Measure::Quantity) => {
            sheet.write_number_with_format(row, column, *n as f64 / 1000.0, formats.quantity)?;
        }
        (Cell::Int(n), _) => {
            sheet.write_number(row, column, *n as f64)?;
        }
        (Cell::Share { part, whole }, _) => {
            sheet.write_number_with_format(
                row,
                column,
                Cell::ratio(*part, *whole),
                formats.share,
            )?;
        }
    }
    Ok(())
}

fn excel_day(date: Date) -> Result<ExcelDateTime, XlsxError> {
    let month = u8::try_from(date.month()).unwrap_or(1);
    let day = u8::try_from(date.day()).unwrap_or(1);
    let year = u16::try_from(date.year()).unwrap_or(1900);
    ExcelDateTime::from_ymd(year, month, day)
}

/// A sheet name Excel takes: short enough, without the characters it
/// refuses, and not already used in the book.
fn unique(names: &mut Vec<String>, wanted: String) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(SHEET_NAME - 3)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while names.iter().any(|taken| taken.eq_ignore_ascii_case(&name)) {
        name = format!("{clean} {n}");
        n += 1;
    }
    names.push(name.clone());
    name
}
