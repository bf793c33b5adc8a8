//! The generator on small synthetic models: one test per kind of shape and binding, and one per
//! unsupported feature (which must fail naming the shape).

use serde_json::{json, Value};

/// A restJson1 service `ex#Svc` with the given operations and extra shapes.
fn model(operations: &[&str], shapes: Value) -> String {
    let mut all = json!({
        "ex#Svc": {
            "type": "service",
            "version": "1",
            "operations": operations.iter().map(|o| json!({"target": o})).collect::<Vec<_>>(),
            "traits": {"aws.protocols#restJson1": {}}
        },
        "ex#Oops": {
            "type": "structure",
            "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}
        }
    });
    for (k, v) in shapes.as_object().expect("shapes object") {
        all[k] = v.clone();
    }
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

/// A `PUT /things/{id}` operation (which may fail with `ex#Oops`) whose input and output
/// structures have these members, with `shapes` added to (or replacing) the model's.
fn put_thing(input: Value, output: Value, shapes: Value) -> String {
    let mut all = json!({
        "ex#PutThing": {
            "type": "operation",
            "input": {"target": "ex#PutThingRequest"},
            "output": {"target": "ex#PutThingResponse"},
            "errors": [{"target": "ex#Oops"}],
            "traits": {"smithy.api#http": {"code": 200, "method": "PUT", "uri": "/things/{id}"}}
        },
        "ex#PutThingRequest": {
            "type": "structure",
            "members": input,
            "traits": {"smithy.api#input": {}}
        },
        "ex#PutThingResponse": {
            "type": "structure",
            "members": output,
            "traits": {"smithy.api#output": {}}
        }
    });
    for (k, v) in shapes.as_object().expect("shapes object") {
        all[k] = v.clone();
    }
    model(&["ex#PutThing"], all)
}

/// A `PUT /things/{id}` operation with this input structure's members.
fn op_with_input(members: Value) -> String {
    put_thing(
        members,
        json!({"count": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}}}),
        json!({}),
    )
}

fn id_member() -> (String, Value) {
    (
        "id".to_owned(),
        json!({"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}),
    )
}

fn input_members(extra: Value) -> Value {
    let mut members = serde_json::Map::new();
    let (k, v) = id_member();
    members.insert(k, v);
    for (k, v) in extra.as_object().expect("members object") {
        members.insert(k.clone(), v.clone());
    }
    Value::Object(members)
}

fn generate(json: &str) -> Vec<codegen::GeneratedFile> {
    codegen::generate(json, &codegen::Options::default())
        .unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// The text with every run of whitespace made one space, for matching macro invocations that
/// the formatter wraps.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file<'a>(files: &'a [codegen::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
}

fn error_of(json: &str) -> String {
    match codegen::generate(json, &codegen::Options::default()) {
        Ok(_) => panic!("generation should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn emits_the_file_layout_and_operation_list() {
    let files = generate(&op_with_input(input_members(json!({}))));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "client.rs",
            "config.rs",
            "constraints.rs",
            "mod.rs",
            "operation/mod.rs",
            "operation/put_thing.rs",
            "schema.rs",
            "types/error.rs",
            "types/mod.rs"
        ]
    );
    let root = file(&files, "mod.rs");
    assert!(
        root.contains("(\"put-thing\", $crate::operation::put_thing::PutThing)"),
        "{root}"
    );
    let op = file(&files, "operation/put_thing.rs");
    assert!(op.contains("pub struct PutThingInput"), "{op}");
    assert!(op.contains("pub struct PutThingOutput"), "{op}");
    assert!(
        op.contains(
            "operation_error!(\"PutThing\" PutThingError in error into crate ::Error { Oops is_oops })"
        ),
        "{op}"
    );
    assert!(
        op.contains("RequestWriter::new(\"PUT\", \"/things/\")"),
        "{op}"
    );
    assert!(
        op.contains("request.label(\"id\", protocol::value(&input.id), false)?"),
        "{op}"
    );
    // Required output members are plain values read leniently.
    assert!(op.contains("pub count: i32,"), "{op}");
    assert!(
        flat(op).contains("count \"count\"[= Default::default]"),
        "{op}"
    );
    let errors = file(&files, "types/error.rs");
    assert!(errors.contains("pub struct Oops"), "{errors}");
    assert!(
        errors.contains("modeled_error!(Oops opt_message);"),
        "{errors}"
    );
}

#[test]
fn query_header_and_body_bindings() {
    let files = generate(&op_with_input(input_members(json!({
        "tags": {"target": "ex#Tags", "traits": {"smithy.api#httpQuery": "tag"}},
        "limit": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "limit"}},
        "token": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "X-Token", "smithy.api#idempotencyToken": {}}},
        "since": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#httpHeader": "X-Since"}},
        "displayName": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "display"}}
    })))
    .replace("\"ex#PutThing\":", "\"ex#Tags\": {\"type\": \"list\", \"member\": {\"target\": \"smithy.api#String\"}}, \"ex#PutThing\":"));
    let op = file(&files, "operation/put_thing.rs");
    assert!(op.contains("query.push_all(\"tag\", input.tags.iter().flatten().map(protocol::HttpValue::to_http_value))") || op.contains("\"tag\","), "{op}");
    assert!(
        op.contains("request.query.push(\"limit\", protocol::value(&input.limit));"),
        "{op}"
    );
    assert!(
        op.contains("request.header(\"X-Token\", \"token\", protocol::value(&input.token))?;"),
        "{op}"
    );
    assert!(
        op.contains("DateTime::HttpDate") || op.contains("Format::HttpDate"),
        "headers default to http-date: {op}"
    );
    // Bodies use the JSON name, documents the member name.
    assert!(
        flat(op).contains("display_name \"display\" / \"displayName\""),
        "{op}"
    );
    assert!(
        op.contains("request.content_type(\"application/json\");"),
        "{op}"
    );
    assert!(
        op.contains("Some(&mut input.token)"),
        "idempotency token: {op}"
    );
    // Members bound to the query string and headers are listed apart from the body members
    // (in the model's order, which is the order this test's JSON keeps).
    let flat_op = flat(op);
    let bound = flat_op
        .split_once("{ display_name \"display\" / \"displayName\" } {")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(group, _)| group.to_owned())
        .unwrap_or_else(|| panic!("http-bound members stay out of the body: {op}"));
    for member in [
        "id \"id\"",
        "limit \"limit\"",
        "since \"since\"[as http_date]",
        "tags \"tags\"",
        "token \"token\"",
    ] {
        assert!(bound.contains(member), "{member} in {bound}");
    }
}

#[test]
fn no_body_means_no_content_type() {
    let files = generate(&op_with_input(input_members(json!({}))));
    let op = file(&files, "operation/put_thing.rs");
    assert!(!op.contains("content_type("), "{op}");
    assert!(op.contains("request.finish(None)"), "{op}");
}

#[test]
fn greedy_labels_keep_slashes() {
    let json = op_with_input(input_members(json!({}))).replace("/things/{id}", "/things/{id+}");
    let op = generate(&json)
        .into_iter()
        .find(|f| f.path == "operation/put_thing.rs")
        .expect("op file")
        .contents;
    assert!(
        op.contains("request.label(\"id\", protocol::value(&input.id), true)?"),
        "{op}"
    );
}

#[test]
fn enums_int_enums_constraints_and_sensitive_members() {
    let files = generate(&op_with_input(input_members(json!({
        "color": {"target": "ex#Color"},
        "level": {"target": "ex#Level"},
        "name": {"target": "ex#Name"},
        "items": {"target": "ex#Items"}
    }))).replace("\"ex#PutThing\":", r#""ex#Color": {"type": "enum", "members": {"DARK_RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "dark-red"}}}},
        "ex#Level": {"type": "intEnum", "members": {"HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 3}}}},
        "ex#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 2, "max": 5}, "smithy.api#pattern": "^[a-z]+$"}},
        "ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}},
        "ex#Item": {"type": "structure", "members": {"secret": {"target": "ex#Secret"}, "n": {"target": "smithy.api#Long", "traits": {"smithy.api#required": {}, "smithy.api#range": {"min": 1, "max": 9}}}}},
        "ex#Items": {"type": "list", "member": {"target": "ex#Item"}, "traits": {"smithy.api#length": {"max": 3}}},
        "ex#PutThing":"#));
    let types = file(&files, "types/mod.rs");
    assert!(types.contains("DarkRed,"), "{types}");
    assert!(types.contains("Self::DarkRed => \"dark-red\""), "{types}");
    assert!(types.contains("Unknown(String)"), "{types}");
    assert!(types.contains("Unknown(i32)"), "{types}");
    assert!(types.contains("3 => Self::High"), "{types}");
    assert!(
        types.contains("redacted_debug!(Item { secret hide, n show });"),
        "{types}"
    );
    assert!(
        types.contains("v::range_i64(out, &path, *value, Some(1i64), Some(9i64));"),
        "{types}"
    );
    let op = file(&files, "operation/put_thing.rs");
    assert!(
        op.contains("v::length(out, &path, value, Some(2u64), Some(5u64));"),
        "{op}"
    );
    assert!(
        op.contains("v::pattern(out, &path, value, &c::NAME);"),
        "{op}"
    );
    assert!(
        op.contains("v::length(out, &path, value, None, Some(3u64));"),
        "{op}"
    );
    // The list's structures validate themselves, each under its index.
    assert!(
        op.contains("v::Validate::validate(value, &path, out);"),
        "{op}"
    );
    let constraints = file(&files, "constraints.rs");
    assert!(
        constraints.contains("static NAME: Pattern = Pattern::new(\"^[a-z]+$\");"),
        "{constraints}"
    );
}

#[test]
fn extra_constraints_add_a_length() {
    let json = op_with_input(input_members(
        json!({"name": {"target": "smithy.api#String"}}),
    ));
    let options = |member: &str, length| codegen::Options {
        overlay: codegen::Overlay {
            constraints: vec![codegen::ExtraConstraint {
                member: member.into(),
                length: Some(length),
            }],
            retryable: Vec::new(),
        },
    };
    let files = codegen::generate(
        &json,
        &options("ex#PutThingRequest$name", (Some(1), Some(50))),
    )
    .expect("generates");
    let op = file(&files, "operation/put_thing.rs");
    assert!(
        op.contains("v::length(out, &path, value, Some(1u64), Some(50u64));"),
        "{op}"
    );
    let err = codegen::generate(&json, &options("ex#PutThingRequest$nope", (None, Some(1))))
        .expect_err("unknown member");
    assert!(err.to_string().contains("ex#PutThingRequest$nope"), "{err}");
}

#[test]
fn pagination_is_generated() {
    let json = op_with_input(input_members(json!({"nextToken": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "next"}}})))
        .replace("\"uri\":\"/things/{id}\"}", "\"uri\":\"/things/{id}\"}, \"smithy.api#paginated\": {\"inputToken\": \"nextToken\", \"outputToken\": \"nextToken\", \"items\": \"things\"}")
        .replace(
            "\"members\":{\"count\"",
            "\"members\": {\"nextToken\": {\"target\": \"smithy.api#String\"}, \"things\": {\"target\": \"ex#Things\"}, \"count\"",
        )
        .replace("\"ex#PutThing\":", "\"ex#Things\": {\"type\": \"list\", \"member\": {\"target\": \"smithy.api#String\"}}, \"ex#PutThing\":");
    let files = generate(&json);
    let op = file(&files, "operation/put_thing.rs");
    assert!(op.contains("impl shape::Paginated for PutThing"), "{op}");
    assert!(op.contains("output.next_token.as_deref()"), "{op}");
    assert!(op.contains("pub fn into_paginator(self)"), "{op}");
}

#[test]
fn timestamps_in_the_body_default_to_epoch_seconds() {
    let files = generate(&op_with_input(input_members(json!({
        "at": {"target": "smithy.api#Timestamp"},
        "iso": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "date-time"}}
    }))));
    let op = file(&files, "operation/put_thing.rs");
    assert!(
        flat(op).contains("at \"at\"[as epoch_seconds], iso \"iso\"[as date_time]"),
        "{op}"
    );
    assert!(
        op.contains("use ::restjson_runtime::primitives::DateTime;"),
        "{op}"
    );
}

#[test]
fn docs_come_from_the_model() {
    let json = op_with_input(input_members(json!({
        "note": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "<p>A <code>note</code> &amp; more.</p><p>Second.</p>"}}
    })));
    let op = file(&generate(&json), "operation/put_thing.rs").to_owned();
    assert!(
        op.contains("    /// A `note` & more.\n    ///\n    /// Second.\n"),
        "{op}"
    );
}

fn unsupported_member(target_shape: Value) -> String {
    let json = op_with_input(input_members(json!({"bad": {"target": "ex#Bad"}}))).replace(
        "\"ex#PutThing\":",
        &format!("\"ex#Bad\": {target_shape}, \"ex#PutThing\":"),
    );
    error_of(&json)
}

#[test]
fn wire_changing_traits_the_generator_does_not_know_are_errors() {
    let err = unsupported_member(json!({"type": "string", "traits": {"ex#custom": {}}}));
    assert!(err.contains("ex#Bad") && err.contains("ex#custom"), "{err}");
    // Flexible checksums change the request; they are not supported.
    let json = op_with_input(input_members(json!({}))).replace(
        "\"smithy.api#http\":{",
        "\"aws.protocols#httpChecksum\":{\"requestChecksumRequired\":true},\"smithy.api#http\":{",
    );
    let err = error_of(&json);
    assert!(
        err.contains("ex#PutThing") && err.contains("aws.protocols#httpChecksum"),
        "{err}"
    );
    // A stream must be the payload.
    let err = unsupported_member(json!({"type": "blob", "traits": {"smithy.api#streaming": {}}}));
    assert!(err.contains("ex#PutThingRequest$bad"), "{err}");
    // An auth scheme the generator does not support is an unknown trait on the service.
    let json = op_with_input(input_members(json!({}))).replace(
        "\"aws.protocols#restJson1\":{}",
        "\"aws.protocols#restJson1\":{},\"smithy.api#httpApiKeyAuth\":{\"name\":\"k\",\"in\":\"header\"}",
    );
    let err = error_of(&json);
    assert!(
        err.contains("ex#Svc") && err.contains("httpApiKeyAuth"),
        "{err}"
    );
    // A body member beside a payload has nowhere to go.
    let err = error_of(&op_with_input(input_members(json!({
        "body": {"target": "smithy.api#String", "traits": {"smithy.api#httpPayload": {}}},
        "other": {"target": "smithy.api#String"}
    }))));
    assert!(
        err.contains("ex#PutThingRequest$other") && err.contains("@httpPayload"),
        "{err}"
    );
}

#[test]
fn other_protocols_are_errors() {
    let json = op_with_input(input_members(json!({})))
        .replace("aws.protocols#restJson1", "aws.protocols#awsJson1_1");
    let err = error_of(&json);
    assert!(err.contains("ex#Svc"), "{err}");
}

#[test]
fn missing_label_member_is_an_error() {
    let json = op_with_input(json!({"other": {"target": "smithy.api#String"}}));
    let err = error_of(&json);
    assert!(err.contains("ex#PutThing") && err.contains("id"), "{err}");
}

/// A `PUT` operation with this URI, `@endpoint` host prefix and input members.
fn op_with_templates(uri: &str, host_prefix: Option<&str>, members: Value) -> String {
    let mut traits = json!({"smithy.api#http": {"code": 200, "method": "PUT", "uri": uri}});
    if let Some(prefix) = host_prefix {
        traits["smithy.api#endpoint"] = json!({"hostPrefix": prefix});
    }
    model(
        &["ex#PutThing"],
        json!({
            "ex#PutThing": {
                "type": "operation",
                "input": {"target": "ex#PutThingRequest"},
                "traits": traits
            },
            "ex#PutThingRequest": {
                "type": "structure",
                "members": members,
                "traits": {"smithy.api#input": {}}
            }
        }),
    )
}

#[test]
fn uri_and_host_prefix_labels_are_checked_alike() {
    let label = |t: &str| json!({"target": "smithy.api#String", "traits": {t: {}, "smithy.api#required": {}}});
    let id = || json!({"id": label("smithy.api#httpLabel")});
    let zone = || json!({"zone": label("smithy.api#hostLabel")});
    let both = json!({"id": label("smithy.api#httpLabel"), "zone": label("smithy.api#hostLabel")});
    // Both templates parse, each label bound to its member.
    generate(&op_with_templates(
        "/things/{id}",
        Some("{zone}.data."),
        both,
    ));
    for (json, wanted) in [
        (
            op_with_templates("/things/{id", None, id()),
            "ex#PutThing: unclosed label in URI /things/{id",
        ),
        (
            op_with_templates("/things/{id}", Some("{zone.data."), id()),
            "ex#PutThing: unclosed label in host prefix {zone.data.",
        ),
        (
            op_with_templates("/things", None, id()),
            "ex#PutThing: @httpLabel member id is not in the URI /things",
        ),
        (
            op_with_templates("/things", Some("data."), zone()),
            "ex#PutThing: @hostLabel member zone is not in the host prefix data.",
        ),
        (
            op_with_templates("/things/{name}", None, id()),
            "ex#PutThing: URI label name has no @httpLabel input member",
        ),
        (
            op_with_templates("/things", Some("{zone}.data."), json!({})),
            "ex#PutThing: host prefix label zone has no @hostLabel input member",
        ),
        // A host prefix label is never greedy.
        (
            op_with_templates("/things", Some("{zone+}.data."), zone()),
            "ex#PutThing: host prefix label zone+ has no @hostLabel input member",
        ),
    ] {
        let err = error_of(&json);
        assert!(err.contains(wanted), "{err}\nwanted: {wanted}");
    }
}

/// A model using every supported feature the service model does not: greedy labels, literal
/// query parameters, query lists, header-bound output members, every timestamp format,
/// `@default` values of each kind, nested lists, sensitive structures, service-wide errors and
/// required pagination members.
#[test]
fn kitchen_sink_model_generates() {
    let json = include_str!("fixtures/kitchen_sink.json");
    let files = generate(json);
    let op = file(&files, "operation/get_thing.rs");
    for expected in [
        "protocol::RequestWriter::new(\"POST\", \"/things/\")",
        "request.label(\"id\", protocol::value(&input.id), true)?",
        "request.query.push_literal(\"fixed=1\");",
        "operation_error!(\n    \"GetThing\" GetThingError in error into crate ::Error { Boom is_boom, Missing\n    is_missing }\n);",
        "fn default_get_thing_output_name() -> String",
        "output.size = protocol::read_header(response.headers, \"X-Size\")?;",
    ] {
        assert!(op.contains(expected), "missing {expected:?} in:\n{op}");
    }
    for expected in [
        // Query, header and label members apart from the body; timestamps in their formats.
        "r#type \"Kind\" / \"type\", grid \"grid\", secret \"secret\", when \"when\"[as date_time] } { id \"id\",",
        "since \"since\"[as date_time]",
        "at \"at\"[as http_date]",
        // Required output members: model defaults, and a lenient timestamp.
        "created \"created\"[as epoch_seconds = ::restjson_runtime::json::default_timestamp]",
        "name \"name\"[= default_get_thing_output_name]",
        "GetThingOutput GetThingOutputBuilder[_request_id]",
    ] {
        assert!(flat(op).contains(expected), "missing {expected:?} in:\n{op}");
    }
    let list = file(&files, "operation/list_things.rs");
    assert!(list.contains("Some(output.next.as_str())"), "{list}");
    assert!(list.contains("&output.items"), "{list}");
}

/// The `json_struct!` invocation of `name`, flattened, from the generated files.
fn json_struct_of(files: &[codegen::GeneratedFile], name: &str) -> String {
    let start = format!("json_struct!({name} {name}Builder");
    files
        .iter()
        .map(|f| flat(&f.contents).replace("json_struct!( ", "json_struct!("))
        .find_map(|text| {
            let at = text.find(&start)?;
            let end = text[at..].find(");")?;
            Some(text[at..at + end].to_owned())
        })
        .unwrap_or_else(|| panic!("no json_struct! for {name}"))
}

#[test]
fn the_way_a_client_never_uses_is_compiled_only_with_the_documents_feature() {
    let string = json!({"target": "smithy.api#String"});
    let json = put_thing(
        input_members(json!({
            "sent": {"target": "ex#Sent"},
            "both": {"target": "ex#Both"},
            "choice": {"target": "ex#Choice"}
        })),
        json!({"got": {"target": "ex#GotList"}, "both": {"target": "ex#Both"}}),
        json!({
            "ex#Oops": {
                "type": "structure",
                "members": {"detail": {"target": "ex#Detail"}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 409}
            },
            "ex#Sent": {"type": "structure", "members": {"a": string}},
            "ex#Both": {"type": "structure", "members": {"b": string}},
            "ex#Got": {"type": "structure", "members": {"c": string}},
            "ex#GotList": {"type": "list", "member": {"target": "ex#Got"}},
            "ex#Detail": {"type": "structure", "members": {"d": string}},
            "ex#InUnion": {"type": "structure", "members": {"e": string}},
            "ex#Choice": {
                "type": "union",
                "members": {"one": {"target": "ex#InUnion"}, "two": string}
            }
        }),
    );
    let files = generate(&json);
    let documents_only = "#[cfg(feature = \"documents\")]";
    let read_gated = format!("read {documents_only}");
    let write_gated = format!("write {documents_only}");
    // What a client sends is only written, what it receives only read, without the feature.
    for (name, read, write) in [
        ("PutThingInput", false, true),
        ("Sent", false, true),
        ("PutThingOutput", true, false),
        ("Got", true, false),
        // Held by both sides, by an error (whose details are written back out) or by a union.
        ("Both", true, true),
        ("Oops", true, true),
        ("Detail", true, true),
        ("InUnion", true, true),
    ] {
        let invocation = json_struct_of(&files, name);
        assert_eq!(
            !invocation.contains(&read_gated),
            read,
            "{name} read by the client: {invocation}"
        );
        assert_eq!(
            !invocation.contains(&write_gated),
            write,
            "{name} written by the client: {invocation}"
        );
    }
}
