//! The committed generated code must be what the generator makes of the committed model.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root, asked at run time (`cargo test` says where the package is): a test binary
/// reused from another checkout sharing the target directory would otherwise read that one.
fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("..")
}

fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if entry.path().is_dir() {
            files_under(&entry.path(), &relative, out);
        } else {
            out.insert(relative);
        }
    }
}

#[test]
fn committed_generated_code_is_fresh() {
    let root = root();
    let model =
        fs::read_to_string(root.join("model/wickr.json")).expect("model/wickr.json is readable");
    let overlay = match fs::read_to_string(root.join("model/overlay.json")) {
        Ok(text) => codegen::Overlay::from_json(&text).expect("the overlay file parses"),
        Err(e) => panic!("cannot read model/overlay.json: {e}"),
    };
    let options = codegen::Options { overlay };
    let files = codegen::generate(&model, &options).expect("the model generates");
    let out_dir = root.join("crates/wickr-admin/src/generated");
    let mut stale = Vec::new();
    for file in &files {
        match fs::read_to_string(out_dir.join(&file.path)) {
            Ok(existing) if existing == file.contents => {}
            Ok(_) => stale.push(format!("{} (differs)", file.path)),
            Err(_) => stale.push(format!("{} (missing)", file.path)),
        }
    }
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut existing = BTreeSet::new();
    files_under(&out_dir, "", &mut existing);
    for path in existing {
        if !wanted.contains(path.as_str()) {
            stale.push(format!("{path} (no longer generated)"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask codegen`:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn generation_is_deterministic() {
    let model =
        fs::read_to_string(root().join("model/wickr.json")).expect("model/wickr.json is readable");
    let options = codegen::Options::default();
    let first = codegen::generate(&model, &options).expect("the model generates");
    let second = codegen::generate(&model, &options).expect("the model generates");
    assert_eq!(first, second);
    assert!(first
        .iter()
        .all(|f| f.contents.starts_with(codegen::emit::HEADER)));
}
