//! The bundled SQLite is built as `.cargo/config.toml` asks: a lost flag
//! would quietly recompile hot statements on every execution.

use sqlx::{Connection, SqliteConnection};

#[tokio::test]
async fn sqlite_is_built_with_a_stable_query_planner() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    let used = |option: &'static str| {
        sqlx::query_scalar::<_, bool>("SELECT sqlite_compileoption_used(?1)").bind(option)
    };
    assert!(used("ENABLE_QPSG").fetch_one(&mut conn).await.unwrap());
    assert!(!used("ENABLE_STAT4").fetch_one(&mut conn).await.unwrap());
}
