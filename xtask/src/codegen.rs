//! `cargo xtask codegen`: runs the generator and writes (or, with `--check`, compares) its
//! output.
//!
//! - With no arguments: regenerates `crates/wickr-admin/src/generated/` from `model/wickr.json`
//!   and the overlay `model/overlay.json`; and the protocol test crate:
//!   `crates/protocol-tests/model/rest-json.json`, the restJson1 protocol tests converted from
//!   the fixtures into a Smithy model ([`crate::protocol_model`]), and
//!   `crates/protocol-tests/src/generated/` from it; and `crates/features-client/src/generated/`
//!   from the hand-written `crates/features-client/model/features.json`.
//! - With `--out DIR` (and `--model PATH`, default `model/wickr.json`): writes a standalone crate
//!   in DIR (`Cargo.toml`, `src/lib.rs`, `src/generated/`) named `--crate-name NAME` (default: the
//!   directory's name). The overlay is `--overlay PATH`, else `overlay.json` beside the model
//!   when there is one.
//!
//! `--check` writes nothing and fails naming every file that differs from what would be written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use codegen::{CrateOptions, GeneratedFile, Options, Overlay};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    // Asked at run time, not baked in when xtask was compiled: cargo reuses a build made in
    // another checkout that shares the target directory, and the baked path would name that
    // checkout (or one since deleted). `cargo xtask` sets the variable for the run.
    let manifest = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    };
    manifest
        .parent()
        .map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// Where the Wickr client's generated modules go, relative to the workspace root.
pub const OUTPUT_DIR: &str = "crates/wickr-admin/src/generated";
/// The model, relative to the workspace root.
pub const MODEL: &str = "model/wickr.json";
/// The overlay beside the model, relative to the workspace root.
pub const OVERLAY: &str = "model/overlay.json";
/// The runtime crate, relative to the workspace root.
const RUNTIME_DIR: &str = "crates/restjson-runtime";
/// The protocol test crate, relative to the workspace root.
pub const PROTOCOL_TESTS_DIR: &str = "crates/protocol-tests";
/// The protocol test model inside the protocol test crate.
pub const PROTOCOL_TESTS_MODEL: &str = "model/rest-json.json";
/// The hand-written model of the features the protocol tests leave out (auth schemes, streams,
/// resources, event streams, awsQuery compatibility), relative to the workspace root.
pub const FEATURES_MODEL: &str = "crates/features-client/model/features.json";
/// Where its client's generated modules go.
pub const FEATURES_DIR: &str = "crates/features-client/src/generated";

/// What the command line asked for.
#[derive(Debug, Default)]
struct Request {
    check: bool,
    model: Option<PathBuf>,
    overlay: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut request = Request::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs {what}"))
        };
        match arg.as_str() {
            "--check" => request.check = true,
            "--model" => request.model = Some(PathBuf::from(value("a path")?)),
            "--overlay" => request.overlay = Some(PathBuf::from(value("a path")?)),
            "--out" => request.out = Some(PathBuf::from(value("a directory")?)),
            "--crate-name" => request.crate_name = Some(value("a name")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if request.out.is_none() && (request.model.is_some() || request.crate_name.is_some()) {
        return Err(
            "--model and --crate-name write a standalone crate: give its directory \
                    with --out DIR"
                .to_owned(),
        );
    }
    Ok(request)
}

/// Runs the subcommand.
pub fn run(args: &[String]) -> Result<(), String> {
    let request = parse(args)?;
    let root = workspace_root();
    let targets = match &request.out {
        None => {
            let overlay = read_overlay(&root.join(OVERLAY), true)?;
            let options = Options { overlay };
            let files = generate(&root.join(MODEL), &options)?;
            let mut targets = vec![(root.join(OUTPUT_DIR), PathBuf::new(), files)];
            targets.extend(protocol_tests(&root)?);
            targets
        }
        Some(out) => {
            let out = absolute(out)?;
            let model = match &request.model {
                Some(model) => absolute(model)?,
                None => root.join(MODEL),
            };
            let overlay = match &request.overlay {
                Some(path) => read_overlay(&absolute(path)?, true)?,
                None => read_overlay(&model.with_file_name("overlay.json"), false)?,
            };
            let name = match &request.crate_name {
                Some(name) => name.clone(),
                None => out
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| format!("{} has no name to give the crate", out.display()))?,
            };
            let krate = CrateOptions {
                name,
                runtime_path: runtime_path_from(&out, &root),
            };
            let options = Options { overlay };
            let files = generate_crate(&model, &options, &krate)?;
            vec![(out, PathBuf::from("src/generated"), files)]
        }
    };
    let mut stale = Vec::new();
    let mut count = 0;
    for (out_dir, owned, files) in &targets {
        stale.extend(ensure_files(out_dir, owned, files, request.check)?);
        count += files.len();
    }
    if request.check {
        if stale.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "generated code is stale; run `cargo xtask codegen`{}. Stale files:\n  {}",
            if request.out.is_some() {
                " with the same arguments, without --check"
            } else {
                ""
            },
            stale.join("\n  ")
        ));
    }
    println!("{count} files generated, {} updated", stale.len());
    Ok(())
}

/// The protocol test crate's model, converted from the fixtures, and its generated modules; and
/// the generated modules of the client of the features test model.
fn protocol_tests(root: &Path) -> Result<Vec<(PathBuf, PathBuf, Vec<GeneratedFile>)>, String> {
    let model = crate::protocol_model::model_from_fixtures(root)?;
    let files = codegen::generate(&model, &Options::default())
        .map_err(|e| format!("the protocol test model: {e}"))?;
    let features = generate(&root.join(FEATURES_MODEL), &Options::default())?;
    let dir = root.join(PROTOCOL_TESTS_DIR);
    let model_file = GeneratedFile {
        path: PROTOCOL_TESTS_MODEL.to_owned(),
        contents: model,
    };
    Ok(vec![
        (dir.clone(), PathBuf::from("model"), vec![model_file]),
        (dir.join("src/generated"), PathBuf::new(), files),
        (root.join(FEATURES_DIR), PathBuf::new(), features),
    ])
}

/// Reads an overlay file; a missing file is an error only when it was asked for.
pub fn read_overlay(path: &Path, required: bool) -> Result<Overlay, String> {
    match fs::read_to_string(path) {
        Ok(text) => Overlay::from_json(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(Overlay::default()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn read_model(model: &Path) -> Result<String, String> {
    fs::read_to_string(model).map_err(|e| format!("cannot read {}: {e}", model.display()))
}

/// Runs the generator on a model file: the modules of `generated/`. What the generator left out
/// is printed as a warning.
pub fn generate(model: &Path, options: &Options) -> Result<Vec<GeneratedFile>, String> {
    let generated = codegen::generate_with_warnings(&read_model(model)?, options)
        .map_err(|e| format!("{}: {e}", model.display()))?;
    Ok(warn(model, generated))
}

/// Runs the generator on a model file: a standalone crate.
pub fn generate_crate(
    model: &Path,
    options: &Options,
    krate: &CrateOptions,
) -> Result<Vec<GeneratedFile>, String> {
    let generated = codegen::generate_crate(&read_model(model)?, options, krate)
        .map_err(|e| format!("{}: {e}", model.display()))?;
    Ok(warn(model, generated))
}

/// Prints the generator's warnings about a model; the files.
fn warn(model: &Path, generated: codegen::Generated) -> Vec<GeneratedFile> {
    for warning in &generated.warnings {
        eprintln!("warning: {}: {warning}", display(model));
    }
    generated.files
}

/// `path` made absolute against the current directory, with `.` and `..` resolved by name.
fn absolute(path: &Path) -> Result<PathBuf, String> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?
            .join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// How a crate in `out` names the runtime crate: relative when `out` is inside the workspace (so
/// the pair can move together), absolute otherwise.
fn runtime_path_from(out: &Path, root: &Path) -> String {
    let runtime = root.join(RUNTIME_DIR);
    match out.strip_prefix(root) {
        Ok(inside) => {
            let mut relative = PathBuf::new();
            for _ in inside.components() {
                relative.push("..");
            }
            relative.push(RUNTIME_DIR);
            slashes(&relative)
        }
        Err(_) => slashes(&runtime),
    }
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Makes `dir` hold exactly `files`, or with `check` only says where it does not. Every file
/// under `dir/owned` belongs to the generator: one it no longer generates is stale (and removed
/// when writing). Returns the stale paths.
pub fn ensure_files(
    dir: &Path,
    owned: &Path,
    files: &[GeneratedFile],
    check: bool,
) -> Result<Vec<String>, String> {
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut stale = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if fs::read_to_string(&path).is_ok_and(|existing| existing == file.contents) {
            continue;
        }
        stale.push(display(&path));
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, &file.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    let owned_dir = dir.join(owned);
    for existing in existing_files(&owned_dir)? {
        let relative = slashes(&owned.join(&existing));
        if wanted.contains(relative.as_str()) {
            continue;
        }
        let path = owned_dir.join(&existing);
        stale.push(display(&path));
        if !check {
            fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    if !check {
        remove_empty_dirs(&owned_dir);
    }
    stale.sort();
    Ok(stale)
}

/// A path for messages: relative to the workspace root when it is inside it.
fn display(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .map_or_else(|_| path.display().to_string(), slashes)
}

/// Every file under `dir`, relative, with `/` separators.
fn existing_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(current) = dirs.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot list {}: {e}", current.display())),
        };
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot list {}: {e}", current.display()))?
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(slashes(relative));
            }
        }
    }
    found.sort();
    Ok(found)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_is_named_relative_inside_the_workspace_and_absolute_outside() {
        let root = Path::new("/ws");
        assert_eq!(
            runtime_path_from(Path::new("/ws/target/gen/weather"), root),
            "../../../crates/restjson-runtime"
        );
        assert_eq!(
            runtime_path_from(Path::new("/elsewhere/weather"), root),
            "/ws/crates/restjson-runtime"
        );
    }

    #[test]
    fn arguments_are_checked() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse(&args(&["--model", "m.json"])).is_err());
        assert!(parse(&args(&["--out"])).is_err());
        assert!(parse(&args(&["--frobnicate"])).is_err());
        let request =
            parse(&args(&["--check", "--out", "x", "--crate-name", "y"])).expect("valid arguments");
        assert!(request.check);
        assert_eq!(request.crate_name.as_deref(), Some("y"));
    }
}
