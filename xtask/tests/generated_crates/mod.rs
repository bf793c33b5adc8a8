//! How the tests build the crates the generator writes outside the workspace (standalone crates,
//! the AWS models' crates and their smoke tests).
//!
//! Each build goes through `clippy-driver`, as `cargo clippy` runs it, with warnings denied:
//! every crate built from a path (the generated crates, the runtime, the smoke tests) is linted
//! as it is compiled, and registry crates are not, as cargo caps their lints. So one `cargo
//! build` or `cargo test` both lints and compiles. The builds share one target directory,
//! `target/generated-crates`, and one profile (line tables only, as the workspace's), so the
//! runtime and the dependencies build once for all of them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `clippy-driver` of the toolchain that runs this test.
fn clippy_driver() -> PathBuf {
    let beside_cargo = Path::new(env!("CARGO")).with_file_name("clippy-driver");
    assert!(
        beside_cargo.exists(),
        "{} is missing: the lint needs clippy (rustup component add clippy)",
        beside_cargo.display()
    );
    beside_cargo
}

/// Runs `cargo ARGS --offline --quiet` in the package at `dir` (whose lock file must pin what
/// the workspace's pins), linted and with warnings denied.
pub fn cargo(root: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", root.join("target/generated-crates"))
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .env("RUSTC_WRAPPER", clippy_driver())
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", "-Dwarnings")
        .current_dir(dir)
        .output()
        .expect("cargo runs")
}
