//! Progress of a long job on standard error: on a terminal an indicatif bar with the rate and the
//! time left; otherwise (a pipe, a file, CI) a short line every two seconds and at the end.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::console::tell;
use indicatif::{ProgressBar, ProgressStyle};
use wickr_admin::bulk::{ActionCounts, Counts, Progress};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A bar redrawn in place, with rate and time left.
    Bar,
    /// A line now and then.
    Lines,
}

impl Style {
    /// A bar when standard error is a terminal, lines otherwise.
    pub fn choose(stderr_is_terminal: bool) -> Self {
        if stderr_is_terminal {
            Style::Bar
        } else {
            Style::Lines
        }
    }
}

/// Counts a progress line can show.
pub trait ShownCounts {
    /// Inputs with an outcome.
    fn done(&self) -> u64;
    /// The counts in words, e.g. `created 10, existing 2, failed 0`.
    fn describe(&self) -> String;
}

impl ShownCounts for Counts {
    fn done(&self) -> u64 {
        Counts::done(self)
    }

    fn describe(&self) -> String {
        format!(
            "created {}, existing {}, failed {}, not attempted {}, unknown {}",
            self.created, self.already_existed, self.failed, self.not_attempted, self.unknown
        )
    }
}

impl ShownCounts for ActionCounts {
    fn done(&self) -> u64 {
        ActionCounts::done(self)
    }

    fn describe(&self) -> String {
        format!(
            "done {}, not found {}, failed {}, not attempted {}, unknown {}",
            self.applied, self.not_found, self.failed, self.not_attempted, self.unknown
        )
    }
}

/// A progress bar on a terminal; otherwise a short line now and then.
pub struct ProgressDisplay {
    total: u64,
    /// What the job does, e.g. `users` or `deletions`.
    noun: &'static str,
    pub bar: Option<ProgressBar>,
    /// When the last line was printed, and how many inputs were done then.
    last_line: Mutex<Option<(Instant, u64)>>,
}

impl ProgressDisplay {
    pub fn new(total: u64, noun: &'static str) -> Self {
        Self::with_style(total, noun, Style::choose(std::io::stderr().is_terminal()))
    }

    pub fn with_style(total: u64, noun: &'static str, style: Style) -> Self {
        let bar = match style {
            Style::Bar => {
                let bar = ProgressBar::new(total);
                let template = format!(
                    "{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} {noun} \
                     ({{per_sec}}, eta {{eta}}) {{msg}}"
                );
                let style = ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style);
                bar.enable_steady_tick(Duration::from_millis(200));
                Some(bar)
            }
            Style::Lines => None,
        };
        Self {
            total,
            noun,
            bar,
            last_line: Mutex::new(None),
        }
    }

    pub fn update<C: ShownCounts>(&self, p: &Progress<C>) {
        let done = p.counts.done();
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            let throttled = if p.throttled > 0 {
                format!(
                    ", throttled {} (concurrency {})",
                    p.throttled, p.concurrency
                )
            } else {
                String::new()
            };
            bar.set_message(format!("{}{throttled}", p.counts.describe()));
            return;
        }
        if let Some(line) = self.line_due(done, Instant::now()) {
            tell!("{line} ({})", p.counts.describe());
        }
    }

    /// Shows `done` inputs finished, for jobs that count and nothing more (an export).
    pub fn advance(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            return;
        }
        if let Some(line) = self.line_due(done, Instant::now()) {
            tell!("{line}");
        }
    }

    /// The line to print now, if one is due: the first, one every two seconds while the count
    /// moves, and the last.
    fn line_due(&self, done: u64, now: Instant) -> Option<String> {
        let mut last = self.last_line.lock().ok()?;
        let (due, finished) = match *last {
            None => (true, done == self.total),
            Some((at, printed)) => (
                now.duration_since(at) >= Duration::from_secs(2) && done > printed,
                done == self.total && printed != done,
            ),
        };
        if !(due || finished) {
            return None;
        }
        *last = Some((now, done));
        // A total that is not known (its count failed) or no longer true (the network grew
        // meanwhile) is not shown as if it were.
        if done > self.total {
            return Some(format!("progress: {done} {}", self.noun));
        }
        Some(format!("progress: {done}/{} {}", self.total, self.noun))
    }

    /// Clears the bar, if any.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_past_the_total_is_shown_without_it() {
        let unknown = ProgressDisplay::with_style(0, "users", Style::Lines);
        let now = Instant::now();
        assert_eq!(
            unknown.line_due(100, now).as_deref(),
            Some("progress: 100 users")
        );
        let known = ProgressDisplay::with_style(250, "users", Style::Lines);
        assert_eq!(
            known.line_due(100, now).as_deref(),
            Some("progress: 100/250 users")
        );
    }

    #[test]
    fn a_terminal_gets_a_bar_and_anything_else_lines() {
        assert_eq!(Style::choose(true), Style::Bar);
        assert_eq!(Style::choose(false), Style::Lines);
        let lines = ProgressDisplay::with_style(10, "users", Style::Lines);
        assert!(lines.bar.is_none());
        let bar = ProgressDisplay::with_style(10, "users", Style::Bar);
        assert!(bar.bar.is_some());
        bar.finish();
    }

    #[test]
    fn lines_come_first_every_two_seconds_and_last() {
        let display = ProgressDisplay::with_style(100, "users", Style::Lines);
        let t0 = Instant::now();
        assert_eq!(
            display.line_due(10, t0).as_deref(),
            Some("progress: 10/100 users")
        );
        assert_eq!(display.line_due(20, t0 + Duration::from_secs(1)), None);
        assert!(display.line_due(30, t0 + Duration::from_secs(3)).is_some());
        assert!(
            display
                .line_due(100, t0 + Duration::from_millis(3100))
                .is_some(),
            "the last one always"
        );
        assert_eq!(display.line_due(100, t0 + Duration::from_secs(9)), None);
    }
}
