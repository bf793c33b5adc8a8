//! `cargo xtask codegen --model PATH --out DIR [--crate-name NAME]` writes a standalone crate that
//! compiles on its own.
//!
//! Two crates are generated under `target/standalone/`: from the generator's kitchen-sink test
//! model (greedy labels, literal query parameters, every timestamp format, defaults, header
//! bindings), and from the Wickr model under another crate name. `--check` must find each fresh,
//! then name a file that was changed and one that was added; writing again repairs both. Then
//! each crate is built and linted by clippy with warnings denied (`generated_crates/`), in the
//! target directory the AWS models' test uses too, so the shared dependencies build once.

mod workspace;

mod generated_crates;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    workspace::root()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the xtask binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Generates a crate, shows `--check` on it, and compiles it with warnings denied.
fn generate_check_and_compile(model: &str, dir: &str, crate_name: Option<&str>) {
    let out = root().join(dir);
    let mut args = vec!["codegen", "--model", model, "--out", dir];
    if let Some(name) = crate_name {
        args.extend(["--crate-name", name]);
    }
    let generated = xtask(&args);
    assert!(generated.status.success(), "{}", text(&generated));

    let mut check = args.clone();
    check.insert(1, "--check");
    let fresh = xtask(&check);
    assert!(fresh.status.success(), "{}", text(&fresh));

    let schema = out.join("src/generated/schema.rs");
    let original = fs::read_to_string(&schema).expect("schema.rs was written");
    fs::write(&schema, format!("{original}// edited by hand\n")).expect("writes");
    fs::write(out.join("src/generated/stray.rs"), "").expect("writes");
    let stale = xtask(&check);
    assert!(!stale.status.success(), "a changed file must be stale");
    let report = text(&stale);
    assert!(
        report.contains(&format!("{dir}/src/generated/schema.rs"))
            && report.contains(&format!("{dir}/src/generated/stray.rs")),
        "{report}"
    );
    let repaired = xtask(&args);
    assert!(repaired.status.success(), "{}", text(&repaired));
    assert_eq!(fs::read_to_string(&schema).ok(), Some(original));
    assert!(!out.join("src/generated/stray.rs").exists());

    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml was written");
    let name = crate_name.unwrap_or_else(|| dir.rsplit('/').next().unwrap_or(dir));
    assert!(
        manifest.contains(&format!("name = \"{name}\"")),
        "{manifest}"
    );
    // Inside the workspace the runtime is named relative to the crate.
    assert!(
        manifest.contains("restjson-runtime = { path = \"../../../crates/restjson-runtime\" }"),
        "{manifest}"
    );

    // The workspace's lock file, so the crate resolves the same versions, offline.
    fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copies the lock file");
    let compiled = generated_crates::cargo(&root(), &out, &["build"]);
    assert!(
        compiled.status.success(),
        "the build, linted by clippy with warnings denied, failed in {dir}:\n{}",
        text(&compiled)
    );
}

#[test]
fn generated_standalone_crates_compile_and_stay_checked() {
    generate_check_and_compile(
        "codegen/tests/fixtures/kitchen_sink.json",
        "target/standalone/kitchen-sink",
        None,
    );
    generate_check_and_compile(
        "model/wickr.json",
        "target/standalone/wickr-copy",
        Some("wickr-copy"),
    );
}
