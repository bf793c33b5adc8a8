//! The generator on the model features the service model does not use: resources, event
//! streams, the Smithy 1.0 `@enum` trait, unions, maps, sparse lists, recursion, documents, big
//! numbers, blobs and streams, auth per operation. How they behave on the wire is shown by the
//! protocol tests and `crates/protocol-tests/tests/features.rs`; these tests pin what is
//! generated.

use serde_json::{json, Value};

/// A restJson1 service `ex#Svc` with these shapes; `service` is merged into the service shape.
fn model(service: Value, shapes: Value) -> String {
    let mut svc = json!({
        "type": "service",
        "version": "1",
        "traits": {"aws.protocols#restJson1": {}}
    });
    for (k, v) in service.as_object().expect("service object") {
        if k == "traits" {
            for (t, tv) in v.as_object().expect("traits") {
                svc["traits"][t] = tv.clone();
            }
        } else {
            svc[k] = v.clone();
        }
    }
    let mut all = json!({ "ex#Svc": svc });
    for (k, v) in shapes.as_object().expect("shapes object") {
        all[k] = v.clone();
    }
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

fn operation(method: &str, uri: &str, input: Option<&str>, output: Option<&str>) -> Value {
    let mut op = json!({
        "type": "operation",
        "traits": {"smithy.api#http": {"method": method, "uri": uri, "code": 200}}
    });
    if let Some(input) = input {
        op["input"] = json!({ "target": input });
    }
    if let Some(output) = output {
        op["output"] = json!({ "target": output });
    }
    op
}

fn file<'a>(files: &'a [codegen::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text without whitespace, for matching tokens the formatter spaces either way.
fn tight(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn operations_of_resources_are_generated_and_event_streams_are_left_out_with_a_warning() {
    let json = model(
        json!({"operations": [{"target": "ex#Listen"}], "resources": [{"target": "ex#Thing"}]}),
        json!({
            "ex#Thing": {
                "type": "resource",
                "identifiers": {"id": {"target": "smithy.api#String"}},
                "read": {"target": "ex#GetThing"},
                "resources": [{"target": "ex#Part"}]
            },
            "ex#Part": {"type": "resource", "collectionOperations": [{"target": "ex#CountParts"}]},
            "ex#GetThing": operation("GET", "/things/{id}", Some("ex#GetThingInput"), Some("ex#Only")),
            "ex#GetThingInput": {"type": "structure", "members": {
                "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}
            }},
            "ex#Only": {"type": "structure", "members": {"deep": {"target": "ex#Deep"}}},
            "ex#Deep": {"type": "structure", "members": {"n": {"target": "smithy.api#Integer"}}},
            "ex#CountParts": operation("GET", "/parts", None, None),
            "ex#Listen": operation("POST", "/listen", None, Some("ex#ListenOutput")),
            "ex#ListenOutput": {"type": "structure", "members": {
                "events": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}
            }},
            "ex#Events": {"type": "union", "traits": {"smithy.api#streaming": {}},
                "members": {"tick": {"target": "ex#Deep"}}}
        }),
    );
    let generated =
        codegen::generate_with_warnings(&json, &codegen::Options::default()).expect("generates");
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"operation/get_thing.rs"), "{paths:?}");
    assert!(paths.contains(&"operation/count_parts.rs"), "{paths:?}");
    assert!(!paths.contains(&"operation/listen.rs"), "{paths:?}");
    // A shape reached only through a resource's operation is generated too.
    assert!(
        file(&generated.files, "types/mod.rs").contains("pub struct Deep"),
        "Deep is reached through the resource"
    );
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert!(
        generated.warnings[0].contains("Listen") && generated.warnings[0].contains("event stream"),
        "{:?}",
        generated.warnings
    );
    let root = file(&generated.files, "mod.rs");
    assert!(
        root.contains("- `Listen`: its member ex#ListenOutput$events is an event stream"),
        "{root}"
    );
}

#[test]
fn value_types_follow_the_official_sdk() {
    let json = model(
        json!({"operations": [{"target": "ex#Put"}]}),
        json!({
            "ex#Put": operation("PUT", "/put", Some("ex#PutInput"), None),
            "ex#PutInput": {"type": "structure", "members": {
                "tags": {"target": "ex#Tags"},
                "sparse": {"target": "ex#SparseList"},
                "data": {"target": "smithy.api#Blob"},
                "doc": {"target": "smithy.api#Document"},
                "big": {"target": "smithy.api#BigInteger"},
                "exact": {"target": "smithy.api#BigDecimal"},
                "node": {"target": "ex#Node"},
                "choice": {"target": "ex#Choice"},
                "kind": {"target": "ex#Kind"}
            }},
            "ex#Tags": {"type": "map", "key": {"target": "ex#Kind"}, "value": {"target": "smithy.api#String"}},
            "ex#SparseList": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}},
            "ex#Node": {"type": "structure", "members": {"next": {"target": "ex#Node"}, "children": {"target": "ex#Nodes"}}},
            "ex#Nodes": {"type": "list", "member": {"target": "ex#Node"}},
            "ex#Choice": {"type": "union", "members": {
                "text": {"target": "smithy.api#String"},
                "nothing": {"target": "smithy.api#Unit"},
                "again": {"target": "ex#Choice"}
            }},
            "ex#Kind": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "a-b", "name": "A_B"}, {"value": "2x"}
            ]}}
        }),
    );
    let files = codegen::generate(&json, &codegen::Options::default()).expect("generates");
    let op = tight(file(&files, "operation/put.rs"));
    for expected in [
        "pub tags: Option<::std::collections::HashMap<Kind, String>>",
        "pub sparse: Option<Vec<Option<String>>>",
        "pub data: Option<::restjson_runtime::primitives::Blob>",
        "pub doc: Option<::restjson_runtime::primitives::Document>",
        "pub big: Option<::restjson_runtime::primitives::BigInteger>",
        "pub exact: Option<::restjson_runtime::primitives::BigDecimal>",
        "setter!({Kind: String}, tags, set_tags, get_tags);",
        "setter!([Option<String>], sparse, set_sparse, get_sparse);",
    ] {
        assert!(
            op.contains(&tight(expected)),
            "missing {expected:?} in {op}"
        );
    }
    let types = tight(file(&files, "types/mod.rs"));
    for expected in [
        // Recursion through a member is boxed; through a list it needs no box.
        "pub next: Option<Box<Node>>",
        "pub children: Option<Vec<Node>>",
        "getter!(opt_box next, Node);",
        "setter!(box Node, next, set_next, get_next);",
        // A union: a variant per member, a unit variant, a boxed recursive one, and Unknown
        // (each looked for alone: the variants follow the model's member order, which `json!`
        // keeps or sorts depending on serde_json's features).
        "pub enum Choice {",
        "/// The `again` member. Again(Box<Choice>),",
        "/// The `nothing` member. Nothing,",
        "/// The `text` member. Text(String),",
        "#[non_exhaustive] Unknown, }",
        "union_variant!(Nothing as_nothing is_nothing);",
        "union_variant!(Again as_again is_again, Box<Choice>);",
        "json_union!(Choice {",
        "Again \"again\"",
        "Nothing \"nothing\" [unit]",
        "Text \"text\"",
        // The Smithy 1.0 @enum trait: names from `name`, else from the value.
        "AB,",
        "_2x,",
        "Self::AB => \"a-b\"",
        "::restjson_runtime::json_string_enum!(Kind);",
    ] {
        assert!(
            types.contains(&tight(expected)),
            "missing {expected:?} in {types}"
        );
    }
}

#[test]
fn operations_carry_their_auth_and_request_facts_in_the_table() {
    let json = model(
        json!({
            "operations": [{"target": "ex#Open"}, {"target": "ex#Token"}, {"target": "ex#Plain"}],
            "traits": {
                "aws.auth#sigv4": {"name": "svc"},
                "smithy.api#httpBearerAuth": {},
                "aws.protocols#awsQueryCompatible": {}
            }
        }),
        json!({
            "ex#Open": {"type": "operation", "traits": {
                "smithy.api#http": {"method": "GET", "uri": "/open", "code": 200},
                "smithy.api#optionalAuth": {}
            }},
            "ex#Token": {"type": "operation", "traits": {
                "smithy.api#http": {"method": "POST", "uri": "/token", "code": 200},
                "smithy.api#auth": ["smithy.api#httpBearerAuth"],
                "smithy.api#httpChecksumRequired": {},
                "smithy.api#requestCompression": {"encodings": ["gzip"]}
            }},
            "ex#Plain": {"type": "operation", "traits": {
                "smithy.api#http": {"method": "GET", "uri": "/plain", "code": 200}
            }}
        }),
    );
    let files = codegen::generate(&json, &codegen::Options::default()).expect("generates");
    let schema = flat(file(&files, "schema.rs"));
    for expected in [
        // Without @auth, the schemes in the order of their shape ids.
        "auth: &[AuthScheme::SigV4, AuthScheme::Bearer]",
        "name: \"Open\", kebab_name: \"open\", summary: \"Calls the `Open` operation.\", method: \"GET\", uri: \"/open\"",
        "request: RequestFacts { auth: Some(&[]), ..RequestFacts::SERVICE_DEFAULTS }",
        "request: RequestFacts { auth: Some(&[AuthScheme::Bearer]), checksum_required: true, request_compression: true, ..RequestFacts::SERVICE_DEFAULTS }",
        "request: RequestFacts::SERVICE_DEFAULTS",
    ] {
        assert!(schema.contains(expected), "missing {expected:?} in {schema}");
    }
    let plain = file(&files, "operation/plain.rs");
    assert!(
        plain.contains("protocol::ErrorResponse::read_query_compatible(&response)"),
        "{plain}"
    );
}
