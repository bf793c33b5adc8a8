//! The seam between a client and its endpoint rules: which values a call gives the rules (the
//! built-ins from the configuration, the client context parameters set on it, and what the
//! operation adds), the rule set a generated crate carries as text and parses once, and the
//! conversion of a resolution into the `Endpoint` the orchestrator sends to.

use std::sync::OnceLock;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::{EndpointResolverParams, SharedEndpointResolver};
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::endpoint::Endpoint;
use aws_types::endpoint_config::{EndpointUrl, UseDualStack, UseFips};
use aws_types::region::Region;

use crate::endpoint::{built_in, ParamValue, Params, ResolvedEndpoint, RuleSet, RuleSetError};

/// The values of a service's `@clientContextParams` set on a configuration, by name.
#[derive(Clone, Debug, Default)]
pub struct ClientContextParams {
    values: Vec<(&'static str, ParamValue)>,
}

impl ClientContextParams {
    /// Sets (or, with `None`, clears) the parameter `name`.
    pub fn set(&mut self, name: &'static str, value: Option<ParamValue>) {
        self.values.retain(|(n, _)| *n != name);
        if let Some(value) = value {
            self.values.push((name, value));
        }
    }

    /// The value set for `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

impl Storable for ClientContextParams {
    type Storer = StoreReplace<Self>;
}

/// The values a call's configuration gives the endpoint rules: the built-ins (Region, UseFIPS,
/// UseDualStack, Endpoint) and the client context parameters.
pub fn from_config(cfg: &ConfigBag) -> Params {
    let mut params = Params::new();
    if let Some(region) = cfg.load::<Region>() {
        params.set_built_in(built_in::REGION, region.as_ref());
    }
    if let Some(fips) = cfg.load::<UseFips>() {
        params.set_built_in(built_in::USE_FIPS, fips.0);
    }
    if let Some(dual_stack) = cfg.load::<UseDualStack>() {
        params.set_built_in(built_in::USE_DUAL_STACK, dual_stack.0);
    }
    if let Some(url) = cfg.load::<EndpointUrl>() {
        params.set_built_in(built_in::ENDPOINT, url.0.as_str());
    }
    if let Some(context) = cfg.load::<ClientContextParams>() {
        for (name, value) in &context.values {
            params.set(*name, value.clone());
        }
    }
    params
}

/// How a generated crate's endpoint parameters and default resolver are reached, for the
/// runtime's call path (which does not know the crate's types).
#[derive(Clone, Copy)]
pub struct EndpointInfo {
    /// Turns the values of a call into the crate's typed parameters (`config::endpoint::Params`,
    /// what endpoint resolvers receive), checking them.
    pub typed_params: fn(&Params) -> Result<EndpointResolverParams, BoxError>,
    /// The crate's default resolver, which evaluates its rule set.
    pub default_resolver: fn() -> SharedEndpointResolver,
}

impl EndpointInfo {
    /// For a service without endpoint rules: the configured endpoint URL, or an error that says
    /// one is needed. FIPS and dual-stack settings are refused rather than ignored, since
    /// nothing here could honour them. Resolvers receive the call's values as they are
    /// ([`Params`]).
    pub const CONFIGURED_URL_ONLY: EndpointInfo = EndpointInfo {
        typed_params: untyped_params,
        default_resolver: configured_url_resolver,
    };
}

fn untyped_params(params: &Params) -> Result<EndpointResolverParams, BoxError> {
    Ok(EndpointResolverParams::new(params.clone()))
}

fn configured_url_resolver() -> SharedEndpointResolver {
    SharedEndpointResolver::new(ConfiguredUrl)
}

/// The resolver of a service without endpoint rules.
#[derive(Debug)]
struct ConfiguredUrl;

impl aws_smithy_runtime_api::client::endpoint::ResolveEndpoint for ConfiguredUrl {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a EndpointResolverParams,
    ) -> aws_smithy_runtime_api::client::endpoint::EndpointFuture<'a> {
        aws_smithy_runtime_api::client::endpoint::EndpointFuture::ready(configured_url(
            params.get::<Params>(),
        ))
    }
}

fn configured_url(params: Option<&Params>) -> Result<Endpoint, BoxError> {
    let params = params.ok_or("the endpoint parameters of this call are missing")?;
    let enabled = |name| matches!(params.built_in(name), Some(ParamValue::Boolean(true)));
    if enabled(built_in::USE_FIPS) || enabled(built_in::USE_DUAL_STACK) {
        return Err(
            "this client has no endpoint rules, so it cannot choose a FIPS or \
                    dual-stack endpoint; set the endpoint URL instead"
                .into(),
        );
    }
    match params.built_in(built_in::ENDPOINT) {
        Some(ParamValue::String(url)) => Ok(Endpoint::builder().url(url.clone()).build()),
        _ => Err(
            "this client has no endpoint rules, so it needs an endpoint URL in its \
                  configuration (Config::builder().endpoint_url(..) or AWS_ENDPOINT_URL)"
                .into(),
        ),
    }
}

impl std::fmt::Debug for EndpointInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EndpointInfo")
    }
}

/// A rule set as a generated crate carries it: its JSON text, parsed on first use and then
/// kept for the life of the process.
pub struct ServiceRules {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, RuleSetError>>,
}

impl ServiceRules {
    /// The rule set whose JSON text is `json`.
    pub const fn new(json: &'static str) -> Self {
        Self {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The parsed rule set, or why it does not parse.
    pub fn rules(&self) -> Result<&RuleSet, &RuleSetError> {
        self.parsed
            .get_or_init(|| RuleSet::from_json(self.json))
            .as_ref()
    }

    /// Resolves `params` into the endpoint requests go to.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, BoxError> {
        let rules = self
            .rules()
            .map_err(|e| format!("the endpoint rule set does not parse: {e}"))?;
        let resolved = rules.resolve(params)?;
        Ok(to_endpoint(resolved))
    }
}

impl std::fmt::Debug for ServiceRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceRules")
            .field("parsed", &self.parsed.get().map(|r| r.is_ok()))
            .finish_non_exhaustive()
    }
}

/// A resolution as aws-smithy-types' `Endpoint`: URL, headers and properties (`authSchemes`
/// among them, which the orchestrator hands the signer).
pub fn to_endpoint(resolved: ResolvedEndpoint) -> Endpoint {
    let (url, headers, properties) = resolved.into_parts();
    let mut builder = Endpoint::builder().url(url);
    for (name, values) in headers {
        for value in values {
            builder = builder.header(name.clone(), value);
        }
    }
    for (key, value) in properties {
        builder = builder.property(key, crate::json::document_from(value));
    }
    builder.build()
}

/// The value a call gives parameter `name` (bound to `built_in`, if any): set by name first,
/// else through its built-in.
pub fn value<'p>(params: &'p Params, name: &str, built_in: Option<&str>) -> Option<&'p ParamValue> {
    params
        .get(name)
        .or_else(|| built_in.and_then(|b| params.built_in(b)))
}

/// A string parameter's value; a value of another type is an error naming the parameter.
pub fn string_value(
    params: &Params,
    name: &str,
    built_in: Option<&str>,
) -> Result<Option<String>, BoxError> {
    match value(params, name, built_in) {
        None => Ok(None),
        Some(ParamValue::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "endpoint parameter {name} takes a string, not {}",
            other.parameter_type()
        )
        .into()),
    }
}

/// A boolean parameter's value; a value of another type is an error naming the parameter.
pub fn bool_value(
    params: &Params,
    name: &str,
    built_in: Option<&str>,
) -> Result<Option<bool>, BoxError> {
    match value(params, name, built_in) {
        None => Ok(None),
        Some(ParamValue::Boolean(b)) => Ok(Some(*b)),
        Some(other) => Err(format!(
            "endpoint parameter {name} takes a boolean, not {}",
            other.parameter_type()
        )
        .into()),
    }
}

/// A string list parameter's value; a value of another type is an error naming the parameter.
pub fn string_array_value(
    params: &Params,
    name: &str,
    built_in: Option<&str>,
) -> Result<Option<Vec<String>>, BoxError> {
    match value(params, name, built_in) {
        None => Ok(None),
        Some(ParamValue::StringArray(items)) => Ok(Some(items.clone())),
        Some(other) => Err(format!(
            "endpoint parameter {name} takes a list of strings, not {}",
            other.parameter_type()
        )
        .into()),
    }
}

/// Whether a region is a valid host label (dots allowed), as the parameter builders check it.
pub fn is_valid_region(region: &str) -> bool {
    crate::endpoint::is_valid_host_label(region, true)
}

/// An input member's value as an endpoint parameter (`@contextParam`).
pub trait ContextValue {
    /// The value, when set.
    fn context_value(&self) -> Option<ParamValue>;
}

impl ContextValue for String {
    fn context_value(&self) -> Option<ParamValue> {
        Some(ParamValue::String(self.clone()))
    }
}

impl ContextValue for bool {
    fn context_value(&self) -> Option<ParamValue> {
        Some(ParamValue::Boolean(*self))
    }
}

impl ContextValue for Vec<String> {
    fn context_value(&self) -> Option<ParamValue> {
        Some(ParamValue::StringArray(self.clone()))
    }
}

impl<T: ContextValue> ContextValue for Option<T> {
    fn context_value(&self) -> Option<ParamValue> {
        self.as_ref().and_then(ContextValue::context_value)
    }
}

/// An input member's value as an endpoint parameter, when it has one.
pub fn context_value(value: &impl ContextValue) -> Option<ParamValue> {
    value.context_value()
}
