//! A customer as a till sees them: the record and the account, read by one
//! statement, since every step at the till needs both.

use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{Customer, CustomerId};
use clientele_store::DbResult;
use jiff::Timestamp;
use sqlx::SqlitePool;

use crate::errors::backend;
use crate::receipts::{LoyaltyRow, loyalty_columns};
use crate::rows::{CustomerRow, customer_columns, micros};

#[derive(sqlx::FromRow)]
struct TillRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    #[sqlx(flatten)]
    loyalty: LoyaltyRow,
}

pub async fn customer_at_till(
    pool: &SqlitePool,
    id: CustomerId,
    at: Timestamp,
) -> DbResult<Option<(Customer, CustomerLoyalty)>> {
    let row: Option<TillRow> = sqlx::query_as(concat!(
        "SELECT ",
        customer_columns!(),
        ", ",
        loyalty_columns!("c.id"),
        " FROM customers c LEFT JOIN customer_loyalty l ON l.customer_id = c.id WHERE c.id = ?1"
    ))
    .bind(id.0)
    .bind(micros(at))
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.map(|row| Ok((row.customer.0, row.loyalty.into_loyalty()?)))
        .transpose()
}
