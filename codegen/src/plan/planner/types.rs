//! Member target shapes turned into Rust types: scalars, blobs, documents, big numbers, lists,
//! maps, structures, unions and enums (including strings with the Smithy 1.0 `@enum` trait).

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::{doc_or, value_text, Planner};
use crate::index::{get, has, unsupported, ShapeType};
use crate::plan::{
    field_name, rust_type_name, Binding, EnumPlan, MemberPlan, StructRole, Ty, UnionPlan,
    VariantPlan,
};
use crate::Error;

impl Planner<'_, '_> {
    /// The Rust type of a target shape, planning the structure, union or enum it names.
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
            ShapeType::BigInteger => Ty::BigInteger,
            ShapeType::BigDecimal => Ty::BigDecimal,
            ShapeType::Document => Ty::Document,
            ShapeType::Blob => {
                let streaming = self
                    .index
                    .shape(target)
                    .is_ok_and(|s| has(&s.traits, "streaming"));
                if streaming {
                    Ty::Stream
                } else {
                    Ty::Blob
                }
            }
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
                let member_id = format!("{target}$member");
                self.index.check_traits(&member_id, &member.traits)?;
                let element = self.element(&member_id, &member.target)?;
                Ty::List(Box::new(sparse(element, has(&list.traits, "sparse"))))
            }
            ShapeType::Map => {
                let map = self.index.shape(target)?;
                self.index.check_traits(target, &map.traits)?;
                let (Some(key), Some(value)) = (&map.key, &map.value) else {
                    return Err(Error::new(format!(
                        "{target}: a map without a key or value"
                    )));
                };
                self.index
                    .check_traits(&format!("{target}$key"), &key.traits)?;
                let value_id = format!("{target}$value");
                self.index.check_traits(&value_id, &value.traits)?;
                let key_ty = self.ty(&format!("{target}$key"), &key.target)?;
                if !matches!(key_ty, Ty::String | Ty::Enum(_)) {
                    return Err(unsupported(target, "a map whose keys are not strings"));
                }
                let value_ty = self.element(&value_id, &value.target)?;
                Ty::Map(
                    Box::new(key_ty),
                    Box::new(sparse(value_ty, has(&map.traits, "sparse"))),
                )
            }
            ShapeType::Structure => {
                let shape = self.index.shape(target)?;
                if has(&shape.traits, "error") {
                    return Err(unsupported(target, "an error structure used as a member"));
                }
                let name = rust_type_name(target)?;
                if !self.structs.contains_key(&name) && !self.in_progress.contains(target) {
                    self.claim_name(&name, target)?;
                    let plan = self.structure(target, &name, "crate::types", StructRole::Plain)?;
                    self.structs.insert(name.clone(), plan);
                }
                Ty::Struct(name)
            }
            ShapeType::Union => {
                let shape = self.index.shape(target)?;
                if has(&shape.traits, "streaming") {
                    return Err(unsupported(
                        owner,
                        "an event stream (a @streaming union) outside an operation's input or \
                         output",
                    ));
                }
                let name = rust_type_name(target)?;
                if !self.unions.contains_key(&name) && !self.in_progress.contains(target) {
                    self.claim_name(&name, target)?;
                    let plan = self.union(target, &name)?;
                    self.unions.insert(name.clone(), plan);
                }
                Ty::Union(name)
            }
        })
    }

    /// The type of a list element or map value: a direct reference to a structure being planned
    /// needs no box, since the collection already holds it behind a pointer.
    fn element(&mut self, member_id: &str, target: &str) -> Result<Ty, Error> {
        if self.index.shape_type(target)? == ShapeType::Unit {
            return Err(unsupported(member_id, "a collection of smithy.api#Unit"));
        }
        self.ty(member_id, target)
    }

    fn union(&mut self, id: &str, name: &str) -> Result<UnionPlan, Error> {
        let shape = self.index.shape(id)?;
        self.index.check_traits(id, &shape.traits)?;
        if shape.members.0.is_empty() {
            return Err(unsupported(id, "a union without members"));
        }
        self.in_progress.insert(id.to_owned());
        let mut members = Vec::new();
        let mut variants = BTreeSet::new();
        for (member_name, member) in &shape.members.0 {
            let member_id = format!("{id}${member_name}");
            let plan = if self.index.shape_type(&member.target)? == ShapeType::Unit {
                self.index.check_traits(&member_id, &member.traits)?;
                unit_member(member_name, &member.traits)
            } else {
                self.member(id, member_name, member, &StructRole::Plain)?
            };
            let variant = member_name.to_upper_camel_case();
            if variant == "Unknown" || !variants.insert(variant.clone()) {
                return Err(unsupported(
                    &member_id,
                    &format!("the variant name {variant} (clashes)"),
                ));
            }
            members.push(MemberPlan {
                // A variant always holds its value.
                optional: false,
                default: None,
                ..plan
            });
        }
        self.in_progress.remove(id);
        Ok(UnionPlan {
            id: id.to_owned(),
            name: name.to_owned(),
            members,
            doc: doc_or(&shape.traits, &format!("The `{name}` union.")),
            validates: false,
        })
    }

    pub(super) fn enumeration(&mut self, id: &str, name: &str) -> Result<EnumPlan, Error> {
        let shape = self.index.shape(id)?;
        self.index.check_traits(id, &shape.traits)?;
        if shape.kind == "string" {
            return enum_trait(id, name, shape);
        }
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
            let variant = variant_name(member_name);
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

fn sparse(ty: Ty, sparse: bool) -> Ty {
    if sparse {
        Ty::Option(Box::new(ty))
    } else {
        ty
    }
}

/// A union member targeting `smithy.api#Unit`: a variant without a value.
fn unit_member(name: &str, traits: &std::collections::BTreeMap<String, Value>) -> MemberPlan {
    MemberPlan {
        name: name.to_owned(),
        field: field_name(name),
        json_name: crate::index::get_str(traits, "jsonName")
            .unwrap_or(name)
            .to_owned(),
        ty: Ty::Unit,
        optional: false,
        required: false,
        default: None,
        binding: Binding::Body,
        timestamp_format: None,
        sensitive: false,
        doc: doc_or(traits, &format!("The `{name}` member.")),
        checks: Default::default(),
        idempotency_token: false,
        value_defaults: true,
        media_type: None,
        host_label: false,
    }
}

/// A Rust variant name for an enum member or `@enum` value: UpperCamelCase, and starting with a
/// letter (`_1` for the value `1`).
fn variant_name(text: &str) -> String {
    let name = text.to_upper_camel_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("_{name}"),
    }
}

/// The variants of a string with the Smithy 1.0 `@enum` trait: each entry's `name`, else its
/// value, gives the variant's name.
fn enum_trait(id: &str, name: &str, shape: &crate::model::Shape) -> Result<EnumPlan, Error> {
    let entries = get(&shape.traits, "enum")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new(format!("{id}: @enum is not a list")))?;
    let mut variants = Vec::new();
    let mut names = BTreeSet::new();
    for entry in entries {
        let value = entry
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(format!("{id}: an @enum entry without a string value")))?;
        let source = entry.get("name").and_then(Value::as_str).unwrap_or(value);
        let variant = variant_name(source);
        if variant == "_" || variant == "Unknown" || !names.insert(variant.clone()) {
            return Err(unsupported(
                id,
                &format!("the @enum value {value:?}, whose variant name {variant} clashes"),
            ));
        }
        let doc = match entry.get("documentation").and_then(Value::as_str) {
            Some(html) => {
                let lines = crate::docs::html_to_lines(html);
                if lines.is_empty() {
                    vec![format!("The `{value}` value.")]
                } else {
                    lines
                }
            }
            None => vec![format!("The `{value}` value.")],
        };
        variants.push(VariantPlan {
            name: variant,
            value: Value::String(value.to_owned()),
            doc,
        });
    }
    Ok(EnumPlan {
        name: name.to_owned(),
        int: false,
        variants,
        doc: doc_or(&shape.traits, &format!("The `{name}` enumeration.")),
    })
}
