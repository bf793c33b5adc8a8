//! Index: resolves shape ids (including the Smithy prelude) and reads traits.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{Model, Shape};
use crate::Error;

/// Traits whose id starts with this are Smithy's own.
const SMITHY: &str = "smithy.api#";

/// Traits the generator understands or that do not change what goes on the wire.
const KNOWN_TRAITS: &[&str] = &[
    // What a client sends and reads, all handled.
    "smithy.api#required",
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#httpError",
    "smithy.api#httpChecksumRequired",
    "smithy.api#requestCompression",
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#error",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#idempotencyToken",
    "smithy.api#paginated",
    "smithy.api#pattern",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#uniqueItems",
    "smithy.api#sensitive",
    "smithy.api#enum",
    "smithy.api#enumValue",
    "smithy.api#default",
    "smithy.api#addedDefault",
    "smithy.api#clientOptional",
    "smithy.api#box",
    "smithy.api#sparse",
    "smithy.api#timestampFormat",
    "smithy.api#jsonName",
    "smithy.api#mediaType",
    "smithy.api#streaming",
    "smithy.api#requiresLength",
    "smithy.api#retryable",
    "smithy.api#auth",
    "smithy.api#optionalAuth",
    "smithy.api#httpBearerAuth",
    "aws.auth#sigv4",
    "aws.auth#unsignedPayload",
    "aws.protocols#restJson1",
    "aws.protocols#awsQueryCompatible",
    "aws.protocols#awsQueryError",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#clientContextParams",
    // Documentation, resource and model metadata, and traits of other protocols, which change
    // nothing a restJson1 client sends or reads.
    "smithy.api#documentation",
    "smithy.api#examples",
    "smithy.api#tags",
    "smithy.api#title",
    "smithy.api#cors",
    "smithy.api#deprecated",
    "smithy.api#externalDocumentation",
    "smithy.api#since",
    "smithy.api#unstable",
    "smithy.api#suppress",
    "smithy.api#recommended",
    "smithy.api#internal",
    "smithy.api#private",
    "smithy.api#references",
    "smithy.api#property",
    "smithy.api#notProperty",
    "smithy.api#nestedProperties",
    "smithy.api#noReplace",
    "smithy.api#resourceIdentifier",
    "smithy.api#xmlNamespace",
    "smithy.api#xmlName",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlFlattened",
];

/// Namespaces whose traits change nothing a client sends or reads: IAM, AWS API and
/// CloudFormation metadata, waiters, endpoint metadata (the rule set decides endpoints), and
/// tests.
const KNOWN_NAMESPACES: &[&str] = &[
    "aws.iam#",
    "aws.api#",
    "aws.cloudformation#",
    "aws.endpoints#",
    "smithy.waiters#",
    "smithy.test#",
];

/// A shape as the generator sees it after resolving prelude ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeType {
    /// `string` (without `@enum`).
    String,
    /// `boolean`.
    Boolean,
    /// `byte`.
    Byte,
    /// `short`.
    Short,
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `timestamp`.
    Timestamp,
    /// `blob`.
    Blob,
    /// `document`.
    Document,
    /// `bigInteger`.
    BigInteger,
    /// `bigDecimal`.
    BigDecimal,
    /// `enum`, or a `string` with the Smithy 1.0 `@enum` trait.
    Enum,
    /// `intEnum`.
    IntEnum,
    /// `list` (or the deprecated `set`).
    List,
    /// `map`.
    Map,
    /// `structure`.
    Structure,
    /// `union`.
    Union,
    /// `smithy.api#Unit`.
    Unit,
}

/// Read access to a loaded model.
#[derive(Debug)]
pub struct Index<'m> {
    model: &'m Model,
}

impl<'m> Index<'m> {
    /// Wraps a model.
    pub fn new(model: &'m Model) -> Self {
        Self { model }
    }

    /// The model's single service shape.
    pub fn service(&self) -> Result<(&'m str, &'m Shape), Error> {
        let mut services = self
            .model
            .shapes
            .iter()
            .filter(|(_, s)| s.kind == "service");
        let Some((id, shape)) = services.next() else {
            return Err(Error::new("the model has no service shape"));
        };
        if let Some((other, _)) = services.next() {
            return Err(Error::new(format!(
                "the model has more than one service ({id}, {other}); exactly one is supported"
            )));
        }
        Ok((id.as_str(), shape))
    }

    /// A shape defined in the model (not the prelude).
    pub fn shape(&self, id: &str) -> Result<&'m Shape, Error> {
        self.model
            .shapes
            .get(id)
            .ok_or_else(|| Error::new(format!("shape {id} is referenced but not defined")))
    }

    /// What kind of shape an id names, resolving prelude ids.
    pub fn shape_type(&self, id: &str) -> Result<ShapeType, Error> {
        if let Some(name) = id.strip_prefix(SMITHY) {
            if !self.model.shapes.contains_key(id) {
                return prelude_type(name).ok_or_else(|| unsupported(id, "this prelude shape"));
            }
        }
        let shape = self.shape(id)?;
        if !shape.mixins.is_empty() {
            return Err(unsupported(
                id,
                "mixins (flatten them into the shape first)",
            ));
        }
        Ok(match shape.kind.as_str() {
            "string" if shape.traits.contains_key("smithy.api#enum") => ShapeType::Enum,
            "string" => ShapeType::String,
            "boolean" => ShapeType::Boolean,
            "byte" => ShapeType::Byte,
            "short" => ShapeType::Short,
            "integer" => ShapeType::Integer,
            "long" => ShapeType::Long,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "timestamp" => ShapeType::Timestamp,
            "blob" => ShapeType::Blob,
            "document" => ShapeType::Document,
            "bigInteger" => ShapeType::BigInteger,
            "bigDecimal" => ShapeType::BigDecimal,
            "enum" => ShapeType::Enum,
            "intEnum" => ShapeType::IntEnum,
            "list" | "set" => ShapeType::List,
            "map" => ShapeType::Map,
            "structure" => ShapeType::Structure,
            "union" => ShapeType::Union,
            other => return Err(unsupported(id, &format!("shapes of type {other}"))),
        })
    }

    /// Fails when a shape or member carries a trait the generator does not know; such a trait
    /// may change the wire format, so it must not be ignored.
    pub fn check_traits(&self, owner: &str, traits: &BTreeMap<String, Value>) -> Result<(), Error> {
        for id in traits.keys() {
            let known = KNOWN_TRAITS.contains(&id.as_str())
                || KNOWN_NAMESPACES.iter().any(|ns| id.starts_with(ns));
            if !known {
                return Err(unsupported(owner, &format!("the trait {id}")));
            }
        }
        Ok(())
    }
}

fn prelude_type(name: &str) -> Option<ShapeType> {
    Some(match name.trim_start_matches("Primitive") {
        "String" => ShapeType::String,
        "Boolean" => ShapeType::Boolean,
        "Byte" => ShapeType::Byte,
        "Short" => ShapeType::Short,
        "Integer" => ShapeType::Integer,
        "Long" => ShapeType::Long,
        "Float" => ShapeType::Float,
        "Double" => ShapeType::Double,
        "Timestamp" => ShapeType::Timestamp,
        "Blob" => ShapeType::Blob,
        "Document" => ShapeType::Document,
        "BigInteger" => ShapeType::BigInteger,
        "BigDecimal" => ShapeType::BigDecimal,
        "Unit" => ShapeType::Unit,
        _ => return None,
    })
}

/// The error for a model feature the generator does not support.
pub fn unsupported(owner: &str, what: &str) -> Error {
    Error::new(format!("{owner}: {what} is not supported by the generator"))
}

/// Whether a trait is present.
pub fn has(traits: &BTreeMap<String, Value>, name: &str) -> bool {
    traits.contains_key(&format!("{SMITHY}{name}"))
}

/// A trait's value.
pub fn get<'a>(traits: &'a BTreeMap<String, Value>, name: &str) -> Option<&'a Value> {
    traits.get(&format!("{SMITHY}{name}"))
}

/// A trait whose value is a string.
pub fn get_str<'a>(traits: &'a BTreeMap<String, Value>, name: &str) -> Option<&'a str> {
    get(traits, name).and_then(Value::as_str)
}

/// The part of a shape id after `#`.
pub fn local_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}
