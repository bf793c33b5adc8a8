//! A client generated from `model/features.json`, a model of what the restJson1 protocol tests
//! leave out: SigV4 and bearer auth chosen per operation (`@auth`, `@optionalAuth`,
//! `aws.auth#unsignedPayload`), streaming payloads in both directions (`@requiresLength`),
//! errors with header members, `aws.protocols#awsQueryCompatible` error codes, a resource's
//! operations, recursive shapes, sparse collections, `@uniqueItems`, Smithy 1.0 `@enum` strings,
//! `intEnum`, `@default` values, and an operation with an event stream, which the generator
//! leaves out. `cargo xtask codegen` writes `generated/`; the protocol test crate's
//! `tests/features.rs` sends its calls to a server on 127.0.0.1.

#[rustfmt::skip] // formatted by the generator
mod generated;

pub use ::restjson_runtime::{config as runtime_config, error, json, primitives, validation};
pub use client::Client;
pub use config::Config;
pub use generated::{client, config, meta, operation, schema, types, Error};
