//! The fresh databases and files of one run, and their removal however the
//! run ends.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context as _;
use sqlx::Connection as _;

use crate::Engine;

pub struct Scratch {
    engine: Engine,
    /// A PostgreSQL URL on which databases may be created and dropped.
    admin: String,
    dir: PathBuf,
    /// Numbers the databases handed out.
    next: AtomicUsize,
    /// The PostgreSQL databases created, to drop at the end.
    created: Mutex<Vec<String>>,
}

impl Scratch {
    /// Makes a fresh directory under the system's temporary directory.
    pub fn new(engine: Engine, admin: String) -> anyhow::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos();
        let dir =
            std::env::temp_dir().join(format!("clientele-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch {
            engine,
            admin,
            dir,
            next: AtomicUsize::new(0),
            created: Mutex::new(Vec::new()),
        })
    }

    /// Where files of the run go.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL of a new, empty database of the run's engine.
    pub async fn database(&self) -> anyhow::Result<String> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        match self.engine {
            Engine::Sqlite => Ok(format!(
                "sqlite://{}",
                self.dir.join(format!("db{n}.sqlite")).display()
            )),
            Engine::Postgres => {
                let name = format!("clientele_bench_{}_{n}", std::process::id());
                self.admin_execute(format!("CREATE DATABASE {name}"))
                    .await
                    .with_context(|| format!("cannot create the database {name}"))?;
                let url = with_database(&self.admin, &name);
                self.created.lock().expect("never poisoned").push(name);
                Ok(url)
            }
        }
    }

    /// Drops every database created and removes the directory; what
    /// cannot be removed is named on stderr rather than hiding the result.
    pub async fn remove(&self) {
        let created = std::mem::take(&mut *self.created.lock().expect("never poisoned"));
        for name in created {
            // FORCE: a pool or server still holding a connection must not keep it.
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(error) = self.admin_execute(drop).await {
                eprintln!("could not drop the database {name}: {error:#}");
            }
        }
        if let Err(error) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("could not remove {}: {error}", self.dir.display());
        }
    }

    async fn admin_execute(&self, statement: String) -> anyhow::Result<()> {
        let mut conn = sqlx::PgConnection::connect(&self.admin)
            .await
            .context("cannot connect to the PostgreSQL admin URL")?;
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(())
    }
}

/// The admin URL with its database replaced by `name`, query kept.
fn with_database(admin: &str, name: &str) -> String {
    let (url, query) = match admin.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin, String::new()),
    };
    let host = url.find("://").map_or(0, |i| i + 3);
    let end = url[host..].find('/').map_or(url.len(), |i| host + i);
    format!("{}/{name}{query}", &url[..end])
}

/// What every bench takes: where its figures go, and where it may make
/// its PostgreSQL databases.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// End the output with one line of JSON holding every figure.
    #[arg(long)]
    pub json: bool,
    /// Where the bench may create and drop its PostgreSQL databases.
    #[arg(
        long,
        env = "CLIENTELE_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres",
        hide_env_values = true
    )]
    pub postgres_url: String,
}

/// Runs `run` in fresh scratch databases of `engine`, removed however it
/// ends (an interrupt too), then prints its report under `title`: a table,
/// and with `--json` one line of JSON holding `params` and every figure.
pub async fn measure_in_scratch(
    engine: Engine,
    given: &RunArgs,
    title: String,
    params: serde_json::Value,
    run: impl AsyncFnOnce(&Scratch) -> anyhow::Result<crate::report::Report>,
) -> anyhow::Result<()> {
    let scratch = Scratch::new(engine, given.postgres_url.clone())?;
    let outcome = tokio::select! {
        outcome = run(&scratch) => outcome,
        Ok(()) = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    scratch.remove().await;
    let report = outcome?;
    println!("\n== {title}\n");
    print!("{}", report.table());
    if given.json {
        println!("{}", report.json(params));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_an_admin_url_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgres://u:p@host/postgres?sslmode=disable", "b"),
            "postgres://u:p@host/b?sslmode=disable"
        );
        assert_eq!(with_database("postgres://host", "b"), "postgres://host/b");
    }
}
