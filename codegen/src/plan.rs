//! Plan: decides Rust names, types, optionality, HTTP bindings and validation rules for every
//! shape the service reaches. The emitter only turns this plan into tokens.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::docs::html_to_lines;
use crate::index::{self, get, get_str, has, local_name, unsupported, Index, ShapeType};
use crate::model::Member;
use crate::{Error, ExtraConstraint};

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

/// The Rust type of a member.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `aws_smithy_types::DateTime`.
    Timestamp,
    /// A generated string enum, by Rust name.
    Enum(String),
    /// A generated integer enum, by Rust name.
    IntEnum(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// A generated structure in `types`, by Rust name.
    Struct(String),
}

impl Ty {
    /// Whether getters return the value itself rather than a reference.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::Bool
                | Ty::Byte
                | Ty::Short
                | Ty::Integer
                | Ty::Long
                | Ty::Float
                | Ty::Double
                | Ty::IntEnum(_)
        )
    }
}

/// How a member travels in the HTTP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// In the JSON body.
    Body,
    /// In the URI path.
    Label,
    /// In the query string, under this key.
    Query(String),
    /// In a header, under this name.
    Header(String),
}

/// Constraint checks on one value (a member or a list element).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// `@length` bounds.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// The name of the `Pattern` static in `constraints.rs`.
    pub pattern: Option<String>,
    /// The value is a structure with checks of its own.
    pub nested: bool,
    /// Checks on each element of a list.
    pub elements: Option<Box<Checks>>,
}

impl Checks {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && !self.nested
            && self.elements.is_none()
    }
}

/// A `@default` value that the generator can write in Rust.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A string (or enum value).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// An empty list.
    EmptyList,
}

/// One member of a generated structure.
#[derive(Clone, Debug)]
pub struct MemberPlan {
    /// The member name in the model.
    pub name: String,
    /// The Rust field name (without `r#`).
    pub field: String,
    /// The JSON key.
    pub json_name: String,
    /// The Rust type of the value.
    pub ty: Ty,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the model marks the member `@required`.
    pub required: bool,
    /// The member's `@default`, when it has one the struct honours.
    pub default: Option<DefaultValue>,
    /// Where the member travels.
    pub binding: Binding,
    /// `aws_smithy_types::date_time::Format` variant for timestamps.
    pub timestamp_format: Option<&'static str>,
    /// Redacted in Debug output.
    pub sensitive: bool,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Constraint checks on the value.
    pub checks: Checks,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// Whether the value type implements `Default` (for lenient reading of required members).
    pub value_defaults: bool,
}

/// What a structure is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructRole {
    /// A shape in `types`.
    Plain,
    /// An operation input.
    Input,
    /// An operation output.
    Output,
    /// An error shape in `types::error`.
    Error,
}

/// One generated structure.
#[derive(Clone, Debug)]
pub struct StructPlan {
    /// The model shape id (`smithy.api#Unit` for empty inputs and outputs).
    pub id: String,
    /// The Rust type name.
    pub name: String,
    /// The module path of the type, e.g. `crate::types`.
    pub module: String,
    /// What the structure is for.
    pub role: StructRole,
    /// Members in model order.
    pub members: Vec<MemberPlan>,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Whether it implements `Validate`.
    pub validates: bool,
    /// Whether `Default` can be derived (used for lenient reading of required members).
    pub derives_default: bool,
}

impl StructPlan {
    /// Whether any member is redacted in Debug.
    pub fn has_sensitive(&self) -> bool {
        self.members.iter().any(|m| m.sensitive)
    }

    /// The builder's type name.
    pub fn builder_name(&self) -> String {
        format!("{}Builder", self.name)
    }
}

/// One variant of a generated enum.
#[derive(Clone, Debug)]
pub struct VariantPlan {
    /// The Rust variant name.
    pub name: String,
    /// The wire value: a string for enums, an integer for intEnums.
    pub value: Value,
    /// Documentation lines.
    pub doc: Vec<String>,
}

/// One generated enum.
#[derive(Clone, Debug)]
pub struct EnumPlan {
    /// The Rust type name.
    pub name: String,
    /// `intEnum` rather than `enum`.
    pub int: bool,
    /// Variants in model order.
    pub variants: Vec<VariantPlan>,
    /// Documentation lines.
    pub doc: Vec<String>,
}

/// A piece of a URI path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// A label bound to an input member.
    Label {
        /// Index into the input's members.
        member: usize,
        /// `{name+}`: keeps `/` unencoded.
        greedy: bool,
    },
}

/// Pagination of an operation.
#[derive(Clone, Debug)]
pub struct PaginationPlan {
    /// Input member (field name) holding the page token.
    pub input_token: String,
    /// Output member holding the next token, and whether it is optional.
    pub output_token: (String, bool),
    /// Output member holding the items, whether it is optional, and the item type.
    pub items: (String, bool, Ty),
}

/// One generated operation.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    /// The operation's model name, e.g. `BatchCreateUser`.
    pub name: String,
    /// snake_case module and method name.
    pub snake: String,
    /// kebab-case command name.
    pub kebab: String,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// HTTP method.
    pub method: String,
    /// The URI path template.
    pub path: Vec<PathPart>,
    /// Literal `key=value` pairs of the URI template's query.
    pub static_query: Vec<String>,
    /// The input structure.
    pub input: StructPlan,
    /// The output structure.
    pub output: StructPlan,
    /// Error shape names (sorted).
    pub errors: Vec<String>,
    /// Pagination, for `@paginated` operations.
    pub pagination: Option<PaginationPlan>,
}

/// Everything to generate for one service.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Operations by name.
    pub operations: Vec<OperationPlan>,
    /// Plain structures by name.
    pub structs: Vec<StructPlan>,
    /// Error structures by name.
    pub errors: Vec<StructPlan>,
    /// Enums by name.
    pub enums: Vec<EnumPlan>,
    /// `Pattern` statics: name to regex source.
    pub patterns: BTreeMap<String, String>,
}

/// Builds the plan of a service.
pub fn plan(index: &Index<'_>, extra: &[ExtraConstraint]) -> Result<Plan, Error> {
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
    let mut planner = Planner {
        index,
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
    Ok(plan)
}

struct Planner<'a, 'm> {
    index: &'a Index<'m>,
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
        Ok(OperationPlan {
            kebab: name.to_kebab_case(),
            snake,
            doc: doc_or(&shape.traits, &format!("Calls the `{name}` operation.")),
            method,
            path,
            static_query,
            input,
            output,
            errors: errors.into_iter().collect(),
            pagination,
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
        let optional =
            *role == StructRole::Input || client_optional || (!required && default.is_none());
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

    /// Constraint checks for a value with these member and target traits.
    fn checks(
        &mut self,
        owner: &str,
        ty: &Ty,
        traits: &BTreeMap<String, Value>,
        target_traits: &BTreeMap<String, Value>,
        target: &str,
    ) -> Result<Checks, Error> {
        let pick = |name: &str| get(traits, name).or_else(|| get(target_traits, name));
        let mut checks = Checks::default();
        if let Some(length) = pick("length") {
            if !matches!(ty, Ty::String | Ty::List(_)) {
                return Err(unsupported(
                    owner,
                    "@length on something other than a string or list",
                ));
            }
            checks.length = Some((
                bound_u64(owner, length, "min")?,
                bound_u64(owner, length, "max")?,
            ));
        }
        if let Some(range) = pick("range") {
            if !matches!(
                ty,
                Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double
            ) {
                return Err(unsupported(
                    owner,
                    "@range on something other than a number",
                ));
            }
            checks.range = Some((
                bound_f64(owner, range, "min")?,
                bound_f64(owner, range, "max")?,
            ));
        }
        if let Some(pattern) = pick("pattern") {
            let source = pattern
                .as_str()
                .ok_or_else(|| Error::new(format!("{owner}: @pattern is not a string")))?;
            if *ty != Ty::String {
                return Err(unsupported(
                    owner,
                    "@pattern on something other than a string",
                ));
            }
            let static_name = if get(traits, "pattern").is_some() {
                owner.replace('$', "_")
            } else {
                target.to_owned()
            };
            let static_name = local_name(&static_name).to_shouty_snake_case();
            match self.plan.patterns.get(&static_name) {
                Some(existing) if existing != source => {
                    return Err(Error::new(format!(
                        "{owner}: two patterns would share the name {static_name}"
                    )))
                }
                _ => {
                    self.plan
                        .patterns
                        .insert(static_name.clone(), source.to_owned());
                }
            }
            checks.pattern = Some(static_name);
        }
        if has(traits, "uniqueItems") || has(target_traits, "uniqueItems") {
            return Err(unsupported(owner, "@uniqueItems"));
        }
        match ty {
            Ty::Struct(_) => {
                checks.nested = self
                    .validates
                    .get(target)
                    .copied()
                    .flatten()
                    .unwrap_or(false)
            }
            Ty::List(_) => {
                let list = self.index.shape(target)?;
                let member = list
                    .member
                    .as_ref()
                    .ok_or_else(|| Error::new(format!("{target}: a list without a member")))?;
                let elem_ty = self.ty(target, &member.target)?;
                let elem_target_traits = self
                    .index
                    .shape(&member.target)
                    .map(|s| s.traits.clone())
                    .unwrap_or_default();
                let elements = self.checks(
                    &format!("{target}$member"),
                    &elem_ty,
                    &member.traits,
                    &elem_target_traits,
                    &member.target,
                )?;
                if !elements.is_empty() {
                    checks.elements = Some(Box::new(elements));
                }
            }
            _ => {}
        }
        Ok(checks)
    }

    /// The Rust type of a target shape, planning the structure or enum it names.
    fn ty(&mut self, owner: &str, target: &str) -> Result<Ty, Error> {
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

    fn enumeration(&mut self, id: &str, name: &str) -> Result<EnumPlan, Error> {
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

fn bound_u64(owner: &str, value: &Value, key: &str) -> Result<Option<u64>, Error> {
    match value.get(key) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Error::new(format!(
                "{owner}: @length {key} is not a non-negative integer"
            ))
        }),
    }
}

fn bound_f64(owner: &str, value: &Value, key: &str) -> Result<Option<f64>, Error> {
    match value.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| Error::new(format!("{owner}: @range {key} is not a number"))),
    }
}

fn binding(member_id: &str, traits: &BTreeMap<String, Value>) -> Result<Binding, Error> {
    let mut found = Vec::new();
    if has(traits, "httpLabel") {
        found.push(Binding::Label);
    }
    if let Some(key) = get(traits, "httpQuery") {
        let key = key
            .as_str()
            .ok_or_else(|| Error::new(format!("{member_id}: @httpQuery is not a string")))?;
        found.push(Binding::Query(key.to_owned()));
    }
    if let Some(name) = get(traits, "httpHeader") {
        let name = name
            .as_str()
            .ok_or_else(|| Error::new(format!("{member_id}: @httpHeader is not a string")))?;
        found.push(Binding::Header(name.to_owned()));
    }
    match found.len() {
        0 => Ok(Binding::Body),
        1 => Ok(found.remove(0)),
        _ => Err(Error::new(format!(
            "{member_id}: more than one HTTP binding trait"
        ))),
    }
}

fn timestamp_format(
    member_id: &str,
    format: Option<&str>,
    binding: &Binding,
) -> Result<&'static str, Error> {
    Ok(match format {
        Some("epoch-seconds") => "EpochSeconds",
        Some("date-time") => "DateTime",
        Some("http-date") => "HttpDate",
        Some(other) => {
            return Err(unsupported(
                member_id,
                &format!("the timestamp format {other}"),
            ))
        }
        None => match binding {
            Binding::Body => "EpochSeconds",
            Binding::Header(_) => "HttpDate",
            Binding::Label | Binding::Query(_) => "DateTime",
        },
    })
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

fn pagination(
    id: &str,
    trait_value: &Value,
    input: &StructPlan,
    output: &StructPlan,
) -> Result<PaginationPlan, Error> {
    let key = |k: &str| -> Result<&str, Error> {
        trait_value
            .get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| unsupported(id, &format!("@paginated without {k}")))
    };
    let find = |s: &StructPlan, name: &str| -> Result<MemberPlan, Error> {
        if name.contains('.') {
            return Err(unsupported(id, "@paginated paths into nested members"));
        }
        s.members
            .iter()
            .find(|m| m.name == name)
            .cloned()
            .ok_or_else(|| {
                Error::new(format!(
                    "{id}: @paginated names {name}, which is not a member"
                ))
            })
    };
    let input_token = find(input, key("inputToken")?)?;
    let output_token = find(output, key("outputToken")?)?;
    let items = find(output, key("items")?)?;
    let Ty::List(item_ty) = items.ty else {
        return Err(unsupported(id, "@paginated items that are not a list"));
    };
    if input_token.ty != Ty::String || output_token.ty != Ty::String {
        return Err(unsupported(id, "@paginated tokens that are not strings"));
    }
    Ok(PaginationPlan {
        input_token: input_token.field,
        output_token: (output_token.field, output_token.optional),
        items: (items.field, items.optional, *item_ty),
    })
}

fn parse_uri(
    id: &str,
    uri: &str,
    input: &StructPlan,
) -> Result<(Vec<PathPart>, Vec<String>), Error> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = path;
    let mut labels = BTreeSet::new();
    while let Some(start) = rest.find('{') {
        literal.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| Error::new(format!("{id}: unclosed label in URI {uri}")))?
            + start;
        let label = &rest[start + 1..end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let index = input
            .members
            .iter()
            .position(|m| m.name == name && matches!(m.binding, Binding::Label))
            .ok_or_else(|| {
                Error::new(format!(
                    "{id}: URI label {name} has no @httpLabel input member"
                ))
            })?;
        if !literal.is_empty() {
            parts.push(PathPart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(PathPart::Label {
            member: index,
            greedy,
        });
        labels.insert(index);
        rest = &rest[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    for (i, m) in input.members.iter().enumerate() {
        if let Binding::Label = m.binding {
            if !labels.contains(&i) {
                return Err(Error::new(format!(
                    "{id}: @httpLabel member {} is not in the URI {uri}",
                    m.name
                )));
            }
        }
    }
    let static_query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((parts, static_query))
}

/// The Rust type name of a shape.
pub fn rust_type_name(id: &str) -> Result<String, Error> {
    let name = local_name(id).to_upper_camel_case();
    if name.is_empty() {
        return Err(Error::new(format!("{id}: cannot derive a Rust type name")));
    }
    Ok(name)
}

/// The Rust field name of a member (without `r#`; keywords are raw at emit time).
pub fn field_name(member: &str) -> String {
    let snake = member.to_snake_case();
    match snake.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{snake}_value"),
        _ => snake,
    }
}

fn doc_or(traits: &BTreeMap<String, Value>, fallback: &str) -> Vec<String> {
    match index::get_str(traits, "documentation").map(html_to_lines) {
        Some(lines) if !lines.is_empty() => lines,
        _ => vec![fallback.to_owned()],
    }
}
