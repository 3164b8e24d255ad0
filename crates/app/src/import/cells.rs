//! Turns one row of cells into the customer fields it holds, undoing what
//! spreadsheets do to data (phones stored as numbers, dates as serial
//! numbers) and reading the yes/no and gender words people type.

use clientele_domain::{ConsentKind, FieldError};
use jiff::civil::{Date, date};

use super::columns::{Column, ColumnMap};
use super::table::Cell;

/// The fields one row sets; `None` where the row leaves the field alone.
/// Text values are checked later by the domain's rules.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RowValues {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `female` or `male`.
    pub gender: Option<String>,
    /// `YYYY-MM-DD`, or the user's text to be checked later.
    pub birth_date: Option<String>,
    pub address: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub group: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub store_code: Option<String>,
    pub channel: Option<String>,
    pub blocked: Option<bool>,
    pub consents: Vec<(ConsentKind, bool)>,
    /// Property machine name and value.
    pub properties: Vec<(String, String)>,
}

/// Reads a row; every bad cell is reported, not just the first.
pub fn read_row(cells: &[Cell], map: &ColumnMap) -> Result<RowValues, Vec<FieldError>> {
    let mut values = RowValues::default();
    let mut errors = Vec::new();
    let mut name_parts: [Option<String>; 3] = Default::default();
    for (column, cell) in map.columns.iter().zip(cells) {
        let Some(column) = column else { continue };
        if is_blank(cell) {
            continue;
        }
        match column {
            Column::FullName => values.name = text(cell),
            Column::LastName => name_parts[0] = text(cell),
            Column::FirstName => name_parts[1] = text(cell),
            Column::MiddleName => name_parts[2] = text(cell),
            Column::Phone => values.phone = keep(phone(cell), &mut errors),
            Column::Email => values.email = text(cell),
            Column::Gender => values.gender = keep(gender(cell), &mut errors),
            Column::BirthDate => values.birth_date = keep(birth_date(cell), &mut errors),
            Column::Address => values.address = text(cell),
            Column::Region => values.region = text(cell),
            Column::City => values.city = text(cell),
            Column::Group => values.group = text(cell),
            Column::Status => values.status = text(cell).map(status),
            Column::Notes => values.notes = text(cell),
            Column::ExternalId => values.external_id = text(cell),
            Column::StoreCode => values.store_code = text(cell),
            Column::Channel => values.channel = text(cell),
            Column::Blocked => values.blocked = keep(boolean(cell, &column.key()), &mut errors),
            Column::Consent(kind) => {
                if let Some(granted) = keep(boolean(cell, &column.key()), &mut errors) {
                    values.consents.push((*kind, granted));
                }
            }
            Column::Property(name) => {
                if let Some(value) = text(cell) {
                    values.properties.push((name.clone(), value));
                }
            }
        }
    }
    if values.name.is_none() {
        let parts: Vec<String> = name_parts.into_iter().flatten().collect();
        if !parts.is_empty() {
            values.name = Some(parts.join(" "));
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

pub(super) fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

pub(super) fn is_blank(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text: numbers without a needless `.0` or exponent, dates as
/// `YYYY-MM-DD`, booleans as `true`/`false`.
pub(super) fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Text(text) => {
            let trimmed = text.trim();
            (!trimmed.is_empty()).then(|| trimmed.to_owned())
        }
        Cell::Number(number) => Some(number_text(*number)),
        Cell::Bool(value) => Some(value.to_string()),
        Cell::Date(date) => Some(date.to_string()),
    }
}

/// Rust prints floats in plain decimal, shortest form, `12345.0` as `12345`.
pub(super) fn number_text(number: f64) -> String {
    if number == 0.0 {
        // Also covers -0.0, which would print as "-0".
        "0".to_owned()
    } else {
        number.to_string()
    }
}

fn phone(cell: &Cell) -> Result<String, FieldError> {
    match cell {
        Cell::Number(number) => {
            if number.fract() == 0.0 && (1.0..1e15).contains(number) {
                Ok(format!("{}", *number as u64))
            } else {
                Err(FieldError::new(
                    "phone",
                    "invalid_phone",
                    format!(
                        "the phone cell holds the number {}, which is not a phone number",
                        number_text(*number)
                    ),
                ))
            }
        }
        Cell::Text(raw) if is_scientific(raw) => Err(FieldError::new(
            "phone",
            "rounded_phone",
            format!(
                "«{}» is a phone number a spreadsheet rounded into scientific notation, \
                 so its last digits are lost; format the phone column as text and export the file again",
                raw.trim()
            ),
        )),
        other => Ok(text(other).unwrap_or_default()),
    }
}

/// `7,91235E+10`, `7.9E+10`, `7.9e10`: how Excel shows a long number in a
/// General cell, and what a CSV saved from it keeps.
pub(super) fn is_scientific(raw: &str) -> bool {
    let Some((mantissa, exponent)) = raw.trim().split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    mantissa.starts_with(|c: char| c.is_ascii_digit())
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

fn gender(cell: &Cell) -> Result<String, FieldError> {
    let raw = text(cell).unwrap_or_default();
    let word = raw.trim_end_matches('.').to_lowercase();
    match word.as_str() {
        "м" | "муж" | "мужской" | "мужчина" | "m" | "male" => {
            Ok("male".to_owned())
        }
        "ж" | "жен" | "женский" | "женщина" | "f" | "female" => {
            Ok("female".to_owned())
        }
        _ => Err(FieldError::new(
            "gender",
            "invalid_gender",
            format!("«{raw}» is not a gender; write м or ж (male or female)"),
        )),
    }
}

fn birth_date(cell: &Cell) -> Result<String, FieldError> {
    let invalid = |what: String| FieldError::new("birth_date", "invalid_date", what);
    match cell {
        Cell::Number(serial) => excel_serial_date(*serial)
            .map(|date| date.to_string())
            .ok_or_else(|| {
                invalid(format!(
                    "{} is not an Excel date number (1 is 1900-01-01, 60 is Excel's non-existent 1900-02-29)",
                    number_text(*serial)
                ))
            }),
        Cell::Bool(value) => Err(invalid(format!("«{value}» is not a date"))),
        other => Ok(text(other).unwrap_or_default()),
    }
}

/// The last day Excel can show, 9999-12-31, is serial 2958465.
const LAST_EXCEL_SERIAL: f64 = 2_958_465.0;

/// The day of an Excel serial date in the 1900 date system, time of day
/// dropped. Excel counts a 1900-02-29 that never was (serial 60), so every
/// later serial is one day further from 1899-12-31 than the calendar says.
pub fn excel_serial_date(serial: f64) -> Option<Date> {
    if !(1.0..=LAST_EXCEL_SERIAL).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let (epoch, days) = match days {
        60 => return None,
        ..60 => (date(1899, 12, 31), days),
        _ => (date(1899, 12, 30), days),
    };
    epoch.checked_add(jiff::Span::new().days(days)).ok()
}

/// The yes/no words of forms and exports; a lone `x` or `✓` marks yes.
pub(super) fn boolean(cell: &Cell, field: &str) -> Result<bool, FieldError> {
    let parsed = match cell {
        Cell::Bool(value) => Some(*value),
        Cell::Number(number) if *number == 1.0 => Some(true),
        Cell::Number(number) if *number == 0.0 => Some(false),
        Cell::Text(raw) => match raw.trim().to_lowercase().as_str() {
            "да" | "д" | "yes" | "y" | "true" | "истина" | "1" | "+" | "x" | "х" | "v" | "✓"
            | "✔" | "вкл" | "on" => Some(true),
            "нет" | "н" | "no" | "n" | "false" | "ложь" | "0" | "-" | "–" | "—" | "выкл"
            | "off" => Some(false),
            _ => None,
        },
        _ => None,
    };
    parsed.ok_or_else(|| {
        FieldError::new(
            field,
            "invalid_bool",
            format!(
                "«{}» is not yes or no; write да/нет, 1/0 or x for yes",
                text(cell).unwrap_or_default()
            ),
        )
    })
}

/// REGOS writes the status in Russian: Введён / Контроль / Архив.
fn status(raw: String) -> String {
    let canonical = match raw.to_lowercase().replace('ё', "е").as_str() {
        "введен" | "активен" | "активный" => "active",
        "контроль" => "incomplete",
        "архив" | "в архиве" => "archived",
        _ => return raw,
    };
    canonical.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::match_headers;
    use crate::import::table::{FileKind, read_table};
    use clientele_domain::PropertyName;

    fn map(headers: &[&str]) -> ColumnMap {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        match_headers(&headers, &[])
    }

    fn text_cell(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    fn read_one(header: &str, cell: Cell) -> Result<RowValues, Vec<FieldError>> {
        read_row(&[cell], &map(&[header]))
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors
            .iter()
            .map(|error| (error.field.as_str(), error.code))
            .collect()
    }

    #[test]
    fn excel_serials_in_the_1900_system() {
        assert_eq!(excel_serial_date(1.0), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial_date(59.0), Some(date(1900, 2, 28)));
        assert_eq!(excel_serial_date(60.0), None);
        assert_eq!(excel_serial_date(61.0), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial_date(32874.0), Some(date(1990, 1, 1)));
        assert_eq!(excel_serial_date(45000.0), Some(date(2023, 3, 15)));
        assert_eq!(excel_serial_date(45000.99), Some(date(2023, 3, 15)));
        assert_eq!(excel_serial_date(2_958_465.0), Some(date(9999, 12, 31)));
        assert_eq!(excel_serial_date(2_958_466.0), None);
        assert_eq!(excel_serial_date(0.0), None);
        assert_eq!(excel_serial_date(-5.0), None);
        assert_eq!(excel_serial_date(f64::NAN), None);
    }

    #[test]
    fn birth_date_cells() {
        let read = |cell| read_one("Дата рождения", cell);
        assert_eq!(
            read(Cell::Date(date(1985, 7, 9))).unwrap().birth_date,
            Some("1985-07-09".into())
        );
        assert_eq!(
            read(Cell::Number(32874.0)).unwrap().birth_date,
            Some("1990-01-01".into())
        );
        assert_eq!(
            read(text_cell(" 01.02.1990 ")).unwrap().birth_date,
            Some("01.02.1990".into())
        );
        for bad in [0.0, 60.0, 79123456789.0] {
            let errors = read(Cell::Number(bad)).unwrap_err();
            assert_eq!(codes(&errors), [("birth_date", "invalid_date")]);
        }
        let errors = read(Cell::Number(60.0)).unwrap_err();
        assert!(errors[0].message.starts_with("60 is not an Excel date"));
    }

    #[test]
    fn phones_stored_as_numbers() {
        let read = |cell| read_one("Телефон", cell).map(|values| values.phone);
        assert_eq!(
            read(Cell::Number(79123456789.0)),
            Ok(Some("79123456789".into()))
        );
        assert_eq!(
            read(Cell::Number(7.9123456789e10)),
            Ok(Some("79123456789".into()))
        );
        assert_eq!(
            read(text_cell(" +7 (912) 345-67-89 ")),
            Ok(Some("+7 (912) 345-67-89".into()))
        );
        let errors = read(Cell::Number(7912345.5)).unwrap_err();
        assert_eq!(codes(&errors), [("phone", "invalid_phone")]);
    }

    #[test]
    fn phones_rounded_by_a_spreadsheet_are_refused() {
        for rounded in ["7,91235E+10", "7.9E+10", "7.91235e10", " 8,9E+10 "] {
            let errors = read_one("Телефон", text_cell(rounded)).unwrap_err();
            assert_eq!(codes(&errors), [("phone", "rounded_phone")], "{rounded}");
            assert!(
                errors[0]
                    .message
                    .contains("format the phone column as text")
            );
            assert!(errors[0].message.contains(rounded.trim()));
        }
        for fine in ["89123456789", "Eva", "+7 912 E", "E+10"] {
            assert!(read_one("Телефон", text_cell(fine)).is_ok(), "{fine}");
        }
    }

    #[test]
    fn gender_words() {
        for (word, expected) in [
            ("м", "male"),
            ("Муж.", "male"),
            ("МУЖСКОЙ", "male"),
            ("m", "male"),
            ("Male", "male"),
            ("мужчина", "male"),
            ("Ж", "female"),
            ("жен", "female"),
            ("Женский", "female"),
            ("F", "female"),
            ("female", "female"),
            ("женщина", "female"),
        ] {
            assert_eq!(
                read_one("Пол", text_cell(word)).unwrap().gender,
                Some(expected.to_owned()),
                "{word}"
            );
        }
        let errors = read_one("Пол", text_cell("кот")).unwrap_err();
        assert_eq!(codes(&errors), [("gender", "invalid_gender")]);
        assert!(errors[0].message.contains("«кот»"));
        assert!(read_one("Пол", Cell::Number(1.0)).is_err());
    }

    #[test]
    fn yes_and_no_words() {
        let read = |cell| read_one("Согласие на SMS", cell).map(|values| values.consents);
        for yes in ["да", "Yes", "TRUE", "1", "+", "x", "X", "✓", "ИСТИНА"] {
            assert_eq!(
                read(text_cell(yes)),
                Ok(vec![(ConsentKind::Sms, true)]),
                "{yes}"
            );
        }
        for no in ["нет", "No", "false", "0", "-", "ЛОЖЬ"] {
            assert_eq!(
                read(text_cell(no)),
                Ok(vec![(ConsentKind::Sms, false)]),
                "{no}"
            );
        }
        assert_eq!(read(Cell::Bool(true)), Ok(vec![(ConsentKind::Sms, true)]));
        assert_eq!(read(Cell::Number(0.0)), Ok(vec![(ConsentKind::Sms, false)]));
        assert_eq!(read(Cell::Empty), Ok(vec![]));
        let errors = read(text_cell("может быть")).unwrap_err();
        assert_eq!(codes(&errors), [("consent_sms", "invalid_bool")]);
        assert!(errors[0].message.contains("«может быть»"));
        let errors = read(Cell::Number(2.0)).unwrap_err();
        assert_eq!(codes(&errors), [("consent_sms", "invalid_bool")]);

        let blocked = read_one("Заблокирован", text_cell("да")).unwrap();
        assert_eq!(blocked.blocked, Some(true));
        let errors = read_one("Блокировка", text_cell("?")).unwrap_err();
        assert_eq!(codes(&errors), [("blocked", "invalid_bool")]);
    }

    #[test]
    fn full_name_wins_over_parts() {
        let parts = map(&["Фамилия", "Имя", "Отчество"]);
        let values = read_row(
            &[text_cell("Иванова"), text_cell("Анна"), Cell::Empty],
            &parts,
        )
        .unwrap();
        assert_eq!(values.name, Some("Иванова Анна".into()));
        let both = map(&["Имя", "ФИО", "Фамилия"]);
        let values = read_row(
            &[
                text_cell("Анна"),
                text_cell("Петрова Анна"),
                text_cell("Иванова"),
            ],
            &both,
        )
        .unwrap();
        assert_eq!(values.name, Some("Петрова Анна".into()));
        let values = read_row(&[text_cell("Анна"), Cell::Empty, Cell::Empty], &both).unwrap();
        assert_eq!(values.name, Some("Анна".into()));
    }

    #[test]
    fn numbers_in_text_columns() {
        let columns = map(&["Код клиента", "Код магазина", "Примечание", "Город"]);
        let values = read_row(
            &[
                Cell::Number(12345.0),
                Cell::Number(17.0),
                Cell::Number(2.5),
                Cell::Number(1e20),
            ],
            &columns,
        )
        .unwrap();
        assert_eq!(values.external_id, Some("12345".into()));
        assert_eq!(values.store_code, Some("17".into()));
        assert_eq!(values.notes, Some("2.5".into()));
        assert_eq!(values.city, Some("100000000000000000000".into()));
    }

    #[test]
    fn property_cells_in_canonical_text() {
        let vision = PropertyName::parse("vision").unwrap();
        let properties = [clientele_domain::PropertyDefinition {
            id: clientele_domain::PropertyId(1),
            name: vision,
            label: "Зрение".into(),
            kind: clientele_domain::PropertyKind::Number,
            choices: Vec::new(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }];
        let columns = match_headers(&["Зрение".to_owned()], &properties);
        let read = |cell| read_row(&[cell], &columns).unwrap().properties;
        assert_eq!(
            read(Cell::Number(-1.25)),
            [("vision".to_owned(), "-1.25".to_owned())]
        );
        assert_eq!(
            read(Cell::Number(3.0)),
            [("vision".to_owned(), "3".to_owned())]
        );
        assert_eq!(
            read(Cell::Number(1e-7)),
            [("vision".to_owned(), "0.0000001".to_owned())]
        );
        assert_eq!(
            read(Cell::Bool(false)),
            [("vision".to_owned(), "false".to_owned())]
        );
        assert_eq!(
            read(Cell::Date(date(2024, 2, 29))),
            [("vision".to_owned(), "2024-02-29".to_owned())]
        );
        assert_eq!(
            read(text_cell(" -2 ")),
            [("vision".to_owned(), "-2".to_owned())]
        );
        assert_eq!(read(Cell::Empty), []);
    }

    #[test]
    fn russian_statuses_read_as_ours() {
        let read = |raw| read_one("Статус", text_cell(raw)).unwrap().status;
        assert_eq!(read("Введён"), Some("active".into()));
        assert_eq!(read("КОНТРОЛЬ"), Some("incomplete".into()));
        assert_eq!(read("Архив"), Some("archived".into()));
        assert_eq!(read("archived"), Some("archived".into()));
        assert_eq!(read("Спящий"), Some("Спящий".into()));
    }

    #[test]
    fn empty_cells_leave_fields_alone() {
        let columns = map(&["ФИО", "Телефон", "Пол", "Заблокирован", "Email"]);
        let values = read_row(&[Cell::Empty, text_cell("  "), Cell::Empty], &columns).unwrap();
        assert_eq!(values, RowValues::default());
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported() {
        let columns = map(&["ФИО", "Телефон", "Пол", "ДР", "SMS", "Город"]);
        let errors = read_row(
            &[
                text_cell("Иванов"),
                text_cell("7,91235E+10"),
                text_cell("?"),
                Cell::Number(60.0),
                text_cell("да"),
                text_cell("Тверь"),
            ],
            &columns,
        )
        .unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("phone", "rounded_phone"),
                ("gender", "invalid_gender"),
                ("birth_date", "invalid_date"),
            ]
        );
    }

    #[test]
    fn a_spreadsheet_row_end_to_end() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        let headers = [
            "Покупатель",
            "Моб. телефон",
            "Дата рождения",
            "Пол",
            "Согласие на SMS",
        ];
        for (column, header) in headers.into_iter().enumerate() {
            sheet.write_string(0, column as u16, header).unwrap();
        }
        sheet.write_string(1, 0, "Смирнова Ольга").unwrap();
        sheet.write_number(1, 1, 79123456789.0).unwrap();
        sheet
            .write_date_with_format(
                1,
                2,
                rust_xlsxwriter::ExcelDateTime::from_ymd(1988, 3, 8).unwrap(),
                &date_format,
            )
            .unwrap();
        sheet.write_string(1, 3, "ж").unwrap();
        sheet.write_number(1, 4, 1).unwrap();
        let table = read_table(&workbook.save_to_buffer().unwrap(), FileKind::Xlsx).unwrap();
        let columns = match_headers(&table.headers, &[]);
        assert!(columns.unknown.is_empty());
        let values = read_row(&table.rows[0].cells, &columns).unwrap();
        assert_eq!(
            values,
            RowValues {
                name: Some("Смирнова Ольга".into()),
                phone: Some("79123456789".into()),
                gender: Some("female".into()),
                birth_date: Some("1988-03-08".into()),
                consents: vec![(ConsentKind::Sms, true)],
                ..RowValues::default()
            }
        );
    }
}
