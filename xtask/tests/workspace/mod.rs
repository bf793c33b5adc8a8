//! Where the workspace is, for the tests that read or build it.

use std::path::PathBuf;

/// The workspace root (the parent of xtask's directory), asked at run time: `cargo test` says
/// where the package is. The path baked in at compile time would name another checkout when
/// cargo reuses a test binary built there, in a target directory the two share.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
