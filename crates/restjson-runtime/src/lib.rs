//! Service-agnostic runtime for Rust clients generated from restJson1 Smithy models.
//!
//! A generated crate holds the facts of one service (its shapes, operations, HTTP bindings and
//! endpoint rules); this crate holds the mechanics every such client shares. It knows Smithy,
//! restJson1 and AWS conventions, never a particular service.
//!
//! What a generated crate gives the runtime:
//!
//! - one [`schema::ServiceInfo`]: the service's SDK id, SigV4 signing name, user agent, the
//!   errors that are worth another attempt, how its endpoint rules are reached
//!   ([`endpoint_params::EndpointInfo`]) and the table of its operations
//!   ([`schema::OperationInfo`]);
//! - one type per operation implementing [`operation_shape::OperationShape`]: validation,
//!   idempotency token, serializer, deserializer, and what it gives the endpoint rules;
//! - its public API, the official AWS SDK crates' item for item, made by the runtime's macros:
//!   `Client` ([`client_type!`]), `Config` and `config::Builder` ([`config_types!`]),
//!   `config::endpoint` with the model's rule set ([`endpoint_module!`]), `client::customize`
//!   ([`customize_module!`]), the crate-wide `Error` ([`service_error!`]), and per operation its
//!   error enum ([`operation_error!`]) and fluent builder ([`fluent_builder!`]).
//!
//! Everything else is here: the call path on aws-smithy-runtime's orchestrator ([`client`],
//! with the runtime plugins of [`service_plugin`] and [`operation_plugin`] and the layered
//! [`config`]), auth scheme resolution ([`auth`]), SigV4 ([`signing`]), the endpoint rules
//! engine ([`endpoint`], [`endpoint_params`]), retry classification ([`retry`]), errors
//! ([`error`], [`error_details`]), JSON ([`json`]), restJson1 bindings ([`protocol`]), the
//! bound on response bodies ([`response_body`]), validation ([`validation`]), idempotency
//! tokens ([`idempotency`]), pagination ([`paginator`]), and the macros the generated code
//! invokes.

pub mod auth;
pub mod client;
pub mod clock_skew;
pub mod config;
pub mod endpoint;
pub mod endpoint_params;
pub mod error;
pub mod error_details;
pub mod http_client;
pub mod idempotency;
pub mod json;
pub mod macros;
pub mod operation_plugin;
pub mod operation_shape;
pub mod paginator;
pub mod protocol;
pub mod response_body;
pub mod retry;
pub mod routing;
pub mod schema;
pub mod service_plugin;
pub mod signing;
pub mod validation;

/// Primitive types used by generated shapes.
pub mod primitives {
    pub use aws_smithy_types::byte_stream::ByteStream;
    pub use aws_smithy_types::date_time::Format as DateTimeFormat;
    pub use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document};

    /// Event stream types (operations that stream events are left out of generated crates).
    pub mod event_stream {}
}
