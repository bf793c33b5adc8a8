//! Whether the configuration can authenticate a call before anything is sent. The orchestrator
//! signs with the first of the operation's schemes (in the model's order of preference) whose
//! identity the configuration can give; when it can give none, the call fails here, saying what
//! the first scheme needs, as a `ConstructionFailure`.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::AuthSchemePreference;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::region::{Region, SigningRegion};

use crate::auth::scheme_id;
use crate::schema::{AuthScheme, ServiceInfo};

/// Checks that one of the operation's schemes can be served (an operation without schemes is
/// sent unsigned).
pub(super) fn check_auth(
    operation: &'static str,
    service: &ServiceInfo,
    runtime_components: &RuntimeComponents,
    cfg: &ConfigBag,
) -> Result<(), BoxError> {
    // A configuration that chooses its auth schemes knows what it does.
    if cfg.load::<AuthSchemePreference>().is_some() {
        return Ok(());
    }
    let mut first_problem = None;
    for scheme in service.operation_auth(operation) {
        match missing_for(*scheme, service, runtime_components, cfg) {
            None => return Ok(()),
            Some(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    match first_problem {
        None => Ok(()),
        Some(problem) => Err(format!("{operation}: {problem}").into()),
    }
}

/// What the configuration lacks to serve `scheme`, if anything.
fn missing_for(
    scheme: AuthScheme,
    service: &ServiceInfo,
    runtime_components: &RuntimeComponents,
    cfg: &ConfigBag,
) -> Option<&'static str> {
    let has_identity = runtime_components
        .identity_resolver(scheme_id(scheme))
        .is_some();
    match scheme {
        AuthScheme::SigV4 => {
            if service.signing_name.is_none() {
                Some("the service has no SigV4 signing name")
            } else if cfg.load::<Region>().is_none() && cfg.load::<SigningRegion>().is_none() {
                Some(
                    "no region is configured: SigV4 signing needs one (set it with \
                     Config::builder().region(..) or AWS_REGION)",
                )
            } else if !has_identity {
                Some(
                    "no credentials provider is configured (set one with \
                     Config::builder().credentials_provider(..), or load an SdkConfig with \
                     aws-config)",
                )
            } else {
                None
            }
        }
        AuthScheme::Bearer => (!has_identity).then_some(
            "no token provider is configured: bearer auth needs one (set it with \
             Config::builder().token_provider(..), or load an SdkConfig with aws-config)",
        ),
    }
}
