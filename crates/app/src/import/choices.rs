//! What the console offers before an import: each header as the import
//! would read it, and every column a person may choose instead.

use clientele_domain::PropertyDefinition;

use super::columns::{Column, ColumnMap, all_columns, match_headers};
use crate::{App, AppResult};

pub struct ImportColumns {
    pub recognised: ColumnMap,
    pub columns: Vec<Column>,
    /// The marketer's properties, for their labels.
    pub properties: Vec<PropertyDefinition>,
}

impl App {
    pub async fn import_columns(&self, headers: &[String]) -> AppResult<ImportColumns> {
        let properties = self.cached_definitions().await?.to_vec();
        Ok(ImportColumns {
            recognised: match_headers(headers, &properties),
            columns: all_columns(&properties),
            properties,
        })
    }
}
