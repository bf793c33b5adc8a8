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

/// Whether standard output was closed when the process started (`wickr-admin ... >&-`). The
/// Rust runtime opens /dev/null on a closed standard stream before `main`, so every write to it
/// would seem to succeed and a command's result would be lost without a word. This looks
/// before that, from the program's constructors; elsewhere than Linux it says no.
pub fn stdout_was_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        closed_at_start::STDOUT.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

#[cfg(target_os = "linux")]
mod closed_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub static STDOUT: AtomicBool = AtomicBool::new(false);

    extern "C" fn look() {
        // SAFETY: F_GETFD only asks whether the descriptor is open; it changes nothing.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT.store(true, Ordering::Relaxed);
        }
    }

    /// Run by the C runtime with the program's constructors, before the Rust runtime starts.
    #[used]
    #[link_section = ".init_array"]
    static LOOK: extern "C" fn() = look;
}

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
