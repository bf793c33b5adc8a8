//! Paginators for `@paginated` operations. (Stub: replaced by the runtime.)

use std::sync::Arc;

use crate::client::Handle;
use crate::operation_shape::Paginated;

/// Walks every page of a paginated operation.
#[derive(Debug)]
pub struct Paginator<O: Paginated> {
    handle: Arc<Handle>,
    input: O::Input,
}

impl<O: Paginated> Paginator<O> {
    /// Creates a paginator starting from `input`.
    pub fn new(handle: Arc<Handle>, input: O::Input) -> Self {
        Self { handle, input }
    }
}
