//! `cargo xtask codegen [--check]`: regenerates `crates/wickr-admin/src/generated/` from
//! `model/wickr.json` (plus the extra constraints in `model/constraints.json`), or with `--check`
//! reports stale files without writing anything.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{ExtraConstraints, GeneratedFile};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}

/// Where the generated files go, relative to the workspace root.
pub const OUTPUT_DIR: &str = "crates/wickr-admin/src/generated";
/// The model, relative to the workspace root.
pub const MODEL: &str = "model/wickr.json";
/// The extra constraints overlay, relative to the workspace root.
pub const CONSTRAINTS: &str = "model/constraints.json";

/// Runs the subcommand.
pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let mut check = false;
    let mut model = root.join(MODEL);
    let mut constraints = root.join(CONSTRAINTS);
    let mut out_dir = root.join(OUTPUT_DIR);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--model" => model = PathBuf::from(args.next().ok_or("--model needs a path")?),
            "--out" => out_dir = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            "--constraints" => {
                constraints = PathBuf::from(args.next().ok_or("--constraints needs a path")?)
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let files = generate(&model, &constraints)?;
    let stale = stale_paths(&out_dir, &files)?;
    if check {
        if stale.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "generated code is stale; run `cargo xtask codegen`. Stale files:\n  {}",
            stale.join("\n  ")
        ));
    }
    write(&out_dir, &files)?;
    println!("{} files generated, {} updated", files.len(), stale.len());
    Ok(())
}

/// Runs the generator on a model file and an optional constraints file.
pub fn generate(model: &Path, constraints: &Path) -> Result<Vec<GeneratedFile>, String> {
    let json =
        fs::read_to_string(model).map_err(|e| format!("cannot read {}: {e}", model.display()))?;
    let extra = match fs::read_to_string(constraints) {
        Ok(text) => ExtraConstraints::from_json(&text)
            .map_err(|e| format!("{}: {e}", constraints.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => ExtraConstraints::default(),
        Err(e) => return Err(format!("cannot read {}: {e}", constraints.display())),
    };
    codegen::generate(&json, &extra.constraints).map_err(|e| format!("{}: {e}", model.display()))
}

/// Files that differ from what would be generated, or that would be removed, relative to the
/// output directory's parent (e.g. `generated/types/mod.rs`).
pub fn stale_paths(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = out_dir.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => {}
            _ => stale.push(display(out_dir, &file.path)),
        }
    }
    for existing in existing_files(out_dir)? {
        if !wanted.contains(existing.as_str()) {
            stale.push(display(out_dir, &existing));
        }
    }
    stale.sort();
    Ok(stale)
}

fn display(out_dir: &Path, relative: &str) -> String {
    out_dir
        .join(relative)
        .strip_prefix(workspace_root())
        .map_or_else(
            |_| out_dir.join(relative).display().to_string(),
            |p| p.display().to_string(),
        )
}

/// Every file under the output directory, relative, with `/` separators.
fn existing_files(out_dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut dirs = vec![out_dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
        };
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(relative) = path.strip_prefix(out_dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes changed files and removes files no longer generated (and directories left empty).
pub fn write(out_dir: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for existing in existing_files(out_dir)? {
        if !wanted.contains(existing.as_str()) {
            let path = out_dir.join(&existing);
            fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    for file in files {
        let path = out_dir.join(&file.path);
        if fs::read_to_string(&path).is_ok_and(|existing| existing == file.contents) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &file.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    remove_empty_dirs(out_dir);
    Ok(())
}

fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                remove_empty_dirs(&path);
                // Fails (and is left alone) when the directory still has files.
                let _ = fs::remove_dir(&path);
            }
        }
    }
}
