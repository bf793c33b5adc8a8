//! The seam through which a client finds its endpoint: the built-in endpoint parameters it binds
//! from its configuration (Region, UseFIPS, UseDualStack, Endpoint), and the resolver function
//! its service supplies in [`ServiceInfo`](crate::schema::ServiceInfo).

use std::fmt;

/// The built-in endpoint parameters, as a client's configuration sets them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointParams {
    /// The AWS region, e.g. `us-east-1`.
    pub region: Option<String>,
    /// Use the FIPS endpoint.
    pub use_fips: bool,
    /// Use the dual-stack (IPv4 and IPv6) endpoint.
    pub use_dual_stack: bool,
    /// A custom endpoint URL, used as is.
    pub endpoint: Option<String>,
}

/// Chooses the endpoint URL for a set of parameters.
pub type ResolveEndpoint = fn(&EndpointParams) -> Result<String, EndpointError>;

/// Why no endpoint could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with this reason (a rule set's own wording, when it has one).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The reason.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve the endpoint: {}", self.message)
    }
}

impl std::error::Error for EndpointError {}

/// What a client does without endpoint rules: the configured endpoint URL, or an error that says
/// one is needed. FIPS and dual-stack settings are refused rather than ignored, since nothing
/// here could honour them.
pub fn configured_endpoint_only(params: &EndpointParams) -> Result<String, EndpointError> {
    if params.use_fips || params.use_dual_stack {
        return Err(EndpointError::new(
            "this client has no endpoint rules, so it cannot choose a FIPS or dual-stack \
             endpoint; set the endpoint URL instead",
        ));
    }
    params.endpoint.clone().ok_or_else(|| {
        EndpointError::new(
            "this client has no endpoint rules, so it needs an endpoint URL in its \
             configuration (Config::builder().endpoint_url(..) or AWS_ENDPOINT_URL)",
        )
    })
}
