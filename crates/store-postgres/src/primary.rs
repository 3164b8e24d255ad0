//! A chain's PostgreSQL with a standby. The URL may name every host, as
//! libpq's do (`postgres://clientele@db1:5432,db2:5432/clientele?target_session_attrs=read-write`):
//! the pool then connects to the one that takes writes, and a watcher
//! moves it to the new primary when the old one fails or steps down.
//! Connections opened before the move are checked as they are taken for a
//! while after it, and those to a host that no longer takes writes dropped.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clientele_store::{DbError, DbResult};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool};
use sqlx::{ConnectOptions, Connection};

/// How often the watcher asks the primary whether it still is one.
const PROBE_EVERY: Duration = Duration::from_millis(500);
/// How long a host may take to answer the watcher.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long after a move connections are checked as they are taken.
const CHECK_AFTER_MOVE: Duration = Duration::from_secs(60);

/// The hosts a URL names, each as the options of a connection to it alone.
pub fn candidates(url: &str) -> DbResult<Vec<PgConnectOptions>> {
    let not_a_url =
        |e: String| DbError::Open(format!("the database URL is not a PostgreSQL URL: {e}"));
    single_host_urls(url)
        .map_err(not_a_url)?
        .iter()
        .map(|single| {
            PgConnectOptions::from_str(single)
                .map(configured)
                .map_err(|e| not_a_url(e.to_string()))
        })
        .collect()
}

/// What every connection of Clientele's is opened with.
fn configured(options: PgConnectOptions) -> PgConnectOptions {
    options
        .application_name("clientele")
        // Short queries only: JIT compilation costs more than it saves here.
        .options([("jit", "off")])
        .log_slow_statements(log::LevelFilter::Info, clientele_store_sql::SLOW_STATEMENT)
}

/// One URL per host of a libpq multi-host URL, `target_session_attrs`
/// left out (finding the primary is done here); a one-host URL as it is.
fn single_host_urls(url: &str) -> Result<Vec<String>, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "it has no scheme".to_owned())?;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (user, hosts) = match authority.rsplit_once('@') {
        Some((user, hosts)) => (format!("{user}@"), hosts),
        None => (String::new(), authority),
    };
    if !hosts.contains(',') {
        return Ok(vec![url.to_owned()]);
    }
    let tail = without_session_attrs(tail);
    hosts
        .split(',')
        .map(|host| match host.trim() {
            "" => Err(format!("«{authority}» names an empty host")),
            host => Ok(format!("{scheme}://{user}{host}{tail}")),
        })
        .collect()
}

fn without_session_attrs(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("target_session_attrs="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Where a host is, as messages name it (never with its password).
pub fn described(options: &PgConnectOptions) -> String {
    format!("{}:{}", options.get_host(), options.get_port())
}

/// Whether a connection's server takes writes.
async fn takes_writes(connection: &mut PgConnection) -> Result<bool, sqlx::Error> {
    let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
        .fetch_one(connection)
        .await?;
    Ok(!standby)
}

/// The first host that answers and takes writes, with a connection to it.
pub async fn find(candidates: &[PgConnectOptions]) -> Result<(usize, PgConnection), String> {
    let mut heard = Vec::new();
    for (index, options) in candidates.iter().enumerate() {
        let attempt = async {
            let mut connection = PgConnection::connect_with(options).await?;
            Ok::<_, sqlx::Error>((takes_writes(&mut connection).await?, connection))
        };
        match tokio::time::timeout(PROBE_TIMEOUT, attempt).await {
            Ok(Ok((true, connection))) => return Ok((index, connection)),
            Ok(Ok((false, connection))) => {
                let _ = connection.close().await;
                heard.push(format!("{} is a standby", described(options)));
            }
            Ok(Err(e)) => heard.push(format!("{}: {e}", described(options))),
            Err(_) => heard.push(format!(
                "{}: no answer within {PROBE_TIMEOUT:?}",
                described(options)
            )),
        }
    }
    Err(format!("no host takes writes ({})", heard.join("; ")))
}

/// When the pool last moved to another host, for the check as connections
/// are taken.
#[derive(Clone)]
pub struct Moves {
    since: Instant,
    /// Milliseconds after `since` of the last move; 0 before any.
    last: Arc<AtomicU64>,
}

impl Moves {
    pub fn new() -> Moves {
        Moves {
            since: Instant::now(),
            last: Arc::default(),
        }
    }

    fn moved(&self) {
        let at = self.since.elapsed().as_millis().max(1);
        self.last
            .store(u64::try_from(at).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Whether the pool moved lately.
    fn lately(&self) -> bool {
        match self.last.load(Ordering::Relaxed) {
            0 => false,
            at => {
                self.since
                    .elapsed()
                    .saturating_sub(Duration::from_millis(at))
                    < CHECK_AFTER_MOVE
            }
        }
    }

    /// Whether a pooled connection may still be used: lately moved, only
    /// one whose host takes writes.
    pub async fn still_good(&self, connection: &mut PgConnection) -> Result<bool, sqlx::Error> {
        if self.lately() {
            takes_writes(connection).await
        } else {
            Ok(true)
        }
    }
}

/// Watches the primary for as long as the pool lives; when it stops
/// answering or stops taking writes, points the pool at the host that now
/// does.
pub fn watch(
    pool: PgPool,
    candidates: Vec<PgConnectOptions>,
    mut current: usize,
    probe: PgConnection,
    moves: Moves,
) {
    tokio::spawn(async move {
        let mut probe = Some(probe);
        loop {
            tokio::time::sleep(PROBE_EVERY).await;
            if pool.is_closed() {
                return;
            }
            if let Some(connection) = probe.as_mut()
                && matches!(
                    tokio::time::timeout(PROBE_TIMEOUT, takes_writes(connection)).await,
                    Ok(Ok(true))
                )
            {
                continue;
            }
            probe = None;
            match find(&candidates).await {
                Ok((index, connection)) => {
                    if index != current {
                        tracing::warn!(
                            from = %described(&candidates[current]),
                            to = %described(&candidates[index]),
                            "the database's primary moved; new connections go to the new one"
                        );
                        pool.set_connect_options(candidates[index].clone());
                        moves.moved();
                        metrics::counter!("clientele_postgres_primary_moves_total").increment(1);
                        current = index;
                    }
                    probe = Some(connection);
                }
                Err(why) => tracing::warn!(%why, "looking for the database's primary"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_host_url_is_one_url_per_host() {
        assert_eq!(
            single_host_urls("postgres://app:secret@db1:5432,db2:6432/clientele?target_session_attrs=read-write&sslmode=disable").unwrap(),
            [
                "postgres://app:secret@db1:5432/clientele?sslmode=disable",
                "postgres://app:secret@db2:6432/clientele?sslmode=disable",
            ]
        );
        assert_eq!(
            single_host_urls("postgresql://10.0.0.1,[::1]:5433/db?target_session_attrs=read-write")
                .unwrap(),
            ["postgresql://10.0.0.1/db", "postgresql://[::1]:5433/db"]
        );
        assert_eq!(
            single_host_urls("postgres://u@db/clientele?sslmode=require").unwrap(),
            ["postgres://u@db/clientele?sslmode=require"]
        );
        assert!(single_host_urls("postgres://u@db1,,db2/x").is_err());
        assert!(single_host_urls("db1,db2").is_err());
        assert_eq!(candidates("postgres://u@h1:1,h2:2/d").unwrap().len(), 2);
    }
}
