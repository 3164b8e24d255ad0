//! Custom property definitions, read on every list request and registration,
//! kept for a few seconds (see [`crate::fresh`]).

use std::sync::Arc;

use clientele_domain::PropertyDefinition;

use crate::{App, AppResult};

impl App {
    /// The property definitions, at most a few seconds old.
    pub(crate) async fn cached_definitions(&self) -> AppResult<Arc<Vec<PropertyDefinition>>> {
        if let Some(definitions) = self.definitions.get() {
            return Ok(definitions);
        }
        let definitions = Arc::new(self.db().directory().property_definitions().await?);
        self.definitions.keep(definitions.clone());
        Ok(definitions)
    }

    /// Forgets the cached definitions after this process changed them.
    pub(crate) fn forget_definitions(&self) {
        self.definitions.forget();
    }
}
