//! Customers' unique values (phone, e-mail, external id), kept in
//! `customer_keys` by the value itself (migration 0018) rather than by a
//! unique index on `customers`, which a table spread over shards by customer
//! cannot have. A write claims the values its customers take before writing
//! them and gives back those they leave, in the same transaction.

use std::collections::{HashMap, HashSet};

use clientele_domain::CustomerId;
use clientele_store::DbResult;
use sqlx::PgConnection;

use crate::errors::backend;
use crate::rows::{CustomerWrite, column};

/// One unique value of one customer: its field, the value, the customer.
pub(crate) type Key = (String, String, i64);

/// The unique values a row takes.
fn keys(row: &CustomerWrite<'_>) -> Vec<Key> {
    row.unique_values()
        .into_iter()
        .filter_map(|(kind, value)| Some((kind.to_owned(), value?.to_owned(), row.id)))
        .collect()
}

/// Who holds each of these values now, by field and value.
async fn holders(tx: &mut PgConnection, keys: &[Key]) -> DbResult<HashMap<(String, String), i64>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT k.kind, k.value, k.customer_id
         FROM customer_keys k
         JOIN UNNEST($1::text[], $2::text[]) AS w (kind, value)
           ON k.value = w.value AND k.kind = w.kind",
    )
    .bind(column(keys, |k| k.0.as_str()))
    .bind(column(keys, |k| k.1.as_str()))
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(rows
        .into_iter()
        .map(|(kind, value, customer)| ((kind, value), customer))
        .collect())
}

/// Gives these values back.
pub(crate) async fn give_back(tx: &mut PgConnection, keys: &[Key]) -> DbResult<()> {
    if keys.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "DELETE FROM customer_keys k
         USING UNNEST($1::text[], $2::text[], $3::bigint[]) AS g (kind, value, customer_id)
         WHERE k.value = g.value AND k.kind = g.kind AND k.customer_id = g.customer_id",
    )
    .bind(column(keys, |k| k.0.as_str()))
    .bind(column(keys, |k| k.1.as_str()))
    .bind(column(keys, |k| k.2))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// What [`claim`] got.
pub(crate) struct Claimed {
    /// The rows that hold every value they take.
    pub rows: HashSet<i64>,
    /// The values those rows did not hold before.
    pub new: Vec<Key>,
}

/// Claims the unique values of `rows` for their customers. A value another
/// customer holds, or one a row earlier in the batch or a concurrent
/// transaction took first, leaves its row out, holding nothing new.
pub(crate) async fn claim(tx: &mut PgConnection, rows: &[CustomerWrite<'_>]) -> DbResult<Claimed> {
    let wanted: Vec<Key> = rows.iter().flat_map(keys).collect();
    let held = holders(tx, &wanted).await?;
    let holder = |(kind, value, _): &Key| held.get(&(kind.clone(), value.clone())).copied();
    let taken_by_others: HashSet<i64> = wanted
        .iter()
        .filter(|key| holder(key).is_some_and(|h| h != key.2))
        .map(|key| key.2)
        .collect();
    let new: Vec<Key> = wanted
        .iter()
        .filter(|key| !taken_by_others.contains(&key.2) && holder(key).is_none())
        .cloned()
        .collect();
    let claimed: HashSet<Key> = if new.is_empty() {
        HashSet::new()
    } else {
        let rows: Vec<Key> = sqlx::query_as(
            "INSERT INTO customer_keys (kind, value, customer_id)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])
             ON CONFLICT DO NOTHING
             RETURNING kind, value, customer_id",
        )
        .bind(column(&new, |k| k.0.as_str()))
        .bind(column(&new, |k| k.1.as_str()))
        .bind(column(&new, |k| k.2))
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        rows.into_iter().collect()
    };
    let missed: HashSet<i64> = new
        .iter()
        .filter(|key| !claimed.contains(*key))
        .map(|key| key.2)
        .collect();
    // A row that missed one value gives back the others it just claimed.
    let undone: Vec<Key> = claimed
        .iter()
        .filter(|key| missed.contains(&key.2))
        .cloned()
        .collect();
    give_back(tx, &undone).await?;
    Ok(Claimed {
        rows: rows
            .iter()
            .map(|row| row.id)
            .filter(|id| !taken_by_others.contains(id) && !missed.contains(id))
            .collect(),
        new: claimed
            .into_iter()
            .filter(|key| !missed.contains(&key.2))
            .collect(),
    })
}

/// Writes the values of rows loaded into an empty base, whose key is
/// built once the load is done (a repeat fails there).
pub(crate) async fn load(tx: &mut PgConnection, rows: &[CustomerWrite<'_>]) -> DbResult<()> {
    let keys: Vec<Key> = rows.iter().flat_map(keys).collect();
    sqlx::query(
        "INSERT INTO customer_keys (kind, value, customer_id)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])",
    )
    .bind(column(&keys, |k| k.0.as_str()))
    .bind(column(&keys, |k| k.1.as_str()))
    .bind(column(&keys, |k| k.2))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// The unique values the customers of `rows` hold now, read from their
/// own rows.
pub(crate) async fn held(tx: &mut PgConnection, rows: &[CustomerWrite<'_>]) -> DbResult<Vec<Key>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    sqlx::query_as(
        "SELECT k.kind, k.value, c.id
         FROM customers c
         CROSS JOIN LATERAL (VALUES ('phone', c.phone), ('email', c.email),
                                    ('external_id', c.external_id)) AS k (kind, value)
         WHERE c.id = ANY($1) AND k.value IS NOT NULL",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)
}

/// Gives back what was `held` and the customers' `written` rows no longer
/// take.
pub(crate) async fn release(
    tx: &mut PgConnection,
    held: Vec<Key>,
    written: &[&CustomerWrite<'_>],
) -> DbResult<()> {
    let kept: HashSet<Key> = written.iter().flat_map(|row| keys(row)).collect();
    let ids: HashSet<i64> = written.iter().map(|row| row.id).collect();
    let gone: Vec<Key> = held
        .into_iter()
        .filter(|key| ids.contains(&key.2) && !kept.contains(key))
        .collect();
    give_back(tx, &gone).await
}

/// The fields a customer's unique values are kept under: phone, e-mail,
/// external id, as [`CustomerWrite::unique_values`] names them.
pub(crate) const KINDS: [&str; 3] = ["phone", "email", "external_id"];

/// The customer holding a value of a field, if any.
pub(crate) async fn holder(
    conn: &mut PgConnection,
    kind: &str,
    value: &str,
) -> DbResult<Option<CustomerId>> {
    let holder: Option<i64> =
        sqlx::query_scalar("SELECT customer_id FROM customer_keys WHERE value = $1 AND kind = $2")
            .bind(value)
            .bind(kind)
            .fetch_optional(conn)
            .await
            .map_err(backend)?;
    Ok(holder.map(CustomerId))
}

/// The holders of values of one field.
pub(crate) async fn holders_of(
    conn: &mut PgConnection,
    kind: &str,
    values: &[&str],
) -> DbResult<Vec<(String, CustomerId)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT value, customer_id FROM customer_keys WHERE value = ANY($1) AND kind = $2",
    )
    .bind(values)
    .bind(kind)
    .fetch_all(conn)
    .await
    .map_err(backend)?;
    Ok(rows
        .into_iter()
        .map(|(value, customer)| (value, CustomerId(customer)))
        .collect())
}
