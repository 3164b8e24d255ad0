//! Customer and card import from the spreadsheets shops really have.

mod card_columns;
mod card_rows;
mod cards;
pub mod cells;
pub mod columns;
mod run;
pub mod table;

pub use cards::CardImportReport;
pub use run::{ImportOptions, ImportReport, RejectedRow};
