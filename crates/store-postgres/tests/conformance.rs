//! The store conformance suite on a fresh PostgreSQL database per test, run
//! when CLIENTELE_TEST_POSTGRES_URL names a server to create them on.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use clientele_domain::customer::CustomerRules;
use clientele_domain::segment::{NewSegment, SegmentKind, SegmentSize};
use clientele_domain::{Customer, CustomerId, CustomerInput, Phone};
use clientele_store::prelude::*;
use clientele_store::{CustomerBatch, DbError, NewCustomerRecord, WriteOutcome};
use clientele_store_postgres::PostgresDatabase;
use jiff::Timestamp;
use jiff::civil::date;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

const URL_VARIABLE: &str = "CLIENTELE_TEST_POSTGRES_URL";

static SKIP_NOTICE: Once = Once::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);
/// When this process made its first test database.
static STARTED: OnceLock<u128> = OnceLock::new();
/// Test databases this process made and handed to a test.
static CREATED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn nanos_now() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_nanos()
}

/// When a test database was made, from its name
/// `clientele_test_<pid>_<counter>_<nanos>`.
fn made_at(name: &str) -> Option<u128> {
    name.rsplit('_').next()?.parse().ok()
}

/// The same server URL, naming another database.
fn with_database(url: &str, name: &str) -> String {
    let (base, params) = url
        .split_once('?')
        .map_or((url, None), |(b, p)| (b, Some(p)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = base[authority..]
        .find('/')
        .map_or(base, |slash| &base[..authority + slash]);
    match params {
        Some(params) => format!("{server}/{name}?{params}"),
        None => format!("{server}/{name}"),
    }
}

/// Drops the test databases nobody needs any more. The conformance macro
/// takes only a factory, so nothing runs after a test; instead every new
/// test database first clears away the old ones: this process's own whose
/// tests have ended, and any made before this process started (runs that
/// ended or crashed). A test's pool stays connected while it runs, and a
/// database with a session is never touched (plain DROP DATABASE, without
/// FORCE, refuses it even in a race), so a concurrent run of the suite is
/// safe. The last few databases of a run go at the start of the next one.
async fn drop_unused(admin: &mut PgConnection) {
    let idle: Vec<String> = sqlx::query_scalar(
        r"SELECT datname FROM pg_database d
          WHERE datname LIKE 'clientele\_test\_%'
            AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)",
    )
    .fetch_all(&mut *admin)
    .await
    .expect("list test databases");
    let started = *STARTED.get().expect("set before the first database");
    for name in idle {
        let ours = CREATED.lock().unwrap().contains(&name);
        if !ours && made_at(&name).is_none_or(|at| at >= started) {
            continue;
        }
        let drop = format!("DROP DATABASE IF EXISTS \"{name}\"");
        if sqlx::raw_sql(AssertSqlSafe(drop))
            .execute(&mut *admin)
            .await
            .is_ok()
        {
            CREATED.lock().unwrap().retain(|created| *created != name);
        }
    }
}

/// A new, migrated database and its URL; `None` (said loudly) when no server
/// is configured.
async fn fresh_database() -> Option<(PostgresDatabase, String)> {
    let Ok(url) = std::env::var(URL_VARIABLE) else {
        // Straight to the stream: eprintln! would be captured, and hidden,
        // for a test that passes.
        SKIP_NOTICE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\nSKIPPED: the PostgreSQL conformance tests did not run; set {URL_VARIABLE} \
                 (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them\n"
            );
        });
        return None;
    };
    STARTED.get_or_init(nanos_now);
    let mut admin = PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VARIABLE}: {e}"));
    drop_unused(&mut admin).await;
    let name = format!(
        "clientele_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos_now()
    );
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.expect("close the admin connection");
    let url = with_database(&url, &name);
    let db = PostgresDatabase::open(&url).await.unwrap();
    db.migrate().await.unwrap();
    CREATED.lock().unwrap().push(name);
    Some((db, url))
}

async fn fresh() -> Option<Box<dyn Database>> {
    let (db, _) = fresh_database().await?;
    Some(Box::new(db))
}

clientele_store::conformance_tests!(fresh());
clientele_store::customer_page_tests!(fresh());

#[tokio::test]
async fn a_schema_other_than_the_binarys_is_refused() {
    let Some((db, url)) = fresh_database().await else {
        return;
    };
    let (_, binary) = db.schema_version().await.unwrap();
    let mut conn = PgConnection::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES ($1, 'from a newer clientele', true, decode('00', 'hex'), 0)",
    )
    .bind(binary + 1)
    .execute(&mut conn)
    .await
    .unwrap();
    let too_new = |result| {
        matches!(result, Err(DbError::SchemaTooNew { database, binary: known })
            if database == binary + 1 && known == binary)
    };
    assert!(
        too_new(db.migrate().await),
        "migrate refuses a newer schema"
    );
    assert!(too_new(db.check_schema().await), "check_schema refuses it");

    sqlx::query("DELETE FROM _sqlx_migrations")
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(matches!(
        db.check_schema().await,
        Err(DbError::SchemaTooOld { database: 0, binary: known }) if known == binary
    ));
}

/// When the tests below write.
fn at() -> Timestamp {
    Timestamp::from_second(1_795_000_000).unwrap()
}

/// A new customer named `name`, in the default group.
async fn customer_record(db: &PostgresDatabase, name: &str) -> NewCustomerRecord {
    let group = db.directory().default_customer_group().await.unwrap().id;
    let rules = CustomerRules {
        properties: &[],
        default_group: group,
        today: date(2026, 11, 23),
        now: at(),
        source: "test",
    };
    let profile = CustomerInput {
        name: Some(name.into()),
        ..Default::default()
    }
    .into_new(&rules)
    .unwrap();
    NewCustomerRecord {
        profile,
        created_at: at(),
    }
}

/// PostgreSQL has no UPDATE OR IGNORE: two rows of one batch taking the
/// same new phone must cost only the second its write.
#[tokio::test]
async fn a_clash_inside_an_update_batch_skips_only_that_row() {
    let Some((db, _)) = fresh_database().await else {
        return;
    };
    let at = at();
    let mut stored = Vec::new();
    for name in ["Первый", "Второй", "Третий"] {
        let record = customer_record(&db, name).await;
        stored.push(db.create_customer(&record).await.unwrap());
    }
    let phone = Phone::parse("+79004443322").unwrap();
    let updates: Vec<Customer> = stored
        .iter()
        .map(|customer| {
            let mut changed = customer.clone();
            changed.profile.phone = Some(phone.clone());
            changed
        })
        .collect();
    let outcomes = db
        .write_customers(&CustomerBatch {
            inserts: vec![],
            updates,
            at,
        })
        .await
        .unwrap();
    let written: Vec<_> = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, WriteOutcome::Updated(_)))
        .collect();
    assert_eq!(written.len(), 1, "one of {outcomes:?} takes the phone");
    let holder = db.customer_by_phone(&phone).await.unwrap().unwrap();
    assert_eq!(*written[0], WriteOutcome::Updated(holder.id));
    assert_eq!(holder.version, 2);
}

/// Tills read a customer's segments by the members' key. A planner that
/// last counted `segment_members` (nearly) empty, as autovacuum found it
/// before a large segment was made, would read the whole table for each
/// customer until autovacuum came round again: a recompute that moves many
/// members brings the figures up to date itself.
#[tokio::test]
async fn a_recompute_moving_many_members_brings_the_planners_figures_up_to_date() {
    let Some((db, url)) = fresh_database().await else {
        return;
    };
    let mut conn = PgConnection::connect(&url).await.unwrap();
    sqlx::query("ANALYZE segment_members")
        .execute(&mut conn)
        .await
        .unwrap();
    let at = at();
    let mut inserts = Vec::new();
    for n in 0..1_500 {
        inserts.push(customer_record(&db, &format!("Покупатель {n}")).await);
    }
    let outcomes = db
        .write_customers(&CustomerBatch {
            inserts,
            updates: vec![],
            at,
        })
        .await
        .unwrap();
    let ids: Vec<CustomerId> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            WriteOutcome::Inserted(id) => Some(*id),
            _ => None,
        })
        .collect();
    let counted = async |conn: &mut PgConnection| -> f32 {
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = 'segment_members'")
            .fetch_one(conn)
            .await
            .unwrap()
    };
    let segments = db.segments();
    let new = NewSegment {
        name: "Все".into(),
        kind: SegmentKind::Static,
        rules: None,
        schedule: None,
    };
    let few = segments.create_segment(&new, None, at).await.unwrap();
    let size = |size, entered| SegmentSize {
        computed_at: at,
        size,
        entered,
        left: 0,
        took_ms: 1,
    };
    segments
        .record_recompute(few.id, &ids[..10], &[], &size(10, 10))
        .await
        .unwrap();
    assert!(
        counted(&mut conn).await < 10.0,
        "a few members leave the figures to autovacuum"
    );
    let many = NewSegment {
        name: "Многие".into(),
        ..new
    };
    let many = segments.create_segment(&many, None, at).await.unwrap();
    segments
        .record_recompute(many.id, &ids, &[], &size(1_500, 1_500))
        .await
        .unwrap();
    assert_eq!(counted(&mut conn).await, 1_510.0);
}

/// A bulk write ends by analysing the tables it filled, never an empty
/// one: planned as empty, a table of receipts is read whole by every check
/// against it until autovacuum comes round, as the first receipts after an
/// import come in.
#[tokio::test]
async fn statistics_are_refreshed_for_tables_with_rows_only() {
    let Some((db, url)) = fresh_database().await else {
        return;
    };
    let record = customer_record(&db, "Первый").await;
    db.create_customer(&record).await.unwrap();
    db.refresh_statistics().await.unwrap();
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let counted = async |conn: &mut PgConnection, table: &str| -> f32 {
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = $1")
            .bind(table)
            .fetch_one(conn)
            .await
            .unwrap()
    };
    assert_eq!(counted(&mut conn, "customers").await, 1.0);
    assert_eq!(
        counted(&mut conn, "receipts").await,
        -1.0,
        "an empty table is left as never analysed"
    );
}

/// The same suite on a schema whose distributed tables are split into hash
/// partitions by their column, as Citus splits them into shards: PostgreSQL
/// refuses there any unique key without the column, and every statement
/// runs against the split tables.
mod partitioned {
    use clientele_store::Database;
    use clientele_store_postgres::scale_out::{DISTRIBUTED, partition_by_distribution};

    async fn fresh() -> Option<Box<dyn Database>> {
        let (db, url) = super::fresh_database().await?;
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        partition_by_distribution(&pool, 4)
            .await
            .expect("the schema splits by its distribution columns");
        let split: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_partitioned_table")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(
            split,
            DISTRIBUTED.len() as i64,
            "every distributed table is split"
        );
        pool.close().await;
        Some(Box::new(db))
    }

    clientele_store::conformance_tests!(fresh());
    clientele_store::customer_page_tests!(fresh());
}

/// The rules a schema spread by customer keeps (see `scale_out`), read from
/// the catalogue of a freshly migrated database.
#[tokio::test]
async fn the_schema_keeps_the_scale_out_rules() {
    use clientele_store_postgres::scale_out::{DISTRIBUTED, distribution, tables};

    let Some((_, url)) = fresh_database().await else {
        return;
    };
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let tables = tables(&mut conn).await.unwrap();
    let mut broken = Vec::new();
    for d in DISTRIBUTED {
        if !tables.iter().any(|t| t == d.table) {
            broken.push(format!(
                "{} is listed as distributed but does not exist",
                d.table
            ));
        }
    }
    // A table of customers' rows is split by them.
    let owned: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.relname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
           AND a.attname IN ('customer_id', 'owner_id') AND NOT a.attisdropped",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for table in owned {
        if distribution(&table).is_none() {
            broken.push(format!(
                "{table} holds customers' rows but is not distributed"
            ));
        }
    }
    // Every unique key of a split table holds its column.
    let uniques: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT c.relname::text, x.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(i.indkey) k
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k)
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
         WHERE c.relnamespace = current_schema()::regnamespace AND i.indisunique",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for (table, index, columns) in uniques {
        if let Some(d) = distribution(&table).filter(|d| !columns.iter().any(|c| c == d.column)) {
            broken.push(format!("{index} on {table} does not hold {}", d.column));
        }
    }
    // A foreign key between split tables joins kept-together tables on
    // their columns; a reference table never points into a split one.
    /// A foreign key: its name, its table, the table it points at, and
    /// their columns in order.
    type Foreign = (String, String, String, Vec<String>, Vec<String>);
    let foreign: Vec<Foreign> = sqlx::query_as(
        "SELECT f.conname::text, f.conrelid::regclass::text, f.confrelid::regclass::text,
                ARRAY(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY k (n, o)
                      JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n
                      ORDER BY k.o),
                ARRAY(SELECT a.attname::text FROM unnest(f.confkey) WITH ORDINALITY k (n, o)
                      JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.n
                      ORDER BY k.o)
         FROM pg_constraint f
         WHERE f.contype = 'f' AND f.connamespace = current_schema()::regnamespace",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for (name, from, to, from_columns, to_columns) in foreign {
        match (distribution(&from), distribution(&to)) {
            (None, Some(_)) => {
                broken.push(format!("{name}: reference table {from} points into {to}"))
            }
            (Some(a), Some(b)) => {
                let joined = from_columns
                    .iter()
                    .zip(&to_columns)
                    .any(|(x, y)| x == a.column && y == b.column);
                if a.beside != b.beside || !joined {
                    broken.push(format!(
                        "{name}: {from} and {to} are not joined on their columns"
                    ));
                }
            }
            _ => {}
        }
    }
    // No function of ours runs queries (Citus cannot plan parameterised
    // ones over split tables); trigger functions and extensions' are fine.
    let functions: Vec<String> = sqlx::query_scalar(
        "SELECT p.proname::text FROM pg_proc p
         WHERE p.pronamespace = current_schema()::regnamespace
           AND p.prorettype <> 'trigger'::regtype
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for function in functions {
        broken.push(format!("function {function} runs queries on the server"));
    }
    assert!(
        broken.is_empty(),
        "the scale-out rules are broken:\n{}",
        broken.join("\n")
    );
}
