//! Custom property definitions, read on every list request and registration
//! but changed a few times a year: kept for a few seconds instead of read
//! each time. This process's own changes take effect at once; another
//! server's within [`FRESH_FOR`].

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use clientele_domain::PropertyDefinition;

use crate::{App, AppResult};

const FRESH_FOR: Duration = Duration::from_secs(5);

/// The definitions and when they were read.
type Snapshot = (Instant, Arc<Vec<PropertyDefinition>>);

#[derive(Clone, Default)]
pub(crate) struct DefinitionCache(Arc<RwLock<Option<Snapshot>>>);

impl DefinitionCache {
    fn fresh(&self) -> Option<Arc<Vec<PropertyDefinition>>> {
        let cached = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < FRESH_FOR)
            .map(|(_, definitions)| definitions.clone())
    }

    fn store(&self, definitions: Option<Arc<Vec<PropertyDefinition>>>) {
        let mut cached = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cached = definitions.map(|d| (Instant::now(), d));
    }
}

impl App {
    /// The property definitions, at most [`FRESH_FOR`] old.
    pub(crate) async fn cached_definitions(&self) -> AppResult<Arc<Vec<PropertyDefinition>>> {
        if let Some(definitions) = self.definitions.fresh() {
            return Ok(definitions);
        }
        let definitions = Arc::new(self.db().property_definitions().await?);
        self.definitions.store(Some(definitions.clone()));
        Ok(definitions)
    }

    /// Forgets the cached definitions after this process changed them.
    pub(crate) fn forget_definitions(&self) {
        self.definitions.store(None);
    }
}
