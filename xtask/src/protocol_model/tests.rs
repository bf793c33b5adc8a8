use serde_json::json;

use super::*;

fn suite(shapes: Value, cases: Value) -> Value {
    json!([{ "metadata": {"apiVersion": "2019-12-16"}, "shapes": shapes, "cases": cases }])
}

fn request_case(id: &str, input: &str) -> Value {
    json!({
        "id": id,
        "given": {
            "name": "PutThing",
            "http": {"method": "PUT", "requestUri": "/things/{id}?fixed=1", "responseCode": 200},
            "input": {"shape": input},
        },
        "params": {"id": "a b", "count": 2},
        "serialized": {
            "method": "PUT",
            "uri": "/things/a%20b?fixed=1&n=2",
            "headers": {"Content-Type": "application/json"},
            "body": "{}",
        },
    })
}

fn thing_shapes() -> Value {
    json!({
        "Thing": {"type": "structure", "required": ["id"], "members": {
            "id": {"shape": "String", "location": "uri", "locationName": "id"},
            "count": {"shape": "Integer", "location": "querystring", "locationName": "n"},
            "tag": {"shape": "String", "locationName": "Tag"},
        }},
        "String": {"type": "string"},
        "Integer": {"type": "integer", "box": true},
    })
}

#[test]
fn bindings_and_cases_become_smithy_traits() {
    let input = suite(thing_shapes(), json!([request_case("Put1", "Thing")]));
    let model = convert(&input, &json!([])).expect("converts");
    let shapes = &model["shapes"];
    let thing = &shapes["aws.protocoltests.restjson#Thing"]["members"];
    assert_eq!(thing["id"]["traits"]["smithy.api#httpLabel"], json!({}));
    assert_eq!(thing["id"]["traits"]["smithy.api#required"], json!({}));
    assert_eq!(thing["count"]["traits"]["smithy.api#httpQuery"], json!("n"));
    assert_eq!(thing["tag"]["traits"]["smithy.api#jsonName"], json!("Tag"));
    let op = &shapes["aws.protocoltests.restjson#PutThing"];
    assert_eq!(
        op["traits"]["smithy.api#http"],
        json!({"method": "PUT", "uri": "/things/{id}?fixed=1", "code": 200})
    );
    let test = &op["traits"]["smithy.test#httpRequestTests"][0];
    assert_eq!(test["uri"], json!("/things/a%20b"));
    assert_eq!(test["queryParams"], json!(["fixed=1", "n=2"]));
    assert_eq!(test["bodyMediaType"], json!("application/json"));
    assert_eq!(
        shapes[SERVICE]["operations"],
        json!([{"target": "aws.protocoltests.restjson#PutThing"}])
    );
}

#[test]
fn suites_that_disagree_are_errors_naming_the_shape() {
    let mut other = thing_shapes();
    other["Thing"]["members"]["extra"] = json!({"shape": "String"});
    let input = json!([
        suite(thing_shapes(), json!([]))[0].clone(),
        suite(other, json!([]))[0].clone(),
    ]);
    let error = convert(&input, &json!([])).expect_err("two definitions of Thing");
    assert!(error.contains("shape Thing differs"), "{error}");

    let input = json!([
        suite(thing_shapes(), json!([request_case("A", "Thing")]))[0].clone(),
        suite(thing_shapes(), json!([request_case("B", "String")]))[0].clone(),
    ]);
    let error = convert(&input, &json!([])).expect_err("two inputs");
    assert!(error.contains("operation PutThing has input"), "{error}");
}

#[test]
fn unknown_keys_are_errors() {
    let shapes = json!({"S": {"type": "string", "xmlNamespace": "x"}});
    let error = convert(&suite(shapes, json!([])), &json!([])).expect_err("unknown key");
    assert!(error.contains("xmlNamespace"), "{error}");
}

#[test]
fn the_committed_cases_all_land_in_the_model() {
    let root = crate::codegen::workspace_root();
    let text = model_from_fixtures(&root).expect("the fixtures convert");
    let model: Value = serde_json::from_str(&text).expect("JSON");
    let (mut requests, mut responses) = (0, 0);
    for shape in model["shapes"].as_object().expect("shapes").values() {
        let traits = &shape["traits"];
        requests += traits["smithy.test#httpRequestTests"]
            .as_array()
            .map_or(0, Vec::len);
        responses += traits["smithy.test#httpResponseTests"]
            .as_array()
            .map_or(0, Vec::len);
    }
    assert_eq!((requests, responses), (113, 91));
}
