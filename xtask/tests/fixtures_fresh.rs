//! The committed fixtures (`fixtures/`, and the runtime's partition data) are what
//! `cargo xtask fixtures` makes of the reference data: the test runs `cargo xtask fixtures --check`
//! when the reference data is beside the repository and is skipped, with a line in the test
//! output, when it is not. The other tests here show what `--check` does with reference data
//! that differs or is missing, and need nothing beside the repository.

mod reference_data;
mod workspace;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;

fn xtask_fixtures(args: &[&str], shared: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("fixtures")
        .args(args)
        .arg("--shared")
        .arg(shared)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the xtask binary: {e}"))
}

#[test]
fn committed_fixtures_match_the_reference_data() {
    let Some(shared) = reference_data::path_or_skip(
        "committed_fixtures_match_the_reference_data",
        "",
        "the committed fixtures with what `cargo xtask fixtures` derives from it",
    ) else {
        return;
    };
    let output = xtask_fixtures(&["--check"], &shared);
    assert!(
        output.status.success(),
        "cargo xtask fixtures --check failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A folder under the system's temporary folder, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("xtask-fixtures-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("the temporary folder is writable");
        Self(path)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().expect("a file has a folder")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Reference data with one small model and one of every other source, all unlike the real ones.
fn other_reference_data() -> ScratchDir {
    let dir = ScratchDir::new("other");
    let model = json!({
        "smithy": "2.0",
        "shapes": {
            "ex#Service": {
                "type": "service",
                "traits": {
                    "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": []},
                    "smithy.rules#endpointTests": {"version": "1.0", "testCases": []}
                }
            }
        }
    })
    .to_string();
    dir.write("models/wickr.json", &model);
    dir.write("models/aws/example-2024-01-01.json", &model);
    dir.write("protocol-tests/rest-json/input.json", "[]");
    dir.write("protocol-tests/rest-json/output.json", "[]");
    dir.write("endpoints/partitions.json", r#"{"partitions": []}"#);
    for ext in ["req", "creq", "sts", "authz", "sreq"] {
        dir.write(
            &format!("sigv4-testsuite/get-vanilla/get-vanilla.{ext}"),
            ext,
        );
    }
    dir
}

fn workspace_file(relative: &str) -> String {
    let path = workspace::root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn check_names_every_stale_file_and_writes_nothing() {
    let shared = other_reference_data();
    let before = [
        workspace_file("fixtures/wickr/examples.json"),
        workspace_file("crates/restjson-runtime/data/partitions.json"),
    ];
    let output = xtask_fixtures(&["--check"], &shared.0);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "--check passed:\n{stderr}");
    for stale in [
        // differs
        "fixtures/wickr/examples.json",
        "fixtures/endpoints/wickr.json",
        "crates/restjson-runtime/data/partitions.json",
        // would be written
        "fixtures/models/aws/example-2024-01-01.json",
        "fixtures/endpoints/example-2024-01-01.json",
        // would be removed
        "fixtures/models/aws/appconfigdata-2021-11-11.json",
    ] {
        assert!(stderr.contains(stale), "{stale} not named in:\n{stderr}");
    }
    let after = [
        workspace_file("fixtures/wickr/examples.json"),
        workspace_file("crates/restjson-runtime/data/partitions.json"),
    ];
    assert!(before == after, "--check changed the committed fixtures");
}

#[test]
fn a_missing_reference_data_folder_is_named() {
    let missing = std::env::temp_dir().join(format!(
        "xtask-fixtures-no-such-folder-{}",
        std::process::id()
    ));
    let output = xtask_fixtures(&["--check"], &missing);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!(
            "the reference data directory {} does not exist",
            missing.display()
        )),
        "{stderr}"
    );
}
