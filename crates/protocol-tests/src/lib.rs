//! A client generated from the restJson1 protocol tests.
//!
//! `cargo xtask codegen` converts the committed protocol test fixtures (botocore's format) into a
//! Smithy model, `model/rest-json.json`, whose operations and error shapes carry their cases as
//! `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`, and generates this crate's
//! `generated` modules from it with the project's generator. `tests/protocol_tests.rs` runs every
//! case against this client over real HTTP on 127.0.0.1.

#[rustfmt::skip] // formatted by the generator
mod generated;

pub use ::restjson_runtime::{error, idempotency, json, operation_shape, primitives};
pub use client::Client;
pub use config::Config;
pub use generated::{client, config, meta, operation, schema, types, Error};
