//! Load: serde types for the Smithy 2.0 JSON AST.
//!
//! Only what the generator reads is typed; traits stay as JSON values and are read through the
//! accessors in [`crate::index`]. Member order is kept as written, since it is the order of fields
//! in the generated structures.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::Error;

/// A whole model file.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// The IDL version, e.g. `2.0`.
    pub smithy: String,
    /// Every shape by its absolute id (`namespace#Name`).
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

/// One shape of the model.
#[derive(Debug, Deserialize)]
pub struct Shape {
    /// The shape type: `structure`, `string`, `operation`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Members of structures, unions and enums, in model order.
    #[serde(default)]
    pub members: Members,
    /// The member of a list or set.
    pub member: Option<Member>,
    /// The key of a map.
    pub key: Option<Member>,
    /// The value of a map.
    pub value: Option<Member>,
    /// Traits applied to the shape, by absolute trait id.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    /// Operation input.
    pub input: Option<Target>,
    /// Operation output.
    pub output: Option<Target>,
    /// Operation (or service-wide) errors.
    #[serde(default)]
    pub errors: Vec<Target>,
    /// Service operations.
    #[serde(default)]
    pub operations: Vec<Target>,
    /// Service or resource resources.
    #[serde(default)]
    pub resources: Vec<Target>,
    /// A resource's lifecycle operations: `create`, `put`, `read`, `update`, `delete`, `list`.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
    /// A resource's operations on the collection of its instances.
    #[serde(default, rename = "collectionOperations")]
    pub collection_operations: Vec<Target>,
    /// Mixins, which a JSON AST may still list.
    #[serde(default)]
    pub mixins: Vec<Target>,
    /// Service version.
    pub version: Option<String>,
}

/// The lifecycle operations of a resource.
#[derive(Debug, Default, Deserialize)]
pub struct Lifecycle {
    /// `create`.
    pub create: Option<Target>,
    /// `put`.
    pub put: Option<Target>,
    /// `read`.
    pub read: Option<Target>,
    /// `update`.
    pub update: Option<Target>,
    /// `delete`.
    pub delete: Option<Target>,
    /// `list`.
    pub list: Option<Target>,
}

impl Lifecycle {
    /// Every lifecycle operation the resource binds.
    pub fn operations(&self) -> impl Iterator<Item = &Target> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
    }
}

/// A reference to another shape.
#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    /// Absolute shape id.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
pub struct Member {
    /// Absolute id of the member's target shape.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// Members in the order the model lists them.
#[derive(Debug, Default)]
pub struct Members(pub Vec<(String, Member)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of members")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some((name, member)) = map.next_entry::<String, Member>()? {
                    if members.iter().any(|(n, _): &(String, Member)| *n == name) {
                        return Err(serde::de::Error::custom(format!(
                            "member {name} is listed twice"
                        )));
                    }
                    members.push((name, member));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Parses a model from its JSON text.
pub fn load(json: &str) -> Result<Model, Error> {
    let model: Model = serde_json::from_str(json)
        .map_err(|e| Error::new(format!("model is not a valid Smithy JSON AST: {e}")))?;
    if !model.smithy.starts_with('2') {
        return Err(Error::new(format!(
            "Smithy IDL version {} is not supported (only 2.x)",
            model.smithy
        )));
    }
    Ok(model)
}
