//! A list of customers as a file names them: phones or card numbers, one a
//! line (.txt, .csv) or a column of a workbook — the one headed as a phone
//! or a card number («Телефон», «Номер карты», …), else the first that
//! holds anything. Each line keeps its row and its text as written, to say
//! later which lines named nobody.

use clientele_domain::Phone;

use super::card_columns::{CardColumn, match_card_headers};
use super::cells::text;
use super::table::{FileKind, Table, TableError, read_list};

/// What a line may name a customer by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListKey {
    pub phone: Option<Phone>,
    pub barcode: Option<String>,
}

/// One filled line of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLine {
    /// The row as a text editor or Excel numbers it.
    pub row: usize,
    /// The cell as written.
    pub text: String,
    pub key: ListKey,
}

#[derive(thiserror::Error, Debug)]
pub enum ListError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error("the file holds no phone and no card number")]
    NoKeys,
}

/// What the chosen column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    Phones,
    Cards,
    /// A column without a header we know: each line is tried both ways.
    Either,
}

/// Reads a list; refused when no line could be a phone or a card number.
pub fn read_key_list(bytes: &[u8], kind: FileKind) -> Result<Vec<ListLine>, ListError> {
    let table = read_list(bytes, kind)?;
    let (index, holds) = column(&table);
    let lines: Vec<ListLine> = table
        .rows
        .iter()
        .filter_map(|row| {
            let text = text(row.cells.get(index)?)?;
            let key = key(&text, holds);
            Some(ListLine {
                row: row.number,
                text,
                key,
            })
        })
        .collect();
    if lines
        .iter()
        .all(|line| line.key.phone.is_none() && line.key.barcode.is_none())
    {
        return Err(ListError::NoKeys);
    }
    Ok(lines)
}

/// The column read, and what it holds.
fn column(table: &Table) -> (usize, Holds) {
    let columns = match_card_headers(&table.headers);
    let headed = |wanted: CardColumn| columns.iter().position(|c| *c == Some(wanted));
    if let Some(index) = headed(CardColumn::Phone) {
        return (index, Holds::Phones);
    }
    if let Some(index) = headed(CardColumn::Barcode) {
        return (index, Holds::Cards);
    }
    let filled = (0..table.headers.len())
        .find(|&index| table.rows.iter().any(|row| !row.cells[index].is_empty()));
    (filled.unwrap_or(0), Holds::Either)
}

fn key(text: &str, holds: Holds) -> ListKey {
    let phone = match holds {
        Holds::Phones | Holds::Either => Phone::parse(text).ok(),
        Holds::Cards => None,
    };
    // Under no header, a card number has a digit: a word is neither.
    let barcode = match holds {
        Holds::Cards => Some(text.to_owned()),
        Holds::Either if text.chars().any(|c| c.is_ascii_digit()) => Some(text.to_owned()),
        Holds::Phones | Holds::Either => None,
    };
    ListKey { phone, barcode }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> Option<Phone> {
        Some(Phone::parse(raw).unwrap())
    }

    #[test]
    fn a_bare_list_is_tried_as_phones_and_as_cards() {
        let lines = read_key_list(
            "+7 912 345-67-89\nИванов\n\n4600000000008\n".as_bytes(),
            FileKind::Csv,
        )
        .unwrap();
        let keys: Vec<(usize, &str, ListKey)> = lines
            .iter()
            .map(|l| (l.row, l.text.as_str(), l.key.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                (
                    1,
                    "+7 912 345-67-89",
                    ListKey {
                        phone: phone("+79123456789"),
                        barcode: Some("+7 912 345-67-89".into())
                    }
                ),
                (2, "Иванов", ListKey::default()),
                (
                    4,
                    "4600000000008",
                    ListKey {
                        phone: None,
                        barcode: Some("4600000000008".into())
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_headed_column_is_read_as_what_it_holds() {
        let phones = read_key_list(
            "ФИО;Телефон;Карта\nАнна;89123456789;777\n".as_bytes(),
            FileKind::Csv,
        )
        .unwrap();
        assert_eq!(phones[0].row, 2);
        assert_eq!(
            phones[0].key,
            ListKey {
                phone: phone("+79123456789"),
                barcode: None
            }
        );
        let cards = read_key_list("Номер карты\nCARD-7\n".as_bytes(), FileKind::Csv).unwrap();
        assert_eq!(
            cards[0].key,
            ListKey {
                phone: None,
                barcode: Some("CARD-7".into())
            }
        );
    }

    #[test]
    fn a_workbook_of_numbers_is_read_as_digits() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_number(0, 1, 79123456789.0).unwrap();
        sheet.write_number(1, 1, 79120000001.0).unwrap();
        let lines = read_key_list(&book.save_to_buffer().unwrap(), FileKind::Xlsx).unwrap();
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["79123456789", "79120000001"]);
        assert_eq!(lines[0].key.phone, phone("+79123456789"));
    }

    #[test]
    fn a_list_of_words_or_a_header_alone_names_no_one() {
        for file in ["Фамилия\nИванов\nПетров\n", "Телефон\n", "Телефон\nнет\n"]
        {
            let refused = read_key_list(file.as_bytes(), FileKind::Csv);
            assert!(matches!(refused, Err(ListError::NoKeys)), "{file}");
        }
    }
}
