//! The project's model (`model/wickr.json`) must describe exactly the same API as the AWS-published
//! reference model (`models/wickr.json` in the reference data, see `reference_data`): same shapes, types,
//! members, targets and traits. Only the prose may differ: documentation is written for this
//! project, and examples, smoke tests and tags are left out of our model.
//!
//! The two comparisons with the published model run when it is beside the repository and are
//! skipped, with a line in the test output, when it is not (see `reference_data`). The checks of
//! the comparison itself, and that every shape and member is documented, need only our model and
//! always run.

mod reference_data;
mod workspace;

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::Path;

const DOCUMENTATION: &str = "smithy.api#documentation";

/// Traits that are allowed to differ between the two models.
const IGNORED_TRAITS: [&str; 4] = [
    DOCUMENTATION,
    "smithy.api#examples",
    "smithy.test#smokeTests",
    "smithy.api#tags",
];

/// Shape types whose shapes, and whose members, must carry our own documentation.
const DOCUMENTED_TYPES: [&str; 6] = [
    "service",
    "operation",
    "structure",
    "enum",
    "intEnum",
    "list",
];

fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the model file {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

/// The project's model.
fn ours() -> Value {
    let path = workspace::root().join("model").join("wickr.json");
    load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The published model, or `None` (after saying that `test` is skipped) when it is not beside
/// the repository.
fn published(test: &str) -> Option<Value> {
    let path = reference_data::path_or_skip(
        test,
        "models/wickr.json",
        "model/wickr.json with the published model",
    )?;
    Some(load(&path).unwrap_or_else(|e| panic!("{e}")))
}

fn shapes(model: &Value) -> Map<String, Value> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn traits_without_ignored(owner: &Value) -> Map<String, Value> {
    let mut traits = object(owner.get("traits"));
    for name in IGNORED_TRAITS {
        traits.remove(name);
    }
    traits
}

fn documentation(owner: &Value) -> Option<&str> {
    owner.get("traits")?.get(DOCUMENTATION)?.as_str()
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), Value::to_string)
}

fn union_of_keys<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}

/// Compares two trait maps (documentation, examples, smoke tests and tags left out).
fn compare_traits(place: &str, ours: &Value, reference: &Value, out: &mut Vec<String>) {
    let (a, b) = (
        traits_without_ignored(ours),
        traits_without_ignored(reference),
    );
    for name in union_of_keys(&a, &b) {
        if a.get(name) != b.get(name) {
            out.push(format!(
                "{place} trait {name}: ours = {}, reference = {}",
                show(a.get(name)),
                show(b.get(name))
            ));
        }
    }
}

/// Compares a member (or a list's `member`): its target, its traits and any other property.
fn compare_member(place: &str, ours: &Value, reference: &Value, out: &mut Vec<String>) {
    let (a, b) = (object(Some(ours)), object(Some(reference)));
    for key in union_of_keys(&a, &b) {
        if key != "traits" && a.get(key) != b.get(key) {
            out.push(format!(
                "{place} {key}: ours = {}, reference = {}",
                show(a.get(key)),
                show(b.get(key))
            ));
        }
    }
    compare_traits(place, ours, reference, out);
}

/// Every difference between the two models other than the allowed ones, one line each.
fn differences(ours: &Value, reference: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if ours.get("smithy") != reference.get("smithy") {
        out.push(format!(
            "smithy version: ours = {}, reference = {}",
            show(ours.get("smithy")),
            show(reference.get("smithy"))
        ));
    }
    let (a, b) = (shapes(ours), shapes(reference));
    for id in union_of_keys(&a, &b) {
        let (ours_shape, reference_shape) = match (a.get(id), b.get(id)) {
            (Some(x), Some(y)) => (x, y),
            (Some(_), None) => {
                out.push(format!("shape {id}: only in ours"));
                continue;
            }
            _ => {
                out.push(format!("shape {id}: missing from ours"));
                continue;
            }
        };
        let place = format!("shape {id}");
        let (sa, sb) = (object(Some(ours_shape)), object(Some(reference_shape)));
        for key in union_of_keys(&sa, &sb) {
            match key.as_str() {
                "traits" => {}
                "member" => compare_member(
                    &format!("{place} member"),
                    sa.get(key).unwrap_or(&Value::Null),
                    sb.get(key).unwrap_or(&Value::Null),
                    &mut out,
                ),
                "members" => {
                    let (ma, mb) = (object(sa.get(key)), object(sb.get(key)));
                    for name in union_of_keys(&ma, &mb) {
                        match (ma.get(name), mb.get(name)) {
                            (Some(x), Some(y)) => {
                                compare_member(&format!("{place} member {name}"), x, y, &mut out)
                            }
                            (Some(_), None) => {
                                out.push(format!("{place} member {name}: only in ours"))
                            }
                            _ => out.push(format!("{place} member {name}: missing from ours")),
                        }
                    }
                }
                _ if sa.get(key) != sb.get(key) => out.push(format!(
                    "{place} {key}: ours = {}, reference = {}",
                    show(sa.get(key)),
                    show(sb.get(key))
                )),
                _ => {}
            }
        }
        compare_traits(&place, ours_shape, reference_shape, &mut out);
    }
    out
}

/// Documentation problems in our model: a missing string where one is required, a string copied
/// from the reference at the same place, or a trait that must stay out of our model.
fn documentation_problems(ours: &Value, reference: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let reference_shapes = shapes(reference);
    let mut check = |place: String, mine: &Value, theirs: Option<&Value>, required: bool| {
        match documentation(mine) {
            Some(text) if text.trim().is_empty() => {
                out.push(format!("{place}: empty documentation"))
            }
            Some(text) if theirs.and_then(documentation) == Some(text) => {
                out.push(format!("{place}: documentation is the reference's text"))
            }
            Some(_) => {}
            None if required => out.push(format!("{place}: no documentation")),
            None => {}
        }
        for name in &IGNORED_TRAITS[1..] {
            if mine.get("traits").and_then(|t| t.get(*name)).is_some() {
                out.push(format!(
                    "{place}: carries {name}, which stays out of our model"
                ));
            }
        }
    };
    for (id, shape) in shapes(ours) {
        let shape_type = shape
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let required = DOCUMENTED_TYPES.contains(&shape_type);
        let theirs = reference_shapes.get(&id);
        check(format!("shape {id}"), &shape, theirs, required);
        if let Some(member) = shape.get("member") {
            let theirs_member = theirs.and_then(|s| s.get("member"));
            check(
                format!("shape {id} member"),
                member,
                theirs_member,
                required,
            );
        }
        for (name, member) in object(shape.get("members")) {
            let theirs_member = theirs
                .and_then(|s| s.get("members"))
                .and_then(|m| m.get(&name));
            check(
                format!("shape {id} member {name}"),
                &member,
                theirs_member,
                required,
            );
        }
    }
    out
}

#[test]
fn model_describes_the_same_api_as_the_reference() {
    let Some(reference) = published("model_describes_the_same_api_as_the_reference") else {
        return;
    };
    let ours = ours();
    assert!(
        shapes(&reference).len() > 100,
        "the reference model has too few shapes to be the real one"
    );
    let found = differences(&ours, &reference);
    assert!(
        found.is_empty(),
        "model/wickr.json differs from the reference in {} place(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn model_documentation_is_complete() {
    let no_reference = serde_json::json!({ "shapes": {} });
    let found = documentation_problems(&ours(), &no_reference);
    assert!(
        found.is_empty(),
        "{} documentation problem(s) in model/wickr.json:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn model_documentation_is_our_own() {
    let Some(reference) = published("model_documentation_is_our_own") else {
        return;
    };
    let found = documentation_problems(&ours(), &reference);
    assert!(
        found.is_empty(),
        "{} documentation problem(s) in model/wickr.json:\n{}",
        found.len(),
        found.join("\n")
    );
}

const USER_ITEM: &str = "com.amazonaws.wickr#BatchCreateUserRequestItem";

fn shape_mut<'a>(model: &'a mut Value, id: &str) -> &'a mut Value {
    match model.pointer_mut(&format!(
        "/shapes/{}",
        id.replace('~', "~0").replace('/', "~1")
    )) {
        Some(shape) => shape,
        None => panic!("test setup: shape {id} is not in the model"),
    }
}

/// The comparison's own checks use our model as the reference: it differs from the published one
/// only where the comparison ignores, so the same differences are expected.
#[test]
fn comparison_reports_each_kind_of_difference() {
    let ours = ours();
    let reference = ours.clone();
    let mut changed = ours.clone();

    let item = shape_mut(&mut changed, USER_ITEM);
    // A member's target changes.
    item["members"]["username"]["target"] = Value::from("com.amazonaws.wickr#SensitiveString");
    // A member trait disappears.
    if let Some(traits) = item["members"]["securityGroupIds"]["traits"].as_object_mut() {
        traits.remove("smithy.api#required");
    }
    // A member is added.
    item["members"]["middleName"] =
        serde_json::json!({ "target": "com.amazonaws.wickr#GenericString" });
    // A shape trait changes value.
    shape_mut(&mut changed, "com.amazonaws.wickr#NetworkId")["traits"]["smithy.api#length"]
        ["max"] = Value::from(9);
    // A service trait disappears.
    if let Some(traits) =
        shape_mut(&mut changed, "com.amazonaws.wickr#WickrAdminApi")["traits"].as_object_mut()
    {
        traits.remove("smithy.rules#endpointTests");
    }
    // A list member changes target.
    shape_mut(&mut changed, "com.amazonaws.wickr#UserIds")["member"]["target"] =
        Value::from("com.amazonaws.wickr#GenericString");
    // A shape changes type, and another one disappears.
    shape_mut(&mut changed, "com.amazonaws.wickr#SortDirection")["type"] = Value::from("string");
    if let Some(all) = changed["shapes"].as_object_mut() {
        all.remove("com.amazonaws.wickr#Uname");
    }

    let found = differences(&changed, &reference);
    let expected = [
        format!("shape {USER_ITEM} member username target:"),
        format!(
            "shape {USER_ITEM} member securityGroupIds trait smithy.api#required: ours = (absent)"
        ),
        format!("shape {USER_ITEM} member middleName: only in ours"),
        "shape com.amazonaws.wickr#NetworkId trait smithy.api#length: ours = {".to_owned(),
        "shape com.amazonaws.wickr#WickrAdminApi trait smithy.rules#endpointTests: ours = (absent)"
            .to_owned(),
        "shape com.amazonaws.wickr#UserIds member target:".to_owned(),
        "shape com.amazonaws.wickr#SortDirection type: ours = \"string\", reference = \"enum\""
            .to_owned(),
        "shape com.amazonaws.wickr#Uname: missing from ours".to_owned(),
    ];
    for line in &expected {
        assert!(
            found.iter().any(|f| f.starts_with(line.as_str())),
            "expected a difference starting with {line:?}, got:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(
        found.len(),
        expected.len(),
        "each change must be reported exactly once:\n{}",
        found.join("\n")
    );

    // Documentation, examples, smoke tests and tags may differ without being reported.
    let mut reworded = ours.clone();
    shape_mut(&mut reworded, USER_ITEM)["traits"][DOCUMENTATION] = Value::from("Other words.");
    assert!(differences(&reworded, &reference).is_empty());
}

#[test]
fn documentation_check_reports_missing_and_copied_text() {
    // A published model that documents only the item, in words our model then copies.
    let copied = Value::from("The published wording of the item's documentation.");
    let reference = serde_json::json!({
        "shapes": { USER_ITEM: { "type": "structure", "traits": { DOCUMENTATION: copied.clone() } } }
    });
    let mut changed = ours();
    let item = shape_mut(&mut changed, USER_ITEM);
    item["traits"][DOCUMENTATION] = copied;
    if let Some(traits) = item["members"]["username"]["traits"].as_object_mut() {
        traits.remove(DOCUMENTATION);
    }
    item["traits"]["smithy.api#tags"] = serde_json::json!(["Users"]);

    let found = documentation_problems(&changed, &reference);
    let expected = [
        format!("shape {USER_ITEM}: documentation is the reference's text"),
        format!("shape {USER_ITEM} member username: no documentation"),
        format!("shape {USER_ITEM}: carries smithy.api#tags, which stays out of our model"),
    ];
    for line in &expected {
        assert!(
            found.contains(line),
            "expected {line:?}, got:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(found.len(), expected.len(), "got:\n{}", found.join("\n"));
}
