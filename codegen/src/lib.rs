//! Smithy 2.0 JSON AST to Rust code generator for restJson1 services.
//!
//! The pipeline is `load` ([`model`]) -> `index` ([`index`]) -> `plan` ([`plan`]) -> `emit`
//! ([`emit`], with `prettyplease`). [`generate`] runs it and returns the files to write, in a
//! deterministic order and with deterministic contents.
//!
//! The generator takes every shape and HTTP binding restJson1 clients use. What it cannot handle
//! (other protocols, auth schemes and traits it does not know, bindings a type cannot carry) is
//! an [`Error`] naming the shape and the trait, never silently skipped; an operation with an
//! event stream is left out with a warning ([`generate_with_warnings`]).
//!
//! Generated structures read responses leniently, as Smithy recommends for clients: unknown
//! JSON fields are ignored, and a required member that a response leaves out takes its type's
//! zero value (empty string or list, `0`, `false`, an `Unknown("")` enum, the epoch for
//! timestamps, or a structure of such values) instead of failing the call. Malformed JSON and
//! values of the wrong type are errors.
//!
//! Facts that a service documents but does not model come from an [`Overlay`] beside the
//! model: extra constraints ([`ExtraConstraint`], a `@length` on one member, enforced like any
//! modeled constraint) and retryable errors ([`ExtraRetryable`], an error the service documents
//! as throttling or transient but does not mark `@retryable`).
//!
//! [`generate`] writes the modules of a client (`generated/` in a crate whose `lib.rs` re-exports
//! them); [`generate_crate`] writes a whole standalone crate around them.

pub mod docs;
pub mod emit;
pub mod index;
pub mod model;
pub mod plan;
mod standalone;

pub use standalone::{generate_crate, CrateOptions};

use std::fmt;

/// A generation failure: what is wrong, naming the shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// A constraint added to one member on top of the model's own traits.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct ExtraConstraint {
    /// The member's absolute id, `namespace#Structure$member`.
    pub member: String,
    /// `@length` bounds (minimum, maximum).
    #[serde(default, deserialize_with = "length_bounds")]
    pub length: Option<Bounds>,
}

/// Optional lower and upper bounds, both inclusive.
pub type Bounds = (Option<u64>, Option<u64>);

fn length_bounds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Bounds>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Bounds {
        min: Option<u64>,
        max: Option<u64>,
    }
    let bounds: Option<Bounds> = serde::Deserialize::deserialize(d)?;
    Ok(bounds.map(|b| (b.min, b.max)))
}

/// An error that the service documents as worth another attempt but the model does not mark
/// `@retryable`; the generator treats it as if it were marked.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraRetryable {
    /// The error shape's absolute id, `namespace#Error`.
    pub error: String,
    /// `@retryable(throttling: true)`: the service sends it when it throttles a caller.
    #[serde(default)]
    pub throttling: bool,
}

/// The overlay file beside a model: facts the service documents but does not model.
///
/// ```json
/// {
///   "constraints": [{"member": "ns#Input$items", "length": {"min": 1, "max": 50}}],
///   "retryable": [{"error": "ns#SlowDown", "throttling": true}, {"error": "ns#Hiccup"}]
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Constraints added to members.
    #[serde(default)]
    pub constraints: Vec<ExtraConstraint>,
    /// Errors to retry that the model does not mark `@retryable`.
    #[serde(default)]
    pub retryable: Vec<ExtraRetryable>,
}

impl Overlay {
    /// Parses an overlay file.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(|e| Error::new(format!("overlay file: {e}")))
    }
}

/// How to generate a client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Facts from the overlay file.
    pub overlay: Overlay,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// Full contents, starting with [`emit::HEADER`].
    pub contents: String,
}

/// What a run of the generator gives: the files, and a warning for each part of the model it
/// left out (an operation with an event stream), which the generated `mod.rs` also lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// The files of the `generated` module, with paths relative to it, sorted.
    pub files: Vec<GeneratedFile>,
    /// One line per operation left out, naming it and why.
    pub warnings: Vec<String>,
}

/// Runs the whole pipeline on a model's JSON text: the files of the `generated` module, with
/// paths relative to it, and the warnings.
pub fn generate_with_warnings(model_json: &str, options: &Options) -> Result<Generated, Error> {
    run(model_json, options).map(|(_, generated)| generated)
}

/// The pipeline, with the plan it made.
fn run(model_json: &str, options: &Options) -> Result<(plan::Plan, Generated), Error> {
    let model = model::load(model_json)?;
    let index = index::Index::new(&model);
    let plan = plan::plan(&index, &options.overlay)?;
    let warnings = plan
        .skipped
        .iter()
        .map(|(name, why)| format!("operation {name} is left out: {why}"))
        .collect();
    let files = emit::files(&plan)?;
    Ok((plan, Generated { files, warnings }))
}

/// Runs the whole pipeline on a model's JSON text: the files of the `generated` module, with
/// paths relative to it. What it leaves out is listed in the generated `mod.rs`;
/// [`generate_with_warnings`] also returns it.
pub fn generate(model_json: &str, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_warnings(model_json, options).map(|generated| generated.files)
}
