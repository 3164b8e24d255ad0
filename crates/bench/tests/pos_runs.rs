//! `clientele-bench pos` runs end to end on a small base, on each engine:
//! its ceilings write the rows the engine writes, so a schema change that
//! leaves them behind fails here, not in the next measurement.

use std::process::Command;

use serde_json::Value;

/// The bench's figures, from the JSON line it ends with.
fn pos(engine: &str, postgres: Option<&str>) -> Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clientele-bench"));
    command.args([
        "pos",
        "--engine",
        engine,
        "--tills",
        "2",
        "--seconds",
        "2",
        "--customers",
        "300",
        "--offered",
        "20",
        "--json",
    ]);
    if let Some(url) = postgres {
        command.env("CLIENTELE_BENCH_POSTGRES_URL", url);
    }
    let output = command.output().expect("the bench runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the bench failed on {engine}:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout
        .lines()
        .last()
        .expect("the bench printed its figures");
    serde_json::from_str(last).expect("the last line is JSON")
}

fn assert_ran(figures: &Value) {
    for figure in [
        "commits_per_s",
        "ceiling_commits_per_s",
        "bare_commits_per_s",
        "calculate_per_s",
        "calculate_50_offers_per_s",
        "offered_20_per_s",
    ] {
        let value = figures[figure].as_f64().unwrap_or_default();
        assert!(value > 0.0, "{figure} is {value}: {figures}");
    }
    assert_eq!(figures["errors"], 0, "{figures}");
}

#[test]
fn the_till_bench_runs_on_sqlite() {
    assert_ran(&pos("sqlite", None));
}

#[test]
fn the_till_bench_runs_on_postgres() {
    let Ok(url) = std::env::var("CLIENTELE_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED: the PostgreSQL run of the till bench did not run; set \
             CLIENTELE_TEST_POSTGRES_URL to run it"
        );
        return;
    };
    assert_ran(&pos("postgres", Some(&url)));
}
