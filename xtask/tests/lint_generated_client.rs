//! The generated client, its runtime and the generator are warning-free and clippy-clean.
//!
//! Runs `cargo clippy -D warnings` on the client crate (generated and hand-written code), on the
//! runtime crate it is built on and on the generator, in a target directory of its own so it
//! never waits on the build running this test.

use std::path::Path;
use std::process::Command;

#[test]
fn client_runtime_and_generator_pass_clippy_with_warnings_denied() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace");
    let output = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--locked",
            "--quiet",
            "-p",
            "wickr-admin",
            "-p",
            "restjson-runtime",
            "-p",
            "codegen",
            "--lib",
            "--",
            "-D",
            "warnings",
        ])
        .env("CARGO_TARGET_DIR", root.join("target/lint"))
        .env_remove("RUSTFLAGS")
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo clippy -p wickr-admin -p restjson-runtime -p codegen --lib -- -D warnings failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
