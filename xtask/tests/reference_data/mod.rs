//! The reference data (the published Wickr model and the other sources of `fixtures/`), in the
//! folder the environment variable [`DIR`] names; `.cargo/config.toml` sets it to the folder
//! beside the repository where CI puts the data. Only the tests whose whole point is a comparison
//! with it read it.
//!
//! When it is absent, as on a fresh clone, those tests skip and say so with a line in the test
//! output. The line goes straight to the process's standard error rather than through
//! `eprintln!`, which the test harness captures and shows only for failing tests. When the
//! environment variable named by [`REQUIRED`] is set (CI sets it), an absent reference is a
//! failure instead, so CI never skips a comparison unnoticed.

use std::io::Write as _;
use std::path::PathBuf;

// The crate that includes this module declares `mod workspace;` beside it.

/// Set this environment variable to make a missing reference data folder fail the comparisons.
pub const REQUIRED: &str = "WICKR_ADMIN_REQUIRE_REFERENCE_DATA";

/// The environment variable that names the reference data folder (cargo sets it from
/// `.cargo/config.toml`; a relative value is taken from the workspace root).
pub const DIR: &str = "WICKR_ADMIN_REFERENCE_DATA";

/// The reference data folder, when [`DIR`] names one.
pub fn dir() -> Option<PathBuf> {
    let named = PathBuf::from(std::env::var_os(DIR).filter(|v| !v.is_empty())?);
    Some(if named.is_absolute() {
        named
    } else {
        super::workspace::root().join(named)
    })
}

/// The path `relative` inside [`dir`] (`""` for the folder itself) if it exists, or `None` after
/// writing the line that says `test` is skipped, and why: `compares` says what the test compares
/// with the reference data.
///
/// # Panics
///
/// When the path is absent and the [`REQUIRED`] environment variable is set.
pub fn path_or_skip(test: &str, relative: &str, compares: &str) -> Option<PathBuf> {
    let reason = match dir() {
        Some(dir) => {
            let path = if relative.is_empty() {
                dir
            } else {
                dir.join(relative)
            };
            if path.exists() {
                return Some(path);
            }
            format!(
                "{} is not there (nothing is beside this clone of the repository), and this \
                 test compares {compares}",
                path.display()
            )
        }
        None => format!("{DIR} names no reference data folder, and this test compares {compares}"),
    };
    if std::env::var_os(REQUIRED).is_some() {
        panic!("{REQUIRED} is set, so the reference data is required: {reason}");
    }
    // Straight to stderr, past the harness's capture, so a passing run shows the skip.
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: {reason}. It runs when the reference data is beside the repository, \
         as in CI."
    );
    None
}
