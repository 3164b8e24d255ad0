//! The birthday calendar: how many active customers have their birthday on
//! each day of a month, who they are on one day, and points with a message
//! to all of that day's customers at once.

use clientele_domain::{
    BirthdayRange, CustomerFilter, CustomerId, CustomerStatus, MonthDay, SortOrder, StoreId,
};
use clientele_store::CustomerQuery;

use crate::points::MAX_CUSTOMERS;
use crate::{App, AppError, AppResult};

/// The customers one page of the day's list shows at most.
const PAGE: u32 = 500;

fn active_within(scope: Option<Vec<StoreId>>) -> CustomerFilter {
    CustomerFilter {
        status: Some(CustomerStatus::Active),
        stores_within: scope,
        ..CustomerFilter::default()
    }
}

impl App {
    /// `(day, customers)` for each day of `month` (1–12) with birthdays,
    /// among the active customers within `scope`.
    pub async fn birthday_calendar(
        &self,
        month: i8,
        scope: Option<Vec<StoreId>>,
    ) -> AppResult<Vec<(i8, u64)>> {
        let counts = self
            .db()
            .birthdays_in_month(&active_within(scope), month)
            .await?;
        Ok(counts
            .into_iter()
            .filter_map(|(md, count)| Some((i8::try_from(md % 100).ok()?, count)))
            .collect())
    }

    /// Every active customer within `scope` whose birthday is `day`, as many
    /// as points by hand reach at once; more is refused, not cut short.
    pub async fn birthday_customers(
        &self,
        day: MonthDay,
        scope: Option<Vec<StoreId>>,
    ) -> AppResult<Vec<CustomerId>> {
        let filter = CustomerFilter {
            birthday: Some(BirthdayRange { from: day, to: day }),
            ..active_within(scope)
        };
        let mut ids = Vec::new();
        let mut after = None;
        loop {
            let query = CustomerQuery {
                filter: filter.clone(),
                order: SortOrder::default(),
                limit: PAGE,
                after,
            };
            let page = self.db().list_customers(&query).await?;
            ids.extend(page.items.iter().map(|c| c.id));
            if ids.len() > MAX_CUSTOMERS {
                return Err(AppError::from_field(clientele_domain::FieldError::new(
                    "day",
                    "too_many",
                    format!("more than {MAX_CUSTOMERS} customers share this birthday"),
                )));
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(ids),
            }
        }
    }
}
