//! Favourites: customers a staff user starred, to find them again in one
//! click. Each user's own; not audited, as they change nothing about the
//! customer.

use std::collections::HashSet;

use clientele_domain::CustomerId;
use clientele_store::Actor;

use crate::audit::ChangedBy;
use crate::{App, AppError, AppResult};

impl App {
    /// Stars a customer within the caller's reach for the staff user, or
    /// takes the star away; doing either twice is harmless.
    pub async fn set_favourite(
        &self,
        customer: CustomerId,
        starred: bool,
        by: &ChangedBy,
    ) -> AppResult<()> {
        let Actor::User { id: user, .. } = &by.actor else {
            return Err(AppError::Forbidden("favourites are a staff user's".into()));
        };
        self.customer_for(customer, by).await?;
        Ok(self
            .db()
            .staff()
            .set_favourite(*user, customer, starred, self.clock().now())
            .await?)
    }

    /// Which of these customers the caller starred.
    pub async fn favourites_among(
        &self,
        customers: &[CustomerId],
        by: &ChangedBy,
    ) -> AppResult<HashSet<CustomerId>> {
        let Actor::User { id: user, .. } = &by.actor else {
            return Ok(HashSet::new());
        };
        if customers.is_empty() {
            return Ok(HashSet::new());
        }
        Ok(self
            .db()
            .staff()
            .favourites_among(*user, customers)
            .await?
            .into_iter()
            .collect())
    }
}
