//! The customers coupons went to, as a clerk knows them: a read of the
//! customers and one of their cards (cards are kept apart from their
//! owners when the base is spread over servers, so never joined).

use std::collections::HashMap;

use clientele_domain::{CustomerId, Phone, StoreId};
use clientele_store::DbResult;
use clientele_store::area::CouponHolder;

use crate::{Engine, Sql, Statement, Value};

pub(crate) async fn coupon_holders<E: Engine>(
    sql: &Sql<E>,
    ids: &[CustomerId],
) -> DbResult<Vec<CouponHolder>> {
    let ids = || Value::Ids(Some(ids.iter().map(|id| id.0).collect()));
    let customers = format!(
        "SELECT id, name, phone, store_id FROM customers WHERE {}",
        E::among_ids("id", "$1")
    );
    let mut holders = sql
        .all(Statement::new(&customers).bind(ids()), |row| {
            Ok(CouponHolder {
                id: CustomerId(row.int("id")?),
                name: row.text("name")?,
                phone: row.text_or_null("phone")?.map(Phone::from_stored),
                card: None,
                store_id: row.int_or_null("store_id")?.map(StoreId),
            })
        })
        .await?;
    // Newest first, so the first seen of a customer's is the one they carry.
    let cards = format!(
        "SELECT customer_id, barcode FROM cards
         WHERE {} AND withdrawn_at IS NULL ORDER BY id DESC",
        E::among_ids("customer_id", "$1")
    );
    let cards = sql
        .all(Statement::new(&cards).bind(ids()), |row| {
            Ok((CustomerId(row.int("customer_id")?), row.text("barcode")?))
        })
        .await?;
    let mut carried: HashMap<CustomerId, String> = HashMap::new();
    for (customer, barcode) in cards {
        carried.entry(customer).or_insert(barcode);
    }
    for holder in &mut holders {
        holder.card = carried.remove(&holder.id);
    }
    Ok(holders)
}
