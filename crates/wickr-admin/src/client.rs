//! The client. (Stub: replaced by the runtime.)

use std::sync::Arc;

use crate::error::SdkError;
use crate::operation_shape::OperationShape;

/// Shared state behind every clone of a [`Client`].
#[derive(Debug, Default)]
pub struct Handle {}

impl Handle {
    /// Sends one operation call.
    pub async fn invoke<O: OperationShape>(&self, input: O::Input) -> Result<O::Output, SdkError<O::Error>> {
        let _ = input;
        Err(SdkError::construction_failure("runtime not yet implemented"))
    }
}

/// Client for the AWS Wickr Admin API.
#[derive(Clone, Debug, Default)]
pub struct Client {
    handle: Arc<Handle>,
}

impl Client {
    pub(crate) fn handle(&self) -> &Arc<Handle> {
        &self.handle
    }
}
