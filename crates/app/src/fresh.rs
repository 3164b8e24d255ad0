//! A value read from the database and kept for a few seconds: definitions
//! and programs are read on every request but changed a few times a year.
//! This process's own changes take effect at once (they [`forget`] it);
//! another server's within [`FRESH_FOR`].
//!
//! [`forget`]: Fresh::forget

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub(crate) const FRESH_FOR: Duration = Duration::from_secs(5);

/// The value and when it was read.
type Snapshot<T> = Option<(Instant, Arc<T>)>;

pub(crate) struct Fresh<T>(Arc<RwLock<Snapshot<T>>>);

impl<T> Clone for Fresh<T> {
    fn clone(&self) -> Self {
        Fresh(self.0.clone())
    }
}

impl<T> Default for Fresh<T> {
    fn default() -> Self {
        Fresh(Arc::default())
    }
}

impl<T> Fresh<T> {
    pub(crate) fn get(&self) -> Option<Arc<T>> {
        let cached = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < FRESH_FOR)
            .map(|(_, value)| value.clone())
    }

    /// The value last kept, however old.
    pub(crate) fn last(&self) -> Option<Arc<T>> {
        let cached = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached.as_ref().map(|(_, value)| value.clone())
    }

    pub(crate) fn keep(&self, value: Arc<T>) {
        let mut cached = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cached = Some((Instant::now(), value));
    }

    pub(crate) fn forget(&self) {
        let mut cached = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cached = None;
    }
}
