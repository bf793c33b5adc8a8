//! What the generator states about a whole service: its facts for the runtime (SDK id, signing
//! name, retryable errors from `@retryable` and the overlay), the operation table, the rendering
//! of error details, and the standalone crate around the generated modules.

use serde_json::{json, Value};

/// A restJson1 service `ex#Svc` with these service traits, one operation `ex#GetThing` with
/// these traits, and extra shapes.
fn model(service_traits: Value, operation_traits: Value, shapes: Value) -> String {
    let mut traits = json!({"aws.protocols#restJson1": {}});
    for (k, v) in service_traits.as_object().expect("traits object") {
        traits[k] = v.clone();
    }
    let mut op_traits =
        json!({"smithy.api#http": {"method": "GET", "uri": "/things/{id}?full", "code": 200}});
    for (k, v) in operation_traits.as_object().expect("traits object") {
        op_traits[k] = v.clone();
    }
    let mut all = json!({
        "ex#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": [{"target": "ex#GetThing"}],
            "errors": [{"target": "ex#Throttled"}, {"target": "ex#Broken"}, {"target": "ex#Invalid"}],
            "traits": traits
        },
        "ex#GetThing": {
            "type": "operation",
            "input": {"target": "ex#GetThingInput"},
            "output": {"target": "ex#GetThingOutput"},
            "traits": op_traits
        },
        "ex#GetThingInput": {
            "type": "structure",
            "members": {
                "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
                "token": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "token"}},
                "size": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "size"}},
                "requestToken": {"target": "smithy.api#String", "traits": {"smithy.api#idempotencyToken": {}, "smithy.api#httpHeader": "X-Token"}}
            }
        },
        "ex#GetThingOutput": {
            "type": "structure",
            "members": {
                "next": {"target": "smithy.api#String"},
                "items": {"target": "ex#Names"}
            }
        },
        "ex#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
        "ex#Throttled": {
            "type": "structure",
            "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "client", "smithy.api#httpError": 429}
        },
        "ex#Broken": {
            "type": "structure",
            "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "server", "smithy.api#retryable": {}}
        },
        "ex#Invalid": {
            "type": "structure",
            "members": {
                "message": {"target": "smithy.api#String"},
                "reason": {"target": "smithy.api#String"},
                "fields": {"target": "ex#Fields"},
                "secret": {"target": "ex#Secret"}
            },
            "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}
        },
        "ex#Fields": {"type": "list", "member": {"target": "ex#Field"}},
        "ex#Field": {
            "type": "structure",
            "members": {
                "path": {"target": "smithy.api#String"},
                "problem": {"target": "smithy.api#String"},
                "value": {"target": "ex#Secret"}
            }
        },
        "ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}}
    });
    for (k, v) in shapes.as_object().expect("shapes object") {
        all[k] = v.clone();
    }
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

fn plain() -> String {
    model(json!({}), json!({}), json!({}))
}

fn generate(json: &str, options: &codegen::Options) -> Vec<codegen::GeneratedFile> {
    codegen::generate(json, options).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

fn file(files: &[codegen::GeneratedFile], path: &str) -> String {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
        .clone()
}

/// The text with every run of whitespace made one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn overlay(retryable: Value) -> codegen::Options {
    codegen::Options {
        overlay: codegen::Overlay::from_json(&json!({ "retryable": retryable }).to_string())
            .expect("overlay parses"),
    }
}

#[test]
fn service_facts_come_from_the_service_traits() {
    let json = model(
        json!({"aws.api#service": {"sdkId": "Thing Store"}, "aws.auth#sigv4": {"name": "things"}}),
        json!({}),
        json!({}),
    );
    let schema = flat(&file(
        &generate(&json, &codegen::Options::default()),
        "schema.rs",
    ));
    for expected in [
        "shape_id: \"ex#Svc\"",
        "sdk_id: \"Thing Store\"",
        "version: \"2020-01-01\"",
        "signing_name: Some(\"things\")",
        "endpoint: super::config::endpoint::INFO",
    ] {
        assert!(
            schema.contains(expected),
            "missing {expected:?} in {schema}"
        );
    }
    // Without the traits: the shape's name, and no signing.
    let schema = flat(&file(
        &generate(&plain(), &codegen::Options::default()),
        "schema.rs",
    ));
    assert!(schema.contains("sdk_id: \"Svc\""), "{schema}");
    assert!(schema.contains("signing_name: None"), "{schema}");
}

#[test]
fn the_operation_table_lists_every_fact() {
    let json = model(
        json!({}),
        json!({
            "smithy.api#readonly": {},
            "smithy.api#paginated": {"inputToken": "token", "outputToken": "next", "items": "items", "pageSize": "size"}
        }),
        json!({}),
    );
    let schema = flat(&file(
        &generate(&json, &codegen::Options::default()),
        "schema.rs",
    ));
    for expected in [
        "pub static OPERATIONS: [OperationInfo; 1]",
        "name: \"GetThing\", kebab_name: \"get-thing\", summary: \"Calls the `GetThing` operation.\", method: \"GET\", uri: \"/things/{id}?full\"",
        "readonly: true, idempotent: false, idempotency_token: Some(\"requestToken\")",
        "errors: ERRORS_1",
        "const ERRORS_1: &[&str] = &[\"Broken\", \"Invalid\", \"Throttled\"];",
        "input_token: \"token\", output_token: \"next\", items: \"items\", page_size: Some(\"size\")",
    ] {
        assert!(schema.contains(expected), "missing {expected:?} in {schema}");
    }
}

#[test]
fn retryable_errors_come_from_the_model_and_the_overlay() {
    let files = generate(
        &plain(),
        &overlay(json!([{"error": "ex#Throttled", "throttling": true}])),
    );
    let schema = flat(&file(&files, "schema.rs"));
    assert!(
        schema.contains(
            "retryable_errors: &[ RetryableError { code: \"Broken\", kind: ErrorKind::ServerError, }, \
             RetryableError { code: \"Throttled\", kind: ErrorKind::ThrottlingError, }, ]"
        ),
        "{schema}"
    );
    // A retryable client error is transient.
    let files = generate(&plain(), &overlay(json!([{"error": "ex#Invalid"}])));
    let schema = flat(&file(&files, "schema.rs"));
    assert!(
        schema.contains("code: \"Invalid\", kind: ErrorKind::TransientError"),
        "{schema}"
    );
}

#[test]
fn the_overlay_may_only_name_unmarked_errors_of_the_service() {
    let err = codegen::generate(&plain(), &overlay(json!([{"error": "ex#Nope"}])))
        .expect_err("unknown error");
    assert!(
        err.to_string()
            .contains("ex#Nope retryable, which is not an error"),
        "{err}"
    );
    let err = codegen::generate(&plain(), &overlay(json!([{"error": "ex#Broken"}])))
        .expect_err("already marked");
    assert!(err.to_string().contains("the model already does"), "{err}");
    let err = codegen::Overlay::from_json(r#"{"retryable": [{"error": "ex#Broken", "slow": 1}]}"#)
        .expect_err("unknown key");
    assert!(err.to_string().contains("slow"), "{err}");
}

#[test]
fn error_details_render_every_member_but_the_message_and_secrets() {
    let errors = file(
        &generate(&plain(), &codegen::Options::default()),
        "types/error.rs",
    );
    let errors = flat(&errors);
    assert!(
        errors.contains("impl ErrorDetails for Broken {}"),
        "{errors}"
    );
    for expected in [
        "impl ErrorDetails for Invalid { fn details(&self) -> Vec<String> { let mut out = Vec::new();",
        "out.extend(::restjson_runtime::error_details::named(\"reason\", &self.reason));",
        "for item in self.fields.iter().flatten() {",
        "::restjson_runtime::error_details::record(&[&item.path, &item.problem])",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in {errors}");
    }
    assert!(!errors.contains("&self.secret"), "{errors}");
    assert!(!errors.contains("&item.value"), "{errors}");
}

#[test]
fn a_standalone_crate_has_a_manifest_a_lib_and_the_generated_modules() {
    let krate = codegen::CrateOptions {
        name: "thing-store".to_owned(),
        runtime_path: "../../crates/restjson-runtime".to_owned(),
    };
    let files = codegen::generate_crate(&plain(), &codegen::Options::default(), &krate)
        .expect("generates")
        .files;
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.starts_with(&["Cargo.toml", "src/generated/client.rs"]),
        "{paths:?}"
    );
    assert!(paths.contains(&"src/lib.rs"), "{paths:?}");
    assert!(paths.contains(&"src/generated/schema.rs"), "{paths:?}");
    let manifest = file(&files, "Cargo.toml");
    assert!(manifest.contains("name = \"thing-store\""), "{manifest}");
    assert!(
        manifest.contains("restjson-runtime = { path = \"../../crates/restjson-runtime\" }"),
        "{manifest}"
    );
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    // The official crates' feature names, so a manifest naming them keeps working.
    assert!(manifest.contains("\ntest-util = []\n"), "{manifest}");
    let lib = file(&files, "src/lib.rs");
    assert!(
        lib.contains("pub use generated::{client, config, meta, operation, schema, types, Error};"),
        "{lib}"
    );
    for bad in ["", "1st", "a b", "x/y"] {
        let krate = codegen::CrateOptions {
            name: bad.to_owned(),
            ..krate.clone()
        };
        let err = codegen::generate_crate(&plain(), &codegen::Options::default(), &krate)
            .expect_err("bad name");
        assert!(err.to_string().contains("not a usable crate name"), "{err}");
    }
}
