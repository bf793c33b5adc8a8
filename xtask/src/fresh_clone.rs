//! `cargo xtask fresh-clone-test [--keep]`: shows that the test suite needs nothing beside the
//! repository. It clones the committed HEAD into an empty folder under the system's temporary
//! folder, so no reference data is beside the clone, runs the README's test command
//! there and reports the result, the time it took, the test counts and every test that said it
//! was skipped.
//!
//! The build goes to `target/fresh-clone` inside this workspace, not to the temporary folder. It
//! is kept between runs, so only the first run compiles the dependencies from scratch; the
//! clone's own crates are always rebuilt, since every file of a fresh clone is new.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The README's test command, which the clone runs.
const TEST_COMMAND: [&str; 4] = ["cargo", "test", "--workspace", "--locked"];
/// The clone's target directory, relative to this workspace.
const TARGET_DIR: &str = "target/fresh-clone";
/// Makes the comparisons with the reference data fail instead of skipping (see `.ci/run`); the
/// clone must show what a user gets, so it is not passed on.
const REQUIRE_REFERENCE_DATA: &str = "WICKR_ADMIN_REQUIRE_REFERENCE_DATA";
/// What a test that skips for want of the reference data starts its line with.
const SKIPPED: &str = "skipped ";

/// Runs the subcommand.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut keep = false;
    for arg in args {
        match arg.as_str() {
            "--keep" => keep = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let root = crate::codegen::workspace_root();
    let head = git(&root, &["rev-parse", "HEAD"])?;
    let changes = git(&root, &["status", "--porcelain"])?;
    if !changes.is_empty() {
        println!(
            "fresh-clone-test: {} uncommitted change(s) in {} are not part of this run, which \
             tests commit {head}",
            changes.lines().count(),
            root.display()
        );
    }

    let (parent, clone) = make_clone(&root, &head)?;
    let readme = fs::read_to_string(clone.join("README.md"))
        .map_err(|e| format!("the clone has no readable README.md: {e}"))?;
    let command = TEST_COMMAND.join(" ");
    if !readme.contains(&format!("\n{command}\n")) {
        return Err(format!(
            "the README no longer shows the test command `{command}` on a line of its own; \
             update TEST_COMMAND in xtask/src/fresh_clone.rs"
        ));
    }

    let target = root.join(TARGET_DIR);
    println!(
        "fresh-clone-test: cloned {head} into {} (nothing beside it); running `{command}` there, \
         target directory {}",
        clone.display(),
        target.display()
    );
    let started = Instant::now();
    let outcome = run_tests(&clone, &target)?;
    let elapsed = started.elapsed();

    let verdict = if outcome.passed { "PASSED" } else { "FAILED" };
    println!();
    println!(
        "fresh-clone-test: {verdict} in {}: `{command}` on a fresh clone of {head}",
        minutes_and_seconds(elapsed)
    );
    println!(
        "  {} test runs: {} passed, {} failed, {} ignored",
        outcome.totals.runs, outcome.totals.passed, outcome.totals.failed, outcome.totals.ignored
    );
    println!(
        "  {} test(s) skipped for want of the reference data:",
        outcome.skipped.len()
    );
    for line in &outcome.skipped {
        println!("    {line}");
    }
    println!("  target directory: {}", target.display());

    if outcome.passed && !keep {
        fs::remove_dir_all(&parent)
            .map_err(|e| format!("cannot remove the clone {}: {e}", parent.display()))?;
    } else {
        println!("  the clone is kept at {}", clone.display());
    }
    if outcome.passed {
        Ok(())
    } else {
        Err(format!("`{command}` failed on a fresh clone"))
    }
}

/// Runs git in `dir` and returns its trimmed standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Clones `head` of the repository at `root` into `<temp>/wickr-admin-fresh-clone-<id>/wickr-admin`
/// and returns both folders. The id comes from `root`, so two checkouts never share a folder,
/// and what an earlier run of this command left there is removed first.
fn make_clone(root: &Path, head: &str) -> Result<(PathBuf, PathBuf), String> {
    let mut hasher = DefaultHasher::new();
    root.hash(&mut hasher);
    let parent =
        std::env::temp_dir().join(format!("wickr-admin-fresh-clone-{:016x}", hasher.finish()));
    if parent.exists() {
        fs::remove_dir_all(&parent).map_err(|e| {
            format!(
                "cannot remove {}, left by an earlier run: {e}",
                parent.display()
            )
        })?;
    }
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let clone = parent.join("wickr-admin");
    let clone_arg = clone.to_string_lossy().into_owned();
    let root_arg = root.to_string_lossy().into_owned();
    git(
        &parent,
        &["clone", "--quiet", "--no-hardlinks", &root_arg, &clone_arg],
    )?;
    git(&clone, &["checkout", "--quiet", "--detach", head])?;
    let checked_out = git(&clone, &["rev-parse", "HEAD"])?;
    if checked_out != head {
        return Err(format!(
            "the clone is at {checked_out}, not at the commit under test {head}"
        ));
    }
    let beside: Vec<String> = fs::read_dir(&parent)
        .map_err(|e| format!("cannot list {}: {e}", parent.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "wickr-admin")
        .collect();
    if !beside.is_empty() {
        return Err(format!(
            "{} holds more than the clone: {}",
            parent.display(),
            beside.join(", ")
        ));
    }
    Ok((parent, clone))
}

/// What the test command did.
struct Outcome {
    passed: bool,
    totals: Totals,
    skipped: Vec<String>,
}

/// The sums of libtest's `test result:` lines.
#[derive(Debug, Default, PartialEq)]
struct Totals {
    runs: usize,
    passed: usize,
    failed: usize,
    ignored: usize,
}

impl Totals {
    /// Adds one `test result: ok. 3 passed; 0 failed; 1 ignored; ...` line; other lines are not
    /// summaries and are left out.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        self.runs += 1;
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            let (Some(count), Some(kind)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<usize>() else {
                continue;
            };
            match kind {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }
}

/// Runs the test command in `clone`, echoing its output as it comes and keeping the summary
/// lines (stdout) and the skip lines (stderr).
fn run_tests(clone: &Path, target: &Path) -> Result<Outcome, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| TEST_COMMAND[0].into());
    let mut command = Command::new(cargo);
    command
        .args(&TEST_COMMAND[1..])
        .current_dir(clone)
        .env("CARGO_TARGET_DIR", target)
        .env_remove(REQUIRE_REFERENCE_DATA)
        // Set by cargo for this process from this workspace's configuration: the clone reads its
        // own, which names the folder beside the clone.
        .env_remove(crate::fixtures::REFERENCE_DATA_VAR)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // What cargo set for this xtask process describes this workspace, not the clone.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || matches!(
                name.as_ref(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            command.env_remove(name.as_ref());
        }
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", TEST_COMMAND.join(" ")))?;
    let stdout = child
        .stdout
        .take()
        .ok_or("the test command has no stdout")?;
    let stderr = child
        .stderr
        .take()
        .ok_or("the test command has no stderr")?;
    let summaries = thread::spawn(move || {
        echo_lines(stdout, std::io::stdout(), |line| {
            line.trim_start().starts_with("test result: ")
        })
    });
    let skips = thread::spawn(move || {
        echo_lines(stderr, std::io::stderr(), |line| line.starts_with(SKIPPED))
    });
    let status = child
        .wait()
        .map_err(|e| format!("the test command did not finish: {e}"))?;
    let summaries = summaries
        .join()
        .map_err(|_| "reading the test command's output failed")??;
    let skipped = skips
        .join()
        .map_err(|_| "reading the test command's errors failed")??;
    let mut totals = Totals::default();
    for line in &summaries {
        totals.add_line(line);
    }
    Ok(Outcome {
        passed: status.success(),
        totals,
        skipped,
    })
}

/// Copies `from` to `to` line by line and returns the lines `keep` accepts.
fn echo_lines(
    from: impl Read,
    mut to: impl Write,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<String>, String> {
    let mut reader = BufReader::new(from);
    let mut kept = Vec::new();
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|e| format!("cannot read the test command's output: {e}"))?;
        if read == 0 {
            return Ok(kept);
        }
        // A closed terminal must not stop the tests: echoing is best effort.
        let _ = to.write_all(&buffer);
        let line = String::from_utf8_lossy(&buffer);
        let line = line.trim_end();
        if keep(line) {
            kept.push(line.to_owned());
        }
    }
}

fn minutes_and_seconds(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    format!("{}m {:02}s", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::{echo_lines, minutes_and_seconds, Totals};
    use std::time::Duration;

    #[test]
    fn totals_add_up_libtest_summaries_and_nothing_else() {
        let mut totals = Totals::default();
        for line in [
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 5 filtered out; finished in 1.20s",
            "test passed_twice ... ok",
            "running 3 tests",
        ] {
            totals.add_line(line);
        }
        assert_eq!(
            totals,
            Totals {
                runs: 2,
                passed: 13,
                failed: 2,
                ignored: 1,
            }
        );
    }

    #[test]
    fn echoed_lines_are_copied_whole_and_the_kept_ones_returned() {
        let input = "   Compiling a\nskipped t: why\nnot valid \u{fffd}\nskipped u: why";
        let mut copy = Vec::new();
        let kept = echo_lines(input.as_bytes(), &mut copy, |line| {
            line.starts_with("skipped ")
        })
        .expect("reading from memory works");
        assert_eq!(copy, input.as_bytes());
        assert_eq!(kept, ["skipped t: why", "skipped u: why"]);
    }

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(minutes_and_seconds(Duration::from_secs(754)), "12m 34s");
        assert_eq!(minutes_and_seconds(Duration::from_millis(5_900)), "0m 05s");
    }
}
