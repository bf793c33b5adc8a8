//! `cargo xtask bench codegen`: size and compile time of the generated client, side by side with
//! the official `aws-sdk-wickr` crate.
//!
//! Lines: every `.rs` line of `crates/wickr-admin/src/generated/`, of the client crate's whole
//! `src/`, and of that plus the runtime crate's `src/` (`crates/restjson-runtime`, which holds the
//! mechanics the client used to carry), against every `.rs` line of the official crate's `src/`
//! (as unpacked by cargo from the lock file's version).
//! Compile time: a release build with dependencies already built in the same target directory,
//! timed after forcing only the measured crates to rebuild: the client crate together with the
//! runtime crate, the client crate alone (with its default features, as a crate depending on it
//! builds it, and with every feature: the bulk jobs and JSON documents both ways), and the
//! official crate alone. Each is measured `RUNS` times and the median is printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 3;
const OFFICIAL: &str = "aws-sdk-wickr";
const OURS: &str = "wickr-admin";
const RUNTIME: &str = "restjson-runtime";

pub fn run(_args: &[String]) -> Result<(), String> {
    let root_buf = crate::codegen::workspace_root();
    let root = root_buf.as_path();
    let official_src = official_source_dir(root)?;
    let our_lines = count_rust_lines(&root.join("crates/wickr-admin/src/generated"))?;
    let our_total = count_rust_lines(&root.join("crates/wickr-admin/src"))?;
    let runtime_lines = count_rust_lines(&root.join("crates/restjson-runtime/src"))?;
    let official_lines = count_rust_lines(&official_src.join("src"))?;

    let target = root.join("target/bench-codegen");
    // The client with every feature turns on features of shared dependencies too, so it is
    // built in a target directory of its own: otherwise each build would rebuild them for the
    // next.
    let target_features = root.join("target/bench-codegen-features");
    println!("building dependencies once (release, {})", target.display());
    // Cargo cannot build a dev-only dependency by itself (`-p aws-sdk-wickr`), so the official
    // crate is built through a one-line probe package that depends on it, pinned by a copy of
    // this workspace's lock file and sharing the target directory.
    let probe = official_probe(root, &target)?;
    let builds = [
        Build {
            label: "wickr-admin with restjson-runtime",
            forced: &[RUNTIME, OURS],
            dir: root.to_path_buf(),
            target: target.clone(),
            all_features: false,
        },
        Build {
            label: "wickr-admin alone",
            forced: &[OURS],
            dir: root.to_path_buf(),
            target: target.clone(),
            all_features: false,
        },
        Build {
            label: "wickr-admin alone, every feature",
            forced: &[OURS],
            dir: root.to_path_buf(),
            target: target_features,
            all_features: true,
        },
        Build {
            label: OFFICIAL,
            forced: &[OFFICIAL],
            dir: probe,
            target,
            all_features: false,
        },
    ];
    for build in &builds {
        build.run()?;
    }
    let mut times: [Vec<Duration>; 4] = Default::default();
    for run in 1..=RUNS {
        for (build, times) in builds.iter().zip(times.iter_mut()) {
            for package in build.forced {
                forget_crate(&build.target, package)?;
            }
            let elapsed = build.run()?;
            println!("run {run}: {} {:.1} s", build.label, elapsed.as_secs_f64());
            times.push(elapsed);
        }
    }
    let [with_runtime, alone, every_feature, official] = times.map(|mut t| median(&mut t));
    let ratio = |ours: Duration| ours.as_secs_f64() / official.as_secs_f64();

    println!();
    println!("| measure | wickr-admin | aws-sdk-wickr 1.30 | ratio |");
    println!("|---|---:|---:|---:|");
    println!(
        "| generated Rust lines | {our_lines} | {official_lines} | {:.3} |",
        our_lines as f64 / official_lines as f64
    );
    println!(
        "| all Rust lines of the crate's src/ | {our_total} | {official_lines} | {:.3} |",
        our_total as f64 / official_lines as f64
    );
    println!(
        "| all Rust lines of the crate's and restjson-runtime's src/ | {} | {official_lines} | {:.3} |",
        our_total + runtime_lines,
        (our_total + runtime_lines) as f64 / official_lines as f64
    );
    println!(
        "| release compile of the crate with restjson-runtime (median of {RUNS}) | {:.1} s | {:.1} s | {:.2} |",
        with_runtime.as_secs_f64(),
        official.as_secs_f64(),
        ratio(with_runtime)
    );
    println!(
        "| release compile of the crate alone (median of {RUNS}) | {:.1} s | {:.1} s | {:.2} |",
        alone.as_secs_f64(),
        official.as_secs_f64(),
        ratio(alone)
    );
    println!(
        "| release compile of the crate alone with every feature (`bulk`, `documents`; median of {RUNS}) | {:.1} s | {:.1} s | {:.2} |",
        every_feature.as_secs_f64(),
        official.as_secs_f64(),
        ratio(every_feature)
    );
    Ok(())
}

/// Where cargo unpacked the official crate, from `cargo metadata`.
fn official_source_dir(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new(env_cargo())
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata printed invalid JSON: {e}"))?;
    let packages = meta["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?;
    packages
        .iter()
        .find(|p| p["name"] == OFFICIAL)
        .and_then(|p| p["manifest_path"].as_str())
        .and_then(|m| Path::new(m).parent().map(Path::to_path_buf))
        .ok_or_else(|| format!("{OFFICIAL} is not in the lock file"))
}

/// Writes the probe package (a library with the official crate as its only dependency).
fn official_probe(root: &Path, target: &Path) -> Result<PathBuf, String> {
    let dir = target.join("official-probe");
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(
        dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"official-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{OFFICIAL} = \"=1.30.0\"\n\n[workspace]\n"
        ),
    )?;
    write(dir.join("src/lib.rs"), "")?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write(dir.join("Cargo.lock"), &lock)?;
    Ok(dir)
}

fn count_rust_lines(dir: &Path) -> Result<usize, String> {
    let mut total = 0;
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            total += count_rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            total += text.lines().count();
        }
    }
    Ok(total)
}

/// One measured build: what it builds (the last of `forced`), in which directory and target
/// directory, and which crates it forces to rebuild first.
struct Build {
    label: &'static str,
    forced: &'static [&'static str],
    dir: PathBuf,
    target: PathBuf,
    all_features: bool,
}

impl Build {
    fn run(&self) -> Result<Duration, String> {
        let package = self.forced[self.forced.len() - 1];
        let start = Instant::now();
        let status = Command::new(env_cargo())
            .args(["build", "--release", "--quiet", "-p", package])
            .args(self.all_features.then_some("--all-features"))
            .env("CARGO_TARGET_DIR", &self.target)
            .current_dir(&self.dir)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("cargo build --release -p {package} failed"));
        }
        Ok(start.elapsed())
    }
}

/// Deletes one crate's fingerprints so that the next build recompiles it and nothing else.
fn forget_crate(target: &Path, package: &str) -> Result<(), String> {
    let dir = target.join("release/.fingerprint");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut found = false;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Fingerprint directories are `<package>-<16 hex digits>`.
        let is_it = name
            .strip_prefix(package)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|hash| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
        if is_it {
            std::fs::remove_dir_all(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            found = true;
        }
    }
    if found {
        Ok(())
    } else {
        Err(format!(
            "no fingerprint for {package} under {}",
            dir.display()
        ))
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn env_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}
