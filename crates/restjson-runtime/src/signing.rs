//! SigV4 request signing through `aws-sigv4`, plugged into the orchestrator as an auth scheme.
//!
//! The signing name and region come from the endpoint the rules chose when its `authSchemes`
//! property gives them (`signingName`, `signingRegion` of its `sigv4` entry), else from the
//! configuration (the service's signing name, the configured region).
//!
//! The orchestrator signs every attempt afresh (new `X-Amz-Date`, new signature), so a retried
//! request never reuses a stale signature. All request headers except the standard exclusions
//! (authorization, user agent, trace id, transfer encoding) are signed, which covers
//! `X-Client-Token` and `Content-Type`.

use std::fmt;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{
    AuthScheme, AuthSchemeEndpointConfig, AuthSchemeId, Sign,
};
use aws_smithy_runtime_api::client::identity::{Identity, SharedIdentityResolver};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::Document;
use aws_types::region::{Region, SigningRegion};
use aws_types::SigningName;

/// Header carrying the payload's SHA-256, set when the request is built; the signature covers
/// it, so the body does not have to be readable at signing time.
pub const PAYLOAD_HASH_HEADER: &str = "x-amz-content-sha256";

/// Auth scheme id of SigV4.
pub const SIGV4_SCHEME_ID: AuthSchemeId = AuthSchemeId::new("sigv4");

/// SigV4 for one service, by its signing name.
#[derive(Debug, Clone)]
pub struct SigV4Scheme {
    signer: SigV4Signer,
}

impl SigV4Scheme {
    /// Signs with the service's `signing_name` unless the endpoint names another.
    pub fn new(signing_name: &'static str) -> Self {
        Self {
            signer: SigV4Signer { signing_name },
        }
    }
}

impl AuthScheme for SigV4Scheme {
    fn scheme_id(&self) -> AuthSchemeId {
        SIGV4_SCHEME_ID
    }

    fn identity_resolver(
        &self,
        identity_resolvers: &dyn GetIdentityResolver,
    ) -> Option<SharedIdentityResolver> {
        identity_resolvers.identity_resolver(self.scheme_id())
    }

    fn signer(&self) -> &dyn Sign {
        &self.signer
    }
}

/// Signs one attempt's request.
#[derive(Clone)]
pub struct SigV4Signer {
    signing_name: &'static str,
}

impl fmt::Debug for SigV4Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4Signer")
            .field("signing_name", &self.signing_name)
            .finish()
    }
}

/// A string field of the endpoint's auth scheme entry.
fn endpoint_field<'a>(config: &AuthSchemeEndpointConfig<'a>, field: &str) -> Option<&'a str> {
    match config.as_document()? {
        Document::Object(fields) => match fields.get(field)? {
            Document::String(value) => Some(value.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Why a request could not be signed.
#[derive(Debug)]
struct SigningFailure(String);

impl fmt::Display for SigningFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the request: {}", self.0)
    }
}

impl std::error::Error for SigningFailure {}

impl Sign for SigV4Signer {
    fn sign_http_request(
        &self,
        request: &mut HttpRequest,
        identity: &Identity,
        auth_scheme_endpoint_config: AuthSchemeEndpointConfig<'_>,
        runtime_components: &RuntimeComponents,
        config_bag: &ConfigBag,
    ) -> Result<(), BoxError> {
        if identity.data::<Credentials>().is_none() {
            return Err(
                SigningFailure("the resolved identity is not AWS credentials".into()).into(),
            );
        }
        let region = endpoint_field(&auth_scheme_endpoint_config, "signingRegion")
            .or_else(|| config_bag.load::<SigningRegion>().map(|r| r.as_ref()))
            .or_else(|| config_bag.load::<Region>().map(|r| r.as_ref()))
            .ok_or_else(|| {
                SigningFailure(
                    "no region is configured: SigV4 signing needs one (set it with \
                     Config::builder().region(..) or AWS_REGION)"
                        .into(),
                )
            })?;
        let name = endpoint_field(&auth_scheme_endpoint_config, "signingName")
            .or_else(|| config_bag.load::<SigningName>().map(|n| n.as_ref()))
            .unwrap_or(self.signing_name);
        let now = runtime_components.time_source().unwrap_or_default().now();
        let params = v4::SigningParams::builder()
            .identity(identity)
            .region(region)
            .name(name)
            .time(now)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| SigningFailure(e.to_string()))?
            .into();
        let body = match (
            request.headers().get(PAYLOAD_HASH_HEADER),
            request.body().bytes(),
        ) {
            (Some(hash), _) => SignableBody::Precomputed(hash.to_string()),
            (None, Some(bytes)) => SignableBody::Bytes(bytes),
            (None, None) => SignableBody::UnsignedPayload,
        };
        let signable = SignableRequest::new(
            request.method(),
            request.uri(),
            request.headers().iter(),
            body,
        )
        .map_err(|e| SigningFailure(e.to_string()))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| SigningFailure(e.to_string()))?
            .into_parts();
        let (headers, _query) = instructions.into_parts();
        for header in headers {
            let value = http::HeaderValue::from_str(header.value())
                .map_err(|e| SigningFailure(e.to_string()))?;
            request.headers_mut().insert(header.name(), value);
        }
        Ok(())
    }
}
