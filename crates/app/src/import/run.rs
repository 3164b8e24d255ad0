//! The import itself: rows read from a table become registrations or edits,
//! matched to existing customers by external id or phone, written in
//! batches. A bad row is reported with its number and reasons and skipped;
//! `strict` lands nothing unless every row is good.

use std::collections::HashMap;

use clientele_domain::customer::{ConsentInput, CustomerRules};
use clientele_domain::{CustomerChanges, CustomerGroupId, Email, FieldError, Phone, StoreId};
use clientele_store::{
    CustomerBatch, CustomerKeys, CustomerLoad, CustomerMatches, NewCustomerRecord, WriteOutcome,
};
use futures_util::future::join;

use super::cells::{RowValues, read_row};
use super::columns::{ColumnMap, Mapping};
use super::table::{Table, TableRow};
use crate::progress::Progress;
use crate::{App, AppError, AppResult};

/// Rows validated and written together.
const BATCH: usize = 5_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write nothing unless every row is good.
    pub strict: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub reasons: Vec<FieldError>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedRow>,
    /// Each header and the column it was read as.
    pub columns: Vec<(String, Option<String>)>,
    /// Whether anything was written.
    pub written: bool,
}

/// What the rows of one import refer to, and the keys already taken by
/// earlier rows of the same file.
struct Context {
    groups: HashMap<String, CustomerGroupId>,
    stores: HashMap<String, StoreId>,
    /// (field, value) → the first row that had it.
    seen: HashMap<(&'static str, String), usize>,
}

enum Plan {
    Insert(NewCustomerRecord),
    Update(clientele_domain::Customer),
    Unchanged,
}

impl App {
    pub async fn import_customers(
        &self,
        table: &Table,
        options: ImportOptions,
        progress: &dyn Progress,
    ) -> AppResult<ImportReport> {
        self.import_customers_mapped(table, &Mapping::Recognised, options, progress)
            .await
    }

    /// The import with the file's columns read as `mapping` says.
    pub async fn import_customers_mapped(
        &self,
        table: &Table,
        mapping: &Mapping,
        options: ImportOptions,
        progress: &dyn Progress,
    ) -> AppResult<ImportReport> {
        if options.strict && !options.dry_run {
            let check = Box::pin(self.import_customers_mapped(
                table,
                mapping,
                ImportOptions {
                    dry_run: true,
                    strict: false,
                },
                progress,
            ))
            .await?;
            if !check.rejected.is_empty() {
                return Ok(check);
            }
        }
        let rule_context = self.rule_context().await?;
        let map = mapping.read(&table.headers, &rule_context.properties)?;
        map.require_name()?;
        let mut context = Context {
            groups: self
                .db()
                .directory()
                .customer_groups()
                .await?
                .into_iter()
                .map(|g| (clientele_domain::text::search_key(&g.name), g.id))
                .collect(),
            stores: self
                .db()
                .directory()
                .stores()
                .await?
                .into_iter()
                .map(|s| (s.code.to_lowercase(), s.id))
                .collect(),
            seen: HashMap::new(),
        };
        let mut report = ImportReport {
            columns: map
                .describe()
                .into_iter()
                .map(|(header, column)| (header, column.map(|c| c.key())))
                .collect(),
            ..Default::default()
        };
        // An import into an empty customer base is one load: all or nothing,
        // and far faster (see `CustomerLoad`).
        let mut load = if options.dry_run {
            None
        } else {
            self.db().begin_customer_load().await?
        };
        let loading = load.is_some();
        progress.start("rows imported", table.rows.len() as u64);
        let mut chunks = table.rows.chunks(BATCH);
        let mut planned = match chunks.next() {
            Some(chunk) => Some(
                self.plan_chunk(chunk, &map, &mut context, &rule_context, loading)
                    .await?,
            ),
            None => None,
        };
        while let Some(mut current) = planned.take() {
            let rows = current.rows;
            current.report_into(&mut report);
            // The next chunk is read and checked while this one is written.
            let following = chunks.next();
            let (written, next) = join(
                self.write_chunk(current, load.as_mut(), options.dry_run),
                async {
                    match following {
                        Some(chunk) => self
                            .plan_chunk(chunk, &map, &mut context, &rule_context, loading)
                            .await
                            .map(Some),
                        None => Ok(None),
                    }
                },
            )
            .await;
            written?.report_into(&mut report);
            planned = next?;
            progress.advance(rows as u64);
        }
        if let Some(load) = load {
            progress.start("building indexes", 1);
            load.finish().await?;
            progress.advance(1);
        }
        if report.written {
            self.db().refresh_statistics().await?;
        }
        progress.finish();
        report.rejected.sort_by_key(|r| r.row);
        Ok(report)
    }
}

/// One chunk of the file, read and checked, ready to write.
struct PlannedChunk {
    rows: usize,
    batch: CustomerBatch,
    /// The file's row number of each insert, then of each update.
    rows_of_inserts: Vec<usize>,
    rows_of_updates: Vec<usize>,
    unchanged: u64,
    rejected: Vec<RejectedRow>,
}

impl PlannedChunk {
    /// Counts the chunk's rows and what planning settled in the report.
    fn report_into(&mut self, report: &mut ImportReport) {
        report.rows += self.rows as u64;
        report.unchanged += self.unchanged;
        report.rejected.append(&mut self.rejected);
    }
}

/// What writing a chunk did.
#[derive(Default)]
struct WrittenChunk {
    created: u64,
    updated: u64,
    written: bool,
    rejected: Vec<RejectedRow>,
}

impl WrittenChunk {
    fn report_into(self, report: &mut ImportReport) {
        report.created += self.created;
        report.updated += self.updated;
        report.written |= self.written;
        report.rejected.extend(self.rejected);
    }
}

/// Rows planned between two chances for the write of the previous chunk to
/// send SQLite its next statement.
const ROWS_BETWEEN_YIELDS: usize = 250;

impl App {
    /// Reads a chunk's rows, finds the customers they name (none when
    /// `loading` an empty base) and decides what becomes of each.
    async fn plan_chunk(
        &self,
        chunk: &[TableRow],
        map: &ColumnMap,
        context: &mut Context,
        rule_context: &crate::customers::RuleContext,
        loading: bool,
    ) -> AppResult<PlannedChunk> {
        let rules = rule_context.rules(self.clock(), "import");
        let mut parsed: Vec<ParsedRow> = Vec::with_capacity(chunk.len());
        for rows in chunk.chunks(ROWS_BETWEEN_YIELDS) {
            parsed.extend(rows.iter().map(|row| (row, to_changes(row, map, context))));
            tokio::task::yield_now().await;
        }
        let found = if loading {
            CustomerMatches::default()
        } else {
            self.db().match_customers(&keys_of(&parsed)).await?
        };
        let mut planned = PlannedChunk {
            rows: chunk.len(),
            batch: CustomerBatch {
                inserts: Vec::new(),
                updates: Vec::new(),
                at: rules.now,
            },
            rows_of_inserts: Vec::new(),
            rows_of_updates: Vec::new(),
            unchanged: 0,
            rejected: Vec::new(),
        };
        for (i, (row, parsed)) in parsed.into_iter().enumerate() {
            if i % ROWS_BETWEEN_YIELDS == 0 {
                tokio::task::yield_now().await;
            }
            let (changes, keys) = match parsed {
                Ok(ok) => ok,
                Err(reasons) => {
                    planned.rejected.push(RejectedRow {
                        row: row.number,
                        reasons,
                    });
                    continue;
                }
            };
            let existing = keys
                .external_id
                .as_ref()
                .and_then(|id| found.by_external_id.get(id))
                .or_else(|| keys.phone.as_ref().and_then(|p| found.by_phone.get(p)));
            if let Some(email) = &keys.email {
                let own = existing.map(|c| c.id);
                if let Some(owner) = found
                    .email_owners
                    .get(email)
                    .filter(|owner| Some(**owner) != own)
                {
                    planned.rejected.push(RejectedRow {
                        row: row.number,
                        reasons: vec![FieldError::new(
                            "email",
                            "taken",
                            format!("already belongs to customer {owner}"),
                        )],
                    });
                    continue;
                }
            }
            match plan(changes, existing, &rules) {
                Ok(Plan::Insert(record)) => {
                    planned.batch.inserts.push(record);
                    planned.rows_of_inserts.push(row.number);
                }
                Ok(Plan::Update(customer)) => {
                    planned.batch.updates.push(customer);
                    planned.rows_of_updates.push(row.number);
                }
                Ok(Plan::Unchanged) => planned.unchanged += 1,
                Err(reasons) => planned.rejected.push(RejectedRow {
                    row: row.number,
                    reasons,
                }),
            }
        }
        Ok(planned)
    }

    async fn write_chunk(
        &self,
        planned: PlannedChunk,
        load: Option<&mut Box<dyn CustomerLoad>>,
        dry_run: bool,
    ) -> AppResult<WrittenChunk> {
        let batch = &planned.batch;
        if dry_run {
            return Ok(WrittenChunk {
                created: batch.inserts.len() as u64,
                updated: batch.updates.len() as u64,
                ..Default::default()
            });
        }
        if let Some(load) = load {
            // An empty base has nobody to update.
            load.insert(&batch.inserts).await?;
            return Ok(WrittenChunk {
                created: batch.inserts.len() as u64,
                written: true,
                ..Default::default()
            });
        }
        let outcomes = self.db().write_customers(batch).await?;
        let mut written = WrittenChunk {
            written: true,
            ..Default::default()
        };
        let rows = planned
            .rows_of_inserts
            .iter()
            .chain(&planned.rows_of_updates);
        for (outcome, row) in outcomes.into_iter().zip(rows) {
            match outcome {
                WriteOutcome::Inserted(_) => written.created += 1,
                WriteOutcome::Updated(_) => written.updated += 1,
                WriteOutcome::Skipped { field } => written.rejected.push(RejectedRow {
                    row: *row,
                    reasons: vec![FieldError::new(
                        field,
                        "taken",
                        "changed or taken by someone else during the import; run it again",
                    )],
                }),
            }
        }
        Ok(written)
    }
}

/// The unique keys of the readable rows of a chunk.
fn keys_of(parsed: &[ParsedRow]) -> CustomerKeys {
    let keys = || {
        parsed
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok().map(|(_, k)| k))
    };
    CustomerKeys {
        phones: keys().filter_map(|k| k.phone.clone()).collect(),
        emails: keys().filter_map(|k| k.email.clone()).collect(),
        external_ids: keys().filter_map(|k| k.external_id.clone()).collect(),
    }
}

/// A row of the file and what it says, or why it cannot be read.
type ParsedRow<'a> = (
    &'a TableRow,
    Result<(CustomerChanges, Keys), Vec<FieldError>>,
);

/// The unique keys of a row, parsed once.
struct Keys {
    phone: Option<Phone>,
    email: Option<Email>,
    external_id: Option<String>,
}

impl RejectedRow {
    /// The reasons as the command line and logs write them: `field: why`.
    pub fn described(&self) -> String {
        self.reasons
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn to_changes(
    row: &TableRow,
    map: &ColumnMap,
    context: &mut Context,
) -> Result<(CustomerChanges, Keys), Vec<FieldError>> {
    let values: RowValues = read_row(&row.cells, map)?;
    let mut problems = Vec::new();
    let phone = match values.phone.as_deref().map(Phone::parse).transpose() {
        Ok(phone) => phone,
        Err(error) => {
            problems.push(error);
            None
        }
    };
    let email = match values.email.as_deref().map(Email::parse).transpose() {
        Ok(email) => email,
        Err(error) => {
            problems.push(error);
            None
        }
    };
    let group_id = match &values.group {
        None => None,
        Some(name) => match context
            .groups
            .get(&clientele_domain::text::search_key(name))
        {
            Some(id) => Some(*id),
            None => {
                problems.push(FieldError::new(
                    "group",
                    "unknown_group",
                    format!("there is no customer group «{name}»"),
                ));
                None
            }
        },
    };
    let store_id = match &values.store_code {
        None => None,
        Some(code) => match context.stores.get(&code.to_lowercase()) {
            Some(id) => Some(*id),
            None => {
                problems.push(FieldError::new(
                    "store_code",
                    "unknown_store",
                    format!("there is no store with code «{code}»"),
                ));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    // A key seen on an earlier row of the same file is a duplicate row.
    let keys = [
        ("phone", phone.as_ref().map(|p| p.as_str().to_owned())),
        ("email", email.as_ref().map(|e| e.as_str().to_owned())),
        ("external_id", values.external_id.clone()),
    ];
    let duplicate: Vec<FieldError> = keys
        .iter()
        .filter_map(|(field, value)| {
            let first = context.seen.get(&(*field, value.clone()?))?;
            Some(FieldError::new(
                *field,
                "repeated",
                format!("the same as row {first}"),
            ))
        })
        .collect();
    if !duplicate.is_empty() {
        return Err(duplicate);
    }
    for (field, value) in keys {
        if let Some(value) = value {
            context.seen.insert((field, value), row.number);
        }
    }
    let changes = CustomerChanges {
        name: values.name,
        phone: values.phone.map(Some),
        email: values.email.map(Some),
        gender: values.gender.map(Some),
        birth_date: values.birth_date.map(Some),
        address: values.address.map(Some),
        region: values.region.map(Some),
        city: values.city.map(Some),
        documents: None,
        group_id,
        status: values.status,
        blocked: values.blocked,
        blocked_reason: None,
        notes: values.notes.map(Some),
        referrer_id: None,
        channel: values.channel,
        store_id: store_id.map(Some),
        external_id: values.external_id.clone().map(Some),
        consents: values
            .consents
            .into_iter()
            .map(|(kind, granted)| ConsentInput {
                kind: kind.as_str().into(),
                granted,
                source: Some("import".into()),
            })
            .collect(),
        properties: values
            .properties
            .into_iter()
            .map(|(name, value)| (name, Some(value)))
            .collect(),
    };
    Ok((
        changes,
        Keys {
            phone,
            email,
            external_id: values.external_id,
        },
    ))
}

/// A registration for a new customer, an edit of a known one, or nothing
/// when the row says what is already stored (a re-run of the same file).
fn plan(
    mut changes: CustomerChanges,
    existing: Option<&clientele_domain::Customer>,
    rules: &CustomerRules<'_>,
) -> Result<Plan, Vec<FieldError>> {
    match existing {
        None => {
            if changes.channel.is_none() {
                changes.channel = Some("import".into());
            }
            let profile = changes.into_new(rules).map_err(|e| e.0)?;
            Ok(Plan::Insert(NewCustomerRecord {
                profile,
                created_at: rules.now,
            }))
        }
        Some(customer) => {
            // The registration channel belongs to the first registration.
            changes.channel = None;
            let profile = changes
                .apply_to(customer.profile.clone(), rules)
                .map_err(|e| e.0)?;
            if profile == customer.profile {
                Ok(Plan::Unchanged)
            } else {
                Ok(Plan::Update(clientele_domain::Customer {
                    profile,
                    ..customer.clone()
                }))
            }
        }
    }
}

impl From<super::table::TableError> for AppError {
    fn from(error: super::table::TableError) -> AppError {
        AppError::Validation(clientele_domain::ValidationErrors::one(
            "file",
            "unreadable",
            error.to_string(),
        ))
    }
}
