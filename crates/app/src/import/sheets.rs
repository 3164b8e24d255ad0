//! The workbooks an import hands back: an empty list to fill in, and the
//! rows it refused, which the user fixes and uploads again.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::run::RejectedRow;
use super::table::{Cell, Table};

/// An empty sheet under these headers, every column text, so that a phone
/// typed in stays the digits it was.
pub fn template_workbook(headers: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let text = Format::new().set_num_format("@");
    write_headers(sheet, headers)?;
    for column in 0..headers.len() {
        sheet.set_column_format(column as u16, &text)?;
    }
    book.save_to_buffer()
}

/// The refused rows as the file held them, then the row number and the
/// reasons under `row_header` and `reasons_header`: columns no import
/// recognises, so the fixed file uploads as it is.
pub fn rejected_workbook(
    table: &Table,
    rejected: &[RejectedRow],
    row_header: &str,
    reasons_header: &str,
    describe: impl Fn(&RejectedRow) -> String,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let mut headers = table.headers.clone();
    headers.extend([row_header.to_owned(), reasons_header.to_owned()]);
    write_headers(sheet, &headers)?;
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let width = table.headers.len() as u16;
    // Rejected rows come sorted by number, as do the table's rows.
    let mut rows = table.rows.iter().peekable();
    for (line, refused) in rejected.iter().enumerate() {
        let line = line as u32 + 1;
        while rows.next_if(|row| row.number < refused.row).is_some() {}
        if let Some(row) = rows.next_if(|row| row.number == refused.row) {
            for (column, cell) in row.cells.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(text) => {
                        sheet.write_string(line, column, text)?;
                    }
                    Cell::Number(number) => {
                        sheet.write_number(line, column, *number)?;
                    }
                    Cell::Bool(value) => {
                        sheet.write_boolean(line, column, *value)?;
                    }
                    Cell::Date(day) => {
                        let day = ExcelDateTime::from_ymd(
                            day.year() as u16,
                            day.month() as u8,
                            day.day() as u8,
                        )?;
                        sheet.write_date_with_format(line, column, &day, &date)?;
                    }
                }
            }
        }
        sheet.write_number(line, width, refused.row as f64)?;
        sheet.write_string(line, width + 1, describe(refused))?;
    }
    book.save_to_buffer()
}

fn write_headers(sheet: &mut Worksheet, headers: &[String]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &bold)?;
        sheet.set_column_width(column as u16, 18)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_domain::FieldError;

    use crate::import::table::{FileKind, TableRow, read_table};

    #[test]
    fn rejected_rows_read_back_with_their_number_and_reasons() {
        let table = Table {
            headers: vec!["ФИО".into(), "Телефон".into(), "ДР".into()],
            rows: [2, 3, 5]
                .into_iter()
                .map(|number| TableRow {
                    number,
                    cells: vec![
                        Cell::Text(format!("Клиент {number}")),
                        Cell::Number(79120000000.0 + number as f64),
                        Cell::Date(jiff::civil::date(1990, 1, number as i8)),
                    ],
                })
                .collect(),
        };
        let rejected = [
            RejectedRow {
                row: 3,
                reasons: vec![
                    FieldError::new("phone", "invalid_phone", "bad"),
                    FieldError::new("email", "invalid_email", "bad"),
                ],
            },
            RejectedRow {
                row: 5,
                reasons: vec![FieldError::new("name", "required", "missing")],
            },
        ];
        let bytes = rejected_workbook(
            &table,
            &rejected,
            "Строка",
            "Причины",
            RejectedRow::described,
        )
        .unwrap();
        let back = read_table(&bytes, FileKind::Xlsx).unwrap();
        assert_eq!(back.headers, ["ФИО", "Телефон", "ДР", "Строка", "Причины"]);
        assert_eq!(back.rows.len(), 2);
        assert_eq!(
            back.rows[0].cells,
            [
                Cell::Text("Клиент 3".into()),
                Cell::Number(79120000003.0),
                Cell::Date(jiff::civil::date(1990, 1, 3)),
                Cell::Number(3.0),
                Cell::Text("phone: bad; email: bad".into()),
            ]
        );
        assert_eq!(back.rows[1].cells[3], Cell::Number(5.0));
    }

    #[test]
    fn the_template_is_its_headers() {
        let headers = vec!["ФИО".to_owned(), "Телефон".to_owned()];
        let bytes = template_workbook(&headers).unwrap();
        let back = read_table(&bytes, FileKind::Xlsx).unwrap();
        assert_eq!(back.headers, headers);
        assert!(back.rows.is_empty());
    }
}
