//! What the console offers before an import: each header as the import
//! would read it, and every column a person may choose instead.

use clientele_domain::PropertyDefinition;

use super::columns::{Column, ColumnMap, Mapping, all_columns, match_headers};
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

    /// Refuses a mapping the import would refuse, before it runs: a column
    /// chosen twice, a property nobody defined, no column for the name.
    pub async fn check_import_mapping(
        &self,
        headers: &[String],
        mapping: &Mapping,
    ) -> AppResult<()> {
        let properties = self.cached_definitions().await?;
        mapping.read(headers, &properties)?.require_name()?;
        Ok(())
    }
}
