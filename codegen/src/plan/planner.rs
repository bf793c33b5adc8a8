//! The walk over the service: its operations (bound directly or through resources), then every
//! shape their inputs, outputs and errors reach.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::docs::html_to_lines;
use crate::index::{self, unsupported, Index};
use crate::{ExtraConstraint, Overlay};

mod auth;
mod constraints;
mod endpoint;
mod json_sides;
mod members;
mod operations;
mod service;
mod types;
mod validation;

use endpoint::endpoint_plan;
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
    let mut service_plan = service_facts(service_id, service)?;
    let service_auth = auth::service_auth(service_id, service)?;
    service_plan.auth = service_auth.clone();
    let endpoint = endpoint_plan(service_id, service)?;
    let mut planner = Planner {
        index,
        endpoint: endpoint.clone(),
        extra: extra.iter().map(|c| (c.member.clone(), c)).collect(),
        used_extra: BTreeSet::new(),
        plan: Plan::default(),
        structs: BTreeMap::new(),
        unions: BTreeMap::new(),
        struct_ids: BTreeMap::new(),
        enums: BTreeMap::new(),
        in_progress: BTreeSet::new(),
        service_auth,
        service_paginated: index::get(&service.traits, "paginated").cloned(),
    };
    for op in operations::service_operations(index, service_id, service)? {
        if let Some(reason) = planner.left_out(op)? {
            planner
                .plan
                .skipped
                .push((rust_type_name(op)?, reason.clone()));
            continue;
        }
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
    let mut plan = std::mem::take(&mut planner.plan);
    plan.service = service_plan;
    plan.service.endpoint = endpoint;
    validation::settle(&mut plan, &mut planner.structs, &mut planner.unions);
    json_sides::settle(&mut plan, &mut planner.structs, &planner.unions);
    for (_, s) in planner.structs {
        match s.role {
            StructRole::Error => plan.errors.push(s),
            _ => plan.structs.push(s),
        }
    }
    plan.unions = planner.unions.into_values().collect();
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
    /// Unions by Rust name.
    unions: BTreeMap<String, UnionPlan>,
    /// Shape id of each planned Rust type name, to catch name clashes.
    struct_ids: BTreeMap<String, String>,
    enums: BTreeMap<String, EnumPlan>,
    /// Structures and unions (by id) being planned: a reference to one of them closes a cycle.
    in_progress: BTreeSet<String>,
    /// The auth schemes of the service, in order of preference.
    service_auth: Vec<AuthScheme>,
    /// The service's `@paginated`, whose members operations inherit.
    service_paginated: Option<Value>,
}

impl Planner<'_, '_> {
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
                plain_data: true,
                json_sides: JsonSides::BOTH,
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
        // Operation inputs and outputs get types of their own, so they never close a cycle.
        let tracked = matches!(role, StructRole::Plain | StructRole::Error);
        if tracked {
            self.in_progress.insert(id.to_owned());
        }
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
        if tracked {
            self.in_progress.remove(id);
        }
        if members.iter().filter(|m| m.idempotency_token).count() > 1 {
            return Err(unsupported(id, "more than one @idempotencyToken member"));
        }
        check_payload(id, &members)?;
        let derives_default = members
            .iter()
            .all(|m| m.default.is_none() && (m.optional || self.type_defaults(&m.ty)));
        let plain_data = members.iter().all(|m| m.ty.is_plain_data());
        Ok(StructPlan {
            id: id.to_owned(),
            name: name.to_owned(),
            module: module.to_owned(),
            doc: doc_or(&shape.traits, &format!("The `{name}` structure.")),
            role,
            members,
            validates: false,
            derives_default,
            plain_data,
            json_sides: JsonSides::BOTH,
        })
    }

    fn type_defaults(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Timestamp | Ty::Union(_) => false,
            Ty::Struct(name) => self.structs.get(name).is_some_and(|s| s.derives_default),
            Ty::Boxed(inner) => self.type_defaults(inner),
            _ => true,
        }
    }
}

/// A structure with an `@httpPayload` member binds every other member outside the body.
fn check_payload(id: &str, members: &[MemberPlan]) -> Result<(), Error> {
    let payloads = members
        .iter()
        .filter(|m| m.binding == Binding::Payload)
        .count();
    if payloads > 1 {
        return Err(unsupported(id, "more than one @httpPayload member"));
    }
    if payloads == 1 {
        if let Some(body) = members.iter().find(|m| m.binding == Binding::Body) {
            return Err(Error::new(format!(
                "{id}${}: a body member beside an @httpPayload member (bind it to the URI, \
                 query string or headers)",
                body.name
            )));
        }
    }
    if let Some(stream) = members
        .iter()
        .find(|m| m.ty == Ty::Stream && m.binding != Binding::Payload)
    {
        return Err(unsupported(
            &format!("{id}${}", stream.name),
            "a @streaming blob that is not the @httpPayload",
        ));
    }
    Ok(())
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn doc_or(traits: &BTreeMap<String, Value>, fallback: &str) -> Vec<String> {
    match index::get_str(traits, "documentation").map(html_to_lines) {
        Some(lines) if !lines.is_empty() => lines,
        _ => vec![fallback.to_owned()],
    }
}
