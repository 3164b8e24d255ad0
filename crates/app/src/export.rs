//! Customer export to CSV or Excel with the same filters as the list. The
//! columns are the import's own keys, so an export imports back unchanged.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use clientele_domain::{ConsentKind, Customer, CustomerId, FieldError, PropertyDefinition};
use clientele_store::CustomerQuery;

use crate::audit::ChangedBy;
use crate::customers::ListParams;
use crate::progress::Progress;
use crate::{App, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// The most rows one Excel sheet holds, less the header.
const XLSX_ROWS: u64 = 1_048_575;
const PAGE: u32 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error(
        "{0} customers match, more than one Excel sheet holds ({XLSX_ROWS}); export to CSV or narrow the filter"
    )]
    TooManyForExcel(u64),
}

/// Every column of the export, in order.
fn headers(properties: &[PropertyDefinition]) -> Vec<String> {
    let fixed = [
        "clientele_id",
        "name",
        "phone",
        "email",
        "gender",
        "birth_date",
        "address",
        "region",
        "city",
        "group",
        "status",
        "blocked",
        "blocked_reason",
        "notes",
        "referrer_id",
        "channel",
        "store_code",
        "external_id",
        "created_at",
    ];
    let mut headers: Vec<String> = fixed.iter().map(|h| (*h).to_owned()).collect();
    headers.extend(
        ConsentKind::ALL
            .iter()
            .map(|k| format!("consent_{}", k.as_str())),
    );
    headers.extend(properties.iter().map(|p| format!("property_{}", p.name)));
    headers
}

struct Names {
    groups: HashMap<i64, String>,
    stores: HashMap<i64, String>,
}

fn row(customer: &Customer, names: &Names, properties: &[PropertyDefinition]) -> Vec<String> {
    let p = &customer.profile;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut cells = vec![
        customer.id.to_string(),
        p.name.clone(),
        p.phone
            .as_ref()
            .map(|x| x.as_str().to_owned())
            .unwrap_or_default(),
        p.email
            .as_ref()
            .map(|x| x.as_str().to_owned())
            .unwrap_or_default(),
        p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        text(&p.address),
        text(&p.region),
        text(&p.city),
        names.groups.get(&p.group_id.0).cloned().unwrap_or_default(),
        p.status.as_str().to_owned(),
        p.blocked.to_string(),
        text(&p.blocked_reason),
        text(&p.notes),
        p.referrer_id.map(|id| id.to_string()).unwrap_or_default(),
        p.channel.as_str().to_owned(),
        p.store_id
            .and_then(|id| names.stores.get(&id.0).cloned())
            .unwrap_or_default(),
        text(&p.external_id),
        customer.created_at.to_string(),
    ];
    cells.extend(
        ConsentKind::ALL
            .iter()
            .map(|kind| match p.consents.0.get(kind) {
                Some(consent) => consent.granted.to_string(),
                None => String::new(),
            }),
    );
    cells.extend(
        properties
            .iter()
            .map(|d| p.properties.get(&d.name).cloned().unwrap_or_default()),
    );
    cells
}

impl App {
    /// Writes the customers `params` select to `path`; answers how many.
    pub async fn export_customers(
        &self,
        params: &ListParams,
        format: ExportFormat,
        path: &Path,
        progress: &dyn Progress,
    ) -> Result<u64, ExportError> {
        let mut query: CustomerQuery = self.customer_query(params).await?;
        query.limit = PAGE;
        let total = self
            .db()
            .count_customers(&query, None)
            .await
            .map_err(AppError::from)?;
        if format == ExportFormat::Xlsx && total > XLSX_ROWS {
            return Err(ExportError::TooManyForExcel(total));
        }
        let (properties, names) = self.export_names().await?;
        let failed = |e: &dyn std::fmt::Display| ExportError::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let mut sink = match format {
            ExportFormat::Csv => Sink::csv(path).map_err(|e| failed(&e))?,
            ExportFormat::Xlsx => Sink::xlsx().map_err(|e| failed(&e))?,
        };
        sink.write_row(&headers(&properties))
            .map_err(|e| failed(&e))?;
        progress.start("customers exported", total);
        let mut written = 0;
        loop {
            let page = self
                .db()
                .list_customers(&query)
                .await
                .map_err(AppError::from)?;
            for customer in &page.items {
                sink.write_row(&row(customer, &names, &properties))
                    .map_err(|e| failed(&e))?;
            }
            written += page.items.len() as u64;
            progress.advance(page.items.len() as u64);
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        sink.finish(path).map_err(|e| failed(&e))?;
        progress.finish();
        Ok(written)
    }
}

impl App {
    /// The named customers (a page's ticked rows) as an Excel workbook, in
    /// the columns of the whole export; each must be within the caller's
    /// reach.
    pub async fn export_ticked(
        &self,
        ids: &[CustomerId],
        by: &ChangedBy,
    ) -> Result<Vec<u8>, ExportError> {
        if ids.is_empty() || ids.len() > MAX_TICKED {
            return Err(AppError::from_field(FieldError::new(
                "customer_id",
                "out_of_range",
                format!("tick 1 to {MAX_TICKED} customers"),
            ))
            .into());
        }
        let (properties, names) = self.export_names().await?;
        let failed = |e: &dyn std::fmt::Display| ExportError::Write {
            path: "the workbook".into(),
            message: e.to_string(),
        };
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Покупатели").map_err(|e| failed(&e))?;
        let mut rows = vec![headers(&properties)];
        for id in ids {
            let customer = self.customer_for(*id, by).await?;
            rows.push(row(&customer, &names, &properties));
        }
        for (r, cells) in (0u32..).zip(&rows) {
            for (column, value) in (0u16..).zip(cells) {
                if !value.is_empty() {
                    sheet
                        .write_string(r, column, value)
                        .map_err(|e| failed(&e))?;
                }
            }
        }
        book.save_to_buffer().map_err(|e| failed(&e))
    }

    /// The custom properties, and the names groups and stores are written by.
    async fn export_names(&self) -> Result<(Vec<PropertyDefinition>, Names), AppError> {
        let properties = self.db().directory().property_definitions().await?;
        let names = Names {
            groups: self
                .db()
                .directory()
                .customer_groups()
                .await?
                .into_iter()
                .map(|g| (g.id.0, g.name))
                .collect(),
            stores: self
                .db()
                .directory()
                .stores()
                .await?
                .into_iter()
                .map(|s| (s.id.0, s.code))
                .collect(),
        };
        Ok((properties, names))
    }
}

/// The most ticked customers one workbook takes (a list's longest page).
pub const MAX_TICKED: usize = 500;

enum Sink {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
    },
}

impl Sink {
    /// UTF-8 with a BOM and `;`: what Excel in a Russian locale opens as columns.
    fn csv(path: &Path) -> std::io::Result<Sink> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        file.write_all("\u{feff}".as_bytes())?;
        Ok(Sink::Csv(Box::new(
            csv::WriterBuilder::new().delimiter(b';').from_writer(file),
        )))
    }

    /// Rows stream to a temporary file, so a million customers fit in little memory.
    fn xlsx() -> Result<Sink, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet_with_constant_memory()?
            .set_name("Покупатели")?;
        Ok(Sink::Xlsx {
            book: Box::new(book),
            row: 0,
        })
    }

    fn write_row(&mut self, cells: &[String]) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Sink::Csv(writer) => writer.write_record(cells)?,
            Sink::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0)?;
                for (column, value) in cells.iter().enumerate() {
                    // Strings, always: a phone or an id must never become a rounded number.
                    if !value.is_empty() {
                        sheet.write_string(*row, column as u16, value)?;
                    }
                }
                *row += 1;
            }
        }
        Ok(())
    }

    fn finish(self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Sink::Csv(mut writer) => writer.flush()?,
            Sink::Xlsx { mut book, .. } => book.save(path)?,
        }
        Ok(())
    }
}
