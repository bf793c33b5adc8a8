//! The generated client, its runtime and the generator are warning-free and clippy-clean.
//!
//! Runs `cargo clippy -D warnings` on the client crate (generated and hand-written code), on the
//! runtime crate it is built on and on the generator, in a target directory of its own so it
//! never waits on the build running this test: `lint` inside the build's target directory
//! (`CARGO_TARGET_DIR` when that is set, else the workspace's `target/`). It runs with the
//! default features, which is what a crate depending on the client compiles (a workspace-wide
//! build never does: the command turns the client's features on for every crate), and with every
//! feature (the bulk jobs, JSON documents both ways, request compression). The protocol-test and
//! features clients, whose models hold the shapes the Wickr model does not (recursive
//! structures, maps, unions, payloads), are checked without their `documents` feature too, which
//! their own tests turn on.

mod workspace;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn client_runtime_and_generator_pass_clippy_with_warnings_denied() {
    let root = &workspace::root();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(|| root.join("target"));
    let client_runtime_and_generator = [
        "-p",
        "wickr-admin",
        "-p",
        "restjson-runtime",
        "-p",
        "codegen",
    ];
    let test_clients = [
        "-p",
        "restjson-protocol-tests",
        "-p",
        "restjson-features-client",
    ];
    for (packages, features) in [
        (&client_runtime_and_generator[..], None),
        (&client_runtime_and_generator[..], Some("--all-features")),
        (&test_clients[..], Some("--no-default-features")),
    ] {
        let mut args = vec!["clippy", "--locked", "--quiet"];
        args.extend(packages);
        args.push("--lib");
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
