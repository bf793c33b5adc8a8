//! The ten AWS restJson1 models in `fixtures/models/aws/` generate, and their crates pass
//! `cargo clippy -D warnings`.
//!
//! Each model is written with `cargo xtask codegen --model M --out target/aws-models/NAME` as a
//! standalone crate, then linted in `target/lint`, the target directory the standalone-crate test
//! uses too, so the runtime and its dependencies build once for all of them. What each model
//! exercises beyond structures, lists, strings and numbers:
//!
//! - appconfigdata: a resource (its operations are bound only through it), a union, maps, a
//!   `@sensitive` blob `@httpPayload` beside header members, Smithy 1.0 `@enum` strings, query
//!   bindings, `@default`.
//! - backupsearch: resources, unions, a `@sparse` map, service-level errors, `@retryable`,
//!   operations whose `@paginated` leaves its members to the service's `@paginated`.
//! - dsql: resources, `@uniqueItems`, maps, timestamps, `@idempotencyToken`, `@retryable`
//!   (throttling), service-level errors, `@paginated`.
//! - geo-maps: a resource, `@jsonName`, blob payloads with header members, `@httpQuery` of
//!   longs, `@enum` strings, `@sensitive`.
//! - inspector-scan: a `document` member, and header bindings.
//! - iot-data-plane: blob payloads in and out, a `@mediaType` header value, booleans and longs
//!   in the query string, `@paginated`.
//! - mediastore-data: a `@streaming` blob payload in both directions (with
//!   `aws.auth#unsignedPayload` on the upload), per-operation `@auth`, greedy labels,
//!   `@httpResponseCode`, timestamps in headers, an enum with `@length`, a `@default("")` on a
//!   stream, `@paginated` without items.
//! - rds-data: unions (one of lists of unions), blobs, doubles, floats, booleans, `@enum`
//!   strings.
//! - scheduler: resources, maps, timestamps, `@idempotencyToken`, `@enum` strings, `@paginated`.
//! - workspaces-thin-client: `@endpoint` host prefixes with `@hostLabel`, maps, timestamps,
//!   enums, `@idempotencyToken`, `@sensitive`, `@paginated`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_ten_aws_models_generate_crates_that_pass_clippy() {
    let root = root();
    let mut models: Vec<String> = fs::read_dir(root.join("fixtures/models/aws"))
        .expect("the AWS models are committed")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    models.sort();
    assert_eq!(models.len(), 10, "{models:?}");
    let mut failures = Vec::new();
    for name in &models {
        let dir = format!("target/aws-models/{name}");
        let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "codegen",
                "--model",
                &format!("fixtures/models/aws/{name}.json"),
                "--out",
                &dir,
            ])
            .current_dir(&root)
            .output()
            .expect("the xtask binary runs");
        if !generated.status.success() {
            failures.push(format!("{name} does not generate:\n{}", text(&generated)));
            continue;
        }
        // The workspace's lock file, so the crate resolves the same versions, offline.
        fs::copy(root.join("Cargo.lock"), root.join(&dir).join("Cargo.lock"))
            .expect("copies the lock file");
        let linted = Command::new(env!("CARGO"))
            .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target/lint"))
            .env_remove("RUSTFLAGS")
            .current_dir(root.join(&dir))
            .output()
            .expect("cargo runs");
        if !linted.status.success() {
            failures.push(format!(
                "cargo clippy -- -D warnings fails on {name}:\n{}",
                text(&linted)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
