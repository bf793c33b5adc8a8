//! Service-agnostic runtime for Rust clients generated from restJson1 Smithy models.
//!
//! A generated crate holds the facts of one service (its shapes, operations, HTTP bindings and
//! endpoint rules); this crate holds the mechanics every such client shares. It knows Smithy,
//! restJson1 and AWS conventions, never a particular service.
//!
//! What a generated crate gives the runtime:
//!
//! - one [`schema::ServiceInfo`]: the service's SDK id, SigV4 signing name, user agent, the
//!   errors that are worth another attempt, its endpoint resolver and the table of its
//!   operations ([`schema::OperationInfo`]);
//! - one type per operation implementing [`operation_shape::OperationShape`]: validation,
//!   idempotency token, serializer and deserializer;
//! - its public `Client`, `Config` and `config::Builder`, made by [`client_type!`] and
//!   [`config_types!`] over [`client::Handle`] and [`config::Config`], so that the generated crate
//!   owns them and adds its own inherent methods (one fluent builder per operation).
//!
//! Everything else is here: the call path on aws-smithy-runtime's orchestrator ([`client`]),
//! SigV4 ([`signing`]), retry classification ([`retry`]), errors ([`error`],
//! [`error_details`]), JSON ([`json`]), restJson1 bindings ([`protocol`]), the bound on response
//! bodies ([`response_body`]), validation ([`validation`]), idempotency tokens ([`idempotency`]),
//! pagination ([`paginator`]), and the
//! macros the generated code invokes (setters, getters, JSON members, error enums, fluent
//! builders).

pub mod client;
pub mod config;
pub mod endpoint;
pub mod endpoint_builtins;
pub mod error;
pub mod error_details;
pub mod idempotency;
pub mod json;
pub mod macros;
pub mod operation_shape;
pub mod paginator;
pub mod protocol;
pub mod response_body;
pub mod retry;
pub mod routing;
pub mod schema;
pub mod signing;
pub mod validation;

/// Primitive types used by generated shapes.
pub mod primitives {
    pub use aws_smithy_types::date_time::Format as DateTimeFormat;
    pub use aws_smithy_types::DateTime;
}
