//! `cargo xtask fixtures [--check]`: derives the committed test fixtures, and the runtime's
//! partition data, from the reference data beside the workspace (`../shared`).
//!
//! Fixtures hold facts only: every documentation string, title and description is left out, so
//! the repository carries the shapes, cases and vectors its tests need and none of the prose.
//! The files are written deterministically (objects with sorted keys, two-space indentation), so
//! `--check` can tell whether the committed copies still match the reference data.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::GeneratedFile;
use serde_json::{Map, Value};

/// Where test fixtures go, relative to the workspace root.
pub const FIXTURES_DIR: &str = "fixtures";
/// Where the runtime's data files go, relative to the workspace root.
pub const RUNTIME_DATA_DIR: &str = "crates/restjson-runtime/data";

/// The reference data directory: `../shared` beside the workspace.
pub fn reference_dir() -> PathBuf {
    crate::codegen::workspace_root().join("..").join("shared")
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
                shared = PathBuf::from(args.next().ok_or("--shared needs a directory")?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !shared.is_dir() {
        return Err(format!(
            "the reference data directory {} does not exist; fixtures are derived from it",
            shared.display()
        ));
    }
    let root = crate::codegen::workspace_root();
    let outputs = [
        (root.join(FIXTURES_DIR), fixture_files(&shared)?),
        (root.join(RUNTIME_DATA_DIR), runtime_data_files(&shared)?),
    ];
    let mut stale = Vec::new();
    for (dir, files) in &outputs {
        stale.extend(crate::codegen::stale_paths(dir, files)?);
    }
    if check {
        if stale.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "fixtures differ from the reference data in {}; run `cargo xtask fixtures`. \
             Stale files:\n  {}",
            shared.display(),
            stale.join("\n  ")
        ));
    }
    for (dir, files) in &outputs {
        crate::codegen::write(dir, files)?;
    }
    println!("fixtures written, {} updated", stale.len());
    Ok(())
}

/// Every file under `fixtures/`.
pub fn fixture_files(shared: &Path) -> Result<Vec<GeneratedFile>, String> {
    let mut files = vec![GeneratedFile {
        path: "README.md".to_owned(),
        contents: README.to_owned(),
    }];

    let wickr = read_json(&shared.join("models/wickr.json"))?;
    files.push(json_file("wickr/examples.json", &wickr_examples(&wickr)?));
    files.push(json_file("endpoints/wickr.json", &endpoint_cases(&wickr)?));

    let aws_dir = shared.join("models/aws");
    for name in json_files_in(&aws_dir)? {
        let model = read_json(&aws_dir.join(&name))?;
        let service = name.trim_end_matches(".json");
        files.push(json_file(
            &format!("endpoints/{service}.json"),
            &endpoint_cases(&model)?,
        ));
        files.push(json_file(
            &format!("models/aws/{name}"),
            &strip_model(model),
        ));
    }

    for name in ["input.json", "output.json"] {
        let suites = read_json(&shared.join("protocol-tests/rest-json").join(name))?;
        files.push(json_file(
            &format!("protocol-tests/rest-json/{name}"),
            &strip_protocol_suites(suites)?,
        ));
    }

    files.push(json_file(
        "sigv4/cases.json",
        &sigv4_cases(&shared.join("sigv4-testsuite"))?,
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every file under the runtime's `data/`.
pub fn runtime_data_files(shared: &Path) -> Result<Vec<GeneratedFile>, String> {
    let partitions = read_json(&shared.join("endpoints/partitions.json"))?;
    Ok(vec![json_file(
        "partitions.json",
        &strip_partitions(partitions),
    )])
}

const README: &str = "\
# Test fixtures

Facts-only copies of the reference data the tests need, so the test suite runs on a clone with
nothing beside it. They are written by `cargo xtask fixtures` from the reference data and checked
against it by `cargo xtask fixtures --check` (and by a test, when the reference data is present).
Do not edit them by hand. Every documentation string, title and description is left out; objects
have their keys sorted.

| path | what | derived from |
|---|---|---|
| `wickr/examples.json` | the 110 request/response examples of the Wickr model: operation, input, output or error | `smithy.api#examples` of the AWS-published Wickr model (Apache-2.0) |
| `endpoints/<service>.json` | a service's endpoint rule set and its endpoint test cases | `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests` of the Wickr model and of each model under `models/aws/` |
| `models/aws/*.json` | ten AWS restJson1 service models (Smithy JSON AST) | aws/api-models-aws (Apache-2.0) |
| `protocol-tests/rest-json/{input,output}.json` | the restJson1 protocol test suites, in botocore's format, with their Smithy test ids | botocore 1.43.11 (Apache-2.0) |
| `sigv4/cases.json` | the AWS SigV4 test suite: each case's request, canonical request, string to sign, authorization header and signed request (service `service`, region `us-east-1`, date 20150830T123600Z, key `AKIDEXAMPLE`, secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`) | botocore 1.43.11's copy of the AWS SigV4 test suite (Apache-2.0) |

The runtime's partition data (`crates/restjson-runtime/data/partitions.json`, the AWS partitions
that the endpoint rules function `aws.partition` reads, from botocore 1.43.11, Apache-2.0) is
written by the same command.
";

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
    names.sort();
    Ok(names)
}

fn json_file(path: &str, value: &Value) -> GeneratedFile {
    let mut contents = serde_json::to_string_pretty(value).unwrap_or_default();
    contents.push('\n');
    GeneratedFile {
        path: path.to_owned(),
        contents,
    }
}

const DOC_TRAITS: [&str; 3] = [
    "smithy.api#documentation",
    "smithy.api#title",
    "smithy.api#externalDocumentation",
];

/// Removes the prose keys of one object.
fn strip_keys(value: &mut Value, keys: &[&str]) {
    if let Some(map) = value.as_object_mut() {
        for key in keys {
            map.remove(*key);
        }
    }
}

/// Applies `f` to every element of a list.
fn each(value: Option<&mut Value>, f: impl FnMut(&mut Value)) {
    if let Some(items) = value.and_then(Value::as_array_mut) {
        items.iter_mut().for_each(f);
    }
}

/// Removes the `documentation` of an endpoint rule and of the rules nested in it.
fn strip_rule(rule: &mut Value) {
    strip_keys(rule, &["documentation"]);
    each(rule.get_mut("rules"), strip_rule);
}

/// An endpoint rule set without prose: parameter and rule documentation.
fn strip_rule_set(rule_set: &mut Value) {
    if let Some(params) = rule_set
        .get_mut("parameters")
        .and_then(Value::as_object_mut)
    {
        for param in params.values_mut() {
            strip_keys(param, &["documentation"]);
        }
    }
    each(rule_set.get_mut("rules"), strip_rule);
}

/// Removes documentation traits, and the prose inside the traits known to carry some. Only
/// known places are touched: a member called `description` in an example's input keeps its name.
fn strip_traits(traits: &mut Map<String, Value>) {
    for name in DOC_TRAITS {
        traits.remove(name);
    }
    each(traits.get_mut("smithy.api#examples"), |example| {
        strip_keys(example, &["title", "documentation"])
    });
    each(traits.get_mut("smithy.api#enum"), |entry| {
        strip_keys(entry, &["documentation"])
    });
    if let Some(action) = traits.get_mut("aws.iam#iamAction") {
        strip_keys(action, &["documentation"]);
    }
    if let Some(rule_set) = traits.get_mut("smithy.rules#endpointRuleSet") {
        strip_rule_set(rule_set);
    }
    if let Some(tests) = traits.get_mut("smithy.rules#endpointTests") {
        each(tests.get_mut("testCases"), |case| {
            strip_keys(case, &["documentation"])
        });
    }
    if let Some(waiters) = traits
        .get_mut("smithy.waiters#waitable")
        .and_then(Value::as_object_mut)
    {
        for waiter in waiters.values_mut() {
            strip_keys(waiter, &["documentation"]);
        }
    }
}

/// A Smithy JSON AST model without its prose. Member names are never touched: only trait maps
/// are, so a member called `description` keeps its name.
fn strip_model(mut model: Value) -> Value {
    if let Some(shapes) = model.get_mut("shapes").and_then(Value::as_object_mut) {
        for shape in shapes.values_mut() {
            if let Some(traits) = shape.get_mut("traits").and_then(Value::as_object_mut) {
                strip_traits(traits);
            }
            if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
                for member in members.values_mut() {
                    if let Some(traits) = member.get_mut("traits").and_then(Value::as_object_mut) {
                        strip_traits(traits);
                    }
                }
            }
            for key in ["member", "key", "value"] {
                if let Some(traits) = shape
                    .get_mut(key)
                    .and_then(|m| m.get_mut("traits"))
                    .and_then(Value::as_object_mut)
                {
                    strip_traits(traits);
                }
            }
        }
    }
    model
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
        .cloned()
        .ok_or_else(|| format!("{id} has no endpoint tests"))?;
    strip_rule_set(&mut rule_set);
    each(Some(&mut cases), |case| {
        strip_keys(case, &["documentation"])
    });
    let mut out = Map::new();
    out.insert("service".to_owned(), Value::String(id.clone()));
    out.insert("ruleSet".to_owned(), rule_set);
    out.insert("testCases".to_owned(), cases);
    Ok(Value::Object(out))
}

/// Every `smithy.api#examples` entry of the Wickr model as `{operation, input, output | error}`,
/// operations in shape-id order and examples in model order.
fn wickr_examples(model: &Value) -> Result<Value, String> {
    let shapes = model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or("the Wickr model has no shapes")?;
    let mut out = Vec::new();
    for (id, shape) in shapes {
        let Some(examples) = shape
            .get("traits")
            .and_then(|t| t.get("smithy.api#examples"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let operation = id.rsplit('#').next().unwrap_or(id);
        for example in examples {
            let mut entry = Map::new();
            entry.insert("operation".to_owned(), Value::String(operation.to_owned()));
            for key in ["input", "output", "error", "allowConstraintErrors"] {
                if let Some(value) = example.get(key) {
                    entry.insert(key.to_owned(), value.clone());
                }
            }
            out.push(Value::Object(entry));
        }
    }
    Ok(Value::Array(out))
}

/// botocore protocol test suites without prose: suite and case descriptions, `documentation` of
/// operations, shapes and members. Member names are never touched.
fn strip_protocol_suites(mut suites: Value) -> Result<Value, String> {
    let list = suites
        .as_array_mut()
        .ok_or("a protocol test file must be a list of suites")?;
    for suite in list {
        let Some(suite) = suite.as_object_mut() else {
            return Err("a protocol test suite must be an object".to_owned());
        };
        suite.remove("description");
        if let Some(shapes) = suite.get_mut("shapes").and_then(Value::as_object_mut) {
            for shape in shapes.values_mut() {
                if let Some(shape) = shape.as_object_mut() {
                    shape.remove("documentation");
                    if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
                        for member in members.values_mut() {
                            if let Some(member) = member.as_object_mut() {
                                member.remove("documentation");
                            }
                        }
                    }
                }
            }
        }
        if let Some(cases) = suite.get_mut("cases").and_then(Value::as_array_mut) {
            for case in cases {
                if let Some(case) = case.as_object_mut() {
                    case.remove("description");
                    if let Some(given) = case.get_mut("given").and_then(Value::as_object_mut) {
                        given.remove("documentation");
                    }
                }
            }
        }
    }
    Ok(suites)
}

/// The SigV4 test suite's cases: `{name, req, creq, sts, authz, sreq}`, where `name` is the
/// case's folder relative to the suite (`get-vanilla`, `normalize-path/get-slash`).
fn sigv4_cases(dir: &Path) -> Result<Value, String> {
    let mut cases = Vec::new();
    collect_sigv4_cases(dir, "", &mut cases)?;
    cases.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(Value::Array(cases))
}

fn collect_sigv4_cases(dir: &Path, prefix: &str, out: &mut Vec<Value>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for case_dir in entries {
        let name = case_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let full = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let req = case_dir.join(format!("{name}.req"));
        if !req.is_file() {
            // A folder of cases, like `normalize-path`.
            collect_sigv4_cases(&case_dir, &full, out)?;
            continue;
        }
        let mut case = Map::new();
        case.insert("name".to_owned(), Value::String(full));
        for ext in ["req", "creq", "sts", "authz", "sreq"] {
            let path = case_dir.join(format!("{name}.{ext}"));
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            case.insert(ext.to_owned(), Value::String(text));
        }
        out.push(Value::Object(case));
    }
    Ok(())
}

/// Partition data without region descriptions (the region names stay as keys).
fn strip_partitions(mut partitions: Value) -> Value {
    if let Some(list) = partitions
        .get_mut("partitions")
        .and_then(Value::as_array_mut)
    {
        for partition in list {
            if let Some(regions) = partition.get_mut("regions").and_then(Value::as_object_mut) {
                for region in regions.values_mut() {
                    if let Some(region) = region.as_object_mut() {
                        region.remove("description");
                    }
                }
            }
        }
    }
    partitions
}
