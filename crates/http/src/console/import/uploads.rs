//! Files uploaded to the import wizard, kept in memory for their uploader
//! between the wizard's steps, with the dry run and the import run on each.
//! They go after an hour, and a user keeps a few at most.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use clientele_app::import::table::Table;
use clientele_app::import::{ImportOptions, ImportReport, Mapping};
use clientele_app::progress::Progress;
use clientele_app::{App, AppError};
use clientele_domain::UserId;

/// How long an upload is kept after it came.
const KEPT: Duration = Duration::from_secs(3600);
/// Uploads kept per user; an older one goes when a newer comes.
const PER_USER: usize = 3;

#[derive(Default)]
pub struct Uploads {
    kept: Mutex<HashMap<String, Arc<Upload>>>,
}

pub struct Upload {
    pub id: String,
    owner: UserId,
    at: Instant,
    /// The file's name as the user's computer had it.
    pub name: String,
    pub table: Table,
    /// The dry run of the mapping chosen last.
    check: Mutex<Option<Arc<Run>>>,
    /// The import itself: once per upload.
    result: OnceLock<Arc<Run>>,
}

/// Which of an upload's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Check,
    Result,
}

impl Step {
    pub fn path(self) -> &'static str {
        match self {
            Step::Check => "check",
            Step::Result => "result",
        }
    }
}

/// One run of the import over an upload, in the background.
pub struct Run {
    pub mapping: Mapping,
    pub progress: Tracker,
    outcome: OnceLock<Result<ImportReport, AppError>>,
}

impl Run {
    /// The report, or why the run failed; `None` while it runs.
    pub fn outcome(&self) -> Option<&Result<ImportReport, AppError>> {
        self.outcome.get()
    }
}

/// How far a run got, as the page shows it.
#[derive(Default)]
pub struct Tracker {
    total: AtomicU64,
    done: AtomicU64,
}

impl Tracker {
    /// Rows done and rows in all.
    pub fn counts(&self) -> (u64, u64) {
        let total = self.total.load(Ordering::Relaxed);
        (self.done.load(Ordering::Relaxed).min(total), total)
    }
}

impl Progress for Tracker {
    fn start(&self, _: &str, total: u64) {
        // The import's last phase (indexes) counts one; the rows are what a
        // person waits for.
        if self.total.load(Ordering::Relaxed) == 0 {
            self.total.store(total, Ordering::Relaxed);
        }
    }

    fn advance(&self, done: u64) {
        self.done.fetch_add(done, Ordering::Relaxed);
    }

    fn finish(&self) {}
}

impl Uploads {
    /// Keeps a file for its uploader; answers its id.
    pub fn keep(&self, owner: UserId, name: String, table: Table) -> Arc<Upload> {
        let upload = Arc::new(Upload {
            id: clientele_app::staff::Secret::generate("upload")
                .expose()
                .to_owned(),
            owner,
            at: Instant::now(),
            name,
            table,
            check: Mutex::new(None),
            result: OnceLock::new(),
        });
        let mut kept = self.lock();
        let now = Instant::now();
        kept.retain(|_, u| now.duration_since(u.at) < KEPT);
        let mut own: Vec<(Instant, String)> = kept
            .values()
            .filter(|u| u.owner == owner)
            .map(|u| (u.at, u.id.clone()))
            .collect();
        own.sort();
        for (_, id) in own.iter().rev().skip(PER_USER - 1) {
            kept.remove(id);
        }
        kept.insert(upload.id.clone(), upload.clone());
        upload
    }

    /// The upload `id`, to its uploader alone.
    pub fn get(&self, owner: UserId, id: &str) -> Option<Arc<Upload>> {
        self.lock()
            .get(id)
            .filter(|u| u.owner == owner && u.at.elapsed() < KEPT)
            .cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Upload>>> {
        self.kept
            .lock()
            .expect("the upload registry is never poisoned")
    }
}

impl Upload {
    pub fn run(&self, step: Step) -> Option<Arc<Run>> {
        match step {
            Step::Check => self
                .check
                .lock()
                .expect("an upload is never poisoned")
                .clone(),
            Step::Result => self.result.get().cloned(),
        }
    }

    /// Starts a dry run of `mapping`, in place of any earlier one.
    pub fn check(self: &Arc<Self>, app: &App, mapping: Mapping) {
        let run = self.start(app, mapping, true);
        *self.check.lock().expect("an upload is never poisoned") = Some(run);
    }

    /// Starts the import with the mapping of the dry run; a second call
    /// finds it started and starts nothing.
    pub fn import(self: &Arc<Self>, app: &App, mapping: Mapping) -> Arc<Run> {
        self.result
            .get_or_init(|| self.start(app, mapping, false))
            .clone()
    }

    fn start(self: &Arc<Self>, app: &App, mapping: Mapping, dry_run: bool) -> Arc<Run> {
        let run = Arc::new(Run {
            mapping,
            progress: Tracker::default(),
            outcome: OnceLock::new(),
        });
        let (upload, working, app) = (self.clone(), run.clone(), app.clone());
        tokio::spawn(async move {
            let options = ImportOptions {
                dry_run,
                strict: false,
            };
            let outcome = app
                .import_customers_mapped(
                    &upload.table,
                    &working.mapping,
                    options,
                    &working.progress,
                )
                .await;
            if let Err(error) = &outcome {
                tracing::warn!(%error, dry_run, "an import from the console failed");
            }
            let _ = working.outcome.set(outcome);
        });
        run
    }
}
