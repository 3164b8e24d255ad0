//! A customer registered, updated, merged or written in a batch: the steps
//! once for every engine. An engine claims the unique values (phone,
//! e-mail, external id) its own way, a unique index or lookup tables, and
//! binds a batch its own way ([`CustomerWrites`]).

use std::collections::HashSet;
use std::future::Future;

use clientele_domain::{Customer, CustomerId, CustomerProfile};
use clientele_store::{CustomerBatch, DbError, DbResult, NewCustomerRecord, WriteOutcome};
use jiff::Timestamp;

use crate::engine::Conn;
use crate::sql::{commit, execute, one};
use crate::{Engine, FromColumns, Sql, Statement};

/// What writing customers needs of an engine beyond its statements.
pub trait CustomerWrites: Engine {
    /// The columns of `customers c` a [`Customer`] reads, with the name of
    /// the customer merged into and the property values as one JSON object.
    const CUSTOMER_COLUMNS: &'static str;

    /// `count` fresh customer ids.
    fn next_ids(
        tx: &mut Conn<Self>,
        count: usize,
    ) -> impl Future<Output = DbResult<Vec<i64>>> + Send;

    /// Inserts each record with its id whose unique values are free;
    /// answers the ids written.
    fn insert_customers<'a>(
        tx: &'a mut Conn<Self>,
        records: &'a [NewCustomerRecord],
        ids: &'a [i64],
    ) -> impl Future<Output = DbResult<HashSet<i64>>> + Send + 'a;

    /// Writes each customer whose version is still current and whose new
    /// unique values are free, as updated `at`; answers the ids written. A
    /// customer left out holds what they held.
    fn update_customers<'a>(
        tx: &'a mut Conn<Self>,
        customers: &'a [&'a Customer],
        at: Timestamp,
    ) -> impl Future<Output = DbResult<HashSet<i64>>> + Send + 'a;

    /// Replaces the property values of the given customers.
    fn write_properties<'a>(
        tx: &'a mut Conn<Self>,
        customers: &'a [(i64, &'a CustomerProfile)],
    ) -> impl Future<Output = DbResult<()>> + Send + 'a;

    /// Which unique value of `profile` another customer than `own` holds,
    /// and who.
    fn conflicting_field<'a>(
        tx: &'a mut Conn<Self>,
        profile: &'a CustomerProfile,
        own: Option<CustomerId>,
    ) -> impl Future<Output = DbResult<(&'static str, Option<CustomerId>)>> + Send + 'a;
}

impl<E: CustomerWrites> Sql<E> {
    pub async fn customer(&self, id: CustomerId) -> DbResult<Option<Customer>> {
        let mut conn = self.reader().await?;
        load::<E>(&mut conn, id).await
    }

    pub async fn create_customer(&self, record: &NewCustomerRecord) -> DbResult<Customer> {
        let mut tx = self.begin().await?;
        let ids = E::next_ids(&mut tx, 1).await?;
        let inserted = E::insert_customers(&mut tx, std::slice::from_ref(record), &ids).await?;
        let id = ids[0];
        if !inserted.contains(&id) {
            let (field, existing) = E::conflicting_field(&mut tx, &record.profile, None).await?;
            return Err(DbError::Conflict {
                field,
                existing_customer: existing,
            });
        }
        E::write_properties(&mut tx, &[(id, &record.profile)]).await?;
        let customer = load::<E>(&mut tx, CustomerId(id)).await?;
        commit::<E>(tx).await?;
        customer.ok_or_else(|| DbError::Backend("a customer vanished after insert".into()))
    }

    pub async fn update_customer(&self, customer: &Customer, at: Timestamp) -> DbResult<Customer> {
        let mut tx = self.begin().await?;
        update_checked::<E>(&mut tx, customer, at).await?;
        let stored = load::<E>(&mut tx, customer.id).await?;
        commit::<E>(tx).await?;
        stored.ok_or_else(|| DbError::Backend("a customer vanished after update".into()))
    }

    pub async fn merge_customers(
        &self,
        survivor: &Customer,
        duplicate: &Customer,
        at: Timestamp,
    ) -> DbResult<Customer> {
        let mut tx = self.begin().await?;
        // The duplicate first: it gives up the unique values the survivor takes.
        update_checked::<E>(&mut tx, duplicate, at).await?;
        update_checked::<E>(&mut tx, survivor, at).await?;
        let referred = Statement::new(
            "UPDATE customers SET referrer_id = $1, updated_at = $3, version = version + 1
             WHERE referrer_id = $2 AND id <> $1",
        )
        .bind(survivor.id.0)
        .bind(duplicate.id.0)
        .bind(at);
        execute::<E>(&mut tx, referred).await?;
        // Whoever was merged into the duplicate now points at the survivor
        // too, so one look-up finds everyone merged into a customer.
        let merged = Statement::new(
            "UPDATE customers SET merged_into = $1, updated_at = $3, version = version + 1
             WHERE merged_into = $2",
        )
        .bind(survivor.id.0)
        .bind(duplicate.id.0)
        .bind(at);
        execute::<E>(&mut tx, merged).await?;
        // The duplicate's devices and messenger handles reach the survivor.
        for moving in [
            "UPDATE address_keys SET customer_id = $1
             WHERE customer_id = $2 AND (address, channel) IN (
                 SELECT address, channel FROM customer_addresses WHERE customer_id = $2)",
            "INSERT INTO customer_addresses (customer_id, channel, address, label, added_at)
             SELECT $1, channel, address, label, added_at FROM customer_addresses
             WHERE customer_id = $2
             ON CONFLICT (customer_id, channel, address) DO NOTHING",
        ] {
            let moving = Statement::new(moving)
                .bind(survivor.id.0)
                .bind(duplicate.id.0);
            execute::<E>(&mut tx, moving).await?;
        }
        let moved = Statement::new("DELETE FROM customer_addresses WHERE customer_id = $1")
            .bind(duplicate.id.0);
        execute::<E>(&mut tx, moved).await?;
        let stored = load::<E>(&mut tx, survivor.id).await?;
        commit::<E>(tx).await?;
        stored.ok_or_else(|| DbError::Backend("a customer vanished after merge".into()))
    }

    /// Writes what it can of a batch, each row's outcome in the batch's
    /// order: inserts first, then updates.
    pub async fn write_customers(&self, batch: &CustomerBatch) -> DbResult<Vec<WriteOutcome>> {
        let mut tx = self.begin().await?;
        let ids = E::next_ids(&mut tx, batch.inserts.len()).await?;
        let inserted = E::insert_customers(&mut tx, &batch.inserts, &ids).await?;
        // A customer listed twice is written once: the later copy is stale by then.
        let mut seen = HashSet::new();
        let first_copies: Vec<bool> = batch.updates.iter().map(|c| seen.insert(c.id)).collect();
        let updates: Vec<&Customer> = batch
            .updates
            .iter()
            .zip(&first_copies)
            .filter(|(_, first)| **first)
            .map(|(customer, _)| customer)
            .collect();
        let updated = E::update_customers(&mut tx, &updates, batch.at).await?;

        let written: Vec<(i64, &CustomerProfile)> = batch
            .inserts
            .iter()
            .zip(&ids)
            .filter(|(_, id)| inserted.contains(id))
            .map(|(record, id)| (*id, &record.profile))
            .chain(
                updates
                    .iter()
                    .filter(|c| updated.contains(&c.id.0))
                    .map(|c| (c.id.0, &c.profile)),
            )
            .collect();
        E::write_properties(&mut tx, &written).await?;

        let mut outcomes = Vec::with_capacity(batch.inserts.len() + batch.updates.len());
        for (record, id) in batch.inserts.iter().zip(&ids) {
            outcomes.push(if inserted.contains(id) {
                WriteOutcome::Inserted(CustomerId(*id))
            } else {
                let (field, _) = E::conflicting_field(&mut tx, &record.profile, None).await?;
                WriteOutcome::Skipped { field }
            });
        }
        for (customer, first) in batch.updates.iter().zip(first_copies) {
            outcomes.push(if first && updated.contains(&customer.id.0) {
                WriteOutcome::Updated(customer.id)
            } else {
                WriteOutcome::Skipped { field: "version" }
            });
        }
        commit::<E>(tx).await?;
        Ok(outcomes)
    }
}

/// Updates one customer or says precisely why it could not.
async fn update_checked<E: CustomerWrites>(
    tx: &mut Conn<E>,
    customer: &Customer,
    at: Timestamp,
) -> DbResult<()> {
    let updated = E::update_customers(tx, &[customer], at).await?;
    if updated.contains(&customer.id.0) {
        return E::write_properties(tx, &[(customer.id.0, &customer.profile)]).await;
    }
    let version = Statement::new("SELECT version FROM customers WHERE id = $1").bind(customer.id.0);
    let version = one::<E, _>(tx, version, |row| row.int("version")).await?;
    if version != Some(customer.version) {
        return Err(DbError::StaleVersion);
    }
    let (field, existing) = E::conflicting_field(tx, &customer.profile, Some(customer.id)).await?;
    Err(DbError::Conflict {
        field,
        existing_customer: existing,
    })
}

async fn load<E: CustomerWrites>(conn: &mut Conn<E>, id: CustomerId) -> DbResult<Option<Customer>> {
    let sql = format!(
        "SELECT {} FROM customers c WHERE c.id = $1",
        E::CUSTOMER_COLUMNS
    );
    one::<E, _>(
        conn,
        Statement::new(&sql).bind(id.0),
        Customer::from_columns,
    )
    .await
}
