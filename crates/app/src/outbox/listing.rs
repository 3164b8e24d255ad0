//! The outbox as staff read it.

use std::collections::HashMap;

use clientele_domain::CustomerId;
use clientele_domain::message::Channel;
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

    /// The names of the customers of a page (the messages' recipients,
    /// the chats' writers), read at once as a clerk knows them (as the
    /// coupons' holders are).
    pub async fn customer_names(
        &self,
        customers: impl IntoIterator<Item = CustomerId>,
    ) -> AppResult<HashMap<CustomerId, String>> {
        let mut ids: Vec<CustomerId> = customers.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let known = self.db().offers().coupon_holders(&ids).await?;
        Ok(known.into_iter().map(|c| (c.id, c.name)).collect())
    }

    /// The channels this server can send over, as it last read its
    /// settings (a page shows them; the worker reads them afresh).
    pub fn channels_set_up(&self) -> Vec<Channel> {
        let set_up = self.channels.last();
        Channel::ALL
            .into_iter()
            .filter(|&c| {
                set_up.as_ref().is_some_and(|s| s.contains_key(&c))
                    || self.messaging().configured(c).is_some()
            })
            .collect()
    }
}
