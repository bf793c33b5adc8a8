//! The emulator's table of operations states what the model states: for every operation of
//! `model/wickr.json`, the same HTTP method, URI template, `@readonly`, and whether its input has
//! an idempotency token.

use serde_json::Value;
use std::collections::BTreeMap;
use wickr_admin_local::routes::ROUTES;

const MODEL: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../model/wickr.json"
));

type Row = (String, String, bool, bool);

fn from_model() -> BTreeMap<String, Row> {
    let model: Value = serde_json::from_str(MODEL).expect("the model is JSON");
    let shapes = model["shapes"].as_object().expect("shapes");
    let mut rows = BTreeMap::new();
    for (id, shape) in shapes {
        if shape["type"] != "operation" {
            continue;
        }
        let name = id.rsplit('#').next().expect("a shape name").to_owned();
        let traits = &shape["traits"];
        let http = &traits["smithy.api#http"];
        let input = shape["input"]["target"].as_str().expect("an input");
        let members = shapes[input]["members"].as_object().expect("input members");
        let token = members
            .values()
            .any(|m| m["traits"].get("smithy.api#idempotencyToken").is_some());
        rows.insert(
            name,
            (
                http["method"].as_str().expect("a method").to_owned(),
                http["uri"].as_str().expect("a URI").to_owned(),
                traits.get("smithy.api#readonly").is_some(),
                token,
            ),
        );
    }
    rows
}

#[test]
fn every_route_is_the_models() {
    let from_table: BTreeMap<String, Row> = ROUTES
        .iter()
        .map(|r| {
            (
                r.op.name().to_owned(),
                (
                    r.method.to_owned(),
                    r.uri.to_owned(),
                    r.readonly,
                    r.client_token,
                ),
            )
        })
        .collect();
    let model = from_model();
    assert_eq!(model.len(), 44);
    assert_eq!(from_table, model);
}
