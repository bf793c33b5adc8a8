//! Every `smithy.rules#endpointTests` case of the published model, read from
//! `fixtures/endpoints/wickr.json` (written from the published model by `cargo xtask fixtures`).

use std::path::PathBuf;

use wickr_admin::endpoint::{resolve_endpoint, EndpointParams};

const SERVICE_SHAPE: &str = "com.amazonaws.wickr#WickrAdminApi";

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/endpoints/wickr.json")
}

#[test]
fn all_endpoint_test_cases_of_the_reference_model_pass() {
    let path = fixture_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("{} cannot be read: {e}", path.display()),
    };
    let fixture: serde_json::Value = match serde_json::from_str(&text) {
        Ok(fixture) => fixture,
        Err(e) => panic!("{} is not JSON: {e}", path.display()),
    };
    assert_eq!(
        fixture["service"],
        SERVICE_SHAPE,
        "{} holds another service's cases",
        path.display()
    );
    let cases = fixture["testCases"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        cases.len(),
        21,
        "expected the model's 21 endpoint test cases"
    );

    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
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
            _ => failures.push(format!(
                "case {} with {params}: expected {expect}, got {got:?}",
                index + 1
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}
