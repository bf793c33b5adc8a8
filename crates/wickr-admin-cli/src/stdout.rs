//! Lines a command prints on standard output. Writing there can fail (the reader of a pipe went
//! away, the disk of a redirection is full); each line says so as an error the command reports,
//! never as a panic.

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

/// `println!` that gives `Err` with the reason instead of panicking when the line cannot be
/// written.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stdout::line(format_args!($($arg)*))
    };
}
pub(crate) use say;
