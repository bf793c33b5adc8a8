//! Progress of an import on standard error: a bar on a terminal, otherwise a short line now and
//! then.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use wickr_admin::bulk::Progress;

/// A progress bar on a terminal; otherwise a short line now and then.
pub struct ProgressDisplay {
    total: u64,
    pub bar: Option<ProgressBar>,
    /// When the last line was printed, and how many users were done then.
    last_line: Mutex<Option<(Instant, u64)>>,
}

impl ProgressDisplay {
    pub fn new(total: u64) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} users ({per_sec}, eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Some(bar)
        } else {
            None
        };
        Self {
            total,
            bar,
            last_line: Mutex::new(None),
        }
    }

    pub fn update(&self, p: &Progress) {
        let done = p.counts.done();
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            bar.set_message(format!(
                "created {}, existing {}, failed {}{}",
                p.counts.created,
                p.counts.already_existed,
                p.counts.failed + p.counts.not_attempted + p.counts.unknown,
                if p.throttled > 0 {
                    format!(
                        ", throttled {} (concurrency {})",
                        p.throttled, p.concurrency
                    )
                } else {
                    String::new()
                }
            ));
            return;
        }
        let Ok(mut last) = self.last_line.lock() else {
            return;
        };
        let now = Instant::now();
        let (due, finished) = match *last {
            None => (true, done == self.total),
            Some((at, printed)) => (
                now.duration_since(at) >= Duration::from_secs(2) && done > printed,
                done == self.total && printed != done,
            ),
        };
        if due || finished {
            *last = Some((now, done));
            eprintln!(
                "progress: {done}/{} users (created {}, existing {}, failed {}, not attempted {}, \
                 unknown {})",
                self.total,
                p.counts.created,
                p.counts.already_existed,
                p.counts.failed,
                p.counts.not_attempted,
                p.counts.unknown
            );
        }
    }
}
