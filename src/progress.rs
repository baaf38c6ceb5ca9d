//! A build's progress on the terminal: a bar of connectors done, shown only when stderr is a
//! terminal and the build has taken more than a moment, and cleared when it ends. When stderr
//! is not a terminal (CI, a pipe, a file) nothing is ever written, so logs and captured output
//! hold exactly what they held before.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Builds shorter than this finish before a bar would help: they stay silent.
/// `MARKETGEN_PROGRESS_AFTER_MS` sets another delay (0 shows the bar at once).
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    show_after: Duration,
    /// Whether the bar may ever be shown: stderr is a terminal and a build asked for it.
    wanted: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar that shows itself once the work has taken [`SHOW_AFTER`] (or
    /// `MARKETGEN_PROGRESS_AFTER_MS`), on a terminal only.
    pub fn on_terminal() -> Progress {
        Progress::new(std::io::stderr().is_terminal())
    }

    /// A bar that is never shown (`check`, tests).
    pub fn silent() -> Progress {
        Progress::new(false)
    }

    fn new(wanted: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} connectors, {elapsed}")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        let show_after = std::env::var("MARKETGEN_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(SHOW_AFTER, Duration::from_millis);
        Progress {
            bar,
            started: Instant::now(),
            show_after,
            wanted,
            shown: AtomicBool::new(false),
        }
    }

    /// A new phase over `connectors` connectors.
    pub fn phase(&self, message: &'static str, connectors: usize) {
        self.bar.set_message(message);
        self.bar.set_length(connectors as u64);
        self.bar.set_position(0);
        self.show_if_slow();
    }

    /// One connector done; safe from any thread.
    pub fn step(&self) {
        self.bar.inc(1);
        self.show_if_slow();
    }

    fn show_if_slow(&self) {
        if self.wanted
            && self.started.elapsed() >= self.show_after
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
