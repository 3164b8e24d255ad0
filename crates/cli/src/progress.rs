use std::io::IsTerminal;

use clientele_app::progress::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar on standard error; indicatif hides it when that is not a terminal.
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        Bar(ProgressBar::hidden())
    }
}

impl Progress for Bar {
    fn start(&self, what: &str, total: u64) {
        // Where no bar is drawn (a log, CI), each step still says it began.
        if !std::io::stderr().is_terminal() {
            match total {
                0 | 1 => eprintln!("{what}…"),
                _ => eprintln!("{what} ({total})…"),
            }
        }
        self.0.reset();
        self.0
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_style(
            ProgressStyle::with_template(
                "{msg:>20} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        self.0.set_message(what.to_owned());
    }

    fn advance(&self, done: u64) {
        self.0.inc(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
