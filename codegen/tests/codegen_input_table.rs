//! The operation table's input descriptions: every input member with its JSON name, location,
//! type descriptor, `@required` and a one-line summary of its documentation; structures and enum
//! values written once and shared; members two operations have alike written once; maps, unions,
//! blobs, documents, big numbers and every HTTP binding described with their own variants.

fn model() -> String {
    // A JSON text, not `json!`: the members keep this order whatever serde_json's features.
    r##"{
        "smithy": "2.0",
        "shapes": {
            "ex#Svc": {
                "type": "service",
                "version": "2020-01-01",
                "operations": [{"target": "ex#PutThing"}, {"target": "ex#GetThing"}],
                "traits": {"aws.protocols#restJson1": {}}
            },
            "ex#PutThing": {
                "type": "operation",
                "input": {"target": "ex#PutThingInput"},
                "traits": {
                    "smithy.api#http": {"method": "PUT", "uri": "/things/{id}", "code": 200},
                    "smithy.api#documentation": "<p>Stores a thing. It replaces any thing of that id.</p>"
                }
            },
            "ex#GetThing": {
                "type": "operation",
                "input": {"target": "ex#GetThingInput"},
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{id}", "code": 200}}
            },
            "ex#PutThingInput": {
                "type": "structure",
                "members": {
                    "id": {"target": "smithy.api#String", "traits": {
                        "smithy.api#httpLabel": {}, "smithy.api#required": {},
                        "smithy.api#documentation": "The thing's id."}},
                    "thing": {"target": "ex#Thing", "traits": {"smithy.api#jsonName": "Thing"}},
                    "colour": {"target": "ex#Colour", "traits": {"smithy.api#httpQuery": "c"}},
                    "since": {"target": "smithy.api#Timestamp", "traits": {
                        "smithy.api#httpHeader": "X-Since",
                        "smithy.api#timestampFormat": "date-time"}}
                }
            },
            "ex#GetThingInput": {
                "type": "structure",
                "members": {
                    "id": {"target": "smithy.api#String", "traits": {
                        "smithy.api#httpLabel": {}, "smithy.api#required": {},
                        "smithy.api#documentation": "The thing's id."}},
                    "level": {"target": "ex#Level", "traits": {"smithy.api#httpQuery": "level"}}
                }
            },
            "ex#Thing": {
                "type": "structure",
                "members": {
                    "tags": {"target": "ex#Tags", "traits": {"smithy.api#required": {}}},
                    "parts": {"target": "ex#Parts"},
                    "colour": {"target": "ex#Colour"}
                }
            },
            "ex#Parts": {"type": "list", "member": {"target": "ex#Part"}},
            "ex#Part": {"type": "structure", "members": {"weight": {"target": "smithy.api#Double"}}},
            "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
            "ex#Colour": {"type": "enum", "members": {
                "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
                "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}
            }},
            "ex#Level": {"type": "intEnum", "members": {
                "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
                "HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 9}}
            }}
        }
    }"##
    .to_owned()
}

fn schema() -> String {
    let files = codegen::generate(&model(), &codegen::Options::default())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let schema = files
        .iter()
        .find(|f| f.path == "schema.rs")
        .expect("schema.rs generated");
    // One line, without the line breaks' trailing commas and padding inside parentheses.
    schema
        .contents
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(", )", ")")
}

#[test]
fn every_input_member_is_described_with_its_location_type_and_summary() {
    let schema = schema();
    for expected in [
        "summary: \"Stores a thing.\"",
        "name: \"thing\", json_name: \"Thing\", location: Location::Body, ty: &TypeInfo::Structure(&STRUCTURE_THING), required: false",
        "name: \"colour\", json_name: \"colour\", location: Location::Query(\"c\"), ty: &TypeInfo::Enum(VALUES_COLOUR)",
        "location: Location::Header(\"X-Since\"), ty: &TypeInfo::Timestamp(::restjson_runtime::primitives::DateTimeFormat::DateTime)",
        "location: Location::Query(\"level\"), ty: &TypeInfo::IntEnum(VALUES_LEVEL)",
        // Values as the wire has them; integer values named as the generated enum names them.
        "const VALUES_COLOUR: &[&str] = &[\"red\", \"blue\"];",
        "const VALUES_LEVEL: &[(&str, i32)] = &[(\"Low\", 1i32), (\"High\", 9i32)];",
        // Nested structures: members in the body, lists by their element type.
        "static STRUCTURE_THING: StructureInfo = StructureInfo { name: \"Thing\", members: &[",
        "name: \"tags\", json_name: \"tags\", location: Location::Body, ty: &TypeInfo::List(&TypeInfo::String), required: true",
        "ty: &TypeInfo::List(&TypeInfo::Structure(&STRUCTURE_PART))",
        "name: \"weight\", json_name: \"weight\", location: Location::Body, ty: &TypeInfo::Double",
    ] {
        assert!(schema.contains(expected), "missing {expected:?} in {schema}");
    }
}

#[test]
fn structures_enums_and_members_alike_are_written_once() {
    let schema = schema();
    // The enum is reached from an input and from a structure; `id` is alike in both inputs.
    assert_eq!(schema.matches("const VALUES_COLOUR").count(), 1, "{schema}");
    assert_eq!(
        schema.matches("static STRUCTURE_THING:").count(),
        1,
        "{schema}"
    );
    assert_eq!(
        schema
            .matches("const MEMBER_ID: MemberInfo = MemberInfo { name: \"id\", json_name: \"id\", location: Location::Label, ty: &TypeInfo::String, required: true, doc: \"The thing's id.\", };")
            .count(),
        1,
        "{schema}"
    );
    assert_eq!(schema.matches("MEMBER_ID,").count(), 2, "{schema}");
}

/// An input with every other shape and binding restJson1 has: its descriptors use the
/// `TypeInfo` and `Location` variants made for them.
fn model_of_every_binding() -> String {
    r##"{
        "smithy": "2.0",
        "shapes": {
            "ex#Svc": {
                "type": "service",
                "version": "2020-01-01",
                "operations": [{"target": "ex#PutBlob"}, {"target": "ex#PutMixed"}],
                "traits": {"aws.protocols#restJson1": {}}
            },
            "ex#PutBlob": {
                "type": "operation",
                "input": {"target": "ex#PutBlobInput"},
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/blobs", "code": 200}}
            },
            "ex#PutBlobInput": {
                "type": "structure",
                "members": {
                    "data": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpPayload": {}}},
                    "meta": {"target": "ex#StringMap", "traits": {
                        "smithy.api#httpPrefixHeaders": "X-Meta-"}},
                    "extra": {"target": "ex#StringMap", "traits": {"smithy.api#httpQueryParams": {}}}
                }
            },
            "ex#PutMixed": {
                "type": "operation",
                "input": {"target": "ex#PutMixedInput"},
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/mixed", "code": 200}}
            },
            "ex#PutMixedInput": {
                "type": "structure",
                "members": {
                    "doc": {"target": "smithy.api#Document"},
                    "big": {"target": "smithy.api#BigInteger"},
                    "exact": {"target": "smithy.api#BigDecimal"},
                    "counts": {"target": "ex#Counts"},
                    "choice": {"target": "ex#Choice"}
                }
            },
            "ex#StringMap": {"type": "map",
                "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
            "ex#Counts": {"type": "map",
                "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}},
            "ex#Choice": {"type": "union", "members": {
                "text": {"target": "smithy.api#String"},
                "nothing": {"target": "smithy.api#Unit"},
                "again": {"target": "ex#Choice"}
            }}
        }
    }"##
    .to_owned()
}

#[test]
fn maps_unions_blobs_documents_big_numbers_and_every_binding_are_described() {
    let files = codegen::generate(&model_of_every_binding(), &codegen::Options::default())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let schema = files
        .iter()
        .find(|f| f.path == "schema.rs")
        .expect("schema.rs generated")
        .contents
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(", )", ")");
    for expected in [
        "name: \"data\", json_name: \"data\", location: Location::Payload, ty: &TypeInfo::Blob",
        "location: Location::PrefixHeaders(\"X-Meta-\"), ty: &TypeInfo::Map(&TypeInfo::String, &TypeInfo::String)",
        "location: Location::QueryParams, ty: &TypeInfo::Map(&TypeInfo::String, &TypeInfo::String)",
        "name: \"doc\", json_name: \"doc\", location: Location::Body, ty: &TypeInfo::Document",
        "ty: &TypeInfo::BigInteger",
        "ty: &TypeInfo::BigDecimal",
        "ty: &TypeInfo::Map(&TypeInfo::String, &TypeInfo::Integer)",
        "name: \"choice\", json_name: \"choice\", location: Location::Body, ty: &TypeInfo::Union(&STRUCTURE_CHOICE)",
        // A union's members, the recursive one and the one without a value included.
        "static STRUCTURE_CHOICE: StructureInfo = StructureInfo { name: \"Choice\", members: &[",
        "name: \"again\", json_name: \"again\", location: Location::Body, ty: &TypeInfo::Union(&STRUCTURE_CHOICE)",
        "name: \"nothing\", json_name: \"nothing\", location: Location::Body, ty: &TypeInfo::Structure(&STRUCTURE_SMITHY_API_UNIT)",
        "static STRUCTURE_SMITHY_API_UNIT: StructureInfo = StructureInfo { name: \"smithy.api#Unit\", members: &[]",
    ] {
        assert!(schema.contains(expected), "missing {expected:?} in {schema}");
    }
}
