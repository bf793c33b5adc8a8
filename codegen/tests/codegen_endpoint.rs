//! The endpoint items the generator writes, on a small synthetic model with every way a model
//! gives the rules a value: built-ins, `@clientContextParams`, `@staticContextParams` and
//! `@contextParam` (none of the AWS models in `fixtures/` uses the last three).

use serde_json::{json, Value};

fn rules() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Accelerate": {"type": "Boolean", "required": false},
            "Shelf": {"type": "String", "required": false},
            "Tier": {"type": "String", "required": true, "default": "standard"}
        },
        "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": "{Endpoint}"}},
            {"type": "error", "conditions": [], "error": "no endpoint"}
        ]
    })
}

fn model(rules: Value, context: Value) -> String {
    json!({
        "smithy": "2.0",
        "shapes": {
            "ex#Svc": {
                "type": "service",
                "version": "2020-01-01",
                "operations": [{"target": "ex#GetThing"}, {"target": "ex#Ping"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "smithy.rules#endpointRuleSet": rules,
                    "smithy.rules#clientContextParams": context
                }
            },
            "ex#GetThing": {
                "type": "operation",
                "input": {"target": "ex#GetThingInput"},
                "traits": {
                    "smithy.api#http": {"method": "GET", "uri": "/things/{shelf}", "code": 200},
                    "smithy.rules#staticContextParams": {"Tier": {"value": "archive"}}
                }
            },
            "ex#GetThingInput": {
                "type": "structure",
                "members": {
                    "shelf": {
                        "target": "smithy.api#String",
                        "traits": {
                            "smithy.api#httpLabel": {},
                            "smithy.api#required": {},
                            "smithy.rules#contextParam": {"name": "Shelf"}
                        }
                    }
                }
            },
            "ex#Ping": {
                "type": "operation",
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/ping", "code": 200}}
            }
        }
    })
    .to_string()
}

fn context() -> Value {
    json!({"Accelerate": {"type": "boolean", "documentation": "Use the fast path."}})
}

fn file(json: &str, path: &str) -> String {
    let files = codegen::generate(json, &codegen::Options::default()).expect("the model generates");
    let text = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} generated"))
        .contents
        .clone();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_rule_set_and_its_parameters_go_into_config_endpoint() {
    let config = file(&model(rules(), context()), "config.rs");
    for expected in [
        "pub mod endpoint {",
        "::restjson_runtime::endpoint_module!(",
        // The rule set itself, as text the runtime parses once.
        r#"\"error\":\"no endpoint\""#,
        // Each parameter: field, setter, type, name, built-in and whether it may be unset.
        r#"region set_region : string "Region" built_in("AWS::Region") optional"#,
        r#"endpoint set_endpoint : string "Endpoint" built_in("SDK::Endpoint") optional"#,
        r#"use_fips set_use_fips : boolean "UseFIPS" built_in("AWS::UseFIPS") default(false)"#,
        r#"accelerate set_accelerate : boolean "Accelerate" built_in() optional"#,
        r#"tier set_tier : string "Tier" built_in() default("standard")"#,
    ] {
        assert!(
            config.contains(expected),
            "missing {expected:?} in {config}"
        );
    }
}

#[test]
fn client_context_params_are_configuration_settings() {
    let config = file(&model(rules(), context()), "config.rs");
    for expected in [
        "impl Builder {",
        "pub fn accelerate(mut self, value: impl Into<bool>) -> Self {",
        "pub fn set_accelerate(&mut self, value: Option<bool>) -> &mut Self {",
        r#"self.set_client_context_param( "Accelerate", value.map(::restjson_runtime::endpoint::ParamValue::from), );"#,
    ] {
        assert!(
            config.contains(expected),
            "missing {expected:?} in {config}"
        );
    }
    // Without the trait, no setters.
    let plain = file(&model(rules(), json!({})), "config.rs");
    assert!(!plain.contains("set_client_context_param"), "{plain}");
}

#[test]
fn operations_give_their_static_and_context_params() {
    let operation = file(&model(rules(), context()), "operation/get_thing.rs");
    for expected in [
        "fn endpoint_params( input: &Self::Input, params: &mut ::restjson_runtime::endpoint::Params, ) {",
        r#"params.set("Tier", "archive");"#,
        r#"::restjson_runtime::endpoint_params::context_value( &input.shelf, ) { params.set("Shelf", value); }"#,
    ] {
        assert!(operation.contains(expected), "missing {expected:?} in {operation}");
    }
    // An operation that gives nothing keeps the trait's default.
    let ping = file(&model(rules(), context()), "operation/ping.rs");
    assert!(!ping.contains("fn endpoint_params"), "{ping}");
}

#[test]
fn a_model_without_rules_takes_the_configured_endpoint_url() {
    let json = model(rules(), context());
    let mut value: Value = serde_json::from_str(&json).expect("JSON");
    let traits = value["shapes"]["ex#Svc"]["traits"]
        .as_object_mut()
        .expect("traits");
    traits.remove("smithy.rules#endpointRuleSet");
    traits.remove("smithy.rules#clientContextParams");
    value["shapes"]["ex#GetThing"]["traits"]
        .as_object_mut()
        .expect("traits")
        .remove("smithy.rules#staticContextParams");
    value["shapes"]["ex#GetThingInput"]["members"]["shelf"]["traits"]
        .as_object_mut()
        .expect("traits")
        .remove("smithy.rules#contextParam");
    let config = file(&value.to_string(), "config.rs");
    assert!(
        config.contains(
            r#"endpoint set_endpoint : string "Endpoint" built_in("SDK::Endpoint") optional"#
        ),
        "{config}"
    );
    assert!(
        config.contains("it needs an endpoint URL in its configuration"),
        "{config}"
    );
}

#[test]
fn parameters_the_rules_do_not_declare_are_refused() {
    let mut bad_context = context();
    bad_context["Nope"] = json!({"type": "string"});
    let err = codegen::generate(&model(rules(), bad_context), &codegen::Options::default())
        .expect_err("an undeclared client context parameter");
    assert!(err.to_string().contains("Nope"), "{err}");

    let json = model(rules(), context())
        .replace(r#""Tier":{"value":"archive"}"#, r#""Tier":{"value":true}"#);
    let err = codegen::generate(&json, &codegen::Options::default())
        .expect_err("a static value of the wrong type");
    assert!(err.to_string().contains("wrong type"), "{err}");

    let json = model(rules(), context()).replace(r#"{"name":"Shelf"}"#, r#"{"name":"Aisle"}"#);
    let err = codegen::generate(&json, &codegen::Options::default())
        .expect_err("a context parameter the rules do not declare");
    assert!(err.to_string().contains("Aisle"), "{err}");
}
