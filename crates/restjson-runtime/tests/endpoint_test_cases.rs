//! Every endpoint test case (`smithy.rules#endpointTests`) of the Wickr model and of the ten AWS
//! models under `fixtures/models/aws/`, run against their rule sets: an expected endpoint is
//! compared by URL, properties and headers; an expected error by its exact message.
//!
//! A test case's expectation depends on the partition data its model was published with. The
//! Wickr model's cases hold with the data this crate carries (`data/partitions.json`, botocore
//! 1.43.11). The ten AWS models (aws/api-models-aws at 56c8953) were published when the ISO
//! partitions and `aws-eusc` had no dual-stack endpoints: `supportsDualStack` was false and
//! `dualStackDnsSuffix` equal to `dnsSuffix`. Their cases run against that table, which
//! `table_of_the_aws_models` derives from the carried one by exactly that change.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use restjson_runtime::endpoint::{ParamValue, Params, Partitions, ResolveError, RuleSet};
use serde_json::{Map, Value};

/// The partitions whose dual-stack facts changed after the ten AWS models were published.
const PARTITIONS_WITHOUT_DUAL_STACK_THEN: [&str; 5] =
    ["aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/endpoints")
}

/// The partition table of the ten AWS models' time: the carried data with the dual-stack facts
/// of `PARTITIONS_WITHOUT_DUAL_STACK_THEN` as they were.
fn table_of_the_aws_models() -> Partitions {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/partitions.json");
    let mut data: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut changed = 0;
    for partition in data["partitions"].as_array_mut().unwrap() {
        if PARTITIONS_WITHOUT_DUAL_STACK_THEN.contains(&partition["id"].as_str().unwrap()) {
            let outputs = partition["outputs"].as_object_mut().unwrap();
            outputs.insert("supportsDualStack".into(), Value::Bool(false));
            let dns_suffix = outputs["dnsSuffix"].clone();
            outputs.insert("dualStackDnsSuffix".into(), dns_suffix);
            changed += 1;
        }
    }
    assert_eq!(changed, PARTITIONS_WITHOUT_DUAL_STACK_THEN.len());
    Partitions::from_json(&data.to_string()).unwrap()
}

/// The fixture files, by name, with their parsed JSON.
fn fixture_files() -> Vec<(String, Value)> {
    let mut files: Vec<_> = fs::read_dir(fixtures())
        .expect("fixtures/endpoints is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).expect("fixture is readable");
            let json = serde_json::from_str(&text).expect("fixture is JSON");
            (name, json)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn params_of(case: &Value) -> Params {
    let mut params = Params::new();
    let given = case.get("params").and_then(Value::as_object);
    for (name, value) in given.into_iter().flatten() {
        let value = match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Boolean(*b),
            Value::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|i| i.as_str().expect("string array").to_owned())
                    .collect(),
            ),
            other => panic!("parameter {name} has an unexpected value {other}"),
        };
        params.set(name.clone(), value);
    }
    params
}

/// Runs every case of one fixture against `partitions` (the built-in table when `None`);
/// returns how many ran and the description of each failure.
fn run_cases(name: &str, fixture: &Value, partitions: Option<&Partitions>) -> (usize, Vec<String>) {
    let rule_set = RuleSet::from_value(&fixture["ruleSet"])
        .unwrap_or_else(|e| panic!("{name}: the rule set does not parse: {e}"));
    let cases = fixture["testCases"]
        .as_array()
        .expect("testCases is a list");
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let expect = &case["expect"];
        let params = params_of(case);
        let outcome = match partitions {
            Some(partitions) => rule_set.resolve_with_partitions(&params, partitions),
            None => rule_set.resolve(&params),
        };
        let at = format!("{name} case {index} ({})", case["params"]);
        match (outcome, expect.get("endpoint"), expect.get("error")) {
            (Ok(endpoint), Some(expected), None) => {
                let empty = Value::Object(Map::new());
                let expected_headers: BTreeMap<String, Vec<String>> =
                    serde_json::from_value(expected.get("headers").unwrap_or(&empty).clone())
                        .expect("expected headers are lists of strings");
                let expected_properties = expected.get("properties").unwrap_or(&empty);
                if endpoint.url() != expected["url"]
                    || endpoint.headers() != &expected_headers
                    || &Value::Object(endpoint.properties().clone()) != expected_properties
                {
                    failures.push(format!("{at}: expected {expected}, resolved {endpoint:?}"));
                }
            }
            (Err(ResolveError::Rule { message }), None, Some(expected)) => {
                if message != *expected {
                    failures.push(format!(
                        "{at}: expected the error {expected}, got {message:?}"
                    ));
                }
            }
            (outcome, _, _) => {
                failures.push(format!("{at}: expected {expect}, got {outcome:?}"));
            }
        }
    }
    (cases.len(), failures)
}

#[test]
fn every_endpoint_test_case_of_every_model_passes() {
    let files = fixture_files();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        files.len(),
        11,
        "the Wickr model and ten AWS models: {names:?}"
    );

    let then = table_of_the_aws_models();
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, fixture) in &files {
        let partitions = (name != "wickr.json").then_some(&then);
        let (count, mut failed) = run_cases(name, fixture, partitions);
        assert!(count > 0, "{name} has no test cases");
        total += count;
        failures.append(&mut failed);
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(total, 317, "the number of test cases across the fixtures");
}

#[test]
fn the_wickr_model_has_its_21_cases() {
    let files = fixture_files();
    let (_, wickr) = files
        .iter()
        .find(|(name, _)| name == "wickr.json")
        .expect("fixtures/endpoints/wickr.json");
    assert_eq!(wickr["service"], "com.amazonaws.wickr#WickrAdminApi");
    let (count, failures) = run_cases("wickr.json", wickr, None);
    assert_eq!(count, 21);
    assert_eq!(failures, Vec::<String>::new());
    // They hold with the older table too: none of them asks for dual-stack in those partitions.
    let (_, failures) = run_cases("wickr.json", wickr, Some(&table_of_the_aws_models()));
    assert_eq!(failures, Vec::<String>::new());
}

/// With the partition data this crate carries, the ten AWS models' cases differ exactly where
/// the dual-stack facts changed: every differing case is in one of those partitions, and the
/// count is the one the report gives. When the models are refreshed to a publication that
/// matches the carried data, this fails, and `table_of_the_aws_models` can go.
#[test]
fn the_aws_models_differ_from_the_carried_partition_data_only_on_dual_stack() {
    let partitions = Partitions::built_in().unwrap();
    let mut differing = 0;
    for (name, fixture) in fixture_files() {
        if name == "wickr.json" {
            continue;
        }
        let (_, failures) = run_cases(&name, &fixture, Some(partitions));
        for failure in &failures {
            let in_changed_partition = ["us-iso-", "us-isob-", "eu-isoe-", "us-isof-", "eusc-"]
                .iter()
                .any(|prefix| failure.contains(&format!("\"Region\":\"{prefix}")));
            assert!(
                in_changed_partition,
                "differs for another reason: {failure}"
            );
        }
        differing += failures.len();
    }
    assert_eq!(differing, 52);
}

#[test]
fn auth_schemes_of_a_fixture_read_as_typed_values() {
    let files = fixture_files();
    let (_, fixture) = files
        .iter()
        .find(|(name, _)| name.starts_with("backupsearch"))
        .expect("the backupsearch fixture");
    let rule_set = RuleSet::from_value(&fixture["ruleSet"]).unwrap();
    let endpoint = rule_set
        .resolve(
            &Params::new()
                .with("Region", "cn-northwest-1")
                .with("UseFIPS", true),
        )
        .unwrap();
    assert_eq!(
        endpoint.url(),
        "https://backup-search-fips.cn-northwest-1.api.amazonwebservices.com.cn"
    );
    let sigv4 = endpoint.auth_scheme("sigv4").expect("a sigv4 scheme");
    assert_eq!(sigv4.signing_region(), Some("cn-northwest-1"));
    assert_eq!(sigv4.signing_name(), None);
    assert!(!sigv4.disable_double_encoding());
    assert_eq!(endpoint.auth_schemes().count(), 1);
}
