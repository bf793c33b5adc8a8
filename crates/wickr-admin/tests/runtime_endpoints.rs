//! Every `smithy.rules#endpointTests` case of the published model, read from
//! `fixtures/endpoints/wickr.json` (written from the published model by `cargo xtask fixtures`),
//! through the crate's public endpoint API (`config::endpoint`), as with the official crate;
//! and the endpoint override, by configuration and by `AWS_ENDPOINT_URL_WICKR`, on the call path.

mod runtime_support;

use std::path::PathBuf;

use runtime_support::at_once::at_once;
use wickr_admin::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};

const SERVICE_SHAPE: &str = "com.amazonaws.wickr#WickrAdminApi";

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/endpoints/wickr.json")
}

/// Resolves with the default resolver, which answers at once.
fn resolve(params: &Params) -> Result<String, String> {
    let resolver = DefaultResolver::new();
    at_once(resolver.resolve_endpoint(params))?
        .map(|endpoint| endpoint.url().to_owned())
        .map_err(|e| e.to_string())
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
        let given = &case["params"];
        let params = Params::builder()
            .set_region(given["Region"].as_str().map(str::to_string))
            .set_use_fips(given["UseFIPS"].as_bool())
            .set_use_dual_stack(given["UseDualStack"].as_bool())
            .set_endpoint(given["Endpoint"].as_str().map(str::to_string))
            .build();
        let got = match params {
            Ok(params) => resolve(&params),
            Err(e) => Err(format!("parameters refused: {e}")),
        };
        let expect = &case["expect"];
        match (
            expect["endpoint"]["url"].as_str(),
            expect["error"].as_str(),
            &got,
        ) {
            (Some(url), _, Ok(resolved)) if resolved == url => {}
            (None, Some(error), Err(e)) if e == error => {}
            _ => failures.push(format!(
                "case {} with {given}: expected {expect}, got {got:?}",
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

#[test]
fn a_region_that_is_not_a_host_label_is_refused_by_the_parameters() {
    let err = Params::builder()
        .region("us-east-1/../evil")
        .build()
        .expect_err("not a host label");
    assert_eq!(
        err.to_string(),
        "invalid value for field: `region` - must be a valid host label"
    );
}

#[test]
fn the_configuration_resolves_through_the_rules_it_carries() {
    let config = wickr_admin::Config::builder()
        .region(wickr_admin::config::Region::new("eu-central-1"))
        .build();
    // What the client would use: the configured resolver, else the rules.
    let resolver = config.endpoint_resolver();
    let params = aws_smithy_runtime_api::client::endpoint::EndpointResolverParams::new(
        Params::builder()
            .region("eu-central-1")
            .build()
            .expect("valid"),
    );
    let future = aws_smithy_runtime_api::client::endpoint::ResolveEndpoint::resolve_endpoint(
        &resolver, &params,
    );
    match at_once(future) {
        Ok(Ok(endpoint)) => {
            assert_eq!(
                endpoint.url(),
                "https://admin.wickr.eu-central-1.amazonaws.com"
            )
        }
        other => panic!("expected the regional endpoint, got {other:?}"),
    }
}
