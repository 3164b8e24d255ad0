//! Customer import from the spreadsheets shops really have.

pub mod cells;
pub mod columns;
mod run;
pub mod table;

pub use run::{ImportOptions, ImportReport, RejectedRow};
