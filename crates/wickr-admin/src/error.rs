//! Errors returned by the client. (Stub: replaced by the runtime.)

/// Boxed error type.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error of one operation call.
#[derive(Debug)]
pub enum SdkError<E> {
    /// The request could not be built (including invalid input).
    ConstructionFailure(BoxError),
    /// The service answered with an error.
    ServiceError(E),
}

impl<E> SdkError<E> {
    /// Builds a construction failure.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(source.into())
    }
}
