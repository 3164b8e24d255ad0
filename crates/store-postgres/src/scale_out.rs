//! How the schema spreads over several servers (Citus). Customer-owned
//! tables are split by customer and kept beside the customer; the lookup
//! tables that keep a value unique across the base are split by that value;
//! cards and gift certificates by their own id. Every other table is a
//! reference table, whole on every server.
//!
//! The same rules are checked on one PostgreSQL server by
//! [`partition_by_distribution`], which splits each distributed table into
//! hash partitions by its column: PostgreSQL then refuses, as Citus would,
//! a unique key without that column.

use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use clientele_store::{DbError, DbResult};

use crate::errors::backend;

/// A table split by `column`, kept beside (co-located with) `beside`'s
/// shards, or in a group of its own when `beside` is itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distributed {
    pub table: &'static str,
    pub column: &'static str,
    pub beside: &'static str,
}

const fn split(table: &'static str, column: &'static str, beside: &'static str) -> Distributed {
    Distributed {
        table,
        column,
        beside,
    }
}

/// The distributed tables, each after the tables its foreign keys reach.
pub const DISTRIBUTED: &[Distributed] = &[
    split("customers", "id", "customers"),
    split("customer_properties", "customer_id", "customers"),
    split("customer_loyalty", "customer_id", "customers"),
    split("customer_notes", "customer_id", "customers"),
    split("messages", "customer_id", "customers"),
    split("customer_tier_seen", "customer_id", "customers"),
    split("chat_threads", "customer_id", "customers"),
    split("chat_messages", "customer_id", "customers"),
    split("customer_addresses", "customer_id", "customers"),
    split("favourites", "customer_id", "customers"),
    split("segment_members", "customer_id", "customers"),
    split("offer_uses", "customer_id", "customers"),
    // A customer's receipts, or an anonymous one under minus its till.
    split("receipts", "owner_id", "customers"),
    split("receipt_lines", "owner_id", "customers"),
    split("returns", "owner_id", "customers"),
    split("return_lines", "owner_id", "customers"),
    split("ledger_entries", "customer_id", "customers"),
    split("point_lots", "customer_id", "customers"),
    split("holds", "customer_id", "customers"),
    split("hold_offers", "customer_id", "customers"),
    // The figures kept of each customer (a product's days, like a store's,
    // and the whole chain's months are whole on every server).
    split("customer_months", "customer_id", "customers"),
    split("customer_products", "customer_id", "customers"),
    // Unique values, each kept by the value.
    split("customer_keys", "value", "customer_keys"),
    split("hold_ids", "hold_id", "hold_ids"),
    split("till_receipts", "till_id", "till_receipts"),
    split("card_barcodes", "barcode", "card_barcodes"),
    split("certificate_codes", "code", "certificate_codes"),
    split("coupons", "code", "coupons"),
    split("address_keys", "address", "address_keys"),
    split(
        "message_provider_ids",
        "provider_id",
        "message_provider_ids",
    ),
    // An offer's budget, counted per offer.
    split("offer_budgets", "offer_id", "offer_budgets"),
    // Kept by their own id: a card or certificate may have no customer.
    split("cards", "id", "cards"),
    split("certificates", "id", "certificates"),
    split("certificate_movements", "certificate_id", "certificates"),
    split("audit_log", "id", "audit_log"),
];

/// Where `table` is split, if it is.
pub fn distribution(table: &str) -> Option<&'static Distributed> {
    DISTRIBUTED.iter().find(|d| d.table == table)
}

/// The schema's tables (sqlx's own bookkeeping left out).
pub async fn tables(conn: &mut PgConnection) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
           AND NOT c.relispartition AND c.relname <> '_sqlx_migrations'
         ORDER BY 1",
    )
    .fetch_all(conn)
    .await
    .map_err(backend)
}

/// On Citus (its extension made in the database), makes every table
/// listed here distributed and every other one a reference table, once:
/// reference tables first, then the distributed ones in order, each step
/// its own transaction as Citus asks. Answers whether Citus is there.
pub async fn distribute(pool: &PgPool) -> DbResult<bool> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    let citus: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
    if !citus {
        return Ok(false);
    }
    let done: Vec<String> =
        sqlx::query_scalar("SELECT logicalrelid::regclass::text FROM pg_dist_partition")
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?;
    // The ledger's and movements' append-only triggers only refuse a change.
    run(&mut conn, "SET citus.enable_unsafe_triggers TO on".into()).await?;
    for table in tables(&mut conn).await? {
        if distribution(&table).is_none() && !done.contains(&table) {
            sqlx::query("SELECT create_reference_table($1)")
                .bind(&table)
                .execute(&mut *conn)
                .await
                .map_err(|e| DbError::Open(format!("{table} as a reference table: {e}")))?;
        }
    }
    for d in DISTRIBUTED {
        if done.iter().any(|t| t == d.table) {
            continue;
        }
        let beside = if d.beside == d.table {
            "none"
        } else {
            d.beside
        };
        sqlx::query("SELECT create_distributed_table($1, $2, colocate_with => $3)")
            .bind(d.table)
            .bind(d.column)
            .bind(beside)
            .execute(&mut *conn)
            .await
            .map_err(|e| DbError::Open(format!("{} by {}: {e}", d.table, d.column)))?;
    }
    Ok(true)
}

async fn run(conn: &mut PgConnection, sql: String) -> DbResult<()> {
    sqlx::raw_sql(AssertSqlSafe(sql.clone()))
        .execute(conn)
        .await
        .map_err(|e| DbError::Open(format!("{e}, running: {sql}")))?;
    Ok(())
}

/// Splits every distributed table of a freshly migrated, empty schema into
/// `partitions` hash partitions by its column, keeping its keys, indexes,
/// triggers and the foreign keys that reach it: a key the split cannot keep
/// fails with PostgreSQL's own error.
pub async fn partition_by_distribution(pool: &PgPool, partitions: u32) -> DbResult<()> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    let mut tx = conn.begin().await.map_err(backend)?;
    let names: Vec<&str> = DISTRIBUTED.iter().map(|d| d.table).collect();
    // Foreign keys to or from a split table: dropped now, made again last.
    let foreign: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)
         FROM pg_constraint
         WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
           AND (conrelid::regclass::text = ANY($1) OR confrelid::regclass::text = ANY($1))",
    )
    .bind(&names)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?;
    for (table, name, _) in &foreign {
        run(
            &mut tx,
            format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""),
        )
        .await?;
    }
    for d in DISTRIBUTED {
        split_table(&mut tx, d, partitions).await?;
    }
    for (table, name, definition) in &foreign {
        run(
            &mut tx,
            format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"),
        )
        .await?;
    }
    tx.commit().await.map_err(backend)
}

async fn split_table(conn: &mut PgConnection, d: &Distributed, partitions: u32) -> DbResult<()> {
    let table = d.table;
    let rows: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    if rows > 0 {
        return Err(DbError::Open(format!(
            "{table} has rows; only an empty schema is split"
        )));
    }
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE conrelid = $1::regclass AND contype IN ('p', 'u')",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexname::text, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = $1
           AND i.indexname NOT IN (SELECT conname FROM pg_constraint
                                   WHERE conrelid = $1::regclass)",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let triggers: Vec<String> = sqlx::query_scalar(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger
         WHERE tgrelid = $1::regclass AND NOT tgisinternal",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let sequences: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.attname::text, pg_get_serial_sequence($1, a.attname)
         FROM pg_attribute a
         WHERE a.attrelid = $1::regclass AND a.attidentity <> ''",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;

    let plain = format!("{table}__plain");
    run(conn, format!("ALTER TABLE {table} RENAME TO {plain}")).await?;
    for (name, _) in &keys {
        run(
            conn,
            format!("ALTER TABLE {plain} DROP CONSTRAINT \"{name}\""),
        )
        .await?;
    }
    for (name, _) in &indexes {
        run(conn, format!("DROP INDEX \"{name}\"")).await?;
    }
    run(
        conn,
        format!(
            "CREATE TABLE {table} (LIKE {plain} INCLUDING DEFAULTS INCLUDING GENERATED \
             INCLUDING CONSTRAINTS) PARTITION BY HASH ({})",
            d.column
        ),
    )
    .await?;
    for remainder in 0..partitions {
        run(
            conn,
            format!(
                "CREATE TABLE {table}__{remainder} PARTITION OF {table} \
                 FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
            ),
        )
        .await?;
    }
    for (name, definition) in &keys {
        run(
            conn,
            format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"),
        )
        .await?;
    }
    for (_, definition) in &indexes {
        run(conn, definition.clone()).await?;
    }
    run(conn, format!("DROP TABLE {plain}")).await?;
    for definition in &triggers {
        run(conn, definition.clone()).await?;
    }
    // A partitioned table has no identity column (before PostgreSQL 17):
    // its ids come from a sequence of the name the code draws them from.
    for (column, sequence) in &sequences {
        run(
            conn,
            format!("CREATE SEQUENCE {sequence} OWNED BY {table}.{column}"),
        )
        .await?;
        run(
            conn,
            format!("ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT nextval('{sequence}')"),
        )
        .await?;
    }
    Ok(())
}
