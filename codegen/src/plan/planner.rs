//! The walk over the service: operations, then every shape their inputs, outputs and errors reach.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToKebabCase;
use serde_json::Value;

use super::http::{binding, pagination, parse_uri, timestamp_format};
use super::*;
use crate::docs::html_to_lines;
use crate::index::{self, get, get_str, has, unsupported, Index, ShapeType};
use crate::model::Member;
use crate::{ExtraConstraint, Overlay};

mod constraints;
mod endpoint;
mod service;
mod types;

use endpoint::{endpoint_plan, operation_context};
use service::{retryable_errors, service_facts};

/// Names a generated type may not take, because generated code uses them unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Iterator",
    "From",
    "Into",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "PartialEq",
    "Eq",
    "Self",
    "DateTime",
    "BuildError",
];

/// Method names of fluent builders that an input member may not take.
const FLUENT_METHODS: &[&str] = &[
    "new",
    "send",
    "as_input",
    "into_paginator",
    "inner",
    "handle",
];

/// Builds the plan of a service.
pub fn plan(index: &Index<'_>, overlay: &Overlay) -> Result<Plan, Error> {
    let extra = &overlay.constraints;
    let (service_id, service) = index.service()?;
    index.check_traits(service_id, &service.traits)?;
    if !service.traits.contains_key("aws.protocols#restJson1") {
        return Err(unsupported(
            service_id,
            "a service without the aws.protocols#restJson1 protocol",
        ));
    }
    if !service.resources.is_empty() {
        return Err(unsupported(
            service_id,
            "resources on the service (list operations directly)",
        ));
    }
    let service_plan = service_facts(service_id, service)?;
    let endpoint = endpoint_plan(service_id, service)?;
    let mut planner = Planner {
        index,
        endpoint: endpoint.clone(),
        extra: extra.iter().map(|c| (c.member.clone(), c)).collect(),
        used_extra: BTreeSet::new(),
        plan: Plan::default(),
        structs: BTreeMap::new(),
        struct_ids: BTreeMap::new(),
        enums: BTreeMap::new(),
        validates: HashMap::new(),
        io_shapes: BTreeSet::new(),
    };
    let mut operations: Vec<&str> = service
        .operations
        .iter()
        .map(|t| t.target.as_str())
        .collect();
    operations.sort_by_key(|id| local_name(id));
    for op in &operations {
        for io in [&index.shape(op)?.input, &index.shape(op)?.output]
            .into_iter()
            .flatten()
        {
            if io.target != "smithy.api#Unit" && !planner.io_shapes.insert(io.target.clone()) {
                return Err(unsupported(
                    &io.target,
                    "a structure used as input or output of two operations",
                ));
            }
        }
    }
    for op in operations {
        let op_plan = planner.operation(op, &service.errors)?;
        planner.plan.operations.push(op_plan);
    }
    for member in planner.extra.keys() {
        if !planner.used_extra.contains(member) {
            return Err(Error::new(format!(
                "extra constraint names {member}, which is not a member the service uses"
            )));
        }
    }
    let mut plan = planner.plan;
    plan.service = service_plan;
    plan.service.endpoint = endpoint;
    // Only structures an input can reach are validated.
    let mut reachable = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for op in &mut plan.operations {
        collect_structs(&op.input.members, &mut pending);
        op.output.validates = false;
    }
    while let Some(name) = pending.pop() {
        if reachable.insert(name.clone()) {
            if let Some(s) = planner.structs.get(&name) {
                collect_structs(&s.members, &mut pending);
            }
        }
    }
    for s in planner.structs.values_mut() {
        if !reachable.contains(&s.name) {
            s.validates = false;
        }
    }
    for (_, s) in planner.structs {
        match s.role {
            StructRole::Error => plan.errors.push(s),
            _ => plan.structs.push(s),
        }
    }
    plan.enums = planner.enums.into_values().collect();
    plan.service.retryable = retryable_errors(index, &plan.errors, overlay)?;
    Ok(plan)
}

struct Planner<'a, 'm> {
    index: &'a Index<'m>,
    /// The service's endpoint rules, which operations give parameters to.
    endpoint: EndpointPlan,
    extra: BTreeMap<String, &'a ExtraConstraint>,
    used_extra: BTreeSet<String>,
    plan: Plan,
    /// Plain and error structures by Rust name.
    structs: BTreeMap<String, StructPlan>,
    /// Shape id of each planned Rust type name, to catch name clashes.
    struct_ids: BTreeMap<String, String>,
    enums: BTreeMap<String, EnumPlan>,
    /// Whether a structure (by id) has checks; `None` while being planned.
    validates: HashMap<String, Option<bool>>,
    /// Shapes used as operation inputs or outputs.
    io_shapes: BTreeSet<String>,
}

impl Planner<'_, '_> {
    fn operation(
        &mut self,
        id: &str,
        service_errors: &[crate::model::Target],
    ) -> Result<OperationPlan, Error> {
        let shape = self.index.shape(id)?;
        if shape.kind != "operation" {
            return Err(Error::new(format!(
                "{id} is listed as an operation but is a {}",
                shape.kind
            )));
        }
        self.index.check_traits(id, &shape.traits)?;
        let name = rust_type_name(id)?;
        let snake = name.to_snake_case();
        let http = get(&shape.traits, "http")
            .ok_or_else(|| unsupported(id, "an operation without @http"))?;
        let method = http
            .get("method")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(format!("{id}: @http has no method")))?
            .to_owned();
        let uri = http
            .get("uri")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(format!("{id}: @http has no uri")))?;
        let readonly = has(&shape.traits, "readonly");
        let idempotent = has(&shape.traits, "idempotent");
        let module = format!("crate::operation::{snake}");
        let input_id = shape
            .input
            .as_ref()
            .map_or("smithy.api#Unit", |t| t.target.as_str());
        let output_id = shape
            .output
            .as_ref()
            .map_or("smithy.api#Unit", |t| t.target.as_str());
        let input = self.structure(
            input_id,
            &format!("{name}Input"),
            &module,
            StructRole::Input,
        )?;
        let output = self.structure(
            output_id,
            &format!("{name}Output"),
            &module,
            StructRole::Output,
        )?;
        if FLUENT_METHODS
            .iter()
            .any(|m| input.members.iter().any(|x| x.field == *m))
        {
            return Err(unsupported(
                input_id,
                "a member named like a fluent builder method",
            ));
        }
        for m in &output.members {
            if matches!(m.binding, Binding::Label | Binding::Query(_)) {
                return Err(unsupported(
                    &format!("{output_id}${}", m.name),
                    "a label or query binding on an output",
                ));
            }
        }
        let (path, static_query) = parse_uri(id, uri, &input)?;
        let mut errors = BTreeSet::new();
        for target in shape.errors.iter().chain(service_errors) {
            let error_name = rust_type_name(&target.target)?;
            let error = self.index.shape(&target.target)?;
            if error.kind != "structure" || !has(&error.traits, "error") {
                return Err(Error::new(format!(
                    "{}: listed as an error but has no @error trait",
                    target.target
                )));
            }
            if !self.structs.contains_key(&error_name) {
                let plan = self.structure(
                    &target.target,
                    &error_name,
                    "crate::types::error",
                    StructRole::Error,
                )?;
                if plan.members.iter().any(|m| m.binding != Binding::Body) {
                    return Err(unsupported(
                        &target.target,
                        "HTTP bindings on error members",
                    ));
                }
                self.claim_name(&error_name, &target.target)?;
                self.structs.insert(error_name.clone(), plan);
            }
            errors.insert(error_name);
        }
        let pagination = match get(&shape.traits, "paginated") {
            Some(p) => Some(pagination(id, p, &input, &output)?),
            None => None,
        };
        let input_shape = match input_id {
            "smithy.api#Unit" => None,
            other => Some(self.index.shape(other)?),
        };
        let endpoint = operation_context(id, shape, &input, input_shape, &self.endpoint)?;
        Ok(OperationPlan {
            kebab: name.to_kebab_case(),
            snake,
            doc: doc_or(&shape.traits, &format!("Calls the `{name}` operation.")),
            method,
            uri: uri.to_owned(),
            readonly,
            idempotent,
            path,
            static_query,
            input,
            output,
            errors: errors.into_iter().collect(),
            pagination,
            endpoint,
            name,
        })
    }

    fn claim_name(&mut self, name: &str, id: &str) -> Result<(), Error> {
        if RESERVED_TYPE_NAMES.contains(&name) {
            return Err(unsupported(
                id,
                &format!("the type name {name}, which clashes with a Rust prelude name"),
            ));
        }
        match self.struct_ids.get(name) {
            Some(other) if other != id => Err(Error::new(format!(
                "shapes {other} and {id} would both be named {name} in Rust"
            ))),
            _ => {
                self.struct_ids.insert(name.to_owned(), id.to_owned());
                Ok(())
            }
        }
    }

    fn structure(
        &mut self,
        id: &str,
        name: &str,
        module: &str,
        role: StructRole,
    ) -> Result<StructPlan, Error> {
        if id == "smithy.api#Unit" {
            return Ok(StructPlan {
                id: id.to_owned(),
                name: name.to_owned(),
                module: module.to_owned(),
                doc: vec![format!("The `{name}` structure (it has no members).")],
                role,
                members: Vec::new(),
                validates: false,
                derives_default: true,
            });
        }
        let shape = self.index.shape(id)?;
        if shape.kind != "structure" {
            return Err(Error::new(format!(
                "{id} is used as a structure but is a {}",
                shape.kind
            )));
        }
        if !shape.mixins.is_empty() {
            return Err(unsupported(
                id,
                "mixins (flatten them into the shape first)",
            ));
        }
        self.index.check_traits(id, &shape.traits)?;
        self.validates.insert(id.to_owned(), None);
        let mut members = Vec::new();
        let mut fields = BTreeSet::new();
        for (member_name, member) in &shape.members.0 {
            let plan = self.member(id, member_name, member, &role)?;
            if !fields.insert(plan.field.clone()) {
                return Err(unsupported(
                    &format!("{id}${member_name}"),
                    &format!("two members that both become the Rust field {}", plan.field),
                ));
            }
            members.push(plan);
        }
        if members.iter().filter(|m| m.idempotency_token).count() > 1 {
            return Err(unsupported(id, "more than one @idempotencyToken member"));
        }
        let validates = members
            .iter()
            .any(|m| !m.checks.is_empty() || (m.optional && m.required));
        self.validates.insert(id.to_owned(), Some(validates));
        let derives_default = members
            .iter()
            .all(|m| m.default.is_none() && (m.optional || self.type_defaults(&m.ty)));
        Ok(StructPlan {
            id: id.to_owned(),
            name: name.to_owned(),
            module: module.to_owned(),
            doc: doc_or(&shape.traits, &format!("The `{name}` structure.")),
            role,
            members,
            validates,
            derives_default,
        })
    }

    fn type_defaults(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Timestamp => false,
            Ty::Struct(name) => self.structs.get(name).is_some_and(|s| s.derives_default),
            _ => true,
        }
    }

    fn member(
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
        let target_traits = match self.index.shape_type(&member.target)? {
            ShapeType::Unit => {
                return Err(unsupported(
                    &member_id,
                    "a member targeting smithy.api#Unit",
                ))
            }
            _ if member.target.starts_with("smithy.api#")
                && self.index.shape(&member.target).is_err() =>
            {
                BTreeMap::new()
            }
            _ => {
                let target = self.index.shape(&member.target)?;
                self.index.check_traits(&member.target, &target.traits)?;
                target.traits.clone()
            }
        };
        let ty = self.ty(&member_id, &member.target)?;
        let binding = binding(&member_id, &traits)?;
        if let Ty::List(inner) = &ty {
            if **inner == Ty::Timestamp {
                return Err(unsupported(&member_id, "a list of timestamps"));
            }
        }
        if let (Ty::List(_), Binding::Header(_) | Binding::Label) = (&ty, &binding) {
            return Err(unsupported(&member_id, "a list bound to a header or label"));
        }
        if let (Ty::Struct(_) | Ty::List(_), Binding::Query(_)) = (&ty, &binding) {
            if !matches!(&ty, Ty::List(inner) if !matches!(**inner, Ty::Struct(_) | Ty::List(_))) {
                return Err(unsupported(
                    &member_id,
                    "a structure or nested list bound to the query string",
                ));
            }
        }
        if matches!(ty, Ty::Struct(_)) && binding != Binding::Body {
            return Err(unsupported(
                &member_id,
                "a structure bound to a header or label",
            ));
        }
        let required = has(&traits, "required");
        let client_optional = has(&traits, "clientOptional");
        let default = match get(&traits, "default") {
            Some(value) if *role != StructRole::Input && !client_optional => {
                Some(default_value(&member_id, value, &ty)?)
            }
            _ => None,
        };
        // A required member whose type has no zero value (a structure) is still optional, as
        // the official SDK crates' nullability rules make it.
        let optional = *role == StructRole::Input
            || client_optional
            || (!required && default.is_none())
            || (matches!(ty, Ty::Struct(_)) && default.is_none());
        let timestamp_format = match inner_scalar(&ty) {
            Ty::Timestamp => Some(timestamp_format(
                &member_id,
                get_str(&traits, "timestampFormat")
                    .or_else(|| get_str(&target_traits, "timestampFormat")),
                &binding,
            )?),
            _ => None,
        };
        let sensitive = has(&traits, "sensitive")
            || has(&target_traits, "sensitive")
            || self.list_is_sensitive(&member.target)?;
        let idempotency_token = has(&traits, "idempotencyToken");
        if idempotency_token && ty != Ty::String {
            return Err(unsupported(
                &member_id,
                "an @idempotencyToken member that is not a string",
            ));
        }
        let checks = self.checks(&member_id, &ty, &traits, &target_traits, &member.target)?;
        let value_defaults = self.type_defaults(&ty);
        Ok(MemberPlan {
            field: field_name(name),
            json_name: get_str(&traits, "jsonName").unwrap_or(name).to_owned(),
            doc: doc_or(&traits, &format!("The `{name}` member.")),
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
        })
    }

    fn list_is_sensitive(&self, target: &str) -> Result<bool, Error> {
        if self.index.shape_type(target)? != ShapeType::List {
            return Ok(false);
        }
        let list = self.index.shape(target)?;
        let Some(member) = &list.member else {
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

fn collect_structs(members: &[MemberPlan], out: &mut Vec<String>) {
    for m in members {
        if let Ty::Struct(name) = inner_scalar(&m.ty) {
            out.push(name.clone());
        }
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn inner_scalar(ty: &Ty) -> &Ty {
    match ty {
        Ty::List(inner) => inner_scalar(inner),
        other => other,
    }
}

fn default_value(member_id: &str, value: &Value, ty: &Ty) -> Result<DefaultValue, Error> {
    Ok(match (value, ty) {
        (Value::String(s), Ty::String | Ty::Enum(_)) => DefaultValue::Str(s.clone()),
        (Value::Bool(b), Ty::Bool) => DefaultValue::Bool(*b),
        (
            Value::Number(n),
            Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double | Ty::IntEnum(_),
        ) => DefaultValue::Number(n.clone()),
        (Value::Array(a), Ty::List(_)) if a.is_empty() => DefaultValue::EmptyList,
        _ => {
            return Err(unsupported(
                member_id,
                &format!("the @default value {value}"),
            ))
        }
    })
}

fn doc_or(traits: &BTreeMap<String, Value>, fallback: &str) -> Vec<String> {
    match index::get_str(traits, "documentation").map(html_to_lines) {
        Some(lines) if !lines.is_empty() => lines,
        _ => vec![fallback.to_owned()],
    }
}
