//! PostgreSQL failover: Clientele is given both hosts of a pg_auto_failover
//! group (a monitor, a primary and a secondary on loopback ports, started
//! here) and keeps serving through the primary's stop. Sixteen tills
//! commit and send each receipt again until it is answered; the primary is
//! stopped and the secondary promoted. Afterwards every receipt answered is
//! on the new primary with its answer, none is there twice, every balance
//! is exactly the points the answers gave, and the server answered again
//! within a bound.

use crate::common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::client_with;
use common::tills::{
    Served, customer_at, ledger_and_balance, owner_token, receipt, shop_with_tills,
};
use serde_json::Value;
use sqlx::Connection;

const TILLS: usize = 16;
/// The longest the tills may wait for commits to be answered again after
/// the primary stops (measured: see BENCHMARKS.md).
const ANSWERS_AGAIN_WITHIN: Duration = Duration::from_secs(30);

/// A pg_auto_failover group on loopback: a monitor and two nodes.
struct Group {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    ports: [u16; 3],
    keepers: Vec<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// PostgreSQL's own programs (pg_ctl, initdb), which pg_autoctl runs.
fn postgres_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    found.sort();
    found
        .pop()
        .expect("PostgreSQL's server programs are installed")
}

impl Group {
    /// `pg_autoctl` with these arguments, as the postgres user when run by
    /// root (PostgreSQL refuses to run as root).
    fn autoctl(&self, args: &[&str]) -> Command {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", "env"])
                .arg(format!("PATH={path}"))
                .arg(format!("HOME={}", self.dir.display()))
                .arg("pg_autoctl");
            c
        } else {
            let mut c = Command::new("pg_autoctl");
            c.env("PATH", path).env("HOME", &self.dir);
            c
        };
        command.args(args);
        command
    }

    fn keep(&mut self, name: &str, args: &[&str]) {
        let log = std::fs::File::create(self.dir.join(format!("{name}.log"))).unwrap();
        let child = self
            .autoctl(args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("pg_autoctl runs");
        self.keepers.push(child);
    }

    fn url(&self, port: u16, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/{database}")
    }

    /// Each node's state as the monitor has it.
    async fn states(&self) -> BTreeMap<String, String> {
        let Ok(mut monitor) =
            sqlx::PgConnection::connect(&self.url(self.ports[0], "pg_auto_failover")).await
        else {
            return BTreeMap::new();
        };
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT nodename, reportedstate::text FROM pgautofailover.node")
                .fetch_all(&mut monitor)
                .await
                .unwrap_or_default();
        rows.into_iter().collect()
    }

    async fn wait_for(&self, wanted: &[(&str, &str)], within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let states = self.states().await;
            if wanted
                .iter()
                .all(|(node, state)| states.get(*node).map(String::as_str) == Some(*state))
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the failover group did not reach {wanted:?}: {states:?}; logs in {}",
                self.dir.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn start() -> Group {
        let dir = std::env::temp_dir().join(format!("clientele-failover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let uid = Command::new("id").arg("-u").output().unwrap();
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        if as_postgres {
            assert!(
                Command::new("chown")
                    .args(["postgres:postgres"])
                    .arg(&dir)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        let mut group = Group {
            dir,
            bin: postgres_bin(),
            as_postgres,
            ports: [free_port(), free_port(), free_port()],
            keepers: Vec::new(),
        };
        let found = group
            .autoctl(&["--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(
            found.is_ok_and(|s| s.success()),
            "pg_autoctl is not installed: install Debian's postgresql-15-auto-failover (.ci/run does)"
        );
        let dir = group.dir.display().to_string();
        let [monitor, first, second] = group.ports.map(|p| p.to_string());
        group.keep(
            "monitor",
            &[
                "create",
                "monitor",
                "--pgdata",
                &format!("{dir}/monitor"),
                "--pgport",
                &monitor,
                "--auth",
                "trust",
                "--no-ssl",
                "--hostname",
                "127.0.0.1",
                "--run",
            ],
        );
        // The monitor answers; it is told to give up on a silent primary in
        // seconds rather than its defaults' twenty, and to wait three seconds
        // rather than thirty for it to step down before promoting.
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut connection = loop {
            if let Ok(mut c) =
                sqlx::PgConnection::connect(&group.url(group.ports[0], "pg_auto_failover")).await
                && sqlx::query("SELECT 1 FROM pgautofailover.node LIMIT 1")
                    .execute(&mut c)
                    .await
                    .is_ok()
            {
                break c;
            }
            assert!(
                Instant::now() < deadline,
                "the monitor did not start; logs in {dir}"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        for setting in [
            "pgautofailover.health_check_period = 1000",
            "pgautofailover.health_check_timeout = 1000",
            "pgautofailover.health_check_max_retries = 1",
            "pgautofailover.health_check_retry_delay = 500",
            "pgautofailover.node_considered_unhealthy_timeout = 3000",
            "pgautofailover.primary_demote_timeout = 3000",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("ALTER SYSTEM SET {setting}")))
                .execute(&mut connection)
                .await
                .unwrap();
        }
        sqlx::query("SELECT pg_reload_conf()")
            .execute(&mut connection)
            .await
            .unwrap();
        connection.close().await.unwrap();

        let monitor_url =
            format!("postgres://autoctl_node@127.0.0.1:{monitor}/pg_auto_failover?sslmode=disable");
        for (name, port) in [("node1", &first), ("node2", &second)] {
            group.keep(
                name,
                &[
                    "create",
                    "postgres",
                    "--pgdata",
                    &format!("{dir}/{name}"),
                    "--pgport",
                    port,
                    "--name",
                    name,
                    "--auth",
                    "trust",
                    "--no-ssl",
                    "--hostname",
                    "127.0.0.1",
                    "--monitor",
                    &monitor_url,
                    "--run",
                ],
            );
            let wanted: &[(&str, &str)] = if name == "node1" {
                &[("node1", "single")]
            } else {
                &[("node1", "primary"), ("node2", "secondary")]
            };
            group.wait_for(wanted, Duration::from_secs(90)).await;
        }
        group
    }

    /// Stops a node: its keeper and its PostgreSQL, as when its machine goes down.
    fn stop(&self, node: &str) {
        let status = self
            .autoctl(&[
                "stop",
                "--fast",
                "--pgdata",
                &format!("{}/{node}", self.dir.display()),
            ])
            .status()
            .unwrap();
        assert!(status.success(), "pg_autoctl stop {node}");
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        for node in ["node2", "node1", "monitor"] {
            let _ = self
                .autoctl(&[
                    "stop",
                    "--fast",
                    "--pgdata",
                    &format!("{}/{node}", self.dir.display()),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        for keeper in &mut self.keepers {
            let _ = keeper.kill();
            let _ = keeper.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A till's receipt as answered: when its first sending left, when the
/// answer came, and the answer.
struct Answered {
    till: usize,
    customer: i64,
    answered: Instant,
    body: Value,
}

#[tokio::test]
async fn tills_keep_committing_through_a_primary_s_failure() {
    if !common::engines().contains(&common::Engine::Postgres) {
        return;
    }
    let group = Group::start().await;
    let [_, first, second] = group.ports;
    let mut admin = sqlx::PgConnection::connect(&group.url(first, "postgres"))
        .await
        .unwrap();
    sqlx::query("CREATE DATABASE clientele")
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let url = format!(
        "postgres://postgres@127.0.0.1:{first},127.0.0.1:{second}/clientele?target_session_attrs=read-write"
    );
    let owner = client_with(&owner_token(&url));
    let server = Served::start(&url, &[], &[]).await;
    let base = server.base.clone();
    let tills = shop_with_tills(&base, &owner, TILLS).await;
    let mut customers = Vec::new();
    for (n, till) in tills.iter().enumerate() {
        customers.push(customer_at(&base, till, &format!("+7916777{n:04}")).await);
    }

    // Tills commit; a receipt not answered 201 is sent again, the same, until it is.
    let answered: Arc<Mutex<BTreeMap<String, Answered>>> = Arc::default();
    let failed_at: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = tills
        .iter()
        .enumerate()
        .map(|(n, till)| {
            let (till, base, answered, failed_at, stop, customers) = (
                till.clone(),
                base.clone(),
                answered.clone(),
                failed_at.clone(),
                stop.clone(),
                customers.clone(),
            );
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let (id, customer) = (format!("F-{n}-{i}"), customers[(n + i) % TILLS]);
                    i += 1;
                    let deadline = Instant::now() + Duration::from_secs(120);
                    loop {
                        let sent = till
                            .post(format!("{base}/api/v1/pos/receipts"))
                            .json(&receipt(&id, customer))
                            .timeout(Duration::from_secs(20))
                            .send()
                            .await;
                        match sent {
                            Ok(response) if response.status() == 201 => {
                                let body = response.json().await.unwrap();
                                let receipt = Answered {
                                    till: n,
                                    customer,
                                    answered: Instant::now(),
                                    body,
                                };
                                answered.lock().unwrap().insert(id, receipt);
                                break;
                            }
                            Ok(response) if response.status().is_client_error() => {
                                panic!(
                                    "{id}: {} {}",
                                    response.status(),
                                    response.text().await.unwrap()
                                );
                            }
                            _ => failed_at.lock().unwrap().push(Instant::now()),
                        }
                        assert!(Instant::now() < deadline, "{id} was never answered");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;

    let stopped = Instant::now();
    group.stop("node1");
    group
        .wait_for(&[("node2", "wait_primary")], Duration::from_secs(60))
        .await;
    let promoted = stopped.elapsed();
    // Commits go on after the promotion for a while.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    let answered = std::mem::take(&mut *answered.lock().unwrap());
    let failures = failed_at.lock().unwrap().len();
    // The outage: the longest wait between two answers once the primary
    // stopped; it ends with the first commit the new primary answered.
    let mut times: Vec<Instant> = answered.values().map(|a| a.answered).collect();
    times.push(stopped);
    times.sort();
    let (gap_began, first_again) = times
        .windows(2)
        .filter(|pair| pair[1] > stopped)
        .map(|pair| (pair[0], pair[1]))
        .max_by_key(|(from, to)| *to - *from)
        .expect("commits were answered after the primary stopped");
    let again = first_again - stopped;
    eprintln!(
        "failover: {} receipts answered, {failures} sendings refused or lost; no answer for {:.1} s; \
         the secondary took writes {:.1} s and the first commit was answered {:.1} s after the primary stopped",
        answered.len(),
        (first_again - gap_began).as_secs_f64(),
        promoted.as_secs_f64(),
        again.as_secs_f64()
    );
    assert!(failures > 0, "no till noticed the primary stop");
    assert!(
        again < ANSWERS_AGAIN_WITHIN,
        "commits were answered again only after {again:?}"
    );
    assert!(
        again < promoted + Duration::from_secs(5),
        "the server found the new primary {:?} after it took writes",
        again.saturating_sub(promoted)
    );

    // Every receipt answered is on the new primary, as answered, once.
    let base = &server.base;
    for (id, receipt) in &answered {
        let kept = tills[receipt.till]
            .get(format!("{base}/api/v1/pos/receipts/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(kept.status(), 200, "{id} was answered and lost");
        let kept: Value = kept.json().await.unwrap();
        assert_eq!(
            kept["points_accrued"], receipt.body["points_accrued"],
            "{id}"
        );
    }
    let mut new_primary = sqlx::PgConnection::connect(&group.url(second, "clientele"))
        .await
        .unwrap();
    let (receipts, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT (till_id, receipt_id)) FROM receipts")
            .fetch_one(&mut new_primary)
            .await
            .unwrap();
    assert_eq!(
        (receipts, distinct),
        (answered.len() as i64, answered.len() as i64),
        "receipts on the new primary"
    );
    for customer in &customers {
        let given: i64 = answered
            .values()
            .filter(|r| r.customer == *customer)
            .map(|r| r.body["points_accrued"].as_i64().unwrap())
            .sum();
        let (ledger, balance) = ledger_and_balance(base, &owner, *customer).await;
        assert_eq!(
            (ledger, balance),
            (given, given),
            "customer {customer}: ledger, balance and the points answered"
        );
    }
    new_primary.close().await.unwrap();
    drop(server);
}
