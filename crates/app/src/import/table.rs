//! Reads a customer file into a header and rows of cells: CSV in whatever
//! encoding and delimiter a shop's software wrote, or the first worksheet of
//! an .xlsx workbook. A list (phones or card numbers, one a line) may come
//! without a header.

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{
    Data, DataRef, ExcelDateTime, Reader, ReaderRef, SheetType, Xls, XlsError, Xlsx, XlsxError,
};
use jiff::civil::Date;

/// One cell as the file holds it, before any column gives it a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Never blank: blank text is [`Cell::Empty`].
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
    /// Excel 97–2003.
    Xls,
}

impl FileKind {
    /// By extension: `.csv`/`.txt`, `.xlsx`/`.xlsm` or `.xls`, in any case.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "txt" => Some(FileKind::Csv),
            "xlsx" | "xlsm" => Some(FileKind::Xlsx),
            "xls" => Some(FileKind::Xls),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Trimmed column names; trailing unnamed columns are dropped.
    pub headers: Vec<String>,
    /// Non-blank data rows, each with exactly one cell per header.
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// The row as the user sees it in Excel or a text editor: the header is
    /// usually row 1, so the first data row is 2.
    pub number: usize,
    pub cells: Vec<Cell>,
}

#[derive(thiserror::Error, Debug)]
pub enum TableError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: only .csv, .txt, .xlsx, .xlsm and .xls files can be imported; save the file in one of these formats", path.display())]
    UnsupportedKind { path: PathBuf },
    #[error("the file is empty")]
    Empty,
    #[error("the first worksheet «{sheet}» is empty")]
    EmptySheet { sheet: String },
    #[error("the workbook has no worksheet")]
    NoWorksheet,
    #[error(
        "no header row: row {row} holds data, not column names; the first filled row must name the columns (ФИО, Телефон, …)"
    )]
    NoHeaderRow { row: usize },
    #[error("broken CSV at row {row}: {message}")]
    Csv { row: usize, message: String },
    #[error("this is an old Excel 97–2003 workbook (.xls); open it in Excel and save it as .xlsx")]
    LegacyExcel,
    #[error("the workbook is password-protected; remove the password in Excel and save it again")]
    Encrypted,
    #[error(
        "the file is not an .xlsx workbook ({0}); if it is a CSV file, give it the .csv extension"
    )]
    NotSpreadsheet(String),
    #[error("the workbook is damaged and cannot be read: {0}")]
    Unreadable(String),
}

/// Reads a file, choosing CSV or XLSX by its extension.
pub fn read_table_file(path: &Path) -> Result<Table, TableError> {
    let kind = FileKind::from_path(path).ok_or_else(|| TableError::UnsupportedKind {
        path: path.to_owned(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| TableError::Io {
        path: path.to_owned(),
        source,
    })?;
    read_table(&bytes, kind)
}

/// Reads a file whose first filled row names its columns.
pub fn read_table(bytes: &[u8], kind: FileKind) -> Result<Table, TableError> {
    read(bytes, kind, Header::Required)
}

/// Reads a list: its first filled row names the columns only when no cell
/// of it holds a digit; otherwise the columns are unnamed and that row is
/// the list's first.
pub fn read_list(bytes: &[u8], kind: FileKind) -> Result<Table, TableError> {
    read(bytes, kind, Header::Optional)
}

fn read(bytes: &[u8], kind: FileKind, header: Header) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    match kind {
        FileKind::Csv => read_csv(bytes, header),
        FileKind::Xlsx => read_xlsx(bytes, header),
        // A workbook saved as .xlsx and renamed .xls is still read.
        FileKind::Xls if bytes.starts_with(b"PK\x03\x04") => read_xlsx(bytes, header),
        FileKind::Xls => read_xls(bytes, header),
    }
}

/// Whether the first filled row must name the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Required,
    Optional,
}

/// Collects rows: the first non-blank one is the header (when it is one),
/// blank ones are skipped.
struct TableBuilder {
    header: Header,
    table: Option<Table>,
}

impl TableBuilder {
    fn new(header: Header) -> TableBuilder {
        TableBuilder {
            header,
            table: None,
        }
    }

    /// How many cells a data row keeps, once the header is known.
    fn width(&self) -> Option<usize> {
        self.table.as_ref().map(|table| table.headers.len())
    }

    fn push(&mut self, number: usize, mut cells: Vec<Cell>) -> Result<(), TableError> {
        match &mut self.table {
            None => {
                if cells.iter().all(Cell::is_empty) {
                    return Ok(());
                }
                if self.header == Header::Optional && cells.iter().any(holds_digit) {
                    let width = cells
                        .iter()
                        .rposition(|c| !c.is_empty())
                        .map_or(0, |i| i + 1);
                    self.table = Some(Table {
                        headers: vec![String::new(); width],
                        rows: Vec::new(),
                    });
                    return self.push(number, cells);
                }
                let mut headers: Vec<String> = cells.into_iter().map(header_text).collect();
                while headers.last().is_some_and(String::is_empty) {
                    headers.pop();
                }
                // A header names something; a row of numbers and dates is data.
                if !headers.iter().any(|h| h.chars().any(char::is_alphabetic)) {
                    return Err(TableError::NoHeaderRow { row: number });
                }
                self.table = Some(Table {
                    headers,
                    rows: Vec::new(),
                });
            }
            Some(table) => {
                cells.resize(table.headers.len(), Cell::Empty);
                if !cells.iter().all(Cell::is_empty) {
                    table.rows.push(TableRow { number, cells });
                }
            }
        }
        Ok(())
    }
}

/// A phone, a card number or a date: what a header never holds.
fn holds_digit(cell: &Cell) -> bool {
    match cell {
        Cell::Text(text) => text.chars().any(|c| c.is_ascii_digit()),
        Cell::Number(_) | Cell::Date(_) => true,
        Cell::Empty | Cell::Bool(_) => false,
    }
}

fn header_text(cell: Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text,
        Cell::Number(number) => number.to_string(),
        Cell::Bool(value) => value.to_string(),
        Cell::Date(date) => date.to_string(),
    }
}

fn text_cell(raw: &str) -> Cell {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(trimmed.to_owned())
    }
}

fn read_csv(bytes: &[u8], header: Header) -> Result<Table, TableError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text.as_bytes()))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut builder = TableBuilder::new(header);
    let mut lines = LineCounter::new(text.as_bytes());
    let mut last_record = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                return Err(TableError::Csv {
                    row: lines.line_at(reader.position().byte()),
                    message: error.to_string(),
                });
            }
        }
        let start = record
            .position()
            .expect("the csv reader records where each record starts")
            .byte();
        let number = lines.line_at(start);
        last_record = Some((number, lines.offset));
        let width = builder.width().unwrap_or(record.len());
        let mut cells = Vec::with_capacity(width);
        cells.extend(record.iter().take(width).map(text_cell));
        builder.push(number, cells)?;
    }
    if let Some((row, start)) = last_record {
        check_closed_quotes(&text[start..], row)?;
    }
    builder.table.ok_or(TableError::Empty)
}

/// Line numbers as a text editor shows them. The csv reader's own count
/// starts a record where reading began, before the blank lines it skips.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first content at or after `byte`, which must not lie
    /// before the previous call's.
    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte).map_or(self.text.len(), |b| b.min(self.text.len()));
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        for index in self.offset..start {
            let byte = self.text[index];
            // A lone CR ends a line too, as in old Mac files.
            if byte == b'\n' || (byte == b'\r' && self.text.get(index + 1) != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.offset = start;
        self.line
    }
}

/// A quote that is never closed swallows the rest of the file into one
/// field without the csv reader complaining; it always ends up in the last
/// record, so an odd number of quotes in a multi-line last record gives it away.
fn check_closed_quotes(last_record: &str, row: usize) -> Result<(), TableError> {
    let last = last_record.trim_end();
    let quotes = last.bytes().filter(|&b| b == b'"').count();
    if last.contains('\n') && quotes % 2 == 1 {
        return Err(TableError::Csv {
            row,
            message: "a quote (\") opened in this row is never closed, so every following line would be read as one cell".to_owned(),
        });
    }
    Ok(())
}

/// UTF-8 (with or without BOM) or UTF-16 with BOM as is; anything else that
/// is not valid UTF-8 is what Russian Windows writes: Windows-1251.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_length..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The delimiter used most often, outside quotes, in the first line with
/// content; `;` when there is none, since Russian Excel writes `;`.
fn detect_delimiter(text: &[u8]) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b'\t', b','];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut has_content = false;
    for &byte in text {
        if byte == b'"' {
            in_quotes = !in_quotes;
            has_content = true;
        } else if in_quotes {
            continue;
        } else if byte == b'\n' || byte == b'\r' {
            if has_content {
                break;
            }
            counts = [0; 3];
        } else if let Some(index) = CANDIDATES.iter().position(|&c| c == byte) {
            counts[index] += 1;
        } else if byte != b' ' {
            has_content = true;
        }
    }
    let mut best = 0;
    for index in 1..CANDIDATES.len() {
        if counts[index] > counts[best] {
            best = index;
        }
    }
    CANDIDATES[best]
}

/// Old .xls files are OLE compound documents, which start with these bytes.
const COMPOUND_FILE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn read_xlsx(bytes: &[u8], header: Header) -> Result<Table, TableError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|error| match error {
        XlsxError::Password => TableError::Encrypted,
        XlsxError::Zip(_) if bytes.starts_with(&COMPOUND_FILE_MAGIC) => TableError::LegacyExcel,
        XlsxError::Zip(error) => TableError::NotSpreadsheet(error.to_string()),
        other => TableError::Unreadable(other.to_string()),
    })?;
    let sheet = workbook
        .sheets_metadata()
        .iter()
        .find(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .ok_or(TableError::NoWorksheet)?;
    let range = workbook
        .worksheet_range_ref(&sheet)
        .map_err(|error| TableError::Unreadable(error.to_string()))?;
    let Some((first_row, _)) = range.start() else {
        return Err(TableError::EmptySheet { sheet });
    };
    let mut builder = TableBuilder::new(header);
    for (offset, row) in range.rows().enumerate() {
        let number = first_row as usize + offset + 1;
        let width = builder.width().unwrap_or(row.len());
        let mut cells = Vec::with_capacity(width);
        cells.extend(row.iter().take(width).map(xlsx_cell));
        builder.push(number, cells)?;
    }
    builder.table.ok_or(TableError::EmptySheet { sheet })
}

fn read_xls(bytes: &[u8], header: Header) -> Result<Table, TableError> {
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(|error| match error {
        XlsError::Password => TableError::Encrypted,
        XlsError::Cfb(error) => TableError::NotSpreadsheet(error.to_string()),
        other => TableError::Unreadable(other.to_string()),
    })?;
    let sheet = workbook
        .sheets_metadata()
        .iter()
        .find(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .ok_or(TableError::NoWorksheet)?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|error| TableError::Unreadable(error.to_string()))?;
    let Some((first_row, _)) = range.start() else {
        return Err(TableError::EmptySheet { sheet });
    };
    let mut builder = TableBuilder::new(header);
    for (offset, row) in range.rows().enumerate() {
        let number = first_row as usize + offset + 1;
        let width = builder.width().unwrap_or(row.len());
        let cells = row
            .iter()
            .take(width)
            .map(|value| xlsx_cell(&data_ref(value)))
            .collect();
        builder.push(number, cells)?;
    }
    builder.table.ok_or(TableError::EmptySheet { sheet })
}

/// An .xls cell as the .xlsx reader sees one, so both read alike.
fn data_ref(value: &Data) -> DataRef<'_> {
    match value {
        Data::Int(number) => DataRef::Int(*number),
        Data::Float(number) => DataRef::Float(*number),
        Data::String(text) => DataRef::String(text.clone()),
        Data::Bool(value) => DataRef::Bool(*value),
        Data::DateTime(datetime) => DataRef::DateTime(*datetime),
        Data::DateTimeIso(text) => DataRef::DateTimeIso(text.clone()),
        Data::DurationIso(text) => DataRef::DurationIso(text.clone()),
        Data::Error(error) => DataRef::Error(error.clone()),
        Data::Empty => DataRef::Empty,
    }
}

fn xlsx_cell(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::String(text) | DataRef::DurationIso(text) => text_cell(text),
        DataRef::SharedString(text) => text_cell(text),
        DataRef::Int(number) => Cell::Number(*number as f64),
        DataRef::Float(number) => Cell::Number(*number),
        DataRef::Bool(value) => Cell::Bool(*value),
        DataRef::DateTime(datetime) => excel_datetime_cell(datetime),
        DataRef::DateTimeIso(text) => text
            .get(..10)
            .and_then(|date| date.parse::<Date>().ok())
            .map_or_else(|| text_cell(text), Cell::Date),
        DataRef::Error(_) | DataRef::Empty => Cell::Empty,
    }
}

fn excel_datetime_cell(datetime: &ExcelDateTime) -> Cell {
    if datetime.is_duration() {
        return Cell::Number(datetime.as_f64());
    }
    let (year, month, day, ..) = datetime.to_ymd_hms_milli();
    match Date::new(year as i16, month as i8, day as i8) {
        Ok(date) => Cell::Date(date),
        // Excel's fictitious 1900-02-29: keep what it shows, so the date
        // check later names it.
        Err(_) => Cell::Text(format!("{year:04}-{month:02}-{day:02}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn text(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    fn csv(content: &str) -> Table {
        read_table(content.as_bytes(), FileKind::Csv).expect("readable CSV")
    }

    /// A file in the temp dir, removed even when the test fails.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str) -> TempFile {
            TempFile(
                std::env::temp_dir()
                    .join(format!("clientele-import-{}-{name}", std::process::id())),
            )
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn file_kind_by_extension() {
        assert_eq!(FileKind::from_path(Path::new("a.CSV")), Some(FileKind::Csv));
        assert_eq!(FileKind::from_path(Path::new("a.txt")), Some(FileKind::Csv));
        assert_eq!(
            FileKind::from_path(Path::new("/x/база.xlsx")),
            Some(FileKind::Xlsx)
        );
        assert_eq!(
            FileKind::from_path(Path::new("a.xlsm")),
            Some(FileKind::Xlsx)
        );
        assert_eq!(FileKind::from_path(Path::new("a.XLS")), Some(FileKind::Xls));
        assert_eq!(FileKind::from_path(Path::new("README")), None);
    }

    #[test]
    fn utf8_with_bom_and_semicolons() {
        let table = csv("\u{feff}ФИО;Телефон;Email\r\nИванов Иван;+7 912 345-67-89;\r\n");
        assert_eq!(table.headers, ["ФИО", "Телефон", "Email"]);
        assert_eq!(
            table.rows,
            [TableRow {
                number: 2,
                cells: vec![text("Иванов Иван"), text("+7 912 345-67-89"), Cell::Empty],
            }]
        );
    }

    #[test]
    fn windows_1251_with_semicolons() {
        let source = "Фамилия;Имя;Город\nЁлкина;Алёна;Вологда\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(source);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let table = read_table(&bytes, FileKind::Csv).unwrap();
        assert_eq!(table.headers, ["Фамилия", "Имя", "Город"]);
        assert_eq!(
            table.rows[0].cells,
            [text("Ёлкина"), text("Алёна"), text("Вологда")]
        );
    }

    #[test]
    fn utf16_from_excel_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Имя\tТелефон\r\nОля\t79120000000\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let table = read_table(&bytes, FileKind::Csv).unwrap();
        assert_eq!(table.headers, ["Имя", "Телефон"]);
        assert_eq!(table.rows[0].cells, [text("Оля"), text("79120000000")]);
    }

    #[test]
    fn commas_with_quotes_and_embedded_newline() {
        let table = csv(concat!(
            "name,notes,phone\n",
            "\"Petrov, Ivan\",\"likes \"\"green\"\" tea\nand cake\",79123456789\n",
            "Sidorova Anna,,79120000001\n",
        ));
        assert_eq!(table.headers, ["name", "notes", "phone"]);
        assert_eq!(
            table.rows[0],
            TableRow {
                number: 2,
                cells: vec![
                    text("Petrov, Ivan"),
                    text("likes \"green\" tea\nand cake"),
                    text("79123456789")
                ],
            }
        );
        // The quoted newline takes a line of the file, so the next row is line 4.
        assert_eq!(table.rows[1].number, 4);
        assert_eq!(table.rows[1].cells[1], Cell::Empty);
    }

    #[test]
    fn tab_separated() {
        let table = csv("ФИО\tТелефон\tПримечание, важное\nИванов\t7912\tда, нет\n");
        assert_eq!(table.headers, ["ФИО", "Телефон", "Примечание, важное"]);
        assert_eq!(
            table.rows[0].cells,
            [text("Иванов"), text("7912"), text("да, нет")]
        );
    }

    #[test]
    fn delimiter_counts_only_outside_quotes() {
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e\n"), b',');
        assert_eq!(detect_delimiter(b"a;b,c;d\n"), b';');
        assert_eq!(detect_delimiter(b"\n;;\nphone\n"), b';');
        assert_eq!(detect_delimiter(b"\n\na,b\n"), b',');
    }

    #[test]
    fn blank_lines_skipped_with_true_row_numbers() {
        let table = csv("\n\nФИО;Телефон;;\n\nИванов;1;;\n   \n;;\nПетров\n");
        assert_eq!(table.headers, ["ФИО", "Телефон"]);
        let numbers: Vec<usize> = table.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, [5, 8]);
        // Short rows are padded, the trailing unnamed columns dropped.
        assert_eq!(table.rows[0].cells, [text("Иванов"), text("1")]);
        assert_eq!(table.rows[1].cells, [text("Петров"), Cell::Empty]);
    }

    #[test]
    fn unclosed_quote_is_a_broken_csv() {
        let error = read_table(
            "ФИО;Телефон\nИванов;1\n\"Петров;2\nСидоров;3\n".as_bytes(),
            FileKind::Csv,
        )
        .unwrap_err();
        assert!(matches!(error, TableError::Csv { row: 3, .. }), "{error}");
        assert!(error.to_string().starts_with("broken CSV at row 3: "));
    }

    #[test]
    fn empty_and_headerless_files() {
        assert!(matches!(
            read_table(b"", FileKind::Csv),
            Err(TableError::Empty)
        ));
        assert!(matches!(
            read_table(b"\r\n ; ;\n\n", FileKind::Csv),
            Err(TableError::Empty)
        ));
        assert!(matches!(
            read_table("\n79123456789;01.02.1990\n".as_bytes(), FileKind::Csv),
            Err(TableError::NoHeaderRow { row: 2 })
        ));
        let table = csv("ФИО;Телефон\n");
        assert!(table.rows.is_empty());
    }

    #[test]
    fn a_list_names_its_column_or_starts_at_once() {
        let bare = read_list(
            "+7 912 345-67-89\n\n89120000001\n".as_bytes(),
            FileKind::Csv,
        )
        .unwrap();
        assert_eq!(bare.headers, [""]);
        let numbers: Vec<usize> = bare.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, [1, 3]);
        assert_eq!(bare.rows[0].cells, [text("+7 912 345-67-89")]);
        let headed = read_list("Телефон\n79120000001\n".as_bytes(), FileKind::Csv).unwrap();
        assert_eq!(headed.headers, ["Телефон"]);
        assert_eq!(headed.rows[0].number, 2);
        assert!(matches!(
            read_list(b" \n", FileKind::Csv),
            Err(TableError::Empty)
        ));
    }

    #[test]
    fn not_a_workbook() {
        let error = read_table(b"name;phone\n", FileKind::Xlsx).unwrap_err();
        assert!(matches!(error, TableError::NotSpreadsheet(_)), "{error}");
        let mut xls = COMPOUND_FILE_MAGIC.to_vec();
        xls.resize(4096, 0);
        let error = read_table(&xls, FileKind::Xlsx).unwrap_err();
        assert!(matches!(error, TableError::LegacyExcel), "{error}");
    }

    #[test]
    fn unknown_extension_and_missing_file() {
        let error = read_table_file(Path::new("clients.ods")).unwrap_err();
        assert!(matches!(error, TableError::UnsupportedKind { .. }));
        let missing = TempFile::new("missing.csv");
        let error = read_table_file(&missing.0).unwrap_err();
        assert!(matches!(error, TableError::Io { .. }));
        assert!(error.to_string().starts_with("cannot read "));
    }

    #[test]
    fn real_xlsx_with_numbers_dates_and_a_blank_row() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        let born = rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 1, 1).unwrap();
        // The header starts on row 2: row 1 is left blank, as hand-made lists do.
        for (column, header) in ["ФИО", "Телефон", "Дата рождения", "ДР", "VIP"]
            .into_iter()
            .enumerate()
        {
            sheet.write_string(1, column as u16, header).unwrap();
        }
        sheet.write_string(2, 0, "  Иванова Анна ").unwrap();
        sheet.write_number(2, 1, 79123456789.0).unwrap();
        sheet
            .write_date_with_format(2, 2, &born, &date_format)
            .unwrap();
        sheet.write_number(2, 3, 32874).unwrap();
        sheet.write_boolean(2, 4, true).unwrap();
        sheet.write_string(4, 0, "Петров").unwrap();
        sheet.write_string(4, 6, "beyond the header").unwrap();
        let file = TempFile::new("customers.xlsx");
        workbook.save(&file.0).unwrap();

        let table = read_table_file(&file.0).unwrap();
        assert_eq!(
            table.headers,
            ["ФИО", "Телефон", "Дата рождения", "ДР", "VIP"]
        );
        assert_eq!(
            table.rows,
            [
                TableRow {
                    number: 3,
                    cells: vec![
                        text("Иванова Анна"),
                        Cell::Number(79123456789.0),
                        Cell::Date(date(1990, 1, 1)),
                        Cell::Number(32874.0),
                        Cell::Bool(true),
                    ],
                },
                TableRow {
                    number: 5,
                    cells: vec![
                        text("Петров"),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty
                    ],
                },
            ]
        );
    }

    #[test]
    fn xlsx_fictitious_leap_day_stays_visible() {
        let datetime = ExcelDateTime::new(60.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(excel_datetime_cell(&datetime), text("1900-02-29"));
        let datetime = ExcelDateTime::new(45000.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            excel_datetime_cell(&datetime),
            Cell::Date(date(2023, 3, 15))
        );
    }

    #[test]
    fn old_excel_workbook() {
        let bytes = include_bytes!("../../tests/data/customers.xls");
        let table = read_table(bytes, FileKind::Xls).unwrap();
        assert_eq!(table.headers, ["ФИО", "Телефон", "Дата рождения", "VIP"]);
        assert_eq!(
            table.rows,
            [
                TableRow {
                    number: 2,
                    cells: vec![
                        text("Иванова Анна"),
                        Cell::Number(79123456789.0),
                        Cell::Date(date(1990, 5, 17)),
                        Cell::Bool(true),
                    ],
                },
                TableRow {
                    number: 4,
                    cells: vec![
                        text("Петров Пётр"),
                        text("+7 903 111-22-33"),
                        Cell::Empty,
                        Cell::Empty
                    ],
                },
            ]
        );
        let error = read_table(b"name;phone\n", FileKind::Xls).unwrap_err();
        assert!(matches!(error, TableError::NotSpreadsheet(_)), "{error}");
    }

    #[test]
    fn empty_workbook() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.add_worksheet().set_name("Клиенты").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let error = read_table(&bytes, FileKind::Xlsx).unwrap_err();
        assert_eq!(error.to_string(), "the first worksheet «Клиенты» is empty");
    }

    #[test]
    fn hundred_thousand_rows() {
        let mut content = String::from("ФИО;Телефон;Email;Пол;ДР;Город;Группа;Код;Магазин;SMS\n");
        for i in 0..100_000 {
            content.push_str(&format!(
                "Клиент {i};7912{i:07};c{i}@example.ru;ж;01.02.1990;Вологда;Розница;{i};17;да\n"
            ));
        }
        let table = csv(&content);
        assert_eq!(table.rows.len(), 100_000);
        let last = table.rows.last().unwrap();
        assert_eq!(last.number, 100_001);
        assert_eq!(last.cells[1], text("79120099999"));
    }
}
