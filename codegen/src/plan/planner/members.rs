//! One member of a structure or union: its Rust type and field, where it travels, whether it is
//! optional, its default, timestamp format, media type and checks.
//!
//! Nullability follows Smithy 2.0 as the official SDKs read it: every member of an operation
//! input is optional (the caller may leave anything out and the service decides); elsewhere a
//! member is required when it is `@required` and not `@clientOptional` (unless it targets a
//! structure, which has no zero value), or when it has a `@default` (then it takes that value
//! when absent). A `@streaming` payload is never optional:
//! it is empty when nothing is set.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::http::{binding, timestamp_format};
use super::Planner;
use crate::index::{get, get_str, has, unsupported, ShapeType};
use crate::model::Member;
use crate::plan::*;
use crate::Error;

/// The traits of a shape or member, by id.
type Traits = BTreeMap<String, Value>;

impl Planner<'_, '_> {
    pub(super) fn member(
        &mut self,
        owner: &str,
        name: &str,
        member: &Member,
        role: &StructRole,
    ) -> Result<MemberPlan, Error> {
        let member_id = format!("{owner}${name}");
        let mut traits = member.traits.clone();
        if let Some(extra) = self.extra.get(&member_id) {
            if let Some((min, max)) = extra.length {
                let mut length = serde_json::Map::new();
                if let Some(min) = min {
                    length.insert("min".into(), min.into());
                }
                if let Some(max) = max {
                    length.insert("max".into(), max.into());
                }
                traits.insert("smithy.api#length".into(), Value::Object(length));
            }
            self.used_extra.insert(member_id.clone());
        }
        self.index.check_traits(&member_id, &traits)?;
        if self.index.shape_type(&member.target)? == ShapeType::Unit {
            return Err(unsupported(
                &member_id,
                "a structure member targeting smithy.api#Unit",
            ));
        }
        let target_traits = self.target_traits(&member.target)?;
        let mut ty = self.ty(&member_id, &member.target)?;
        if self.closes_cycle(&member.target)? {
            // The member closes a cycle of structures or unions: it holds the value in a box.
            ty = Ty::Boxed(Box::new(ty));
        }
        let binding = role_binding(binding(&member_id, &traits)?, role);
        check_binding(&member_id, &ty, &binding, role)?;
        let required = has(&traits, "required");
        let client_optional = has(&traits, "clientOptional");
        let default = match get(&traits, "default") {
            Some(value) if *role != StructRole::Input && !client_optional => {
                default_value(&member_id, value, &ty)?
            }
            _ => None,
        };
        // A required member whose type has no zero value (a structure) is still optional, as
        // the official SDK crates' nullability rules make it.
        let optional = ty != Ty::Stream
            && (*role == StructRole::Input
                || client_optional
                || (!required && default.is_none())
                || (matches!(ty, Ty::Struct(_)) && default.is_none()));
        let timestamp_format = match ty.innermost() {
            Ty::Timestamp => {
                let (member_traits, target_traits) =
                    self.timestamp_traits(&member.target, &traits, &target_traits)?;
                Some(timestamp_format(
                    &member_id,
                    get_str(&member_traits, "timestampFormat")
                        .or_else(|| get_str(&target_traits, "timestampFormat")),
                    &binding,
                )?)
            }
            _ => None,
        };
        let sensitive = has(&traits, "sensitive")
            || has(&target_traits, "sensitive")
            || self.elements_are_sensitive(&member.target)?;
        let idempotency_token = has(&traits, "idempotencyToken");
        if idempotency_token && ty != Ty::String {
            return Err(unsupported(
                &member_id,
                "an @idempotencyToken member that is not a string",
            ));
        }
        let host_label = has(&traits, "hostLabel");
        if host_label && (ty != Ty::String || *role != StructRole::Input) {
            return Err(unsupported(
                &member_id,
                "a @hostLabel that is not a string member of an operation input",
            ));
        }
        let media_type = get_str(&target_traits, "mediaType").map(str::to_owned);
        let checks = self.checks(&member_id, &ty, &traits, &target_traits, &member.target)?;
        let value_defaults = self.type_defaults(&ty);
        Ok(MemberPlan {
            field: field_name(name),
            json_name: get_str(&traits, "jsonName").unwrap_or(name).to_owned(),
            doc: super::doc_or(&traits, &format!("The `{name}` member.")),
            name: name.to_owned(),
            ty,
            optional,
            required,
            default,
            binding,
            timestamp_format,
            sensitive,
            checks,
            idempotency_token,
            value_defaults,
            media_type,
            host_label,
        })
    }

    /// The traits of a member's target shape (none for a prelude shape).
    pub(super) fn target_traits(&self, target: &str) -> Result<BTreeMap<String, Value>, Error> {
        if target.starts_with("smithy.api#") && self.index.shape(target).is_err() {
            return Ok(BTreeMap::new());
        }
        let shape = self.index.shape(target)?;
        self.index.check_traits(target, &shape.traits)?;
        Ok(shape.traits.clone())
    }

    /// Whether a member targets a structure or union that is being planned right now: the
    /// member then closes a cycle.
    pub(super) fn closes_cycle(&self, target: &str) -> Result<bool, Error> {
        Ok(match self.index.shape_type(target)? {
            ShapeType::Structure | ShapeType::Union => self.in_progress.contains(target),
            _ => false,
        })
    }

    /// The member and target traits that decide the format of a member's timestamps: its own
    /// for a timestamp member, else those of the innermost list or map member that holds them.
    fn timestamp_traits(
        &self,
        target: &str,
        traits: &BTreeMap<String, Value>,
        target_traits: &BTreeMap<String, Value>,
    ) -> Result<(Traits, Traits), Error> {
        let mut member_traits = traits.clone();
        let mut target_traits = target_traits.clone();
        let mut target = target.to_owned();
        loop {
            let inner = match self.index.shape_type(&target)? {
                ShapeType::List => self.index.shape(&target)?.member.clone(),
                ShapeType::Map => self.index.shape(&target)?.value.clone(),
                _ => return Ok((member_traits, target_traits)),
            };
            let inner = inner.ok_or_else(|| Error::new(format!("{target}: no member")))?;
            member_traits = inner.traits.clone();
            target_traits = self.target_traits(&inner.target)?;
            target = inner.target;
        }
    }

    /// Whether the elements of a list (or values of a map) are `@sensitive`.
    fn elements_are_sensitive(&self, target: &str) -> Result<bool, Error> {
        let shape = match self.index.shape_type(target)? {
            ShapeType::List | ShapeType::Map => self.index.shape(target)?,
            _ => return Ok(false),
        };
        let Some(member) = shape.member.as_ref().or(shape.value.as_ref()) else {
            return Ok(false);
        };
        if has(&member.traits, "sensitive") {
            return Ok(true);
        }
        match self.index.shape(&member.target) {
            Ok(shape) if has(&shape.traits, "sensitive") => Ok(true),
            _ => Ok(false),
        }
    }
}

/// The binding a member has in this role. Labels, query parameters and query maps only mean
/// something in an operation input, a response code only in an output, and no binding in a
/// structure nested in another; elsewhere the member travels in the body, as Smithy defines.
fn role_binding(binding: Binding, role: &StructRole) -> Binding {
    match (&binding, role) {
        (Binding::Label | Binding::Query(_) | Binding::QueryParams, StructRole::Input) => binding,
        (Binding::Label | Binding::Query(_) | Binding::QueryParams, _) => Binding::Body,
        (Binding::ResponseCode, StructRole::Output) => binding,
        (Binding::ResponseCode, _) => Binding::Body,
        (_, StructRole::Plain) => Binding::Body,
        _ => binding,
    }
}

/// What each binding can carry.
fn check_binding(
    member_id: &str,
    ty: &Ty,
    binding: &Binding,
    role: &StructRole,
) -> Result<(), Error> {
    let scalar = |t: &Ty| {
        matches!(
            t,
            Ty::String
                | Ty::Bool
                | Ty::Byte
                | Ty::Short
                | Ty::Integer
                | Ty::Long
                | Ty::Float
                | Ty::Double
                | Ty::Timestamp
                | Ty::Enum(_)
                | Ty::IntEnum(_)
                | Ty::BigInteger
                | Ty::BigDecimal
        )
    };
    let scalar_or_list = |t: &Ty| match t {
        Ty::List(inner) => scalar(inner) || **inner == Ty::Blob,
        other => scalar(other) || *other == Ty::Blob,
    };
    let ok = match binding {
        Binding::Body => *ty != Ty::Stream,
        Binding::Label => scalar(ty),
        Binding::Query(_) | Binding::Header(_) => scalar_or_list(ty),
        Binding::QueryParams => matches!(
            ty,
            Ty::Map(_, value) if **value == Ty::String || **value == Ty::List(Box::new(Ty::String))
        ),
        Binding::PrefixHeaders(_) => {
            matches!(ty, Ty::Map(_, value) if **value == Ty::String)
        }
        Binding::Payload => {
            matches!(
                ty.innermost(),
                Ty::Struct(_)
                    | Ty::Union(_)
                    | Ty::Document
                    | Ty::String
                    | Ty::Blob
                    | Ty::Stream
                    | Ty::Enum(_)
            ) && !matches!(ty, Ty::List(_) | Ty::Map(..))
        }
        Binding::ResponseCode => *ty == Ty::Integer && *role == StructRole::Output,
    };
    if ok {
        Ok(())
    } else {
        Err(unsupported(
            member_id,
            &format!("this type bound as {binding:?}"),
        ))
    }
}

fn default_value(member_id: &str, value: &Value, ty: &Ty) -> Result<Option<DefaultValue>, Error> {
    Ok(Some(match (value, ty) {
        (Value::Null, _) => return Ok(None),
        (Value::String(s), Ty::String | Ty::Enum(_)) => DefaultValue::Str(s.clone()),
        (Value::Bool(b), Ty::Bool) => DefaultValue::Bool(*b),
        (
            Value::Number(n),
            Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double | Ty::IntEnum(_),
        ) => DefaultValue::Number(n.clone()),
        (Value::Array(a), Ty::List(_)) if a.is_empty() => DefaultValue::EmptyList,
        (Value::Object(o), Ty::Map(..)) if o.is_empty() => DefaultValue::EmptyMap,
        (Value::String(s), Ty::Blob) if s.is_empty() => DefaultValue::Blob(Vec::new()),
        // A stream is empty unless set: the default it already has.
        (Value::String(s), Ty::Stream) if s.is_empty() => return Ok(None),
        (value, Ty::Document) => DefaultValue::Document(value.clone()),
        (Value::Number(n), Ty::Timestamp) => {
            DefaultValue::Timestamp(n.as_f64().unwrap_or_default())
        }
        _ => {
            return Err(unsupported(
                member_id,
                &format!("the @default value {value}"),
            ))
        }
    }))
}
