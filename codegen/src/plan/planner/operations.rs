//! Operations: found on the service and its resources, planned with their inputs, outputs,
//! errors, bindings, host prefix, auth and pagination. Operations with event streams are left
//! out.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase};
use serde_json::Value;

use super::super::http::{pagination, parse_host_prefix, parse_uri};
use super::endpoint::operation_context;
use super::{doc_or, Planner};
use crate::index::{get, has, local_name, unsupported, Index, ShapeType};
use crate::model::{Shape, Target};
use crate::plan::*;
use crate::Error;

/// Method names of fluent builders that an input member may not take.
const FLUENT_METHODS: &[&str] = &[
    "new",
    "send",
    "as_input",
    "into_paginator",
    "inner",
    "handle",
];

/// Every operation of the service: those it lists and those of its resources (lifecycle,
/// instance and collection operations, and those of nested resources), sorted by name. Two
/// operations with the same name in different namespaces would clash in Rust and are an error.
pub(super) fn service_operations<'m>(
    index: &Index<'m>,
    service_id: &str,
    service: &'m Shape,
) -> Result<Vec<&'m str>, Error> {
    let mut found: BTreeSet<&'m str> = service
        .operations
        .iter()
        .map(|t| t.target.as_str())
        .collect();
    let mut resources: Vec<&'m Target> = service.resources.iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(resource) = resources.pop() {
        if !seen.insert(resource.target.as_str()) {
            continue;
        }
        let shape = index.shape(&resource.target)?;
        if shape.kind != "resource" {
            return Err(Error::new(format!(
                "{} is listed as a resource but is a {}",
                resource.target, shape.kind
            )));
        }
        index.check_traits(&resource.target, &shape.traits)?;
        for op in shape
            .lifecycle
            .operations()
            .chain(&shape.operations)
            .chain(&shape.collection_operations)
        {
            found.insert(op.target.as_str());
        }
        resources.extend(&shape.resources);
    }
    let mut operations: Vec<&'m str> = found.into_iter().collect();
    operations.sort_by_key(|id| local_name(id));
    for pair in operations.windows(2) {
        if local_name(pair[0]) == local_name(pair[1]) {
            return Err(Error::new(format!(
                "{service_id}: operations {} and {} would both be named {} in Rust",
                pair[0],
                pair[1],
                local_name(pair[0])
            )));
        }
    }
    Ok(operations)
}

impl Planner<'_, '_> {
    /// Why an operation is left out, if it is: an event stream (a `@streaming` union) in its
    /// input or output.
    pub(super) fn left_out(&self, id: &str) -> Result<Option<String>, Error> {
        let shape = self.index.shape(id)?;
        for io in [&shape.input, &shape.output].into_iter().flatten() {
            if io.target == "smithy.api#Unit" {
                continue;
            }
            let Ok(structure) = self.index.shape(&io.target) else {
                continue;
            };
            for (name, member) in &structure.members.0 {
                if self.index.shape_type(&member.target)? != ShapeType::Union {
                    continue;
                }
                if has(&self.index.shape(&member.target)?.traits, "streaming") {
                    return Ok(Some(format!(
                        "its member {}${name} is an event stream, which the generator does not \
                         support",
                        io.target
                    )));
                }
            }
        }
        Ok(None)
    }

    pub(super) fn operation(
        &mut self,
        id: &str,
        service_errors: &[Target],
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
        let (path, static_query) = parse_uri(id, uri, &input)?;
        let host_prefix = match get(&shape.traits, "endpoint") {
            Some(endpoint) => {
                let prefix = endpoint
                    .get("hostPrefix")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::new(format!("{id}: @endpoint has no hostPrefix")))?;
                Some(parse_host_prefix(id, prefix, &input)?)
            }
            None => None,
        };
        if host_prefix.is_none() {
            if let Some(m) = input.members.iter().find(|m| m.host_label) {
                return Err(Error::new(format!(
                    "{input_id}${}: @hostLabel on an operation without @endpoint",
                    m.name
                )));
            }
        }
        let errors = self.errors(&shape.errors, service_errors)?;
        let pagination = match get(&shape.traits, "paginated") {
            Some(p) => Some(pagination(
                id,
                &paginated_with_defaults(p, self.service_paginated.as_ref()),
                &input,
                &output,
            )?),
            None => None,
        };
        let auth = self.operation_auth(id, shape)?;
        let input_shape = match input_id {
            "smithy.api#Unit" => None,
            other => Some(self.index.shape(other)?),
        };
        let endpoint = operation_context(id, shape, &input, input_shape, &self.endpoint)?;
        let requires_length = match input.payload() {
            Some(p) if p.ty == Ty::Stream => {
                let member = self
                    .index
                    .shape(input_id)?
                    .members
                    .0
                    .iter()
                    .find(|(name, _)| *name == p.name)
                    .map(|(_, m)| m.target.clone())
                    .unwrap_or_default();
                has(&self.target_traits(&member)?, "requiresLength")
            }
            _ => false,
        };
        let request_compression = match get(&shape.traits, "requestCompression") {
            Some(trait_value) => trait_value
                .get("encodings")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    Error::new(format!("{id}: @requestCompression has no encodings list"))
                })?
                .iter()
                .any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case("gzip"))),
            None => false,
        };
        Ok(OperationPlan {
            kebab: name.to_kebab_case(),
            snake,
            doc: doc_or(&shape.traits, &format!("Calls the `{name}` operation.")),
            method,
            uri: uri.to_owned(),
            readonly: has(&shape.traits, "readonly"),
            idempotent: has(&shape.traits, "idempotent"),
            path,
            static_query,
            host_prefix,
            auth,
            unsigned_payload: shape.traits.contains_key("aws.auth#unsignedPayload"),
            checksum_required: has(&shape.traits, "httpChecksumRequired"),
            request_compression,
            requires_length,
            input,
            output,
            errors,
            pagination,
            endpoint,
            name,
        })
    }

    /// The error structures of an operation and of its service, planned once each.
    fn errors(&mut self, own: &[Target], service_errors: &[Target]) -> Result<Vec<String>, Error> {
        let mut errors = BTreeSet::new();
        for target in own.iter().chain(service_errors) {
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
                if let Some(m) = plan
                    .members
                    .iter()
                    .find(|m| !matches!(m.binding, Binding::Body | Binding::Header(_)))
                {
                    return Err(unsupported(
                        &format!("{}${}", target.target, m.name),
                        "an error member bound to anything but the body or a header",
                    ));
                }
                self.claim_name(&error_name, &target.target)?;
                self.structs.insert(error_name.clone(), plan);
            }
            errors.insert(error_name);
        }
        Ok(errors.into_iter().collect())
    }
}

/// An operation's `@paginated` with the service's `@paginated` filling what it leaves out, as
/// Smithy defines.
fn paginated_with_defaults(operation: &Value, service: Option<&Value>) -> Value {
    let mut merged = service
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    if let (Some(merged), Some(own)) = (merged.as_object_mut(), operation.as_object()) {
        for (key, value) in own {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}
