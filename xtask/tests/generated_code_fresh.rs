//! `cargo xtask codegen --check` passes: the Wickr client, the restJson1 protocol test model
//! (converted from the fixtures) and its generated client, and the features client are what the
//! generator makes of their models today.

mod workspace;

use std::process::Command;

#[test]
fn every_committed_generated_file_is_fresh() {
    let root = &workspace::root();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(root)
        .output()
        .expect("the xtask binary runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
