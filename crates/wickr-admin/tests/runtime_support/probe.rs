//! A small operation defined by the tests, shaped like BatchCreateUser on the wire (POST with an
//! `X-Client-Token` header and a JSON body), used to exercise the runtime on its own.

use std::fmt;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::error::ErrorMetadata;
use wickr_admin::error_details::ErrorDetails;
use wickr_admin::operation_shape::{
    DeserializeError, OperationShape, ResponseParts, SerializedRequest,
};
use wickr_admin::validation::{InvalidInput, Violation};

pub struct Probe;

#[derive(Clone, Debug, Default)]
pub struct ProbeInput {
    pub network_id: String,
    pub client_token: Option<String>,
    pub names: Vec<String>,
}

#[derive(Debug)]
pub struct ProbeOutput {
    pub body: serde_json::Value,
}

#[derive(Debug)]
pub struct ProbeError {
    meta: ErrorMetadata,
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.meta.code().unwrap_or("unknown"))
    }
}

impl std::error::Error for ProbeError {}

/// The probe's errors carry nothing beyond their code and message.
impl ErrorDetails for ProbeError {}

impl ProvideErrorMetadata for ProbeError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// Retryable as the Wickr service's facts say (RateLimitError is throttling).
impl wickr_admin::error::ProvideErrorKind for ProbeError {
    fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    fn retryable_error_kind(&self) -> Option<wickr_admin::error::ErrorKind> {
        self.meta
            .code()
            .and_then(|code| wickr_admin::schema::SERVICE.retryable_error(code))
    }
}

impl wickr_admin::error::CreateUnhandledError for ProbeError {
    fn create_unhandled_error(
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
        meta: Option<ErrorMetadata>,
    ) -> Self {
        let meta =
            meta.unwrap_or_else(|| ErrorMetadata::builder().message(source.to_string()).build());
        Self { meta }
    }
}

/// The probe's output has no request id.
impl wickr_admin::error::RequestId for ProbeOutput {
    fn request_id(&self) -> Option<&str> {
        None
    }
}

impl OperationShape for Probe {
    const NAME: &'static str = "Probe";
    type Input = ProbeInput;
    type Output = ProbeOutput;
    type Error = ProbeError;

    fn validate(input: &ProbeInput) -> Result<(), InvalidInput> {
        let violations: Vec<Violation> = input
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.len() > 10)
            .map(|(i, n)| Violation {
                path: format!("names[{i}]"),
                rule: format!("length must be at most 10, got {}", n.len()),
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput {
                operation: "Probe",
                violations,
            })
        }
    }

    fn idempotency_token(input: &mut ProbeInput) -> Option<&mut Option<String>> {
        Some(&mut input.client_token)
    }

    fn serialize(input: &ProbeInput) -> Result<SerializedRequest, BuildError> {
        if input.network_id.is_empty() {
            return Err(BuildError::missing_field(
                "network_id",
                "needed in the path",
            ));
        }
        let mut headers = vec![("content-type", "application/json".to_string())];
        if let Some(token) = &input.client_token {
            headers.push(("x-client-token", token.clone()));
        }
        Ok(SerializedRequest {
            method: "POST",
            uri: format!("/networks/{}/users", input.network_id),
            headers,
            body: Some(
                serde_json::json!({ "names": input.names })
                    .to_string()
                    .into_bytes(),
            ),
            ..Default::default()
        })
    }

    fn deserialize(
        response: ResponseParts<'_>,
    ) -> Result<ProbeOutput, DeserializeError<ProbeError>> {
        let body: serde_json::Value =
            serde_json::from_slice(response.body).unwrap_or(serde_json::Value::Null);
        if (200..300).contains(&response.status) {
            return Ok(ProbeOutput { body });
        }
        let code = response
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| {
                body.get("__type")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let code = code.split(':').next().unwrap_or("");
        let code = code.rsplit('#').next().unwrap_or("").to_string();
        let mut meta = ErrorMetadata::builder().code(code);
        if let Some(message) = body.get("message").and_then(|v| v.as_str()) {
            meta = meta.message(message);
        }
        Err(DeserializeError::Service(ProbeError { meta: meta.build() }))
    }
}

pub fn probe_input(names: &[&str]) -> ProbeInput {
    ProbeInput {
        network_id: "12345678".into(),
        client_token: None,
        names: names.iter().map(|s| s.to_string()).collect(),
    }
}
