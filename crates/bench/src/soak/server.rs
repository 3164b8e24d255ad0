//! `clientele serve` as a process of its own, so that the soak can kill it
//! with SIGKILL and start it again on the same port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// Resident memory, bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Resident {
    pub own: u64,
    pub mapped_files: u64,
    /// Of `own`, the SQLite writer's page cache (bounded by its size), as
    /// the server's /metrics says.
    pub sqlite: u64,
}

impl Resident {
    /// The server's own memory apart from SQLite's caches.
    pub fn outside_sqlite(&self) -> u64 {
        self.own.saturating_sub(self.sqlite)
    }
}

pub struct Server {
    binary: PathBuf,
    url: String,
    listen: String,
    log: PathBuf,
    process: Child,
}

/// The `clientele` binary built beside this one.
pub fn beside_this_one() -> anyhow::Result<PathBuf> {
    let here = std::env::current_exe()?;
    let binary = here.with_file_name("clientele");
    anyhow::ensure!(
        binary.exists(),
        "{} is not built: cargo build --release -p clientele-cli (or give --clientele PATH)",
        binary.display()
    );
    Ok(binary)
}

impl Server {
    /// Starts the server and waits until it answers.
    pub async fn start(binary: &Path, url: &str, log: &Path) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut server = Server {
            binary: binary.to_owned(),
            url: url.to_owned(),
            listen: format!("127.0.0.1:{port}"),
            log: log.to_owned(),
            process: spawn(binary, url, &format!("127.0.0.1:{port}"), log)?,
        };
        server.wait_until_answering().await?;
        Ok(server)
    }

    pub fn base(&self) -> String {
        format!("http://{}/", self.listen)
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// SIGKILL, then the same server again on the same port; how long it
    /// took to answer again.
    pub async fn kill_and_restart(&mut self) -> anyhow::Result<Duration> {
        let killed = Instant::now();
        self.process.kill()?;
        self.process.wait()?;
        self.process = spawn(&self.binary, &self.url, &self.listen, &self.log)?;
        self.wait_until_answering().await?;
        Ok(killed.elapsed())
    }

    /// The process's resident memory, bytes: its own (heap, caches), and
    /// the pages of files it maps (the SQLite file, the binary), which the
    /// kernel may take back whenever it likes.
    pub async fn resident(&self) -> anyhow::Result<Resident> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| -> anyhow::Result<u64> {
            let kib: u64 = status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .with_context(|| format!("no {name} in /proc/PID/status"))?;
            Ok(kib * 1024)
        };
        let metrics = reqwest::get(format!("http://{}/metrics", self.listen))
            .await?
            .text()
            .await?;
        let sqlite = metrics
            .lines()
            .find_map(|line| line.strip_prefix("clientele_sqlite_writer_cache_bytes "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        Ok(Resident {
            own: field("RssAnon:")?,
            mapped_files: field("RssFile:")?,
            sqlite: sqlite as u64,
        })
    }

    async fn wait_until_answering(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(120);
        let health = format!("http://{}/healthz", self.listen);
        loop {
            if let Some(status) = self.process.try_wait()? {
                anyhow::bail!(
                    "the server exited with {status}; see {}",
                    self.log.display()
                );
            }
            if reqwest::get(&health)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "the server did not answer within 120 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn stop(mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn spawn(binary: &Path, url: &str, listen: &str, log: &Path) -> anyhow::Result<Child> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    Command::new(binary)
        .args(["serve", "--listen", listen])
        .env("CLIENTELE_DATABASE_URL", url)
        .env("CLIENTELE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}
