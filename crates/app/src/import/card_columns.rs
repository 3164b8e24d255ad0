//! Which card field each column of an imported card file holds, from the
//! header names that REGOS, UDS, 1C and hand-made lists use; the owner's
//! phone and external id are recognised as in the customer import, so one
//! file can be imported as customers and then as cards.

use super::columns::{Column, normalize, recognise, strip_required};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardColumn {
    Barcode,
    Symbology,
    /// The owner, by the phone they registered with.
    Phone,
    /// The owner, by the id the other system gave them.
    ExternalId,
    Group,
    /// The owner's balance there, in points.
    Points,
    /// The last day the balance may be spent.
    PointsExpireOn,
    Blocked,
    ValidFrom,
    ValidTo,
}

impl CardColumn {
    pub fn key(self) -> &'static str {
        match self {
            CardColumn::Barcode => "barcode",
            CardColumn::Symbology => "symbology",
            CardColumn::Phone => "phone",
            CardColumn::ExternalId => "external_id",
            CardColumn::Group => "group",
            CardColumn::Points => "points",
            CardColumn::PointsExpireOn => "points_expire_on",
            CardColumn::Blocked => "blocked",
            CardColumn::ValidFrom => "valid_from",
            CardColumn::ValidTo => "valid_to",
        }
    }
}

const ALL: [CardColumn; 10] = [
    CardColumn::Barcode,
    CardColumn::Symbology,
    CardColumn::Phone,
    CardColumn::ExternalId,
    CardColumn::Group,
    CardColumn::Points,
    CardColumn::PointsExpireOn,
    CardColumn::Blocked,
    CardColumn::ValidFrom,
    CardColumn::ValidTo,
];

/// Compared after `normalize`, so case, spaces and punctuation do not matter.
const SYNONYMS: &[(&str, CardColumn)] = &[
    ("Номер карты", CardColumn::Barcode),
    ("Карта", CardColumn::Barcode),
    ("Карта клиента", CardColumn::Barcode),
    ("Дисконтная карта", CardColumn::Barcode),
    ("Бонусная карта", CardColumn::Barcode),
    ("Код карты", CardColumn::Barcode),
    ("Штрихкод", CardColumn::Barcode),
    ("Штрихкод карты", CardColumn::Barcode),
    ("ШК", CardColumn::Barcode),
    ("Card", CardColumn::Barcode),
    ("Card number", CardColumn::Barcode),
    ("Тип штрихкода", CardColumn::Symbology),
    ("Символика", CardColumn::Symbology),
    ("Barcode type", CardColumn::Symbology),
    ("Группа карт", CardColumn::Group),
    ("Группа карты", CardColumn::Group),
    ("Вид карты", CardColumn::Group),
    ("Тип карты", CardColumn::Group),
    ("Группа", CardColumn::Group),
    ("Card group", CardColumn::Group),
    ("Баланс", CardColumn::Points),
    ("Баллы", CardColumn::Points),
    ("Бонусы", CardColumn::Points),
    ("Бонусный баланс", CardColumn::Points),
    ("Баланс баллов", CardColumn::Points),
    ("Остаток баллов", CardColumn::Points),
    ("Остаток бонусов", CardColumn::Points),
    ("Сумма бонусов", CardColumn::Points),
    ("Начальный баланс", CardColumn::Points),
    ("Balance", CardColumn::Points),
    ("Opening balance", CardColumn::Points),
    ("Сгорание баллов", CardColumn::PointsExpireOn),
    ("Дата сгорания", CardColumn::PointsExpireOn),
    ("Дата сгорания баллов", CardColumn::PointsExpireOn),
    ("Баллы действуют до", CardColumn::PointsExpireOn),
    ("Points expire on", CardColumn::PointsExpireOn),
    ("Заблокирована", CardColumn::Blocked),
    ("Блокировка", CardColumn::Blocked),
    ("Blocked", CardColumn::Blocked),
    ("Действует с", CardColumn::ValidFrom),
    ("Дата выдачи", CardColumn::ValidFrom),
    ("Valid from", CardColumn::ValidFrom),
    ("Действует до", CardColumn::ValidTo),
    ("Срок действия", CardColumn::ValidTo),
    ("Valid to", CardColumn::ValidTo),
    ("Valid until", CardColumn::ValidTo),
];

/// One per header: what it holds, or `None` when unrecognised, blank or a
/// repeat of an earlier column.
pub fn match_card_headers(headers: &[String]) -> Vec<Option<CardColumn>> {
    let mut columns: Vec<Option<CardColumn>> = Vec::with_capacity(headers.len());
    for header in headers {
        let column = recognise_card(header).filter(|c| !columns.contains(&Some(*c)));
        columns.push(column);
    }
    columns
}

fn recognise_card(header: &str) -> Option<CardColumn> {
    let key = strip_required(normalize(header));
    if key.is_empty() {
        return None;
    }
    let own = ALL
        .into_iter()
        .find(|c| normalize(c.key()) == key)
        .or_else(|| {
            SYNONYMS
                .iter()
                .find(|(name, _)| normalize(name) == key)
                .map(|(_, c)| *c)
        });
    own.or_else(|| match recognise(header, &[])? {
        Column::Phone => Some(CardColumn::Phone),
        Column::ExternalId => Some(CardColumn::ExternalId),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(headers: &[&str]) -> Vec<Option<CardColumn>> {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        match_card_headers(&headers)
    }

    #[test]
    fn reads_the_headers_of_exports_and_hand_made_lists() {
        assert_eq!(
            matched(&[
                "Номер карты",
                "Телефон",
                "Бонусный баланс",
                "ФИО",
                "Код клиента"
            ]),
            vec![
                Some(CardColumn::Barcode),
                Some(CardColumn::Phone),
                Some(CardColumn::Points),
                None,
                Some(CardColumn::ExternalId),
            ]
        );
        assert_eq!(
            matched(&["barcode", "phone", "points", "points_expire_on", "valid_to"]),
            vec![
                Some(CardColumn::Barcode),
                Some(CardColumn::Phone),
                Some(CardColumn::Points),
                Some(CardColumn::PointsExpireOn),
                Some(CardColumn::ValidTo),
            ]
        );
    }

    #[test]
    fn a_repeated_column_is_read_once() {
        assert_eq!(
            matched(&["Карта", "Штрихкод"]),
            vec![Some(CardColumn::Barcode), None]
        );
    }
}
