//! The generated client, its runtime and the generator are warning-free and clippy-clean.
//!
//! Runs `cargo clippy -D warnings` on the client crate (generated and hand-written code), on the
//! runtime crate it is built on and on the generator, in a target directory of its own so it
//! never waits on the build running this test: `lint` inside the build's target directory
//! (`CARGO_TARGET_DIR` when that is set, else the workspace's `target/`). It runs twice: with the
//! default features, which is what a crate depending on the client compiles (and which no other
//! build of the workspace compiles, since the command turns the client's features on), and with
//! every feature (the bulk jobs, JSON documents both ways, request compression).

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn client_runtime_and_generator_pass_clippy_with_warnings_denied() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(|| root.join("target"));
    for features in [None, Some("--all-features")] {
        let mut args = vec![
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
        ];
        args.extend(features);
        let shown = args.join(" ");
        args.extend(["--", "-D", "warnings"]);
        let output = Command::new(env!("CARGO"))
            .args(&args)
            .env("CARGO_TARGET_DIR", target_dir.join("lint"))
            .env_remove("RUSTFLAGS")
            .current_dir(root)
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo {shown} -- -D warnings failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
