//! Client for the AWS Wickr Admin API.

mod generated;
pub mod operation_shape;
pub mod protocol;
pub mod validation;
pub mod error;
pub mod client;
pub mod paginator;

pub use client::Client;
pub use generated::{operation, types};

/// Primitive types used by the generated shapes.
pub mod primitives {
    pub use aws_smithy_types::DateTime;
}
