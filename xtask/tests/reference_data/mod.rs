//! The reference data beside the repository (`../shared`: the published Wickr model and the other
//! sources of `fixtures/`). Only the tests whose whole point is a comparison with it read it.
//!
//! When it is absent, as on a fresh clone, those tests skip and say so with a line in the test
//! output. The line goes straight to the process's standard error rather than through
//! `eprintln!`, which the test harness captures and shows only for failing tests. When the
//! environment variable named by [`REQUIRED`] is set (CI sets it), an absent reference is a
//! failure instead, so CI never skips a comparison unnoticed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

// The crate that includes this module declares `mod workspace;` beside it.

/// Set this environment variable to make a missing reference data folder fail the comparisons.
pub const REQUIRED: &str = "WICKR_ADMIN_REQUIRE_REFERENCE_DATA";

/// The reference data folder, `shared` beside the workspace.
pub fn dir() -> PathBuf {
    let root = super::workspace::root();
    root.parent()
        .map_or_else(|| root.join(".."), Path::to_path_buf)
        .join("shared")
}

/// The path `relative` inside [`dir`] (`""` for the folder itself) if it exists, or `None` after
/// writing the line that says `test` is skipped, and why: `compares` says what the test compares
/// with the reference data.
///
/// # Panics
///
/// When the path is absent and the [`REQUIRED`] environment variable is set.
pub fn path_or_skip(test: &str, relative: &str, compares: &str) -> Option<PathBuf> {
    let path = if relative.is_empty() {
        dir()
    } else {
        dir().join(relative)
    };
    if path.exists() {
        return Some(path);
    }
    let reason = format!(
        "{} is not there (nothing is beside this clone of the repository), and this test \
         compares {compares}",
        path.display()
    );
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
