//! A real server on port 0 against a fresh database of each engine.

#![allow(dead_code)]

pub mod browser;
pub mod console;
pub mod mail;
pub mod reports;
pub mod shop;
pub mod sms;
pub mod tills;

use std::sync::atomic::{AtomicUsize, Ordering};

use clientele_app::staff::{PasswordCost, StaffUserInput};
use clientele_app::{App, Clock};
use sqlx::Connection;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
    /// PostgreSQL with every distributed table hash-partitioned by its
    /// column, as Citus shards it: the scale-out rules, enforced.
    Partitioned,
}

/// The engines to run a scenario on. PostgreSQL runs when
/// `CLIENTELE_TEST_POSTGRES_URL` is set; otherwise the skip is said loudly.
pub fn engines() -> Vec<Engine> {
    if std::env::var("CLIENTELE_TEST_POSTGRES_URL").is_ok() {
        vec![Engine::Sqlite, Engine::Postgres]
    } else {
        eprintln!(
            "SKIPPED: the PostgreSQL leg of this test did not run; set CLIENTELE_TEST_POSTGRES_URL \
             (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it"
        );
        vec![Engine::Sqlite]
    }
}

/// The engines the till's scenarios run on: [`engines`], and PostgreSQL
/// hash-partitioned by customer when PostgreSQL runs.
pub fn till_engines() -> Vec<Engine> {
    let mut engines = engines();
    if engines.contains(&Engine::Postgres) {
        engines.push(Engine::Partitioned);
    }
    engines
}

/// A fresh, empty database URL for an engine; PostgreSQL databases are
/// named `clientele_test_*` and dropped by [`drop_database`].
/// Serves `router` on a free loopback port for the rest of the test (a
/// provider of the test's own); its base address.
pub async fn serve_stand(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

pub async fn fresh_database(engine: Engine) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    match engine {
        Engine::Sqlite => {
            let dir =
                std::env::temp_dir().join(format!("clientele-cli-test-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            format!(
                "sqlite://{}",
                dir.join(format!("db-{n}-{nanos}.db")).display()
            )
        }
        Engine::Partitioned => {
            let url = Box::pin(fresh_database(Engine::Postgres)).await;
            let db = clientele_store_postgres::PostgresDatabase::open(&url)
                .await
                .unwrap();
            clientele_store::Database::migrate(&db).await.unwrap();
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            clientele_store_postgres::scale_out::partition_by_distribution(&pool, 4)
                .await
                .expect("the schema splits by its distribution columns");
            pool.close().await;
            url
        }
        Engine::Postgres => {
            let admin = std::env::var("CLIENTELE_TEST_POSTGRES_URL").unwrap();
            let name = format!("clientele_test_cli_{}_{n}_{nanos}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL is reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
    }
}

pub async fn drop_database(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    } else if let Ok(admin) = std::env::var("CLIENTELE_TEST_POSTGRES_URL") {
        let name = url.rsplit('/').next().unwrap();
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

/// An HTTP client that sends this bearer token with every request.
pub fn client_with(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A new staff user of `role` with an API token; answers the token.
pub async fn staff_token(app: &App, login: &str, role: &str) -> String {
    let actor = clientele_app::audit::ChangedBy::system("test");
    let user = app
        .add_staff_user(
            StaffUserInput {
                login: login.into(),
                name: None,
                role: role.into(),
                password: "correct horse battery".into(),
                stores: vec![],
            },
            &actor,
        )
        .await
        .unwrap();
    let (_, secret) = app.create_api_token(user.id, "test", &actor).await.unwrap();
    secret.expose().to_owned()
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub app: App,
    /// The store under the app, for a test to set up what no use case makes.
    pub db: std::sync::Arc<dyn clientele_store::Database>,
    handle: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(engine: Engine) -> TestServer {
        let clock = Clock::fixed(
            jiff::tz::TimeZone::get("Europe/Moscow").unwrap(),
            "2026-11-23T09:00:00Z".parse().unwrap(),
        );
        TestServer::start_on(fresh_database(engine).await, clock, "owner").await
    }

    /// A server on an existing database, migrated first, its clock standing
    /// at `clock`, its client signed in as a new owner `login`.
    pub async fn start_on(database_url: String, clock: Clock, login: &str) -> TestServer {
        TestServer::start_with(database_url, clock, login, |app, _| app).await
    }

    /// The same, the app made ready by `configure` with the server's base
    /// address first (messaging, which links back to the server).
    pub async fn start_with(
        database_url: String,
        clock: Clock,
        login: &str,
        configure: impl FnOnce(App, &str) -> App,
    ) -> TestServer {
        let db = clientele_cli::open_database(&database_url).await.unwrap();
        db.migrate().await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = App::new(db.clone(), clock).with_password_cost(PasswordCost::Fast);
        let app = configure(app, &base);
        app.ensure_built_in_roles().await.unwrap();
        let token = staff_token(&app, login, "owner").await;
        let served = app.clone();
        let handle = tokio::spawn(async move {
            clientele_http::serve(listener, served, std::future::pending())
                .await
                .unwrap();
        });
        TestServer {
            base,
            client: client_with(&token),
            database_url,
            app,
            db,
            handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        decode(response).await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        decode(response).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::PATCH, path, body).await
    }

    pub async fn stop(self) {
        self.handle.abort();
        drop(self.app);
        drop_database(&self.database_url).await;
    }
}

/// Status and JSON body; an error must be problem JSON.
pub async fn decode(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    if status >= 400 {
        assert_eq!(
            content_type, "application/problem+json",
            "error {status} is problem JSON: {text}"
        );
    }
    let body = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
    };
    (status, body)
}

/// Runs the binary on a database with `env` beside its URL, and answers
/// what it did, however it ended.
pub fn clientele_output(url: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .env("CLIENTELE_DATABASE_URL", url)
        .env("CLIENTELE_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

/// Runs the `clientele` binary against a database with `input` on its
/// standard input; answers its standard output, failing on a failure.
pub fn clientele(url: &str, args: &[&str], input: &str) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .env("CLIENTELE_DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
