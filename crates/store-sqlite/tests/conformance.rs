//! The store conformance suite on a fresh SQLite file per test.

use clientele_store::Database;
use clientele_store_sqlite::SqliteDatabase;

async fn fresh() -> Option<Box<dyn Database>> {
    let dir = std::env::temp_dir().join(format!("clientele-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("conformance-{n}.db"));
    let _ = std::fs::remove_file(&path);
    let db = SqliteDatabase::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    Some(Box::new(db))
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

clientele_store::conformance_tests!(fresh());
clientele_store::customer_page_tests!(fresh());
