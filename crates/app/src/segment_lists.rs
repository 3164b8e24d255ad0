//! Static segments from a list of phones or card numbers: the lines looked
//! up a thousand at a time (their phones in one statement, their cards in
//! another), the segment made of whom they named, and the lines that named
//! nobody kept to be shown.

use std::collections::HashMap;

use clientele_domain::segment::{Segment, SegmentInput, SegmentKind};
use clientele_domain::{CustomerId, FieldError, Phone};
use clientele_store::CustomerKeys;

use crate::audit::ChangedBy;
use crate::import::list::{ListKey, ListLine};
use crate::{App, AppError, AppResult};

/// Lines looked up at once.
const BATCH: usize = 1000;
/// Lines that named nobody kept to be shown.
pub const MISSED_SHOWN: usize = 10;

/// A segment made from a list, and how the list's lines fared.
#[derive(Debug, Clone)]
pub struct FromList {
    pub segment: Segment,
    pub lines: usize,
    /// Lines that named a customer; two lines may name one.
    pub named: usize,
    /// The first lines that named nobody.
    pub missed: Vec<ListLine>,
}

impl FromList {
    pub fn not_named(&self) -> usize {
        self.lines - self.named
    }
}

impl App {
    /// A static segment `name` of the customers the lines name; refused,
    /// and nothing made, when no line names anyone.
    pub async fn segment_from_list(
        &self,
        name: String,
        lines: &[ListLine],
        by: &ChangedBy,
    ) -> AppResult<FromList> {
        let input = SegmentInput {
            name: Some(name),
            kind: Some(SegmentKind::Static.as_str().into()),
            ..SegmentInput::default()
        };
        // A bad name is said before a long look-up.
        self.checked(input.clone()).await?;
        let found = self.named_by(lines.iter().map(|line| &line.key)).await?;
        let named: Vec<CustomerId> = found.iter().flatten().copied().collect();
        if named.is_empty() {
            return Err(AppError::from_field(FieldError::new(
                "file",
                "names_nobody",
                "no line of the file names a customer",
            )));
        }
        let missed = lines
            .iter()
            .zip(&found)
            .filter(|(_, found)| found.is_none())
            .take(MISSED_SHOWN)
            .map(|(line, _)| line.clone())
            .collect();
        let count = named.len();
        let segment = self.create_segment(input, Some(named), by).await?;
        Ok(FromList {
            segment,
            lines: lines.len(),
            named: count,
            missed,
        })
    }

    /// The customers holding these phones or cards (each written as people
    /// write them); a phone or card that names nobody is left out.
    pub async fn customers_by_phones_and_cards(
        &self,
        phones: &[String],
        cards: &[String],
    ) -> AppResult<Vec<CustomerId>> {
        let keys: Vec<ListKey> = phones
            .iter()
            .map(|raw| ListKey {
                phone: Phone::parse(raw).ok(),
                barcode: None,
            })
            .chain(cards.iter().map(|raw| ListKey {
                phone: None,
                barcode: Some(raw.trim().to_owned()),
            }))
            .collect();
        let named = self.named_by(keys.iter()).await?;
        Ok(named.into_iter().flatten().collect())
    }

    /// Whom each key names, in their order: its card's holder, else its
    /// phone's.
    async fn named_by<'a>(
        &self,
        keys: impl Iterator<Item = &'a ListKey>,
    ) -> AppResult<Vec<Option<CustomerId>>> {
        let keys: Vec<&ListKey> = keys.collect();
        let mut named = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH) {
            let phones: Vec<Phone> = chunk.iter().filter_map(|k| k.phone.clone()).collect();
            let by_phone: HashMap<Phone, CustomerId> = match phones.is_empty() {
                true => HashMap::new(),
                false => {
                    let keys = CustomerKeys {
                        phones,
                        ..CustomerKeys::default()
                    };
                    let found = self.db().match_customers(&keys).await?.by_phone;
                    found.into_iter().map(|(p, c)| (p, c.id)).collect()
                }
            };
            let barcodes: Vec<String> = chunk.iter().filter_map(|k| k.barcode.clone()).collect();
            let by_card: HashMap<String, CustomerId> = match barcodes.is_empty() {
                true => HashMap::new(),
                false => (self.db().cards_by_barcodes(&barcodes).await?)
                    .into_iter()
                    .filter_map(|card| Some((card.barcode.as_str().to_owned(), card.customer_id?)))
                    .collect(),
            };
            named.extend(chunk.iter().map(|key| {
                let by_card = key.barcode.as_ref().and_then(|b| by_card.get(b));
                let by_phone = || key.phone.as_ref().and_then(|p| by_phone.get(p));
                by_card.or_else(by_phone).copied()
            }));
        }
        Ok(named)
    }
}
