//! Turns one row of a card file into the card it describes: the barcode as
//! the card shows it (a spreadsheet's number undone), its symbology when the
//! file does not say, the owner's keys and the balance in hundredths of a
//! point, read exactly from its decimal text.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::customer::parse_date;
use clientele_domain::{FieldError, Phone};
use jiff::civil::Date;

use super::card_columns::CardColumn;
use super::cells::{boolean, excel_serial_date, is_blank, is_scientific, keep, number_text, text};
use super::table::Cell;

/// The most points one card may bring: a typo's safeguard, far above any
/// real balance.
const MAX_POINTS: i64 = 1_000_000_000 * 100;

#[derive(Debug, Clone, PartialEq)]
pub struct CardRowValues {
    pub barcode: Barcode,
    pub symbology: Symbology,
    pub phone: Option<Phone>,
    pub external_id: Option<String>,
    pub group: Option<String>,
    /// Hundredths of a point.
    pub points: i64,
    pub points_expire_on: Option<Date>,
    pub blocked: bool,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

/// Reads a row; every bad cell is reported, not just the first.
pub fn read_card_row(
    cells: &[Cell],
    columns: &[Option<CardColumn>],
) -> Result<CardRowValues, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut barcode_text = None;
    let mut symbology = None;
    let mut values = CardRowValues {
        barcode: Barcode::from_stored(String::new()),
        symbology: Symbology::Code128,
        phone: None,
        external_id: None,
        group: None,
        points: 0,
        points_expire_on: None,
        blocked: false,
        valid_from: None,
        valid_to: None,
    };
    for (column, cell) in columns.iter().zip(cells) {
        let Some(column) = column else { continue };
        if is_blank(cell) {
            continue;
        }
        match column {
            CardColumn::Barcode => barcode_text = keep(card_number(cell), &mut errors),
            CardColumn::Symbology => symbology = keep(read_symbology(cell), &mut errors),
            CardColumn::Phone => {
                values.phone = keep(
                    phone_text(cell).and_then(|raw| Phone::parse(&raw)),
                    &mut errors,
                );
            }
            CardColumn::ExternalId => values.external_id = text(cell),
            CardColumn::Group => values.group = text(cell),
            CardColumn::Points => values.points = keep(points(cell), &mut errors).unwrap_or(0),
            CardColumn::PointsExpireOn => {
                values.points_expire_on = keep(date(cell, column), &mut errors)
            }
            CardColumn::Blocked => {
                values.blocked = keep(boolean(cell, column.key()), &mut errors).unwrap_or(false);
            }
            CardColumn::ValidFrom => values.valid_from = keep(date(cell, column), &mut errors),
            CardColumn::ValidTo => values.valid_to = keep(date(cell, column), &mut errors),
        }
    }
    match barcode_text {
        Some(raw) => {
            let symbology = symbology.unwrap_or_else(|| inferred_symbology(&raw));
            // A number cell drops an EAN-13's leading zeros.
            let raw = if symbology == Symbology::Ean13 && raw.len() < 13 {
                format!("{raw:0>13}")
            } else {
                raw
            };
            match Barcode::parse(&raw, symbology) {
                Ok(barcode) => {
                    values.barcode = barcode;
                    values.symbology = symbology;
                }
                Err(error) => errors.push(error),
            }
        }
        None if !errors.iter().any(|e| e.field == "barcode") => errors.push(FieldError::new(
            "barcode",
            "required",
            "the card number is empty",
        )),
        None => {}
    }
    if let (Some(from), Some(to)) = (values.valid_from, values.valid_to)
        && to < from
    {
        errors.push(FieldError::new(
            "valid_to",
            "before_valid_from",
            format!("the card is valid to {to}, before it is valid from {from}"),
        ));
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Thirteen digits are an EAN-13 (whose check digit must then be right),
/// other printable ASCII is Code 128, anything else a QR code.
fn inferred_symbology(raw: &str) -> Symbology {
    if raw.len() == 13 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Symbology::Ean13
    } else if raw.len() <= 48 && raw.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Symbology::Code128
    } else {
        Symbology::Qr
    }
}

fn read_symbology(cell: &Cell) -> Result<Symbology, FieldError> {
    let raw = text(cell).unwrap_or_default();
    let key: String = raw
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    match key.as_str() {
        "ean13" | "ean" => Ok(Symbology::Ean13),
        "code128" | "128" => Ok(Symbology::Code128),
        "qr" | "qrcode" => Ok(Symbology::Qr),
        _ => Err(FieldError::new(
            "symbology",
            "invalid",
            format!("«{raw}» is not a symbology: write EAN-13, Code 128 or QR"),
        )),
    }
}

/// A long number in a spreadsheet cell, as the digits it stood for.
fn whole_number(cell: &Cell, field: &str, what: &str) -> Result<String, FieldError> {
    match cell {
        Cell::Number(number) if number.fract() == 0.0 && (0.0..1e15).contains(number) => {
            Ok(format!("{}", *number as u64))
        }
        Cell::Number(number) => Err(FieldError::new(
            field,
            "invalid",
            format!(
                "the {what} cell holds the number {}, which is not a {what}",
                number_text(*number)
            ),
        )),
        Cell::Text(raw) if is_scientific(raw) => Err(FieldError::new(
            field,
            "rounded",
            format!(
                "«{}» is a {what} a spreadsheet rounded into scientific notation, so its last \
                 digits are lost; format the column as text and export the file again",
                raw.trim()
            ),
        )),
        other => Ok(text(other).unwrap_or_default()),
    }
}

fn card_number(cell: &Cell) -> Result<String, FieldError> {
    whole_number(cell, "barcode", "card number")
}

fn phone_text(cell: &Cell) -> Result<String, FieldError> {
    whole_number(cell, "phone", "phone number")
}

/// Points with at most two decimals (`150`, `1 234,5`, `99.99`), never
/// negative.
fn points(cell: &Cell) -> Result<i64, FieldError> {
    let invalid = |message: String| FieldError::new("points", "invalid", message);
    let hundredths = match cell {
        Cell::Number(number) => {
            let scaled = number * 100.0;
            if (scaled - scaled.round()).abs() > 1e-6 || !scaled.is_finite() {
                return Err(invalid(format!(
                    "{} has more than two decimals",
                    number_text(*number)
                )));
            }
            scaled.round() as i64
        }
        other => {
            let raw = text(other).unwrap_or_default();
            decimal_hundredths(&raw).ok_or_else(|| {
                invalid(format!(
                    "«{raw}» is not a number of points (at most two decimals, like 150 or 99,50)"
                ))
            })?
        }
    };
    if hundredths < 0 {
        return Err(invalid("a balance cannot be negative".into()));
    }
    if hundredths > MAX_POINTS {
        return Err(invalid(format!(
            "a balance over {} points is surely a mistake",
            MAX_POINTS / 100
        )));
    }
    Ok(hundredths)
}

/// `1 234,50` → 123450; digit-group spaces and a comma for the point, as
/// Russian spreadsheets write them.
fn decimal_hundredths(raw: &str) -> Option<i64> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (negative, digits) = match compact.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || whole.len() > 15
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    let value = whole.checked_mul(100)?.checked_add(fraction)?;
    Some(if negative { -value } else { value })
}

fn date(cell: &Cell, column: &CardColumn) -> Result<Date, FieldError> {
    let field = column.key();
    let invalid = |what: String| FieldError::new(field, "invalid_date", what);
    match cell {
        Cell::Date(date) => Ok(*date),
        Cell::Number(serial) => excel_serial_date(*serial).ok_or_else(|| {
            invalid(format!(
                "{} is not an Excel date number",
                number_text(*serial)
            ))
        }),
        other => {
            let raw = text(other).unwrap_or_default();
            parse_date(&raw)
                .ok_or_else(|| invalid(format!("«{raw}» is not a date (YYYY-MM-DD or DD.MM.YYYY)")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as day;

    const COLUMNS: [Option<CardColumn>; 4] = [
        Some(CardColumn::Barcode),
        Some(CardColumn::Phone),
        Some(CardColumn::Points),
        Some(CardColumn::ValidTo),
    ];

    fn row(cells: Vec<Cell>) -> Result<CardRowValues, Vec<String>> {
        read_card_row(&cells, &COLUMNS)
            .map_err(|errors| errors.into_iter().map(|e| e.field).collect())
    }

    fn text_cell(raw: &str) -> Cell {
        Cell::Text(raw.into())
    }

    #[test]
    fn reads_a_card_as_a_spreadsheet_keeps_it() {
        let values = row(vec![
            Cell::Number(2_000_000_000_008.0),
            Cell::Number(79_123_456_789.0),
            text_cell("1 234,5"),
            text_cell("31.12.2027"),
        ])
        .unwrap();
        assert_eq!(values.barcode.as_str(), "2000000000008");
        assert_eq!(values.symbology, Symbology::Ean13);
        assert_eq!(values.phone.unwrap().as_str(), "+79123456789");
        assert_eq!(values.points, 123_450);
        assert_eq!(values.valid_to, Some(day(2027, 12, 31)));
    }

    #[test]
    fn thirteen_digits_with_a_wrong_check_digit_are_refused() {
        let refused = row(vec![
            text_cell("2000000000009"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        assert_eq!(refused, Err(vec!["barcode".to_owned()]));
    }

    #[test]
    fn other_numbers_are_code_128() {
        let values = row(vec![
            text_cell("CARD-00017"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ])
        .unwrap();
        assert_eq!(values.symbology, Symbology::Code128);
        assert_eq!(values.points, 0);
    }

    #[test]
    fn every_bad_cell_is_reported() {
        let refused = row(vec![
            text_cell("2,00000E+12"),
            text_cell("12"),
            text_cell("-5"),
            text_cell("someday"),
        ]);
        assert_eq!(
            refused,
            Err(vec![
                "barcode".to_owned(),
                "phone".to_owned(),
                "points".to_owned(),
                "valid_to".to_owned()
            ])
        );
    }

    #[test]
    fn points_are_read_exactly() {
        assert_eq!(decimal_hundredths("0.1"), Some(10));
        assert_eq!(decimal_hundredths("99,99"), Some(9_999));
        assert_eq!(decimal_hundredths("1\u{a0}000"), Some(100_000));
        assert_eq!(decimal_hundredths("1.234"), None);
        assert_eq!(decimal_hundredths("."), None);
        assert_eq!(decimal_hundredths("1e3"), None);
        assert_eq!(points(&Cell::Number(0.29)), Ok(29));
        assert!(points(&Cell::Number(0.291)).is_err());
    }
}
