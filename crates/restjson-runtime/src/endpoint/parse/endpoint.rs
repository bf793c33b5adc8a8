//! The outcome of an endpoint rule: its URL, headers and properties (whose `authSchemes` must
//! have the shape signers read).

use serde_json::Value as Json;

use super::document::{allow_keys, array, boolean, join, object, required, string};
use super::{Parser, StringOrTemplate};
use crate::endpoint::error::RuleSetError;
use crate::endpoint::rule_set::{EndpointTemplate, Property};
use crate::endpoint::value::Type;

impl Parser {
    pub(super) fn endpoint(
        &mut self,
        json: &Json,
        at: &str,
    ) -> Result<EndpointTemplate, RuleSetError> {
        let endpoint = object(json, at)?;
        allow_keys(endpoint, at, &["url", "properties", "headers"])?;
        let url = self.typed(
            required(endpoint, at, "url")?,
            &join(at, "url"),
            Type::String,
        )?;
        let mut headers = Vec::new();
        if let Some(json) = endpoint.get("headers") {
            let headers_at = join(at, "headers");
            for (name, values) in object(json, &headers_at)? {
                let header_at = join(&headers_at, name);
                let values = array(values, &header_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.typed(v, &format!("{header_at}[{i}]"), Type::String))
                    .collect::<Result<Vec<_>, _>>()?;
                headers.push((name.clone(), values));
            }
        }
        let mut properties = Vec::new();
        if let Some(json) = endpoint.get("properties") {
            let properties_at = join(at, "properties");
            for (name, value) in object(json, &properties_at)? {
                let property_at = join(&properties_at, name);
                if name == "authSchemes" {
                    check_auth_schemes(value, &property_at)?;
                }
                properties.push((name.clone(), self.property(value, &property_at)?));
            }
        }
        Ok(EndpointTemplate {
            url,
            headers,
            properties,
        })
    }

    fn property(&self, json: &Json, at: &str) -> Result<Property, RuleSetError> {
        let property = match json {
            Json::String(text) => match self.template(text, at)? {
                StringOrTemplate::String(text) => Property::Literal(Json::String(text)),
                StringOrTemplate::Template(template) => Property::Template(template),
            },
            Json::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.property(item, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                match items.iter().map(Property::as_literal).collect() {
                    Some(values) => Property::Literal(Json::Array(values)),
                    None => Property::Array(items),
                }
            }
            Json::Object(fields) => {
                if fields.contains_key("ref") || fields.contains_key("fn") {
                    return Err(RuleSetError::new(
                        at,
                        "endpoint properties are data: a reference or function call cannot \
                         appear in them (a template string can)",
                    ));
                }
                let fields = fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.property(v, &join(at, k))?)))
                    .collect::<Result<Vec<_>, RuleSetError>>()?;
                let literal = fields
                    .iter()
                    .map(|(k, p)| Some((k.clone(), p.as_literal()?)))
                    .collect();
                match literal {
                    Some(values) => Property::Literal(Json::Object(values)),
                    None => Property::Object(fields),
                }
            }
            other => Property::Literal(other.clone()),
        };
        Ok(property)
    }
}

impl Property {
    /// The JSON of a property that holds no template.
    fn as_literal(&self) -> Option<Json> {
        match self {
            Property::Literal(json) => Some(json.clone()),
            _ => None,
        }
    }
}
/// `authSchemes` is a list of objects, each with a string `name`, and the fields signers read
/// have the types they read.
fn check_auth_schemes(json: &Json, at: &str) -> Result<(), RuleSetError> {
    for (index, scheme) in array(json, at)?.iter().enumerate() {
        let scheme_at = format!("{at}[{index}]");
        let fields = object(scheme, &scheme_at)?;
        string(
            required(fields, &scheme_at, "name")?,
            &join(&scheme_at, "name"),
        )?;
        for (field, value) in fields {
            let field_at = join(&scheme_at, field);
            match field.as_str() {
                "signingName" | "signingRegion" => {
                    string(value, &field_at)?;
                }
                "disableDoubleEncoding" | "disableNormalizePath" => {
                    boolean(value, &field_at)?;
                }
                "signingRegionSet" => {
                    for (i, region) in array(value, &field_at)?.iter().enumerate() {
                        string(region, &format!("{field_at}[{i}]"))?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
