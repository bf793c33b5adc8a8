//! Every `smithy.rules#endpointTests` case of the reference model, read from the model file.

use std::path::PathBuf;

use wickr_admin::endpoint::{resolve_endpoint, EndpointParams};

const SERVICE_SHAPE: &str = "com.amazonaws.wickr#WickrAdminApi";

fn reference_model_path() -> PathBuf {
    // <workspace>/../shared/models/wickr.json
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models/wickr.json")
}

#[test]
fn all_endpoint_test_cases_of_the_reference_model_pass() {
    let path = reference_model_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "the reference model is needed for this test and could not be read at {}: {e}",
            path.display()
        ),
    };
    let model: serde_json::Value = match serde_json::from_str(&text) {
        Ok(model) => model,
        Err(e) => panic!("{} is not JSON: {e}", path.display()),
    };
    let cases = model["shapes"][SERVICE_SHAPE]["traits"]["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        cases.len(),
        21,
        "expected the model's 21 endpoint test cases"
    );

    let mut failures = Vec::new();
    for case in &cases {
        let doc = case["documentation"]
            .as_str()
            .unwrap_or("(undocumented case)");
        let params = &case["params"];
        let input = EndpointParams {
            region: params["Region"].as_str().map(str::to_string),
            use_fips: params["UseFIPS"].as_bool().unwrap_or(false),
            use_dual_stack: params["UseDualStack"].as_bool().unwrap_or(false),
            endpoint: params["Endpoint"].as_str().map(str::to_string),
        };
        let got = resolve_endpoint(&input);
        let expect = &case["expect"];
        match (
            expect["endpoint"]["url"].as_str(),
            expect["error"].as_str(),
            &got,
        ) {
            (Some(url), _, Ok(resolved)) if resolved == url => {}
            (None, Some(error), Err(e)) if e.message() == error => {}
            _ => failures.push(format!("{doc}: expected {expect}, got {got:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}
