//! Customer and card import from the spreadsheets shops really have.

mod card_columns;
mod card_rows;
mod cards;
pub mod cells;
mod choices;
pub mod columns;
pub mod list;
mod run;
pub mod sheets;
pub mod table;

pub use cards::CardImportReport;
pub use choices::ImportColumns;
pub use columns::Mapping;
pub use run::{ImportOptions, ImportReport, RejectedRow};
