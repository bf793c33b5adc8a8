//! Lines a command prints. Writing can fail: the reader of a pipe went away (`... 2>&1 | head`),
//! the disk of a redirection is full. Neither may stop a command in the middle of its work, so
//! nothing here panics the way `println!` and `eprintln!` do.
//!
//! - [`say!`] writes a line to standard output and gives `Err` with the reason when it cannot:
//!   what a command prints there is its result or its summary, and the caller decides what a
//!   lost result means.
//! - [`tell!`] writes a line to standard error (progress, warnings, errors) and drops it when it
//!   cannot: there is nowhere left to say anything, and the work (the report, the network)
//!   matters more than the line.

use std::fmt;
use std::io::Write;

/// Writes `text` and a line break to standard output.
pub fn line(text: fmt::Arguments<'_>) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(text)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(failed)
}

/// Writes `text` as it is to standard output.
pub fn text(text: impl AsRef<[u8]>) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_ref())
        .and_then(|()| out.flush())
        .map_err(failed)
}

/// Why standard output took nothing.
pub fn failed(e: impl fmt::Display) -> String {
    format!("cannot write to standard output: {e}")
}

/// Writes `text` and a line break to standard error, or nothing when it cannot be written.
pub fn error_line(text: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(text).and_then(|()| err.write_all(b"\n"));
}

/// `println!` that gives `Err` with the reason instead of panicking when the line cannot be
/// written.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// `eprintln!` that drops the line instead of panicking when it cannot be written.
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::console::error_line(format_args!($($arg)*))
    };
}
pub(crate) use tell;
