//! An offer's codes as a workbook: the code, whom it was issued to, when;
//! every cell text, so a code never turns into a number.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The most codes one sheet holds, under its header.
pub const MOST_ROWS: usize = 1_048_575;

/// A sheet named `title` of `rows` under `headers`.
pub fn codes(
    title: &str,
    headers: [String; 3],
    rows: &[[String; 3]],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(title)?;
    let bold = Format::new().set_bold();
    for (column, header) in (0u16..).zip(&headers) {
        sheet.write_string_with_format(0, column, header, &bold)?;
    }
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(2, 22)?;
    for (row, cells) in (1u32..).zip(rows) {
        for (column, value) in (0u16..).zip(cells) {
            if !value.is_empty() {
                sheet.write_string(row, column, value)?;
            }
        }
    }
    book.save_to_buffer()
}
