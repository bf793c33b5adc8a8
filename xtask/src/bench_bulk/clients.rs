//! The clients the bulk benchmark runs, how each is started, and the "before" build of
//! `wickr-admin` from another commit.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{NETWORK_ID, SECURITY_GROUP_ID};

/// One way of importing the users file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// `wickr-admin users import` without `--concurrency`: it finds its own.
    Tuned,
    /// `wickr-admin users import --concurrency N`.
    Fixed(u32),
    /// The "before" build of `wickr-admin users import --concurrency N`.
    Before(u32),
    /// The official client's hand-written loop with N calls at once.
    Official(u32),
}

/// The release binaries a run needs.
pub struct Binaries {
    pub emulator: PathBuf,
    pub cli: PathBuf,
    pub official: PathBuf,
    /// The "before" `wickr-admin`, and the commit it was built from (short).
    pub before: Option<(PathBuf, String)>,
}

impl Client {
    pub fn is_ours(self) -> bool {
        matches!(self, Client::Tuned | Client::Fixed(_))
    }

    /// The concurrency it was given (none when it finds its own).
    pub fn concurrency(self) -> Option<u32> {
        match self {
            Client::Tuned => None,
            Client::Fixed(c) | Client::Before(c) | Client::Official(c) => Some(c),
        }
    }

    /// Its name in a table.
    pub fn name(self, binaries: &Binaries) -> String {
        match self {
            Client::Tuned => "wickr-admin, self-tuned".to_string(),
            Client::Fixed(c) => format!("wickr-admin, concurrency {c}"),
            Client::Before(c) => {
                let rev = binaries
                    .before
                    .as_ref()
                    .map_or("?", |(_, rev)| rev.as_str());
                format!("wickr-admin before ({rev}), concurrency {c}")
            }
            Client::Official(c) => format!("aws-sdk-wickr loop, concurrency {c}"),
        }
    }

    /// The command, short: what tells it from the others (the legend gives the rest).
    pub fn command(self) -> String {
        match self {
            Client::Tuned => "`wickr-admin users import F`".to_string(),
            Client::Fixed(c) => format!("`wickr-admin users import F --concurrency {c}`"),
            Client::Before(c) => format!("`wickr-admin users import F --concurrency {c}` (before)"),
            Client::Official(c) => format!("`official_import --file F --concurrency {c}`"),
        }
    }

    /// The program and its arguments, for one run against `endpoint`.
    pub fn invocation(
        self,
        binaries: &Binaries,
        endpoint: &str,
        users_file: &Path,
        report: &Path,
    ) -> Result<(PathBuf, Vec<String>), String> {
        let file = users_file.display().to_string();
        let report = report.display().to_string();
        let mut args: Vec<String> = vec!["--endpoint-url".into(), endpoint.to_string()];
        let program = match self {
            Client::Tuned | Client::Fixed(_) | Client::Before(_) => {
                args.extend(
                    [
                        "users",
                        "import",
                        &file,
                        "--network-id",
                        NETWORK_ID,
                        "--security-group-id",
                        SECURITY_GROUP_ID,
                        "--report",
                        &report,
                        "--output",
                        "json",
                    ]
                    .map(String::from),
                );
                if let Some(c) = self.concurrency() {
                    args.extend(["--concurrency".to_string(), c.to_string()]);
                }
                match self {
                    Client::Before(_) => binaries
                        .before
                        .as_ref()
                        .map(|(bin, _)| bin.clone())
                        .ok_or("no before build (--before REV)")?,
                    _ => binaries.cli.clone(),
                }
            }
            Client::Official(c) => {
                args.extend(
                    [
                        "--network-id",
                        NETWORK_ID,
                        "--security-group-id",
                        SECURITY_GROUP_ID,
                        "--file",
                        &file,
                        "--report",
                        &report,
                        "--concurrency",
                        &c.to_string(),
                    ]
                    .map(String::from),
                );
                binaries.official.clone()
            }
        };
        Ok((program, args))
    }
}

/// The common part of every command, for the legend under a table.
pub fn legend() -> String {
    format!(
        "Commands, against a fresh `wickr-admin-local --seed` (with the round's `--faults` or \
         `--rate-limit`) at URL, F the users file: `wickr-admin --endpoint-url URL users import F \
         --network-id {NETWORK_ID} --security-group-id {SECURITY_GROUP_ID} --report report.csv \
         --output json [--concurrency N]`, and \
         `official_import --endpoint-url URL --network-id {NETWORK_ID} --security-group-id \
         {SECURITY_GROUP_ID} --file F --report report.csv --concurrency N` \
         (`crates/wickr-admin-cli/examples/official_import.rs`)."
    )
}

/// Builds `wickr-admin` as it was at `rev`, from a copy of that commit's files (`git archive`)
/// under `target/bench-bulk-before/`, in a target directory of its own there; returns the
/// binary and the commit's short hash.
pub fn build_before(root: &Path, target: &Path, rev: &str) -> Result<(PathBuf, String), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--verify", &format!("{rev}^{{commit}}")])?;
    let short: String = commit.chars().take(10).collect();
    let base = target.join("bench-bulk-before");
    let source = base.join(&short);
    if !source.join("Cargo.toml").exists() {
        std::fs::create_dir_all(&source)
            .map_err(|e| format!("cannot create {}: {e}", source.display()))?;
        let mut archive = Command::new("git")
            .args(["archive", "--format=tar", &commit])
            .current_dir(root)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git archive: {e}"))?;
        let tar_input = archive.stdout.take().ok_or("git archive gave no output")?;
        let untar = Command::new("tar")
            .args(["-x", "-C"])
            .arg(&source)
            .stdin(tar_input)
            .status()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        let archived = archive
            .wait()
            .map_err(|e| format!("git archive failed: {e}"))?;
        if !untar.success() || !archived.success() {
            let _ = std::fs::remove_dir_all(&source);
            return Err(format!("cannot unpack commit {short}"));
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let build_dir = base.join("target");
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "wickr-admin-cli",
            "--bin",
            "wickr-admin",
        ])
        .current_dir(&source)
        .env("CARGO_TARGET_DIR", &build_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building wickr-admin at {short} failed"));
    }
    // The shared target directory holds one build at a time: keep this one's binary aside.
    let binary = base.join(format!("wickr-admin-{short}"));
    std::fs::copy(build_dir.join("release").join("wickr-admin"), &binary)
        .map_err(|e| format!("cannot copy the before build: {e}"))?;
    Ok((binary, short))
}
