//! Service-agnostic runtime for Rust clients generated from restJson1 Smithy models.
//!
//! A generated crate holds the facts of one service (its shapes, operations, HTTP bindings and
//! endpoint rules); this crate holds the mechanics every such client shares. It knows Smithy,
//! restJson1 and AWS conventions, never a particular service.

pub mod endpoint;
