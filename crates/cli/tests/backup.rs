//! Backups: one taken while sixteen tills commit restores into a fresh
//! database in which every balance equals its ledger, every receipt
//! answered before the backup began is there with the answer the till got,
//! and none sent after it ended is. A file that is not a backup, is damaged
//! or is newer than the binary is refused and changes nothing, and a
//! backup that fails leaves the last good one in place.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::tills::{
    Served, customer_at, ledger_and_balance, owner_token, receipt, shop_with_tills,
};
use common::{
    Engine, client_with, clientele_output as clientele, drop_database, engines, fresh_database,
};

const TILLS: usize = 16;

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn folder() -> PathBuf {
    let folder = std::env::temp_dir().join(format!("clientele-backup-test-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// What a till got for a receipt, and when it was sent and answered.
struct Answer {
    sent: Instant,
    answered: Instant,
    body: String,
}

#[tokio::test]
async fn a_backup_taken_while_sixteen_tills_commit_restores_whole() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        let owner = client_with(&owner_token(&url));
        let server = Served::start(&url, &[], &[]).await;
        let base = server.base.clone();
        let tills = shop_with_tills(&base, &owner, TILLS).await;
        let mut customers = Vec::new();
        for (n, till) in tills.iter().enumerate() {
            customers.push(customer_at(&base, till, &format!("+7916555{n:04}")).await);
        }

        let answers: Arc<Mutex<BTreeMap<(usize, String), Answer>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = tills
            .iter()
            .enumerate()
            .map(|(n, till)| {
                let (till, base, answers, stop, customers) = (
                    till.clone(),
                    base.clone(),
                    answers.clone(),
                    stop.clone(),
                    customers.clone(),
                );
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        // Tills share customers: their accounts are written
                        // from many tills at once.
                        let (id, customer) = (format!("B-{n}-{i}"), customers[(n + i) % TILLS]);
                        i += 1;
                        let sent = Instant::now();
                        let response = till
                            .post(format!("{base}/api/v1/pos/receipts"))
                            .json(&receipt(&id, customer))
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(response.status(), 201, "receipt {id}");
                        let body = response.text().await.unwrap();
                        let answer = Answer {
                            sent,
                            answered: Instant::now(),
                            body,
                        };
                        answers.lock().unwrap().insert((n, id), answer);
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1000)).await;

        let file = folder().join(format!("while-committing-{engine:?}.backup"));
        let began = Instant::now();
        let backup_url = url.clone();
        let backup_file = file.to_str().unwrap().to_owned();
        let taken = tokio::task::spawn_blocking(move || {
            clientele(&backup_url, &["backup", "--output", &backup_file], &[])
        })
        .await
        .unwrap();
        let ended = Instant::now();
        assert!(taken.status.success(), "{engine:?}: {}", said(&taken));
        tokio::time::sleep(Duration::from_millis(500)).await;
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.unwrap();
        }
        drop(server);
        let answers = std::mem::take(&mut *answers.lock().unwrap());
        let during = answers
            .values()
            .filter(|a| a.answered > began && a.answered < ended)
            .count();
        assert!(
            during > 0,
            "{engine:?}: the tills stopped while the backup ran"
        );

        let restored = fresh_database(engine).await;
        let output = clientele(&restored, &["restore", file.to_str().unwrap()], &[]);
        assert!(output.status.success(), "{engine:?}: {}", said(&output));
        let server = Served::start(&restored, &[], &[]).await;
        let base = &server.base;
        let (mut kept, mut absent) = (0, 0);
        for ((n, id), answer) in &answers {
            let response = tills[*n]
                .get(format!("{base}/api/v1/pos/receipts/{id}"))
                .send()
                .await
                .unwrap();
            if answer.answered < began {
                assert_eq!(
                    response.status(),
                    200,
                    "{engine:?}: {id}, answered before the backup, was lost"
                );
                assert_eq!(
                    response.text().await.unwrap(),
                    answer.body,
                    "{engine:?}: {id} kept as answered"
                );
                kept += 1;
            } else if answer.sent > ended {
                assert_eq!(
                    response.status(),
                    404,
                    "{engine:?}: {id}, sent after the backup, is in it"
                );
                absent += 1;
            }
        }
        assert!(
            kept > 50 && absent > 0,
            "{engine:?}: {kept} kept, {absent} after"
        );
        for customer in &customers {
            let (sum, balance) = ledger_and_balance(base, &owner, *customer).await;
            assert_eq!(
                sum, balance,
                "{engine:?}: customer {customer}'s ledger sums to the balance"
            );
        }
        eprintln!(
            "{engine:?}: {} receipts answered, {during} while the backup ran; {kept} restored, {absent} after it absent",
            answers.len()
        );
        drop(server);
        std::fs::remove_file(&file).unwrap();
        drop_database(&url).await;
        drop_database(&restored).await;
    }
}

/// Restoring `file` into a new SQLite database fails saying `why`, and
/// leaves no database behind.
fn refused(file: &Path, why: &str) {
    let target = folder().join("refused.db");
    let output = clientele(
        &format!("sqlite://{}", target.display()),
        &["restore", file.to_str().unwrap()],
        &[],
    );
    assert!(!output.status.success(), "{} was restored", file.display());
    assert!(
        said(&output).contains(why),
        "{}: {}",
        file.display(),
        said(&output)
    );
    assert!(
        !target.exists(),
        "a refused restore left {}",
        target.display()
    );
}

/// Runs one statement on an SQLite file, creating it if need be.
async fn write_sqlite(file: &Path, statement: &'static str) {
    use sqlx::{ConnectOptions as _, Connection as _};
    let mut connection = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query(statement)
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_whole_backup_of_this_binary_and_changes_nothing() {
    let url = fresh_database(Engine::Sqlite).await;
    owner_token(&url);
    let good = folder().join("good.db");
    let output = clientele(&url, &["backup", "--output", good.to_str().unwrap()], &[]);
    assert!(output.status.success(), "{}", said(&output));

    let text = folder().join("customers.csv");
    std::fs::write(&text, "phone;name\n+79161234567;Анна\n").unwrap();
    refused(&text, "is not a Clientele backup");

    let other = folder().join("other.db");
    let _ = std::fs::remove_file(&other);
    write_sqlite(&other, "CREATE TABLE notes (body TEXT)").await;
    refused(&other, "not Clientele's");

    let newer = folder().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    write_sqlite(
        &newer,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999, 'from the future', 1, x'00', 0)",
    )
    .await;
    refused(&newer, "newer than this binary knows");

    let damaged = folder().join("damaged.db");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    refused(&damaged, "cannot be restored");

    let dump = folder().join("shop.pgdump");
    std::fs::write(&dump, b"PGDMP\x01\x0e\x00 not a real one").unwrap();
    refused(&dump, "restore it into a postgres:// database");

    // A database in place is never written over.
    let before = std::fs::read(url.strip_prefix("sqlite://").unwrap()).unwrap();
    let output = clientele(&url, &["restore", good.to_str().unwrap()], &[]);
    assert!(!output.status.success());
    assert!(
        said(&output).contains("already holds a database"),
        "{}",
        said(&output)
    );
    assert_eq!(
        std::fs::read(url.strip_prefix("sqlite://").unwrap()).unwrap(),
        before
    );

    for file in [good, text, other, newer, damaged, dump] {
        std::fs::remove_file(file).unwrap();
    }
    drop_database(&url).await;
}

#[tokio::test]
async fn a_backup_that_fails_leaves_the_last_good_one() {
    for engine in engines() {
        let url = fresh_database(engine).await;
        owner_token(&url);
        let file = folder().join(format!("last-good-{engine:?}.backup"));
        let output = clientele(&url, &["backup", "--output", file.to_str().unwrap()], &[]);
        assert!(output.status.success(), "{engine:?}: {}", said(&output));
        let good = std::fs::read(&file).unwrap();
        // The next backup fails as it writes: on SQLite its copy cannot be
        // made (the partial file's place is a folder), on PostgreSQL there
        // is no pg_dump to run.
        let partial = folder().join(format!("last-good-{engine:?}.backup.partial"));
        let failed = match engine {
            Engine::Sqlite => {
                std::fs::create_dir_all(partial.join("in-the-way")).unwrap();
                clientele(&url, &["backup", "--output", file.to_str().unwrap()], &[])
            }
            _ => clientele(
                &url,
                &["backup", "--output", file.to_str().unwrap()],
                &[("PATH", "/nonexistent")],
            ),
        };
        assert!(
            !failed.status.success(),
            "{engine:?}: the backup did not fail"
        );
        assert!(
            said(&failed).contains("failed"),
            "{engine:?}: {}",
            said(&failed)
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{engine:?}: the last good backup changed"
        );
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::remove_file(&file).unwrap();
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn the_server_backs_up_each_day_and_keeps_the_last_few() {
    use clientele_app::backups::BackupSchedule;
    for engine in engines() {
        let server = common::TestServer::start(engine).await;
        let schedule = BackupSchedule {
            folder: folder().join(format!("daily-{engine:?}")),
            at: jiff::civil::time(3, 0, 0, 0),
            keep: 2,
        };
        let _ = std::fs::remove_dir_all(&schedule.folder);
        // The clock stands at 12:00 in Moscow: the next is tomorrow at 03:00.
        let now = server.app.clock().now();
        let due = schedule.next_after(now, server.app.clock().zone());
        assert_eq!(due, "2026-11-24T00:00:00Z".parse().unwrap());
        let mut taken = Vec::new();
        for _ in 0..3 {
            server
                .app
                .clock()
                .advance(jiff::SignedDuration::from_hours(24));
            taken.push(server.app.take_scheduled_backup(&schedule).await.unwrap());
        }
        let names: Vec<String> = taken
            .iter()
            .map(|t| t.path.file_name().unwrap().to_str().unwrap().to_owned())
            .collect();
        let extension = if engine == Engine::Sqlite {
            "db"
        } else {
            "pgdump"
        };
        assert_eq!(
            names,
            ["24", "25", "26"].map(|day| format!("clientele-2026-11-{day}-1200.{extension}"))
        );
        assert!(taken[0].removed.is_empty() && taken[1].removed.is_empty());
        assert_eq!(taken[2].removed, [taken[0].path.clone()]);
        let mut left: Vec<_> = std::fs::read_dir(&schedule.folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        left.sort();
        assert_eq!(left, [taken[1].path.clone(), taken[2].path.clone()]);
        // The newest restores.
        let restored = fresh_database(engine).await;
        let output = clientele(
            &restored,
            &["restore", taken[2].path.to_str().unwrap()],
            &[],
        );
        assert!(output.status.success(), "{engine:?}: {}", said(&output));
        std::fs::remove_dir_all(&schedule.folder).unwrap();
        drop_database(&restored).await;
    }
}
