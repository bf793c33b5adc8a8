//! Mutations of untrusted input, and the runner behind the property tests and `cargo xtask fuzz`.
//!
//! The readers of the workspace that take input from outside (a service's responses, a users
//! file, the emulator's requests) are tested on real inputs changed in the ways that break
//! readers: cut short, bytes flipped, tokens inserted, keys added or repeated, values of the wrong
//! JSON type, huge numbers, long strings, deep nesting, invalid UTF-8.
//!
//! - [`bytes`]: edits of a byte string, with dictionaries of tokens that matter to JSON, CSV and
//!   HTTP;
//! - [`json`]: edits of a JSON document, applied while it is written out, so that what a value
//!   cannot hold (a key given twice, `1e400`, nesting 100,000 deep, a string that is not UTF-8)
//!   can still be written;
//! - [`literal`]: bytes as a Rust expression, to print a failing input so it can become a
//!   regression case;
//! - [`runner`]: runs a property on a fixed seed for a bounded number of cases under
//!   `cargo test`, or on random seeds for a given time under `cargo xtask fuzz`, with every case
//!   bounded in time.

pub mod bytes;
pub mod json;
pub mod literal;
pub mod runner;

pub use literal::Bytes;
pub use proptest;
pub use runner::check;
