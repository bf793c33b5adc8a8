//! `cargo xtask fuzz [--seconds N] [--target NAME] [--seed S] [--release]`: runs the property
//! tests of the readers of untrusted input for longer than `cargo test` does, from random seeds.
//!
//! Each target is one property test. It is run through `cargo test` with `WICKR_FUZZ_SECONDS`
//! set, so the same code runs batches of cases from fresh random seeds until the time is spent
//! (see the `fuzzing` crate's runner). A failure prints the seed and the smallest failing input
//! as a Rust expression, to be added to the test's regression cases; `--seed` replays from a
//! seed.

use std::process::Command;
use std::time::Instant;

/// A property test to fuzz.
struct Target {
    name: &'static str,
    what: &'static str,
    /// Arguments that select the test binary for `cargo test`.
    selector: &'static [&'static str],
    /// The test's full name in that binary.
    test: &'static str,
    /// The file that defines the test, from the workspace root.
    source: &'static str,
}

const TARGETS: &[Target] = &[
    Target {
        name: "responses",
        what: "every operation's response reader (OperationShape::deserialize)",
        selector: &["-p", "wickr-admin", "--test", "fuzz_responses"],
        test: "every_operation_reads_mutated_and_random_responses_into_typed_results",
        source: "crates/wickr-admin/tests/fuzz_responses.rs",
    },
    Target {
        name: "responses-over-http",
        what: "the client's whole call path on mutated HTTP answers",
        selector: &["-p", "wickr-admin", "--test", "fuzz_responses_over_http"],
        test: "every_operation_reads_mutated_http_answers_into_typed_results",
        source: "crates/wickr-admin/tests/fuzz_responses_over_http.rs",
    },
    Target {
        name: "documents",
        what: "every operation's input read from a document (--cli-input-json)",
        selector: &["-p", "wickr-admin", "--test", "fuzz_documents"],
        test: "every_operation_reads_mutated_input_documents_into_inputs_or_located_errors",
        source: "crates/wickr-admin/tests/fuzz_documents.rs",
    },
    Target {
        name: "users-file",
        what: "the command's CSV and JSON Lines users-file reader",
        selector: &["-p", "wickr-admin-cli", "--bin", "wickr-admin"],
        test: "input::property_tests::mutated_users_files_give_rows_and_located_problems_and_drop_nothing",
        source: "crates/wickr-admin-cli/src/input/property_tests.rs",
    },
    Target {
        name: "request-reader",
        what: "the emulator's request reader below the signature check",
        selector: &["-p", "wickr-admin-local", "--test", "fuzz_request_reader"],
        test: "mutated_requests_are_answered_or_refused_with_typed_errors_the_client_reads",
        source: "crates/wickr-admin-local/tests/fuzz_request_reader.rs",
    },
    Target {
        name: "signed-requests",
        what: "the emulator over HTTP on mutated requests signed after the change",
        selector: &["-p", "wickr-admin-local", "--test", "fuzz_signed_requests"],
        test: "signed_mutated_requests_get_answers_the_client_reads",
        source: "crates/wickr-admin-local/tests/fuzz_signed_requests.rs",
    },
];

struct Options {
    seconds: u64,
    targets: Vec<&'static Target>,
    seed: Option<String>,
    release: bool,
}

fn usage() -> String {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    format!(
        "usage: cargo xtask fuzz [--seconds N] [--target NAME]... [--seed S] [--release]\n\
         targets: {}",
        names.join(", ")
    )
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seconds: 60,
        targets: Vec::new(),
        seed: None,
        release: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        match arg.as_str() {
            "--seconds" => {
                let text = value("--seconds")?;
                options.seconds =
                    text.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                        format!("--seconds {text:?} is not a whole number above 0")
                    })?;
            }
            "--target" => {
                let name = value("--target")?;
                let target = TARGETS
                    .iter()
                    .find(|t| t.name == name)
                    .ok_or_else(|| format!("unknown target {name:?}\n{}", usage()))?;
                options.targets.push(target);
            }
            "--seed" => options.seed = Some(value("--seed")?),
            "--release" => options.release = true,
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if options.targets.is_empty() {
        options.targets = TARGETS.iter().collect();
    }
    Ok(options)
}

/// Runs each chosen target for the given time.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut failed = Vec::new();
    for target in &options.targets {
        eprintln!(
            "fuzzing {}: {} ({}) for {} s",
            target.name, target.what, target.source, options.seconds
        );
        // `--exact` with a name no test has runs nothing and passes: make sure the test is there.
        let mut listing = Command::new(&cargo);
        listing.arg("test");
        if options.release {
            listing.arg("--release");
        }
        let listed = listing
            .args(target.selector)
            .args(["--", "--list"])
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        if !listed.status.success() {
            return Err(format!(
                "{}: cargo test {} -- --list failed",
                target.name,
                target.selector.join(" ")
            ));
        }
        check_listed(target, &String::from_utf8_lossy(&listed.stdout))?;
        let mut command = Command::new(&cargo);
        command.arg("test");
        if options.release {
            command.arg("--release");
        }
        command
            .args(target.selector)
            .args(["--", "--exact", target.test, "--nocapture"])
            .env("WICKR_FUZZ_SECONDS", options.seconds.to_string());
        match &options.seed {
            Some(seed) => command.env("WICKR_FUZZ_SEED", seed),
            None => command.env_remove("WICKR_FUZZ_SEED"),
        };
        let started = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        eprintln!(
            "{}: {} after {:.0} s",
            target.name,
            if status.success() {
                "no failure"
            } else {
                "FAILED"
            },
            started.elapsed().as_secs_f64()
        );
        if !status.success() {
            failed.push(target.name);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "failing targets: {} (the failing input is printed above)",
            failed.join(", ")
        ))
    }
}

/// Checks that the test binary's `--list` output names the target's test.
fn check_listed(target: &Target, listing: &str) -> Result<(), String> {
    let found = listing
        .lines()
        .any(|line| line.strip_suffix(": test") == Some(target.test));
    if found {
        return Ok(());
    }
    Err(format!(
        "target {}: cargo test {} has no test named {} (it would run nothing); fix the target's \
         test path in xtask/src/fuzz.rs to match the test in {}",
        target.name,
        target.selector.join(" "),
        target.test,
        target.source
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let options = parse(&args("--seconds 5 --target users-file --seed 0x10")).unwrap();
        assert_eq!(options.seconds, 5);
        assert_eq!(options.targets.len(), 1);
        assert_eq!(options.targets[0].name, "users-file");
        assert_eq!(options.seed.as_deref(), Some("0x10"));
        assert_eq!(parse(&[]).unwrap().targets.len(), TARGETS.len());
        for (bad, named) in [
            ("--seconds 0", "--seconds"),
            ("--seconds", "--seconds needs a value"),
            ("--target nope", "unknown target \"nope\""),
            ("--fast", "unknown argument"),
        ] {
            match parse(&args(bad)) {
                Ok(_) => panic!("{bad} accepted"),
                Err(e) => assert!(e.contains(named), "{bad}: {e}"),
            }
        }
    }

    #[test]
    fn a_target_whose_test_is_not_listed_is_refused_by_name() {
        let target = TARGETS
            .iter()
            .find(|t| t.name == "users-file")
            .expect("users-file target");
        let listing = format!(
            "input::csv_rows::tests::quoted_fields: test\n{}: test\nsummary::tests::x: test\n",
            target.test
        );
        assert_eq!(check_listed(target, &listing), Ok(()));
        // The function alone, without its module path, is another name to libtest.
        let short = target.test.rsplit("::").next().unwrap_or(target.test);
        let moved = format!("{short}: test\ninput::other::{short}: test\n");
        let error = check_listed(target, &moved).expect_err("a test path that does not match");
        assert!(error.contains("users-file"), "{error}");
        assert!(error.contains(target.test), "{error}");
        assert!(error.contains("has no test named"), "{error}");
        assert!(check_listed(target, "").is_err());
        // A benchmark of that name is not the test.
        assert!(check_listed(target, &format!("{}: bench\n", target.test)).is_err());
    }

    #[test]
    fn every_target_names_a_test_that_exists() {
        let root = crate::codegen::workspace_root();
        for target in TARGETS {
            let text = std::fs::read_to_string(root.join(target.source))
                .unwrap_or_else(|e| panic!("{}: {}: {e}", target.name, target.source));
            let function = target.test.rsplit("::").next().unwrap_or(target.test);
            assert!(
                text.contains(&format!("fn {function}(")),
                "{}: {} has no test {function}",
                target.name,
                target.source
            );
        }
    }
}
