//! Customer import from the spreadsheets shops really have.

pub mod cells;
pub mod columns;
pub mod table;
