//! A rule set is checked when it is parsed: each mistake is an error that names where it is and
//! what is wrong, before any resolution.

use restjson_runtime::endpoint::RuleSet;
use serde_json::{json, Value};

/// A rule set with the usual parameters around `rules`.
fn with_rules(rules: Value) -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region"},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false},
            "Endpoint": {"type": "String"}
        },
        "rules": rules
    })
}

/// A rule set whose one endpoint rule has `conditions` and `endpoint`.
fn with_endpoint(conditions: Value, endpoint: Value) -> Value {
    with_rules(json!([{"type": "endpoint", "conditions": conditions, "endpoint": endpoint}]))
}

fn partition_condition() -> Value {
    json!({"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"})
}

/// Parses `rule_set`, expecting an error at `location` whose message holds `reason`.
fn refused(rule_set: Value, location: &str, reason: &str) {
    let error = RuleSet::from_value(&rule_set).expect_err("the rule set should be refused");
    assert_eq!(error.location(), location, "{error}");
    assert!(error.message().contains(reason), "{error}");
    assert!(error.to_string().contains(location), "{error}");
}

#[test]
fn a_well_formed_rule_set_parses() {
    let rule_set = RuleSet::from_value(&with_endpoint(
        json!([partition_condition()]),
        json!({"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}"}),
    ))
    .unwrap();
    let names: Vec<_> = rule_set.parameters().iter().map(|p| p.name()).collect();
    assert_eq!(names, ["Endpoint", "Region", "UseFIPS"]);
    let region = rule_set.parameter("Region").unwrap();
    assert_eq!(region.built_in(), Some("AWS::Region"));
    assert!(!region.is_required());
    let fips = rule_set.parameter("UseFIPS").unwrap();
    assert!(fips.is_required());
    assert_eq!(fips.default_value(), Some(&false.into()));
    assert_eq!(rule_set.built_in_parameters("AWS::Region").count(), 1);
}

#[test]
fn an_unknown_function_is_named() {
    refused(
        with_endpoint(
            json!([{"fn": "aws.partitoin", "argv": [{"ref": "Region"}]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].fn",
        "unknown function `aws.partitoin`",
    );
    // Nested in an argument, too.
    refused(
        with_endpoint(
            json!([{"fn": "not", "argv": [{"fn": "coalesce", "argv": []}]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[0].fn",
        "unknown function `coalesce`",
    );
}

#[test]
fn a_reference_to_an_undeclared_name_is_named() {
    refused(
        with_endpoint(
            json!([{"fn": "isSet", "argv": [{"ref": "Regoin"}]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[0]",
        "`Regoin` is not a declared parameter",
    );
    refused(
        with_endpoint(json!([]), json!({"url": "https://{Regoin}.example.com"})),
        "rules[0].endpoint.url",
        "`Regoin` is not a declared parameter",
    );
    refused(
        with_rules(json!([{"type": "error", "conditions": [], "error": {"ref": "Nothing"}}])),
        "rules[0].error",
        "`Nothing` is not a declared parameter",
    );
}

#[test]
fn variables_are_seen_by_later_conditions_and_nested_rules_only() {
    // A tree's variable reaches the rules inside it.
    let nested = with_rules(json!([{
        "type": "tree",
        "conditions": [partition_condition()],
        "rules": [{"type": "endpoint", "conditions": [],
                   "endpoint": {"url": "https://a.{PartitionResult#dnsSuffix}"}}]
    }]));
    RuleSet::from_value(&nested).unwrap();

    // An endpoint rule's variable does not reach the next rule.
    refused(
        with_rules(json!([
            {"type": "endpoint", "conditions": [partition_condition()],
             "endpoint": {"url": "https://a.{PartitionResult#dnsSuffix}"}},
            {"type": "endpoint", "conditions": [],
             "endpoint": {"url": "https://b.{PartitionResult#dnsSuffix}"}}
        ])),
        "rules[1].endpoint.url",
        "`PartitionResult` is not a declared parameter, nor a variable",
    );

    // A variable cannot be used before the condition that assigns it.
    refused(
        with_endpoint(
            json!([
                {"fn": "booleanEquals", "argv": [
                    {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}, true]},
                partition_condition()
            ]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[0].argv[0]",
        "`PartitionResult` is not a declared parameter",
    );
}

#[test]
fn an_assignment_cannot_hide_a_name_in_scope() {
    refused(
        with_endpoint(
            json!([{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "Region"}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].assign",
        "`Region` is already a parameter or a variable in scope",
    );
}

#[test]
fn arguments_must_have_the_types_their_functions_take() {
    refused(
        with_endpoint(
            json!([{"fn": "booleanEquals", "argv": [{"ref": "Region"}, true]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[0]",
        "`booleanEquals` takes a boolean here, not a string",
    );
    refused(
        with_endpoint(
            json!([{"fn": "substring", "argv": [{"ref": "Region"}, 0, "4", false]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[2]",
        "`substring` takes an integer here, not a string",
    );
    refused(
        with_endpoint(
            json!([{"fn": "substring", "argv": [{"ref": "Region"}, 0, 2.5, false]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[2]",
        "2.5 is not an integer",
    );
    refused(
        with_endpoint(json!([]), json!({"url": {"ref": "UseFIPS"}})),
        "rules[0].endpoint.url",
        "expected a string, found a boolean",
    );
}

#[test]
fn a_function_takes_its_number_of_arguments() {
    refused(
        with_endpoint(
            json!([{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv",
        "`isValidHostLabel` takes 2 argument(s), 1 given",
    );
}

#[test]
fn attribute_paths_are_checked_against_what_they_read() {
    refused(
        with_endpoint(
            json!([partition_condition()]),
            json!({"url": "https://svc.{PartitionResult#dnsSufix}"}),
        ),
        "rules[0].endpoint.url",
        "has no field `dnsSufix`",
    );
    refused(
        with_endpoint(
            json!([partition_condition()]),
            json!({"url": "https://svc.{PartitionResult#supportsFIPS}"}),
        ),
        "rules[0].endpoint.url",
        "a template can only hold strings",
    );
    refused(
        with_endpoint(
            json!([{"fn": "getAttr", "argv": [{"ref": "Region"}, "name"]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[1]",
        "a string has no field `name`",
    );
    refused(
        with_endpoint(
            json!([{"fn": "getAttr", "argv": [{"ref": "Region"}, {"ref": "Region"}]}]),
            json!({"url": "https://example.com"}),
        ),
        "rules[0].conditions[0].argv[1]",
        "must be a literal string",
    );
}

#[test]
fn malformed_templates_are_refused() {
    refused(
        with_endpoint(json!([]), json!({"url": "https://{Region.example.com"})),
        "rules[0].endpoint.url",
        "never closed",
    );
    refused(
        with_endpoint(json!([]), json!({"url": "https://example.com/}"})),
        "rules[0].endpoint.url",
        "closes nothing",
    );
}

#[test]
fn misspelt_and_missing_keys_are_named() {
    refused(
        with_rules(json!([{"type": "endpoint", "condition": [],
                           "endpoint": {"url": "https://example.com"}}])),
        "rules[0]",
        "unexpected key `condition`",
    );
    refused(
        with_rules(json!([{"type": "endpoint", "endpoint": {"url": "https://example.com"}}])),
        "rules[0]",
        "`conditions` is missing",
    );
    refused(
        with_endpoint(
            json!([]),
            json!({"url": "https://example.com", "header": {}}),
        ),
        "rules[0].endpoint",
        "unexpected key `header`",
    );
    refused(
        with_rules(json!([{"type": "endpoints", "conditions": []}])),
        "rules[0].type",
        "unknown rule type `endpoints`",
    );
}

#[test]
fn parameters_are_declared_consistently() {
    let with_parameters = |parameters: Value| {
        json!({"version": "1.0", "parameters": parameters,
               "rules": [{"type": "error", "conditions": [], "error": "no"}]})
    };
    refused(
        with_parameters(json!({"Flag": {"type": "Number"}})),
        "parameters.Flag.type",
        "unknown parameter type `Number`",
    );
    refused(
        with_parameters(json!({"Flag": {"type": "Boolean", "required": true, "default": "yes"}})),
        "parameters.Flag.default",
        "the default must be a boolean",
    );
    refused(
        with_parameters(json!({"Flag": {"type": "Boolean", "default": true}})),
        "parameters.Flag",
        "must also be marked required",
    );
    refused(
        with_parameters(json!({"region": {"type": "String"}, "Region": {"type": "String"}})),
        "parameters.region",
        "differ only in case",
    );
    refused(
        with_parameters(json!({"Use-FIPS": {"type": "Boolean"}})),
        "parameters.Use-FIPS",
        "a parameter name is a letter",
    );
}

#[test]
fn the_document_must_be_a_rule_set_this_engine_reads() {
    let error = RuleSet::from_json("{\"version\": ").unwrap_err();
    assert!(error.message().starts_with("not JSON"), "{error}");
    refused(
        json!({"version": "2.0", "parameters": {}, "rules": []}),
        "version",
        "version `2.0` is not one this engine reads",
    );
    refused(
        json!({"version": "1.0", "parameters": {}, "rules": []}),
        "rules",
        "must not be empty",
    );
    refused(
        json!({"version": "1.0", "parameters": {}}),
        "",
        "`rules` is missing",
    );
    assert!("not json".parse::<RuleSet>().is_err());
}

#[test]
fn properties_are_data_and_auth_schemes_have_their_shape() {
    refused(
        with_endpoint(
            json!([]),
            json!({"url": "https://example.com", "properties": {"region": {"ref": "Region"}}}),
        ),
        "rules[0].endpoint.properties.region",
        "a reference or function call cannot appear",
    );
    refused(
        with_endpoint(
            json!([]),
            json!({"url": "https://example.com",
                   "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": true}]}}),
        ),
        "rules[0].endpoint.properties.authSchemes[0].signingRegion",
        "expected a string",
    );
    refused(
        with_endpoint(
            json!([]),
            json!({"url": "https://example.com",
                   "properties": {"authSchemes": [{"signingName": "svc"}]}}),
        ),
        "rules[0].endpoint.properties.authSchemes[0]",
        "`name` is missing",
    );
    refused(
        with_endpoint(
            json!([]),
            json!({"url": "https://example.com",
                   "properties": {"authSchemes": [{"name": "sigv4a",
                                                   "signingRegionSet": ["*", 1]}]}}),
        ),
        "rules[0].endpoint.properties.authSchemes[0].signingRegionSet[1]",
        "expected a string",
    );
}
