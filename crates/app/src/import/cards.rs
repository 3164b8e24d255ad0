//! Cards and opening point balances from the system a shop moves from: each
//! row a card, its owner found by external id or phone among the customers
//! already imported, and the points they had there. A balance is credited
//! only when its card is created, so importing the same file again credits
//! nothing twice. Rows are checked and reported as in the customer import.

use clientele_domain::posting::LotTerms;
use std::collections::HashMap;

use clientele_domain::card::Card;
use clientele_domain::text::search_key;
use clientele_domain::{CardGroupId, Customer, CustomerId, FieldError};
use clientele_store::{CustomerKeys, CustomerMatches, ImportedCard, NewCard};
use jiff::Timestamp;
use jiff::civil::Date;

use super::card_columns::{CardColumn, match_card_headers};
use super::card_rows::{CardRowValues, read_card_row};
use super::table::{Table, TableRow};
use super::{ImportOptions, RejectedRow};
use crate::progress::Progress;
use crate::{App, AppResult};

/// Rows checked and written together; each chunk is one transaction.
const CHUNK: usize = 1_000;

#[derive(Debug, Clone, Default)]
pub struct CardImportReport {
    pub rows: u64,
    pub created: u64,
    /// Cards already there with the same owner: a re-run of the same file.
    pub unchanged: u64,
    pub rejected: Vec<RejectedRow>,
    /// Each header and the column it was read as.
    pub columns: Vec<(String, Option<&'static str>)>,
    /// Opening balances credited (or, in a dry run, to be), in hundredths
    /// of a point.
    pub points_credited: i64,
    pub written: bool,
}

/// What the rows refer to, and the barcodes of earlier rows.
struct Context {
    groups: HashMap<String, CardGroupId>,
    /// For rows that name no group: the default program's first group.
    default_group: Option<CardGroupId>,
    /// Barcode → the first row that had it.
    seen: HashMap<String, usize>,
    at: Timestamp,
    given: LotTerms,
    zone: jiff::tz::TimeZone,
}

enum Plan {
    Create(ImportedCard),
    Unchanged,
}

impl App {
    pub async fn import_cards(
        &self,
        table: &Table,
        options: ImportOptions,
        progress: &dyn Progress,
    ) -> AppResult<CardImportReport> {
        if options.strict && !options.dry_run {
            let dry_run = ImportOptions {
                dry_run: true,
                strict: false,
            };
            let check = Box::pin(self.import_cards(table, dry_run, progress)).await?;
            if !check.rejected.is_empty() {
                return Ok(check);
            }
        }
        let columns = match_card_headers(&table.headers);
        if !columns.contains(&Some(CardColumn::Barcode)) {
            return Err(file_error(
                "no_barcode_column",
                "no column holds the card number (e.g. «Номер карты», «Штрихкод», «Card number»)",
            ));
        }
        let mut context = self.card_import_context().await?;
        let mut report = CardImportReport {
            columns: table
                .headers
                .iter()
                .cloned()
                .zip(columns.iter().map(|c| c.map(CardColumn::key)))
                .collect(),
            ..Default::default()
        };
        progress.start("cards imported", table.rows.len() as u64);
        for chunk in table.rows.chunks(CHUNK) {
            let planned = self.plan_cards(chunk, &columns, &mut context).await?;
            report.rows += chunk.len() as u64;
            report.rejected.extend(planned.rejected);
            report.unchanged += planned.unchanged;
            if options.dry_run {
                report.created += planned.cards.len() as u64;
                report.points_credited +=
                    planned.cards.iter().map(|c| c.opening_points).sum::<i64>();
            } else if !planned.cards.is_empty() {
                let created = self.db().import_cards(&planned.cards, context.at).await?;
                report.written = true;
                for ((card, id), row) in planned.cards.iter().zip(created).zip(planned.rows) {
                    if id.is_some() {
                        report.created += 1;
                        report.points_credited += card.opening_points;
                    } else {
                        report.rejected.push(RejectedRow {
                            row,
                            reasons: vec![FieldError::new(
                                "barcode",
                                "taken",
                                "taken by another card during the import; run it again",
                            )],
                        });
                    }
                }
            }
            progress.advance(chunk.len() as u64);
        }
        progress.finish();
        if report.written {
            tracing::info!(
                cards = report.created,
                points = report.points_credited,
                "imported cards with their opening balances"
            );
        }
        report.rejected.sort_by_key(|r| r.row);
        Ok(report)
    }

    async fn card_import_context(&self) -> AppResult<Context> {
        let groups = self.db().programs().card_groups().await?;
        if groups.is_empty() {
            return Err(file_error(
                "no_card_group",
                "there is no card group yet: create one (POST /api/v1/card-groups) before importing cards",
            ));
        }
        let programs = self.cached_programs().await?;
        let default_program = programs.iter().find(|p| p.is_default).map(|p| p.id);
        let default_group = groups
            .iter()
            .find(|g| Some(g.program_id) == default_program)
            .or(groups.first())
            .map(|g| g.id);
        let at = self.clock().now();
        Ok(Context {
            groups: groups.iter().map(|g| (search_key(&g.name), g.id)).collect(),
            default_group,
            seen: HashMap::new(),
            at,
            given: self.given_lot(at).await?,
            zone: self.clock().zone().clone(),
        })
    }

    /// Reads a chunk's rows, finds their owners and the cards already
    /// there, and decides what becomes of each row.
    async fn plan_cards(
        &self,
        chunk: &[TableRow],
        columns: &[Option<CardColumn>],
        context: &mut Context,
    ) -> AppResult<PlannedCards> {
        let mut planned = PlannedCards::default();
        let mut readable = Vec::with_capacity(chunk.len());
        for row in chunk {
            match read_card_row(&row.cells, columns) {
                Ok(values) => match context.seen.get(values.barcode.as_str()) {
                    Some(first) => planned.reject(
                        row,
                        vec![FieldError::new(
                            "barcode",
                            "repeated",
                            format!("the same as row {first}"),
                        )],
                    ),
                    None => {
                        context
                            .seen
                            .insert(values.barcode.as_str().to_owned(), row.number);
                        readable.push((row, values));
                    }
                },
                Err(errors) => planned.reject(row, errors),
            }
        }
        let barcodes: Vec<String> = readable
            .iter()
            .map(|(_, v)| v.barcode.as_str().to_owned())
            .collect();
        let existing: HashMap<String, Card> = self
            .db()
            .cards_by_barcodes(&barcodes)
            .await?
            .into_iter()
            .map(|card| (card.barcode.as_str().to_owned(), card))
            .collect();
        let owners = self.db().match_customers(&owner_keys(&readable)).await?;
        for (row, values) in readable {
            let existing = existing.get(values.barcode.as_str());
            match plan(values, existing, &owners, context) {
                Ok(Plan::Create(card)) => {
                    planned.cards.push(card);
                    planned.rows.push(row.number);
                }
                Ok(Plan::Unchanged) => planned.unchanged += 1,
                Err(reasons) => planned.reject(row, reasons),
            }
        }
        Ok(planned)
    }
}

#[derive(Default)]
struct PlannedCards {
    cards: Vec<ImportedCard>,
    /// The file's row number of each card.
    rows: Vec<usize>,
    unchanged: u64,
    rejected: Vec<RejectedRow>,
}

impl PlannedCards {
    fn reject(&mut self, row: &TableRow, reasons: Vec<FieldError>) {
        self.rejected.push(RejectedRow {
            row: row.number,
            reasons,
        });
    }
}

fn owner_keys(rows: &[(&TableRow, CardRowValues)]) -> CustomerKeys {
    CustomerKeys {
        phones: rows.iter().filter_map(|(_, v)| v.phone.clone()).collect(),
        emails: Vec::new(),
        external_ids: rows
            .iter()
            .filter_map(|(_, v)| v.external_id.clone())
            .collect(),
    }
}

fn plan(
    values: CardRowValues,
    existing: Option<&Card>,
    owners: &CustomerMatches,
    context: &Context,
) -> Result<Plan, Vec<FieldError>> {
    let mut problems = Vec::new();
    let owner = owner(&values, owners).map_err(|reason| vec![reason])?;
    if let Some(card) = existing {
        return match (card.customer_id, owner) {
            (Some(held), Some(owner)) if held != owner => Err(vec![FieldError::new(
                "barcode",
                "taken",
                format!("the card is already there and belongs to customer {held}"),
            )]),
            (None, Some(_)) => Err(vec![FieldError::new(
                "barcode",
                "blank_card",
                "the card is already there as a blank card; bind it at the till",
            )]),
            _ => Ok(Plan::Unchanged),
        };
    }
    let group_id = match &values.group {
        None => context.default_group,
        Some(name) => {
            let found = context.groups.get(&search_key(name)).copied();
            if found.is_none() {
                problems.push(FieldError::new(
                    "group",
                    "unknown_reference",
                    format!("there is no card group «{name}»"),
                ));
            }
            found
        }
    };
    if values.points > 0 && owner.is_none() {
        problems.push(FieldError::new(
            "points",
            "balance_without_owner",
            "a card without an owner cannot carry a balance; add the owner's phone",
        ));
    }
    let start_of = |day: Date| -> Option<Timestamp> {
        day.to_zoned(context.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    };
    let end_of = |day: Date| day.tomorrow().ok().and_then(start_of);
    let mut lot = context.given;
    if let Some(day) = values.points_expire_on {
        match end_of(day).filter(|end| *end > context.at) {
            Some(end) => lot.expires_at = Some(end),
            None if values.points > 0 => {
                problems.push(FieldError::new(
                    "points_expire_on",
                    "expired",
                    format!("the points expired on {day}"),
                ));
            }
            None => {}
        }
    }
    let (Some(group_id), true) = (group_id, problems.is_empty()) else {
        return Err(problems);
    };
    Ok(Plan::Create(ImportedCard {
        card: NewCard {
            barcode: values.barcode,
            symbology: values.symbology,
            group_id,
            customer_id: owner,
            valid_from: values.valid_from.and_then(start_of),
            valid_to: values.valid_to.and_then(end_of),
        },
        blocked: values.blocked,
        opening_points: values.points,
        lot,
    }))
}

/// The row's owner: by external id first, as the customer import matches.
fn owner(
    values: &CardRowValues,
    owners: &CustomerMatches,
) -> Result<Option<CustomerId>, FieldError> {
    let by_id = values
        .external_id
        .as_ref()
        .map(|id| (id, owners.by_external_id.get(id)));
    let by_phone = values
        .phone
        .as_ref()
        .map(|phone| (phone, owners.by_phone.get(phone)));
    let found = |c: &Customer| Ok(Some(c.id));
    match (by_id, by_phone) {
        (Some((_, Some(customer))), _) | (_, Some((_, Some(customer)))) => found(customer),
        (Some((id, None)), _) => Err(FieldError::new(
            "external_id",
            "unknown_reference",
            format!(
                "there is no customer «{id}»; import the customers first \
                 (`clientele import customers` reads the same file)"
            ),
        )),
        (None, Some((phone, None))) => Err(FieldError::new(
            "phone",
            "unknown_reference",
            format!(
                "there is no customer with the phone {}; import the customers first \
                 (`clientele import customers` reads the same file)",
                phone.as_str()
            ),
        )),
        (None, None) => Ok(None),
    }
}

fn file_error(code: &'static str, message: &str) -> crate::AppError {
    clientele_domain::ValidationErrors::one("file", code, message).into()
}
