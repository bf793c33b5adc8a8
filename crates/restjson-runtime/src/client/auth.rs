//! Which auth scheme a call is signed with: the first of the operation's schemes (in the
//! model's order of preference) that the configuration can serve. When it can serve none, the
//! call fails before anything is sent, saying what the first scheme needs.

use aws_smithy_runtime::client::auth::http::BearerAuthScheme;
use aws_smithy_runtime_api::client::auth::http::HTTP_BEARER_AUTH_SCHEME_ID;
use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use aws_smithy_runtime_api::client::auth::{SharedAuthScheme, SharedAuthSchemeOptionResolver};
use aws_smithy_runtime_api::client::identity::SharedIdentityResolver;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;

use super::Handle;
use crate::error::SdkError;
use crate::schema::AuthScheme;
use crate::signing::{SigV4Scheme, SIGV4_SCHEME_ID};

/// The auth a call is sent with.
pub(super) enum ChosenAuth {
    /// Unsigned.
    None,
    /// SigV4, with the credentials provider.
    SigV4(SigV4Scheme, SharedIdentityResolver),
    /// A bearer token, with the token provider.
    Bearer(SharedIdentityResolver),
}

impl ChosenAuth {
    /// Puts the scheme and its identity resolver into the call's components; `false` when the
    /// call goes unsigned.
    pub(super) fn configure(self, components: &mut RuntimeComponentsBuilder) -> bool {
        let (id, scheme, resolver) = match self {
            ChosenAuth::None => return false,
            ChosenAuth::SigV4(scheme, resolver) => {
                (SIGV4_SCHEME_ID, SharedAuthScheme::new(scheme), resolver)
            }
            ChosenAuth::Bearer(resolver) => (
                HTTP_BEARER_AUTH_SCHEME_ID,
                SharedAuthScheme::new(BearerAuthScheme::new()),
                resolver,
            ),
        };
        components.set_auth_scheme_option_resolver(Some(SharedAuthSchemeOptionResolver::new(
            StaticAuthSchemeOptionResolver::new(vec![id.clone()]),
        )));
        components.push_auth_scheme(scheme);
        components.set_identity_resolver(id, resolver);
        true
    }
}

impl Handle {
    /// The first of `schemes` the configuration can serve; unsigned when `schemes` is empty.
    pub(super) fn choose_auth<E>(
        &self,
        operation: &'static str,
        schemes: &[AuthScheme],
    ) -> Result<ChosenAuth, SdkError<E>> {
        let mut first_problem = None;
        for scheme in schemes {
            match self.auth_for(*scheme) {
                Ok(chosen) => return Ok(chosen),
                Err(problem) => {
                    first_problem.get_or_insert(problem);
                }
            }
        }
        match first_problem {
            None => Ok(ChosenAuth::None),
            Some(problem) => Err(SdkError::construction_failure_for(operation, problem)),
        }
    }

    /// The scheme with what it needs from the configuration, or what is missing.
    fn auth_for(&self, scheme: AuthScheme) -> Result<ChosenAuth, &'static str> {
        match scheme {
            AuthScheme::SigV4 => {
                let Some(signing_name) = self.service.signing_name else {
                    return Err("the service has no SigV4 signing name");
                };
                let Some(region) = self.config.region.as_ref() else {
                    return Err(
                        "no region is configured: SigV4 signing needs one (set it with \
                         Config::builder().region(..) or AWS_REGION)",
                    );
                };
                let Some(resolver) = self.identity_resolver.clone() else {
                    return Err("no credentials provider is configured (set one with \
                         Config::builder().credentials_provider(..), or load an SdkConfig with \
                         aws-config)");
                };
                Ok(ChosenAuth::SigV4(
                    SigV4Scheme::new(signing_name, region.as_ref()),
                    resolver,
                ))
            }
            AuthScheme::Bearer => match self.token_resolver.clone() {
                Some(resolver) => Ok(ChosenAuth::Bearer(resolver)),
                None => Err(
                    "no token provider is configured: bearer auth needs one (set it \
                     with Config::builder().token_provider(..), or load an SdkConfig with \
                     aws-config)",
                ),
            },
        }
    }
}
