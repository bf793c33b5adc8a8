//! The committed check of the official crate's public API
//! (`crates/wickr-admin/tests/official_api_surface/generated/`) is what `cargo xtask surface`
//! makes of the official crate's source as the lock file pins it.

use std::process::Command;

#[test]
fn committed_official_api_check_is_fresh() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["surface", "--check"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run the xtask binary: {e}"));
    assert!(
        out.status.success(),
        "cargo xtask surface --check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
