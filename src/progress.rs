//! A progress bar on standard error for long runs. It appears only when standard error is a
//! terminal, and only once a run has taken a second, so quick commands, scripts and pipes never
//! see it; it is cleared when the work is done. The commands decide whether to show one; the
//! libraries only call the `tick` they are given.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes on before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    /// Whether the bar may be shown (standard error is a terminal).
    visible: bool,
    shown: AtomicBool,
}

impl Progress {
    /// Progress through `len` steps of `what` (e.g. "reading cases"), shown on a terminal.
    pub fn new(len: usize, what: &'static str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(what);
        Progress {
            bar,
            start: Instant::now(),
            visible: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// One step done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.visible
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
