//! What the official crate has that the service model this crate is generated from does not:
//! aws-sdk-wickr 1.30 was generated from a later revision of the model than the published one
//! the project carries (`model/wickr.json`), which lacks some shapes and members. Their items
//! are not checked, and the generated file lists them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use heck::ToSnakeCase;

/// The shapes and members of the project's model, by the Rust names the official crate gives
/// them.
pub struct ModelFilter {
    /// Structure, union and enum shapes, by name (operation inputs and outputs by their
    /// `Input` and `Output` names).
    shapes: BTreeSet<String>,
    /// Snake-case member names per shape.
    members: BTreeMap<String, BTreeSet<String>>,
}

impl ModelFilter {
    pub fn load(model: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(model)
            .map_err(|e| format!("cannot read {}: {e}", model.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", model.display()))?;
        let shapes = json["shapes"]
            .as_object()
            .ok_or_else(|| format!("{} has no shapes", model.display()))?;
        let short = |id: &str| id.rsplit('#').next().unwrap_or(id).to_owned();
        // Operation inputs and outputs are named after the operation in Rust.
        let mut renamed = BTreeMap::new();
        for (id, shape) in shapes {
            if shape["type"] == "operation" {
                let op = short(id);
                if let Some(input) = shape["input"]["target"].as_str() {
                    renamed.insert(input.to_owned(), format!("{op}Input"));
                }
                if let Some(output) = shape["output"]["target"].as_str() {
                    renamed.insert(output.to_owned(), format!("{op}Output"));
                }
            }
        }
        let mut filter = ModelFilter {
            shapes: BTreeSet::new(),
            members: BTreeMap::new(),
        };
        for (id, shape) in shapes {
            let kind = shape["type"].as_str().unwrap_or_default();
            if !matches!(kind, "structure" | "union" | "enum" | "intEnum") {
                continue;
            }
            let name = renamed.get(id).cloned().unwrap_or_else(|| short(id));
            let members = shape["members"]
                .as_object()
                .map(|m| m.keys().map(|k| k.to_snake_case()).collect())
                .unwrap_or_default();
            filter.shapes.insert(name.clone());
            filter.members.insert(name, members);
        }
        Ok(filter)
    }

    /// Why the official type at `path` is not checked, when it is a shape the model lacks.
    pub fn missing_type(&self, path: &[String]) -> Option<String> {
        let name = shape_name(path)?;
        (!self.shapes.contains(&name))
            .then(|| format!("shape {name} is not in the model this crate is generated from"))
    }

    /// Why the official field or method `name` of the type at `path` is not checked, when it
    /// belongs to a member the model's shape lacks. `official_members` are the official
    /// type's field names.
    pub fn missing_member(
        &self,
        path: &[String],
        name: &str,
        official_members: &BTreeSet<String>,
    ) -> Option<String> {
        let shape = shape_name(path)?;
        let ours = self.members.get(&shape)?;
        let name = name.trim_start_matches("r#");
        let member = name
            .strip_prefix("set_")
            .or_else(|| name.strip_prefix("get_"))
            .unwrap_or(name);
        let official =
            official_members.contains(member) || official_members.contains(&format!("r#{member}"));
        (official && !ours.contains(member)).then(|| {
            format!("member {member} of {shape} is not in the model this crate is generated from")
        })
    }
}

/// The shape a type of the official crate stands for: `types::X`, `types::builders::XBuilder`,
/// `types::error::X`, `operation::op::XInput` and their builders.
pub fn shape_name(path: &[String]) -> Option<String> {
    let last = path.last()?;
    let in_types = path.first().is_some_and(|p| p == "types");
    let in_operation = path.first().is_some_and(|p| p == "operation");
    if !in_types && !in_operation {
        return None;
    }
    let name = last.strip_suffix("Builder").unwrap_or(last);
    if in_operation && !(name.ends_with("Input") || name.ends_with("Output")) {
        return None;
    }
    Some(name.to_owned())
}
