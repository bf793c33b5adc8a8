//! `cargo xtask fixtures [--check] [--shared DIR]`: derives the committed test fixtures, and the
//! runtime's partition data, from the reference data (the folder `WICKR_ADMIN_REFERENCE_DATA`
//! names, which `.cargo/config.toml` sets).
//!
//! Fixtures hold facts only: every documentation string, title and description is left out, so
//! the repository carries the shapes, cases and vectors its tests need and none of the prose.
//! The files are written deterministically (objects with sorted keys, two-space indentation), so
//! `--check` can tell whether the committed copies still match the reference data.

mod prose;
mod sigv4;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::GeneratedFile;
use serde_json::{Map, Value};

/// Where test fixtures go, relative to the workspace root. The command owns this folder: a file
/// in it that the command would not write is stale, and is removed when the fixtures are written.
pub const FIXTURES_DIR: &str = "fixtures";
/// The runtime crate, relative to the workspace root. The command owns its `data/` folder.
pub const RUNTIME_CRATE_DIR: &str = "crates/restjson-runtime";

/// The environment variable that names the reference data folder: cargo sets it from
/// `.cargo/config.toml`, and a value set in the environment wins.
pub const REFERENCE_DATA_VAR: &str = "WICKR_ADMIN_REFERENCE_DATA";

/// The reference data folder [`REFERENCE_DATA_VAR`] names (a relative value is taken from the
/// workspace root), if it names one.
pub fn reference_dir() -> Option<PathBuf> {
    let named = PathBuf::from(std::env::var_os(REFERENCE_DATA_VAR).filter(|v| !v.is_empty())?);
    Some(if named.is_absolute() {
        named
    } else {
        crate::codegen::workspace_root().join(named)
    })
}

/// Runs the subcommand.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut shared = reference_dir();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--shared" => {
                shared = Some(PathBuf::from(
                    args.next().ok_or("--shared needs a directory")?,
                ));
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let shared = shared.ok_or_else(|| {
        format!(
            "no reference data directory: {REFERENCE_DATA_VAR} names none (run through cargo, \
             which sets it from .cargo/config.toml, or pass --shared DIR)"
        )
    })?;
    if !shared.is_dir() {
        return Err(format!(
            "the reference data directory {} does not exist; fixtures are derived from it \
             (pass --shared DIR to read it from elsewhere)",
            shared.display()
        ));
    }
    let root = crate::codegen::workspace_root();
    let fixtures = fixture_files(&shared)?;
    let runtime_data = runtime_data_files(&shared)?;
    // Both are derived before anything is written, so an unreadable reference file leaves the
    // committed copies as they were.
    let mut stale = Vec::new();
    for (dir, owned, files) in [
        (root.join(FIXTURES_DIR), Path::new(""), &fixtures),
        (
            root.join(RUNTIME_CRATE_DIR),
            Path::new("data"),
            &runtime_data,
        ),
    ] {
        stale.extend(crate::codegen::ensure_files(&dir, owned, files, check)?);
    }
    if check && !stale.is_empty() {
        return Err(format!(
            "fixtures differ from the reference data in {}; run `cargo xtask fixtures`. \
             Stale files:\n  {}",
            shared.display(),
            stale.join("\n  ")
        ));
    }
    if check {
        return Ok(());
    }
    println!(
        "{} fixture files and {} runtime data file(s) written, {} updated",
        fixtures.len(),
        runtime_data.len(),
        stale.len()
    );
    Ok(())
}

/// How much of each kind of reference data the fixtures hold, for their README.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    examples: usize,
    example_operations: usize,
    aws_models: usize,
    endpoint_files: usize,
    endpoint_cases: usize,
    input_suites: usize,
    input_cases: usize,
    output_suites: usize,
    output_cases: usize,
    sigv4_cases: usize,
}

/// Every file under `fixtures/`.
pub fn fixture_files(shared: &Path) -> Result<Vec<GeneratedFile>, String> {
    let mut files = Vec::new();
    let mut counts = Counts::default();

    let wickr = read_json(&shared.join("models/wickr.json"))?;
    let examples = wickr_examples(&wickr)?;
    counts.examples = examples.len();
    counts.example_operations = examples
        .iter()
        .filter_map(|e| e["operation"].as_str())
        .collect::<BTreeSet<_>>()
        .len();
    files.push(json_file("wickr/examples.json", Value::Array(examples))?);
    let mut endpoint_files = vec![("wickr".to_owned(), endpoint_cases(&wickr)?)];

    let aws_dir = shared.join("models/aws");
    for name in json_files_in(&aws_dir)? {
        let model = read_json(&aws_dir.join(&name))?;
        let service = name.trim_end_matches(".json").to_owned();
        endpoint_files.push((service, endpoint_cases(&model)?));
        files.push(json_file(
            &format!("models/aws/{name}"),
            prose::strip_model(model),
        )?);
        counts.aws_models += 1;
    }
    for (service, cases) in endpoint_files {
        counts.endpoint_files += 1;
        counts.endpoint_cases += cases["testCases"].as_array().map_or(0, Vec::len);
        files.push(json_file(&format!("endpoints/{service}.json"), cases)?);
    }

    for (name, suites, cases) in [
        ("input", &mut counts.input_suites, &mut counts.input_cases),
        (
            "output",
            &mut counts.output_suites,
            &mut counts.output_cases,
        ),
    ] {
        let path = shared
            .join("protocol-tests/rest-json")
            .join(format!("{name}.json"));
        let stripped = prose::strip_protocol_suites(read_json(&path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let list = stripped.as_array().map_or(&[][..], Vec::as_slice);
        *suites = list.len();
        *cases = list
            .iter()
            .map(|s| s["cases"].as_array().map_or(0, Vec::len))
            .sum();
        files.push(json_file(
            &format!("protocol-tests/rest-json/{name}.json"),
            stripped,
        )?);
    }

    let sigv4 = sigv4::cases(&shared.join("sigv4-testsuite"))?;
    counts.sigv4_cases = sigv4.as_array().map_or(0, Vec::len);
    files.push(json_file("sigv4/cases.json", sigv4)?);

    files.push(GeneratedFile {
        path: "README.md".to_owned(),
        contents: readme(&counts),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every file the command writes under the runtime's `data/`.
pub fn runtime_data_files(shared: &Path) -> Result<Vec<GeneratedFile>, String> {
    let partitions = read_json(&shared.join("endpoints/partitions.json"))?;
    Ok(vec![json_file(
        "data/partitions.json",
        prose::strip_partitions(partitions),
    )?])
}

fn readme(c: &Counts) -> String {
    format!(
        "\
# Test fixtures

Facts-only copies of the reference data the tests need, so the test suite runs on a clone with
nothing beside it. `cargo xtask fixtures` writes them from the reference data (the folder
`WICKR_ADMIN_REFERENCE_DATA` names, which `.cargo/config.toml` sets to the one beside the
repository, or `--shared DIR`). `cargo xtask fixtures --check`, and the test
`xtask/tests/fixtures_fresh.rs` when the reference data is present, fail naming each file that
differs from what the reference data gives. Do not edit them by hand. Every documentation string,
title and description is left out; objects have their keys sorted.

| path | what | derived from |
|---|---|---|
| `wickr/examples.json` | the {examples} request/response examples of the Wickr model, on {example_operations} operations, in model order: each one's operation, input, and output or error | `smithy.api#examples` of the AWS-published Wickr model (Apache-2.0) |
| `endpoints/<service>.json` | {endpoint_files} services' endpoint rule sets, each as `{{service, ruleSet, testCases}}`, with {endpoint_cases} endpoint test cases between them | `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests` of the Wickr model and of each model under `models/aws/` |
| `models/aws/*.json` | {aws_models} AWS restJson1 service models (Smithy JSON AST) | aws/api-models-aws (Apache-2.0) |
| `protocol-tests/rest-json/input.json`, `output.json` | the restJson1 protocol tests in botocore's format, with their Smithy test ids: {input_cases} request cases in {input_suites} suites, {output_cases} response cases in {output_suites} suites (`cargo xtask codegen` converts them into the Smithy model `crates/protocol-tests/model/rest-json.json`) | botocore 1.43.11 (Apache-2.0) |
| `sigv4/cases.json` | the AWS SigV4 test suite's {sigv4_cases} cases: each one's request, canonical request, string to sign, authorization header and signed request (service `service`, region `us-east-1`, date 20150830T123600Z, key `AKIDEXAMPLE`, secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`; the session-token cases carry the token in their request, and `post-sts-token/post-sts-header-after` adds it after signing) | botocore 1.43.11's copy of the AWS SigV4 test suite (Apache-2.0) |

The runtime's partition data (`crates/restjson-runtime/data/partitions.json`, the AWS partitions
that the endpoint rules function `aws.partition` reads, from botocore 1.43.11, Apache-2.0) is
written by the same command.
",
        examples = c.examples,
        example_operations = c.example_operations,
        endpoint_files = c.endpoint_files,
        endpoint_cases = c.endpoint_cases,
        aws_models = c.aws_models,
        input_cases = c.input_cases,
        input_suites = c.input_suites,
        output_cases = c.output_cases,
        output_suites = c.output_suites,
        sigv4_cases = c.sigv4_cases,
    )
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn json_files_in(dir: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(format!("no .json files in {}", dir.display()));
    }
    names.sort();
    Ok(names)
}

/// A fixture file: two-space indented JSON with every object's keys sorted (whether or not
/// serde_json keeps insertion order in this build), refused if a prose trait is left in it.
fn json_file(path: &str, mut value: Value) -> Result<GeneratedFile, String> {
    let left = prose::prose_traits_left(&value);
    if !left.is_empty() {
        return Err(format!(
            "fixture {path} would keep documentation at {} place(s), e.g. {}",
            left.len(),
            left[0]
        ));
    }
    value.sort_all_objects();
    let mut contents = serde_json::to_string_pretty(&value)
        .map_err(|e| format!("cannot write fixture {path} as JSON: {e}"))?;
    contents.push('\n');
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
}

/// The one service shape of a model, with its id.
fn service_shape(model: &Value) -> Result<(&String, &Value), String> {
    let shapes = model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or("model has no shapes")?;
    let mut services = shapes.iter().filter(|(_, s)| s["type"] == "service");
    let service = services.next().ok_or("model has no service shape")?;
    if services.next().is_some() {
        return Err("model has more than one service shape".to_owned());
    }
    Ok(service)
}

/// `{service, ruleSet, testCases}` of a model's service, without prose.
fn endpoint_cases(model: &Value) -> Result<Value, String> {
    let (id, service) = service_shape(model)?;
    let traits = &service["traits"];
    let mut rule_set = traits
        .get("smithy.rules#endpointRuleSet")
        .cloned()
        .ok_or_else(|| format!("{id} has no endpoint rule set"))?;
    let mut cases = traits
        .get("smithy.rules#endpointTests")
        .and_then(|t| t.get("testCases"))
        .filter(|c| c.is_array())
        .cloned()
        .ok_or_else(|| format!("{id} has no list of endpoint test cases"))?;
    prose::strip_rule_set(&mut rule_set);
    prose::strip_endpoint_cases(&mut cases);
    let mut out = Map::new();
    out.insert("service".to_owned(), Value::String(id.clone()));
    out.insert("ruleSet".to_owned(), rule_set);
    out.insert("testCases".to_owned(), cases);
    Ok(Value::Object(out))
}

/// Every `smithy.api#examples` entry of the Wickr model, without its title and documentation,
/// with the name of its `operation` added: operations in shape-id order, examples in model order.
fn wickr_examples(model: &Value) -> Result<Vec<Value>, String> {
    let shapes = model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or("the Wickr model has no shapes")?;
    let mut out = Vec::new();
    for (id, shape) in shapes {
        let Some(examples) = shape
            .get("traits")
            .and_then(|t| t.get("smithy.api#examples"))
        else {
            continue;
        };
        if shape["type"] != "operation" {
            return Err(format!("{id} has examples but is not an operation"));
        }
        let examples = examples
            .as_array()
            .ok_or_else(|| format!("the examples of {id} are not a list"))?;
        let operation = id.rsplit_once('#').map_or(id.as_str(), |(_, name)| name);
        for example in examples {
            let mut entry = example.clone();
            prose::strip_example(&mut entry);
            let Some(fields) = entry.as_object_mut() else {
                return Err(format!("an example of {id} is not an object"));
            };
            if fields.contains_key("operation") {
                return Err(format!(
                    "an example of {id} has an `operation` key, which the fixture uses for \
                     the operation's name"
                ));
            }
            fields.insert("operation".to_owned(), Value::String(operation.to_owned()));
            out.push(entry);
        }
    }
    Ok(out)
}
