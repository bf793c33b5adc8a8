//! The ten AWS restJson1 models in `fixtures/models/aws/` generate, their crates pass clippy with
//! warnings denied, and each sends one signed call to a server on 127.0.0.1 and reads the answer.
//!
//! Each model is written with `cargo xtask codegen --model M --out target/aws-models/NAME` as a
//! standalone crate. Then one package, `target/aws-models/smoke`, depends on the ten and holds
//! the smoke tests (copied from `smoke/` beside this file: one call per model, a recording
//! server, a SigV4 check). One `cargo test` lints, builds and runs it all
//! (`generated_crates/`: through clippy-driver with warnings denied, in the target directory the
//! standalone-crate test uses too), so the runtime and the dependencies build once.
//!
//! What each model exercises beyond structures, lists, strings and numbers:
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
//! - workspaces-thin-client: `@endpoint` host prefixes, maps, timestamps, enums,
//!   `@idempotencyToken`, `@sensitive`, `@paginated`.

#[path = "../generated_crates/mod.rs"]
mod generated_crates;
#[path = "../workspace/mod.rs"]
mod workspace;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where the smoke tests' sources are, relative to the workspace root.
const SMOKE_SOURCES: &str = "xtask/tests/aws_models/smoke";
/// The dependencies of the smoke tests besides the ten crates, as the workspace pins them.
const SMOKE_DEPENDENCIES: &[&str] = &[
    "aws-credential-types",
    "aws-sigv4",
    "aws-smithy-http-client",
    "aws-smithy-runtime-api",
    "aws-smithy-types",
    "bytes",
    "http",
    "http-body-util",
    "hyper",
    "hyper-util",
    "serde_json",
    "tokio",
];

fn root() -> PathBuf {
    workspace::root()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The name the smoke tests give a model's crate: its file name without the date
/// (`geo-maps-2020-11-19` is `geo-maps`, `geo_maps` in Rust).
fn dependency_key(model: &str) -> &str {
    let parts: Vec<&str> = model.rsplitn(4, '-').collect();
    match parts.as_slice() {
        [day, month, year, name]
            if [day, month, year]
                .iter()
                .all(|part| part.chars().all(|c| c.is_ascii_digit())) =>
        {
            name
        }
        _ => model,
    }
}

/// The line of the workspace manifest's `[workspace.dependencies]` that pins `name`.
fn workspace_dependency(manifest: &str, name: &str) -> String {
    let section = manifest
        .split("[workspace.dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("the workspace manifest has [workspace.dependencies]");
    section
        .lines()
        .find(|line| {
            line.split_once('=')
                .is_some_and(|(key, _)| key.trim() == name)
        })
        .unwrap_or_else(|| panic!("the workspace does not pin {name}"))
        .to_owned()
}

/// Writes the smoke test package beside the generated crates.
fn write_smoke_package(root: &Path, models: &[String]) {
    let dir = root.join("target/aws-models/smoke");
    let tests = dir.join("tests/smoke");
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("removes the previous smoke package");
    }
    fs::create_dir_all(&tests).expect("creates the smoke package");
    let workspace = fs::read_to_string(root.join("Cargo.toml")).expect("reads Cargo.toml");
    let mut manifest = String::from(
        "[package]\nname = \"aws-models-smoke\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dev-dependencies]\n",
    );
    for model in models {
        manifest.push_str(&format!(
            "{} = {{ package = \"{model}\", path = \"../{model}\" }}\n",
            dependency_key(model)
        ));
    }
    for name in SMOKE_DEPENDENCIES {
        manifest.push_str(&workspace_dependency(&workspace, name));
        manifest.push('\n');
    }
    manifest.push_str("\n[workspace]\n");
    fs::write(dir.join("Cargo.toml"), manifest).expect("writes the manifest");
    // The workspace's lock file, so the package resolves the same versions, offline.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copies the lock file");
    for entry in fs::read_dir(root.join(SMOKE_SOURCES)).expect("the smoke sources are there") {
        let path = entry.expect("lists the smoke sources").path();
        if let Some(name) = path.file_name() {
            fs::copy(&path, tests.join(name)).expect("copies a smoke source");
        }
    }
}

#[test]
fn the_ten_aws_models_generate_pass_clippy_and_answer_a_signed_call() {
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
    for name in &models {
        let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "codegen",
                "--model",
                &format!("fixtures/models/aws/{name}.json"),
                "--out",
                &format!("target/aws-models/{name}"),
            ])
            .current_dir(&root)
            .output()
            .expect("the xtask binary runs");
        assert!(
            generated.status.success(),
            "{name} does not generate:\n{}",
            text(&generated)
        );
    }

    // Every model has its call: a model added to the fixtures without one fails here.
    let calls = fs::read_to_string(root.join(SMOKE_SOURCES).join("calls.rs"))
        .expect("reads the smoke calls");
    for model in &models {
        let key = dependency_key(model).replace('-', "_");
        assert!(
            calls.contains(&format!("client!({key}, server)")),
            "{SMOKE_SOURCES}/calls.rs has no call of {model}"
        );
    }

    write_smoke_package(&root, &models);
    let tested = generated_crates::cargo(&root, &root.join("target/aws-models/smoke"), &["test"]);
    let report = text(&tested);
    assert!(
        tested.status.success(),
        "the smoke tests (linted by clippy, warnings denied) fail:\n{report}"
    );
    // One call per model ran.
    assert!(
        report.contains(&format!("test result: ok. {} passed", models.len())),
        "{report}"
    );
}
