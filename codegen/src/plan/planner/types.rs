//! Member target shapes turned into Rust types: scalars, lists, structures and enums.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::{doc_or, value_text, Planner};
use crate::index::{get, has, unsupported, ShapeType};
use crate::plan::{rust_type_name, EnumPlan, StructRole, Ty, VariantPlan};
use crate::Error;

impl Planner<'_, '_> {
    /// The Rust type of a target shape, planning the structure or enum it names.
    pub(super) fn ty(&mut self, owner: &str, target: &str) -> Result<Ty, Error> {
        Ok(match self.index.shape_type(target)? {
            ShapeType::String => Ty::String,
            ShapeType::Boolean => Ty::Bool,
            ShapeType::Byte => Ty::Byte,
            ShapeType::Short => Ty::Short,
            ShapeType::Integer => Ty::Integer,
            ShapeType::Long => Ty::Long,
            ShapeType::Float => Ty::Float,
            ShapeType::Double => Ty::Double,
            ShapeType::Timestamp => Ty::Timestamp,
            ShapeType::Unit => return Err(unsupported(owner, "a reference to smithy.api#Unit")),
            ShapeType::Enum | ShapeType::IntEnum => {
                let name = rust_type_name(target)?;
                if !self.enums.contains_key(&name) {
                    let plan = self.enumeration(target, &name)?;
                    self.claim_name(&name, target)?;
                    self.enums.insert(name.clone(), plan);
                }
                if self.enums[&name].int {
                    // Members of an intEnum are plain `i32`s in Rust, as in the official SDK
                    // crates (the enum type names the values); the plan keeps the enum so the
                    // operation table can list its values.
                    Ty::IntEnum(name)
                } else {
                    Ty::Enum(name)
                }
            }
            ShapeType::List => {
                let list = self.index.shape(target)?;
                self.index.check_traits(target, &list.traits)?;
                let member = list
                    .member
                    .as_ref()
                    .ok_or_else(|| Error::new(format!("{target}: a list without a member")))?;
                self.index
                    .check_traits(&format!("{target}$member"), &member.traits)?;
                if has(&list.traits, "sparse") {
                    return Err(unsupported(target, "@sparse lists"));
                }
                Ty::List(Box::new(self.ty(target, &member.target)?))
            }
            ShapeType::Structure => {
                if self.io_shapes.contains(target) {
                    return Err(unsupported(
                        target,
                        "an operation input or output also used as a member",
                    ));
                }
                let shape = self.index.shape(target)?;
                if has(&shape.traits, "error") {
                    return Err(unsupported(target, "an error structure used as a member"));
                }
                let name = rust_type_name(target)?;
                if !self.structs.contains_key(&name) {
                    self.claim_name(&name, target)?;
                    if self.validates.contains_key(target) {
                        // A recursive reference: the structure is being planned right now.
                        return Err(unsupported(target, "recursive structures"));
                    }
                    let plan = self.structure(target, &name, "crate::types", StructRole::Plain)?;
                    self.structs.insert(name.clone(), plan);
                }
                Ty::Struct(name)
            }
        })
    }

    pub(super) fn enumeration(&mut self, id: &str, name: &str) -> Result<EnumPlan, Error> {
        let shape = self.index.shape(id)?;
        self.index.check_traits(id, &shape.traits)?;
        let int = shape.kind == "intEnum";
        let mut variants = Vec::new();
        let mut names = BTreeSet::new();
        for (member_name, member) in &shape.members.0 {
            let member_id = format!("{id}${member_name}");
            self.index.check_traits(&member_id, &member.traits)?;
            let value = match get(&member.traits, "enumValue") {
                Some(v) if int && v.is_i64() => {
                    let n = v.as_i64().unwrap_or_default();
                    if i32::try_from(n).is_err() {
                        return Err(Error::new(format!(
                            "{member_id}: intEnum value {n} does not fit in i32"
                        )));
                    }
                    v.clone()
                }
                Some(v) if !int && v.is_string() => v.clone(),
                None if !int => Value::String(member_name.clone()),
                _ => {
                    return Err(Error::new(format!(
                        "{member_id}: missing or mistyped @enumValue"
                    )))
                }
            };
            let variant = member_name.to_upper_camel_case();
            if variant == "Unknown" || !names.insert(variant.clone()) {
                return Err(unsupported(
                    &member_id,
                    &format!("the variant name {variant} (clashes)"),
                ));
            }
            variants.push(VariantPlan {
                doc: doc_or(
                    &member.traits,
                    &format!("The `{}` value.", value_text(&value)),
                ),
                name: variant,
                value,
            });
        }
        Ok(EnumPlan {
            name: name.to_owned(),
            int,
            variants,
            doc: doc_or(&shape.traits, &format!("The `{name}` enumeration.")),
        })
    }
}
