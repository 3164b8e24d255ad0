/// Where long work reports how far it got: a progress bar in the CLI, a log
/// line in the server, nothing in tests.
pub trait Progress: Send + Sync {
    fn start(&self, what: &str, total: u64);
    fn advance(&self, done: u64);
    fn finish(&self);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Reports to the server's log: the start, each tenth done, the end.
#[derive(Default)]
pub struct Logged {
    state: std::sync::Mutex<(String, u64, u64)>,
}

impl Progress for Logged {
    fn start(&self, what: &str, total: u64) {
        let mut state = self.state.lock().expect("progress lock");
        *state = (what.to_owned(), total, 0);
        tracing::info!(what, total, "started");
    }

    fn advance(&self, done: u64) {
        let mut state = self.state.lock().expect("progress lock");
        let (what, total, so_far) = &mut *state;
        let tenth = (*total / 10).max(1);
        let before = *so_far / tenth;
        *so_far += done;
        if *so_far / tenth > before {
            tracing::info!(
                what = what.as_str(),
                done = *so_far,
                total = *total,
                "progress"
            );
        }
    }

    fn finish(&self) {
        let state = self.state.lock().expect("progress lock");
        tracing::info!(what = state.0.as_str(), done = state.2, "finished");
    }
}
