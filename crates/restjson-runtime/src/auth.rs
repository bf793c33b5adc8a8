//! Choosing how a call authenticates: the parameters an auth scheme resolver gets (the
//! operation's name), the trait a custom resolver implements, and the default resolver, which
//! offers the operation's schemes as the model lists them (its `@auth`, none for
//! `@optionalAuth`, else the service's: SigV4, bearer), no auth when there are none. The
//! orchestrator then signs with the first of them the configuration can serve.
//! A generated crate re-exports these as its `config::auth`.

use std::borrow::Cow;
use std::fmt;

use aws_smithy_runtime::client::auth::no_auth::NO_AUTH_SCHEME_ID;
use aws_smithy_runtime_api::client::auth::http::HTTP_BEARER_AUTH_SCHEME_ID;
use aws_smithy_runtime_api::client::auth::{
    AuthSchemeId, AuthSchemeOption, AuthSchemeOptionResolverParams, AuthSchemeOptionsFuture,
    ResolveAuthSchemeOptions, SharedAuthSchemeOptionResolver,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::schema::{AuthScheme, ServiceInfo};
use crate::signing::SIGV4_SCHEME_ID;

/// Chooses the auth schemes a call may use, in order of preference.
pub trait ResolveAuthScheme: Send + Sync + fmt::Debug {
    /// The schemes for the call `params` describes.
    fn resolve_auth_scheme<'a>(
        &'a self,
        params: &'a Params,
        cfg: &'a ConfigBag,
        runtime_components: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a>;

    /// The resolver in the form the runtime components hold.
    fn into_shared_resolver(self) -> SharedAuthSchemeOptionResolver
    where
        Self: Sized + 'static,
    {
        SharedAuthSchemeOptionResolver::new(DowncastParams(self))
    }
}

#[derive(Debug)]
struct DowncastParams<T>(T);

impl<T: ResolveAuthScheme> ResolveAuthSchemeOptions for DowncastParams<T> {
    fn resolve_auth_scheme_options_v2<'a>(
        &'a self,
        params: &'a AuthSchemeOptionResolverParams,
        cfg: &'a ConfigBag,
        runtime_components: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a> {
        match params.get::<Params>() {
            Some(params) => self.0.resolve_auth_scheme(params, cfg, runtime_components),
            None => AuthSchemeOptionsFuture::ready(Err(
                "the auth scheme parameters of this call are missing".into(),
            )),
        }
    }
}

/// Offers each operation its auth schemes, in order of preference.
#[derive(Debug)]
pub struct DefaultAuthSchemeResolver {
    service_defaults: Vec<AuthSchemeOption>,
    service: Option<&'static ServiceInfo>,
}

impl DefaultAuthSchemeResolver {
    /// A resolver offering `scheme` for every operation.
    pub fn for_scheme(scheme: AuthSchemeId) -> Self {
        Self {
            service_defaults: vec![AuthSchemeOption::from(scheme)],
            service: None,
        }
    }

    /// A resolver offering each operation of `service` the schemes the model gives it: the
    /// operation's own, else the service's; no auth when that list is empty.
    pub fn for_service(service: &'static ServiceInfo) -> Self {
        Self {
            service_defaults: options(service.auth),
            service: Some(service),
        }
    }
}

/// The orchestrator's id of a scheme of the model.
pub fn scheme_id(scheme: AuthScheme) -> AuthSchemeId {
    match scheme {
        AuthScheme::SigV4 => SIGV4_SCHEME_ID,
        AuthScheme::Bearer => HTTP_BEARER_AUTH_SCHEME_ID,
    }
}

/// The options of a list of schemes; no auth for an empty list.
fn options(schemes: &[AuthScheme]) -> Vec<AuthSchemeOption> {
    if schemes.is_empty() {
        return vec![AuthSchemeOption::from(NO_AUTH_SCHEME_ID)];
    }
    schemes
        .iter()
        .map(|scheme| AuthSchemeOption::from(scheme_id(*scheme)))
        .collect()
}

/// Offers SigV4, the scheme of AWS services.
impl Default for DefaultAuthSchemeResolver {
    fn default() -> Self {
        Self::for_scheme(SIGV4_SCHEME_ID)
    }
}

impl ResolveAuthScheme for DefaultAuthSchemeResolver {
    fn resolve_auth_scheme<'a>(
        &'a self,
        params: &'a Params,
        _cfg: &'a ConfigBag,
        _runtime_components: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a> {
        let options = match self.service {
            Some(service) => options(service.operation_auth(params.operation_name())),
            None => self.service_defaults.clone(),
        };
        AuthSchemeOptionsFuture::ready(Ok(options))
    }
}

/// What an auth scheme resolver knows of a call: its operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    operation_name: Cow<'static, str>,
}

impl Params {
    /// Starts a builder.
    pub fn builder() -> ParamsBuilder {
        ParamsBuilder::default()
    }

    /// The parameters of a call of `operation`.
    pub fn for_operation(operation: &'static str) -> Self {
        Self {
            operation_name: Cow::Borrowed(operation),
        }
    }

    /// The operation's name in the model.
    pub fn operation_name(&self) -> &str {
        self.operation_name.as_ref()
    }
}

/// Builds [`Params`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsBuilder {
    operation_name: Option<Cow<'static, str>>,
}

impl ParamsBuilder {
    /// Sets the operation's name.
    pub fn operation_name(self, operation_name: impl Into<Cow<'static, str>>) -> Self {
        self.set_operation_name(Some(operation_name.into()))
    }

    /// Sets or clears the operation's name.
    pub fn set_operation_name(mut self, operation_name: Option<Cow<'static, str>>) -> Self {
        self.operation_name = operation_name;
        self
    }

    /// The parameters; the operation's name is required.
    pub fn build(self) -> Result<Params, BuildError> {
        Ok(Params {
            operation_name: self.operation_name.ok_or(BuildError {
                field: "operation_name",
            })?,
        })
    }
}

/// A required parameter was not set.
#[derive(Debug)]
pub struct BuildError {
    field: &'static str,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a required field was missing: `{}`", self.field)
    }
}

impl std::error::Error for BuildError {}

/// The parameters stored for a call of `operation`.
pub(crate) fn resolver_params(operation: &'static str) -> AuthSchemeOptionResolverParams {
    AuthSchemeOptionResolverParams::new(Params::for_operation(operation))
}
