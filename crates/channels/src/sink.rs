//! A real SMTP server for tests: Python's aiosmtpd, with the handler in
//! `sink/refusing.py` writing each message it takes into a maildir that a
//! test reads back (it refuses `nobody…` with 550 and `busy…` with 451, as
//! real servers do), or only noting its Message-ID for a load. Each sink is
//! its own server on a free port.
//!
//! Needs Python 3 with aiosmtpd (Debian: `apt-get install python3-aiosmtpd`);
//! without it a test fails, saying so. `CLIENTELE_TEST_PYTHON` names the
//! interpreter when the first `python3` on PATH lacks aiosmtpd.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::{SmtpSettings, SmtpTls};

/// A running aiosmtpd, killed and its maildir removed on drop.
pub struct SmtpSink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl SmtpSink {
    /// A server keeping every message it takes, to be read back whole.
    pub fn start() -> SmtpSink {
        SmtpSink::start_with("refusing.RefusingMailbox", "maildir")
    }

    /// A server noting only the Message-ID of each message it takes, one
    /// line each, fast enough not to be the limit of a load.
    pub fn start_counting() -> SmtpSink {
        SmtpSink::start_with("refusing.CountingSink", "ids")
    }

    fn start_with(handler: &str, kept: &str) -> SmtpSink {
        let python = python();
        let dir = scratch_dir();
        let port = free_port();
        let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("sink");
        let python_path = match std::env::var_os("PYTHONPATH") {
            Some(old) => {
                let mut paths = vec![tests.clone()];
                paths.extend(std::env::split_paths(&old));
                std::env::join_paths(paths).expect("PYTHONPATH")
            }
            None => tests.clone().into_os_string(),
        };
        let log = fs::File::create(dir.join("server.log")).expect("server log");
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", handler])
            .arg(dir.join(kept))
            .env("PYTHONPATH", python_path)
            // No __pycache__ beside refusing.py in the source tree.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("server log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python} -m aiosmtpd: {e}"));
        let mut server = SmtpSink { child, port, dir };
        server.wait_until_it_accepts();
        server
    }

    fn wait_until_it_accepts(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "aiosmtpd exited ({status}) before accepting connections:\n{}",
                    self.log()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "aiosmtpd did not accept on 127.0.0.1:{} within 10 s:\n{}",
                    self.port,
                    self.log()
                );
            }
            sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// Settings that reach this server without TLS.
    pub fn settings(&self) -> SmtpSettings {
        settings(self.port)
    }

    /// The Message-ID of every message a counting server took, in order.
    pub fn counted(&self) -> Vec<String> {
        fs::read_to_string(self.dir.join("ids"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Every message the server took, raw, oldest first.
    pub fn received(&self) -> Vec<Vec<u8>> {
        let new = self.dir.join("maildir").join("new");
        let mut files: Vec<_> = fs::read_dir(&new)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", new.display(), self.log()))
            .map(|entry| entry.expect("maildir entry").path())
            .collect();
        // Maildir names start with the delivery time in seconds, so the order
        // within one second is the file's.
        files.sort_by_key(|path| fs::metadata(path).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|path| fs::read(path).expect("message"))
            .collect()
    }

    pub fn only_message(&self) -> Vec<u8> {
        let mut all = self.received();
        assert_eq!(all.len(), 1, "the server should hold one message");
        all.pop().expect("one message")
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The first interpreter that has aiosmtpd, or a failure that says what is missing.
fn python() -> String {
    static FOUND: OnceLock<String> = OnceLock::new();
    FOUND.get_or_init(find_python).clone()
}

fn find_python() -> String {
    let mut candidates = Vec::new();
    if let Ok(named) = std::env::var("CLIENTELE_TEST_PYTHON") {
        candidates.push(named);
    }
    candidates.extend(["python3".to_owned(), "/usr/bin/python3".to_owned()]);
    for python in &candidates {
        let ok = Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if ok {
            return python.clone();
        }
    }
    panic!(
        "the SMTP tests need Python 3 with aiosmtpd, and none of {candidates:?} has it: \
         install it (Debian: apt-get install python3-aiosmtpd) or name the interpreter \
         in CLIENTELE_TEST_PYTHON"
    );
}

fn scratch_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "clientele-channels-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A port nobody listens on (right after this returns).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Settings for a server on `port` of this machine, without TLS.
pub fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        tls: SmtpTls::None,
        user: None,
        password: None,
        from: "Кофейня Зерно <shop@zerno.example>".to_owned(),
    }
}
