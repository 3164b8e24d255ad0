//! An offer's codes as a workbook, written as they are read: the code,
//! whom it was issued to (their name, phone or card, and number), when;
//! every cell text, so a code or a card never turns into a number. Rows stream to a temporary file, so a million codes fit
//! in little memory.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The most rows one sheet holds, the header among them.
const MOST_ROWS: u32 = 1_048_576;
/// The columns, and how wide each is drawn.
const WIDTHS: [f64; COLUMNS] = [18.0, 30.0, 20.0, 14.0, 22.0];
pub const COLUMNS: usize = 5;

pub struct CodeSheet {
    book: Workbook,
    next: u32,
}

impl CodeSheet {
    /// A sheet named `title` under `headers`.
    pub fn new(title: &str, headers: [String; COLUMNS]) -> Result<CodeSheet, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(title)?;
        // Widths come before the rows in a sheet written as it goes.
        for (column, width) in (0u16..).zip(WIDTHS) {
            sheet.set_column_width(column, width)?;
        }
        let bold = Format::new().set_bold();
        for (column, header) in (0u16..).zip(&headers) {
            sheet.write_string_with_format(0, column, header, &bold)?;
        }
        Ok(CodeSheet { book, next: 1 })
    }

    /// Adds a row; `false` when the sheet is full and it was not added.
    pub fn add(&mut self, cells: [String; COLUMNS]) -> Result<bool, XlsxError> {
        if self.next >= MOST_ROWS {
            return Ok(false);
        }
        let sheet = self.book.worksheet_from_index(0)?;
        for (column, value) in (0u16..).zip(&cells) {
            if !value.is_empty() {
                sheet.write_string(self.next, column, value)?;
            }
        }
        self.next += 1;
        Ok(true)
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.book.save_to_buffer()
    }
}
