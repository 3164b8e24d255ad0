//! The outbox as staff read it.

use clientele_store::{Message, MessageQuery};

use crate::audit::ChangedBy;
use crate::{App, AppResult};

/// Messages listed at most at once.
pub const MAX_PAGE: u32 = 500;

impl App {
    /// Messages newest first, those of `by`'s stores' customers only when
    /// `by` is limited to stores.
    pub async fn messages(
        &self,
        mut query: MessageQuery,
        by: &ChangedBy,
    ) -> AppResult<Vec<Message>> {
        query.limit = query.limit.clamp(1, MAX_PAGE);
        query.stores = by.scope.clone();
        Ok(self.db().outbox().messages(&query).await?)
    }
}
