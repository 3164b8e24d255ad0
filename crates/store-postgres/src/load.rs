//! Filling an empty customer base: one transaction that takes the customer
//! tables from other writers, drops their unique constraints and secondary
//! indexes, inserts the rows and builds them again at the end. Readers of
//! the customer tables wait for the load to commit (dropping an index locks
//! its table); an empty base has nothing to read anyway.

use async_trait::async_trait;
use clientele_domain::{CustomerId, CustomerProfile};
use clientele_store::{CustomerLoad, DbError, DbResult, NewCustomerRecord};
use sqlx::{AssertSqlSafe, PgPool, Postgres, Transaction};

use crate::customer_keys;
use crate::customers::{insert_claimed, insert_properties};
use crate::errors::{backend, constraint};
use crate::rows::CustomerWrite;

pub struct PgCustomerLoad {
    tx: Transaction<'static, Postgres>,
    /// The statements that rebuild what was dropped, as the catalogue
    /// describes it, so the load restores exactly what the migrations made.
    rebuild: Vec<String>,
}

pub async fn begin(pool: &PgPool) -> DbResult<Option<PgCustomerLoad>> {
    let mut tx = pool.begin().await.map_err(backend)?;
    sqlx::query(
        "LOCK TABLE customers, customer_properties, customer_keys IN SHARE ROW EXCLUSIVE MODE",
    )
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers)")
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
    if !empty {
        return Ok(None);
    }
    // Unique values are checked once, when the key is built at the end.
    let uniques: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)
         FROM pg_constraint
         WHERE (conrelid = 'customers'::regclass AND contype = 'u')
            OR (conrelid = 'customer_keys'::regclass AND contype = 'p')",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT indexname::text, indexdef
         FROM pg_indexes
         WHERE schemaname = current_schema()
           AND tablename IN ('customers', 'customer_properties')
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?;
    // The names and definitions come from the catalogue: our own objects.
    let mut rebuild = Vec::new();
    for (table, name, definition) in uniques {
        execute(
            &mut tx,
            format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""),
        )
        .await?;
        rebuild.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
        ));
    }
    for (name, definition) in indexes {
        execute(&mut tx, format!("DROP INDEX \"{name}\"")).await?;
        rebuild.push(definition);
    }
    execute(&mut tx, "SET LOCAL maintenance_work_mem = '256MB'".into()).await?;
    Ok(Some(PgCustomerLoad { tx, rebuild }))
}

async fn execute(tx: &mut Transaction<'static, Postgres>, sql: String) -> DbResult<()> {
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut **tx)
        .await
        .map_err(constraint)?;
    Ok(())
}

#[async_trait]
impl CustomerLoad for PgCustomerLoad {
    async fn insert(&mut self, customers: &[NewCustomerRecord]) -> DbResult<Vec<CustomerId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, $1)",
        )
        .bind(customers.len() as i64)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(backend)?;
        let rows: Vec<CustomerWrite<'_>> = customers
            .iter()
            .zip(&ids)
            .map(|(record, id)| CustomerWrite::registered(*id, record))
            .collect();
        customer_keys::load(&mut self.tx, &rows).await?;
        let inserted = insert_claimed(&mut self.tx, &rows.iter().collect::<Vec<_>>()).await?;
        if inserted.len() != rows.len() {
            return Err(DbError::Backend(
                "a customer of the load was not written".into(),
            ));
        }
        let profiles: Vec<(i64, &CustomerProfile)> = customers
            .iter()
            .zip(&ids)
            .map(|(record, id)| (*id, &record.profile))
            .collect();
        insert_properties(&mut self.tx, &profiles).await?;
        Ok(ids.into_iter().map(CustomerId).collect())
    }

    async fn finish(mut self: Box<Self>) -> DbResult<()> {
        for statement in std::mem::take(&mut self.rebuild) {
            execute(&mut self.tx, statement).await?;
        }
        self.tx.commit().await.map_err(backend)
    }
}
